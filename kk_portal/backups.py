"""Backups: the database and the media files in one checksummed archive, and their restore.

An archive is one ``.tar.gz`` file holding exactly three members:

- ``manifest.json``: the format number, the time it was made (UTC and in ``TIME_ZONE``, both
  with their offset), the Django version, the database vendor and name, each part's size in
  bytes and SHA-256, the applied migrations (``{app: [name, …]}`` in the order applied) and
  the row count of every table of every installed app (``{model label: rows}``), all taken
  from the same moment as the dump;
- the database: ``database.dump`` on PostgreSQL (``pg_dump --format=custom``, in a snapshot
  shared with the row counts, so a database in use gives one consistent moment) or
  ``database.sqlite3`` on SQLite (a copy made with SQLite's online backup API,
  ``sqlite3.Connection.backup``, consistent even while the application writes);
- ``media.tar``: every file under ``MEDIA_ROOT`` (uploaded attachments, decree scans), by
  its path relative to it.

``create_backup`` writes an archive; ``restore_backup`` checks every part against the
manifest before it touches anything, refuses a database holding rows (or media files)
unless forced, restores both and compares the restored row counts with the manifest. Both
raise ``BackupError`` (a ``CommandError``, so ``manage.py`` prints it and exits with status
1) with a message saying what is wrong and what was left unchanged.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from datetime import UTC
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

#: Version of the archive's layout; ``restore_backup`` refuses any other.
FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media.tar"
#: What ``restore_backup`` reads from a manifest.
MANIFEST_KEYS = {
    "format",
    "parts",
    "database",
    "created_at_local",
    "time_zone",
    "media",
    "migrations",
    "rows",
}
#: The database part's file name per ``connection.vendor``.
DATABASE_PARTS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
#: Rows ``migrate`` writes by itself: a database holding only these counts as empty.
FILLED_BY_MIGRATE = {"contenttypes.ContentType", "auth.Permission"}
_CHUNK = 1024 * 1024


class BackupError(CommandError):
    """A backup could not be made, or an archive cannot or may not be restored."""


def sha256_of(path):
    """The SHA-256 of the file at ``path``, as 64 lowercase hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def model_tables():
    """``{model label: table name}`` for every table of every installed app, including the
    tables of many-to-many fields and the historical records, sorted by label."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            if meta.db_table not in tables.values():
                tables[meta.label] = meta.db_table
    return dict(sorted(tables.items()))


def row_counts(cursor, quote, existing=None):
    """``{model label: rows}`` read through the DB-API ``cursor``; ``quote`` quotes a table
    name for that database. With ``existing`` (a set of table names), tables outside it are
    left out (a database not migrated yet)."""
    counts = {}
    for label, table in model_tables().items():
        if existing is not None and table not in existing:
            continue
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[label] = cursor.fetchone()[0]
    return counts


def applied_migrations(cursor):
    """``{app: [migration name, …]}`` from ``django_migrations``, in the order applied."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    applied = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def postgres_environment(settings_dict):
    """The environment for ``pg_dump``/``pg_restore``: the connection settings as libpq's
    ``PG*`` variables, so that the password never appears on a command line."""
    env = dict(os.environ)
    names = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD"}
    for key, variable in names.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    env["PGDATABASE"] = str(settings_dict["NAME"])
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if option in settings_dict.get("OPTIONS", {}):
            env[f"PG{option.upper()}"] = str(settings_dict["OPTIONS"][option])
    return env


def run_tool(args, env):
    """Run a PostgreSQL client tool; raises ``BackupError`` with its own message on failure."""
    try:
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{args[0]} was not found: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)."
        ) from None
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed (exit {result.returncode}): {result.stderr.strip()}")
    return result


def dump_postgresql(connection, target):
    """Dump the PostgreSQL database of ``connection`` to ``target`` with ``pg_dump
    --format=custom``; returns ``(rows, migrations)`` counted in the dump's own snapshot."""
    if connection.in_atomic_block:
        raise BackupError("A backup must run outside a transaction.")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        # The first statement of the transaction; the snapshot it exports is what pg_dump
        # reads, so the counts below describe exactly the rows in the dump.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        run_tool(
            ["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
            postgres_environment(connection.settings_dict),
        )
        rows = row_counts(cursor, connection.ops.quote_name)
        migrations = applied_migrations(cursor)
    return rows, migrations


def dump_sqlite(connection, target):
    """Copy the SQLite database of ``connection`` to ``target`` with the online backup API;
    returns ``(rows, migrations)`` counted in the copy."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        # One self-contained file: no -wal or -shm beside it.
        copy.execute("PRAGMA journal_mode=DELETE")
        cursor = copy.cursor()
        rows = row_counts(cursor, connection.ops.quote_name)
        migrations = applied_migrations(cursor)
    finally:
        copy.close()
    return rows, migrations


def media_files(media_root):
    """The regular files under ``media_root`` (a ``Path``), sorted; none if it is missing."""
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def pack_media(media_root, target):
    """Write every file under ``media_root`` into the tar file ``target``; returns
    ``{"files": n, "bytes": n}``."""
    files = media_files(media_root)
    with tarfile.open(target, "w") as tar:
        for path in files:
            tar.add(path, arcname=path.relative_to(media_root).as_posix(), recursive=False)
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def archive_name(moment):
    """``kk-portal-YYYYMMDD-HHMMSSZ.tar.gz`` for the aware datetime ``moment`` (in UTC)."""
    return f"kk-portal-{moment.astimezone(UTC):%Y%m%d-%H%M%S}Z.tar.gz"


def create_backup(output, *, using="default"):
    """Write an archive of the database ``using`` and of ``MEDIA_ROOT``.

    ``output`` is a directory (the archive is named by ``archive_name`` inside it) or a file
    path. The archive appears only when complete (written beside it, then renamed). Returns
    ``(path of the archive, manifest dict)``. Raises ``BackupError`` for an unsupported
    database or a failing ``pg_dump``.
    """
    connection = connections[using]
    part = DATABASE_PARTS.get(connection.vendor)
    if part is None:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    moment = timezone.now()
    output = Path(output)
    path = output / archive_name(moment) if output.is_dir() else output
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kk-backup-", dir=path.parent) as work:
        work = Path(work)
        if connection.vendor == "postgresql":
            rows, migrations = dump_postgresql(connection, work / part)
        else:
            rows, migrations = dump_sqlite(connection, work / part)
        media = pack_media(Path(settings.MEDIA_ROOT), work / MEDIA)
        manifest = {
            "format": FORMAT,
            "product": "KK Portal",
            "created_at": moment.astimezone(UTC).isoformat(),
            "created_at_local": timezone.localtime(moment).isoformat(),
            "time_zone": settings.TIME_ZONE,
            "django": django.get_version(),
            "database": {
                "vendor": connection.vendor,
                "name": str(connection.settings_dict["NAME"]),
            },
            "parts": {
                name: {"bytes": (work / name).stat().st_size, "sha256": sha256_of(work / name)}
                for name in (part, MEDIA)
            },
            "media": media,
            "migrations": migrations,
            "rows": rows,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        partial = work / "archive.partial"
        with tarfile.open(partial, "w:gz") as tar:
            for name in (MANIFEST, part, MEDIA):
                tar.add(work / name, arcname=name)
        # Personal data (NIK, cases of violence): readable by the owner only.
        partial.chmod(0o600)
        os.replace(partial, path)
    return path, manifest


def open_archive(archive, work):
    """Unpack ``archive`` into the directory ``work`` and check it: the manifest's format,
    every part present with the size and SHA-256 the manifest gives, nothing else inside.

    Returns the manifest. Raises ``BackupError`` for a missing, truncated, damaged or
    altered archive; nothing outside ``work`` has been touched then.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(work, filter="data")
    except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
        raise BackupError(
            f"{archive} cannot be read ({exc}): it is truncated, damaged or not a KK Portal "
            "backup. Nothing was restored."
        ) from None
    try:
        manifest = json.loads((work / MANIFEST).read_text(encoding="utf-8"))
        found = manifest.get("format")
    except (OSError, ValueError, AttributeError):
        manifest, found = None, None
    if manifest is not None and found != FORMAT:
        raise BackupError(
            f"{archive} is in format {found!r}; this version reads format {FORMAT}. "
            "Nothing was restored."
        )
    try:
        parts = manifest["parts"]
        database_part = DATABASE_PARTS[manifest["database"]["vendor"]]
        if not MANIFEST_KEYS <= manifest.keys():
            raise KeyError(MANIFEST_KEYS - manifest.keys())
    except (KeyError, TypeError, AttributeError):
        raise BackupError(
            f"{archive} has no readable {MANIFEST}: it is not a KK Portal backup. "
            "Nothing was restored."
        ) from None
    present = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()}
    extra = sorted(present - set(parts) - {MANIFEST})
    if extra:
        raise BackupError(
            f"{archive} holds files its manifest does not list ({', '.join(extra)}): it was "
            "altered. Nothing was restored."
        )
    for name, expected in sorted(parts.items()):
        path = work / name
        if name not in present:
            raise BackupError(
                f"{archive} lacks {name}, which its manifest lists. Nothing was restored."
            )
        size, digest = path.stat().st_size, sha256_of(path)
        if size != expected.get("bytes") or digest != expected.get("sha256"):
            raise BackupError(
                f"{archive}: {name} does not match its manifest ({size} bytes, SHA-256 "
                f"{digest}; the manifest says {expected.get('bytes')} bytes, SHA-256 "
                f"{expected.get('sha256')}): the archive was altered or damaged. "
                "Nothing was restored."
            )
    if MEDIA not in parts or database_part not in parts:
        raise BackupError(f"{archive} lacks its database or media part. Nothing was restored.")
    return manifest


def rows_present(connection):
    """``{model label: rows}`` of the tables holding rows other than those ``migrate``
    writes by itself; empty for an empty or fresh database."""
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        counts = row_counts(cursor, connection.ops.quote_name, existing)
    return {label: n for label, n in counts.items() if n and label not in FILLED_BY_MIGRATE}


def unknown_migrations(manifest):
    """Migrations applied in the archive's database that this code does not have (the
    archive comes from a newer version), as ``app.name`` strings, for installed apps."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for replaced in loader.replacements.values():
        known.update(replaced.replaces)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        if app in apps.app_configs
        for name in names
        if (app, name) not in known
    )


def restore_postgresql(connection, dump):
    """Load the custom-format ``dump`` into the database of ``connection`` with
    ``pg_restore`` in one transaction: the database's tables of the same name are replaced,
    and on any error nothing changes."""
    connection.close()
    run_tool(
        [
            "pg_restore",
            f"--dbname={connection.settings_dict['NAME']}",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
        postgres_environment(connection.settings_dict),
    )


def restore_sqlite(connection, copy):
    """Replace the SQLite database of ``connection`` by the file ``copy`` through the online
    backup API, all pages in one step under SQLite's lock."""
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file::memory:"):
        raise BackupError("Cannot restore into an in-memory SQLite database.")
    connection.close()
    source = sqlite3.connect(copy)
    target = sqlite3.connect(name, timeout=20)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore_media(media_tar, media_root, moment):
    """Put the files of ``media_tar`` in ``media_root``. What was there is moved, not
    deleted, to ``<media_root>.before-restore-<moment>``; returns that path, or ``None``.
    Entries are moved one by one rather than the directory renamed: ``MEDIA_ROOT`` is often
    a mount point."""
    staging = media_root.with_name(f".{media_root.name}.restoring-{moment}")
    staging.mkdir()
    with tarfile.open(media_tar, "r") as tar:
        tar.extractall(staging, filter="data")
    media_root.mkdir(parents=True, exist_ok=True)
    aside = None
    if any(media_root.iterdir()):
        aside = media_root.with_name(f"{media_root.name}.before-restore-{moment}")
        aside.mkdir()
        for entry in list(media_root.iterdir()):
            shutil.move(entry, aside / entry.name)
    for entry in list(staging.iterdir()):
        shutil.move(entry, media_root / entry.name)
    staging.rmdir()
    return aside


def restore_backup(archive, *, using="default", force=False, log=print):
    """Restore ``archive`` into the database ``using`` and ``MEDIA_ROOT``.

    Order: unpack and check every part (``open_archive``); check the database vendor and the
    migrations (none newer than this code); refuse a database holding rows or a
    ``MEDIA_ROOT`` holding files unless ``force``; restore the database, then the media;
    compare every table's row count with the manifest. ``log`` receives progress lines.
    Returns the manifest. Raises ``BackupError``; every refusal comes before any change.
    """
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    parent = media_root.parent
    parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".kk-restore-", dir=parent) as work:
        work = Path(work)
        manifest = open_archive(archive, work)
        log(
            f"{archive}: made {manifest['created_at_local']} ({manifest['time_zone']}), "
            f"every part matches its SHA-256."
        )
        vendor = manifest["database"]["vendor"]
        if vendor != connection.vendor:
            raise BackupError(
                f"The archive holds a {vendor} database; this site runs on "
                f"{connection.vendor}. Nothing was restored."
            )
        newer = unknown_migrations(manifest)
        if newer:
            raise BackupError(
                "The archive comes from a newer version of KK Portal (migrations unknown "
                f"here: {', '.join(newer)}). Deploy that version first. Nothing was restored."
            )
        if not force:
            present = rows_present(connection)
            if present:
                shown = ", ".join(f"{label} {n}" for label, n in sorted(present.items())[:5])
                raise BackupError(
                    f"The database {connection.settings_dict['NAME']} is not empty ({shown}"
                    f"{', …' if len(present) > 5 else ''}). Restore into an empty database, "
                    "or pass --force to replace it. Nothing was restored."
                )
            if media_files(media_root):
                raise BackupError(
                    f"MEDIA_ROOT ({media_root}) holds files. Restore into an empty "
                    "directory, or pass --force (they are then moved aside, not deleted). "
                    "Nothing was restored."
                )
        part = DATABASE_PARTS[vendor]
        if vendor == "postgresql":
            restore_postgresql(connection, work / part)
        else:
            restore_sqlite(connection, work / part)
        log(f"Database restored into {connection.settings_dict['NAME']}.")
        moment = f"{timezone.now().astimezone(UTC):%Y%m%d-%H%M%S}Z"
        aside = restore_media(work / MEDIA, media_root, moment)
        log(
            f"Media restored into {media_root}: {manifest['media']['files']} files"
            + (f" (the files that were there are in {aside})." if aside else ".")
        )
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        restored = row_counts(cursor, connection.ops.quote_name, existing)
    expected = manifest["rows"]
    differing = sorted(
        label
        for label in set(expected) | set(restored)
        if expected.get(label, 0) != restored.get(label, 0)
    )
    if differing:
        raise BackupError(
            "The restored database differs from the manifest in "
            + ", ".join(
                f"{label} ({restored.get(label, 0)} rows, expected {expected.get(label, 0)})"
                for label in differing
            )
            + "."
        )
    log(f"Row counts equal the manifest in all {len(manifest['rows'])} tables.")
    return manifest


def describe(manifest):
    """A short summary of a manifest for the command's output."""
    rows = sum(manifest["rows"].values())
    return (
        f"{rows:,} rows in {len(manifest['rows'])} tables, {manifest['media']['files']} media "
        f"files ({manifest['media']['bytes']:,} bytes), made {manifest['created_at_local']}"
    )
