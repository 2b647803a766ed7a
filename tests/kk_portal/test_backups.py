"""``manage.py backup`` and ``restore`` (kk_portal/backups.py): a backup restored into an
empty database holds every row and every media file; an altered, truncated or misdirected
archive is refused before anything changes.

The restore runs as a separate ``manage.py`` process against a database of its own (a
fresh SQLite file, or on PostgreSQL a scratch database made for the test), as it would on a
new machine; the restored rows are then read with the database driver directly.
"""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from kk_portal import backups
from kk_portal.scoping import Role
from tests import factories as f
from tests.conftest import build_world

ROOT = Path(__file__).resolve().parents[2]
CONFIGURED = ("DJANGO_", "DATABASE_", "DEBUG", "SECRET_KEY", "MEDIA_ROOT", "CACHE_", "ALLOWED_")


def manage(*args, database_url, media_root):
    """Run ``manage.py`` in a new process configured only by the given database and media."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(CONFIGURED)}
    env.update(
        DJANGO_SETTINGS_MODULE="kk_portal.settings",
        DEBUG="1",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media_root),
        CACHE_URL="locmem://",
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def orm_counts():
    """``{model label: rows}`` through the ORM, for every table of every installed app."""
    counts = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            counts.setdefault(meta.label, model._base_manager.count())
    return counts


def fill():
    """Rows in every app, two media files and values to look for after the restore."""
    world = build_world()
    officer = f.UserFactory(username="pengurus-a1", role=Role.OFFICER, group=world.group_a1)
    f.UserFactory(username="program", role=Role.PROGRAMME)
    members = [
        f.MemberFactory(group=world.group_a1, full_name=n) for n in ("Wa Ode Nurmi", "Ni Luh")
    ]
    aspiration = f.AspirationFactory(group=world.group_a1, title="Air bersih Dusun Ipa")
    f.AspirationFactory(group=world.group_b1, title="Jalan ke Negeri Beta")
    f.BudgetOutcomeFactory(aspiration=aspiration, amount=Decimal("987654321.50"))
    attachment = f.AttachmentFactory(aspiration=aspiration)
    meeting = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    f.AgendaItemFactory(meeting=meeting, aspiration=aspiration)
    case = f.AssistanceCaseFactory(group=world.group_a1, handlers=[officer])
    f.CaseStepFactory(case=case)
    document = f.CaseDocumentFactory(case=case)
    activity = f.ActivityFactory(group=world.group_a1)
    f.AttendanceFactory(activity=activity, member=members[0], full_name=members[0].full_name)
    f.AccessLogFactory(user=officer)
    return {
        "aspiration": aspiration,
        "officer": officer,
        "media": {
            attachment.file.name: b"%PDF-1.4\n%%EOF\n",
            document.file.name: b"%PDF-1.4\n%%EOF\n",
        },
    }


class Scratch:
    """An empty database of the suite's vendor for the restore, with a driver connection
    to read it back; ``drop()`` removes it."""

    def __init__(self, tmp_path):
        self.vendor = connection.vendor
        if self.vendor == "sqlite":
            self.path = tmp_path / "restored.sqlite3"
            self.url = f"sqlite:///{self.path}"
        else:
            settings_dict = connection.settings_dict
            self.name = f"kk_restore_{uuid.uuid4().hex[:12]}"
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            user = settings_dict.get("USER") or "postgres"
            password = f":{settings_dict['PASSWORD']}" if settings_dict.get("PASSWORD") else ""
            host = settings_dict.get("HOST") or "127.0.0.1"
            port = settings_dict.get("PORT") or 5432
            self.url = f"postgres://{user}{password}@{host}:{port}/{self.name}"

    def connect(self):
        if self.vendor == "sqlite":
            return sqlite3.connect(self.path)
        return psycopg.connect(self.url.replace("postgres://", "postgresql://", 1))

    def query(self, sql, *params):
        placeholder = "?" if self.vendor == "sqlite" else "%s"
        db = self.connect()
        try:
            cursor = db.cursor()
            cursor.execute(sql.replace("%s", placeholder), params)
            return cursor.fetchall()
        finally:
            db.close()

    def counts(self):
        db = self.connect()
        try:
            return backups.row_counts(db.cursor(), connection.ops.quote_name)
        finally:
            db.close()

    def drop(self):
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def scratch(transactional_db, tmp_path):
    database = Scratch(tmp_path)
    yield database
    database.drop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def backup(tmp_path):
    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    (archive,) = tmp_path.glob("kk-portal-*.tar.gz")
    return archive, out.getvalue()


def test_backup_restored_into_an_empty_database_holds_every_row_and_file(scratch, media, tmp_path):
    rows = fill()
    expected = orm_counts()
    archive, printed = backup(tmp_path)
    manifest = json.loads(tarfile.open(archive).extractfile("manifest.json").read())

    restored_media = tmp_path / "restored-media"
    result = manage("restore", str(archive), database_url=scratch.url, media_root=restored_media)

    assert result.returncode == 0, result.stderr
    assert f"Backup written: {archive}" in printed
    assert archive.stat().st_mode & 0o777 == 0o600
    assert manifest["rows"] == expected
    assert manifest["created_at"].endswith("+00:00")
    assert manifest["created_at_local"].endswith("+08:00")  # WITA, TIME_ZONE
    recorded = MigrationRecorder(connection).applied_migrations()
    assert {(a, n) for a, names in manifest["migrations"].items() for n in names} == set(recorded)
    assert f"Row counts equal the manifest in all {len(expected)} tables." in result.stdout
    restored = scratch.counts()
    assert restored == expected
    assert {label for label, n in restored.items() if n} >= {
        "groups.ConstituentGroup",
        "members.Member",
        "aspirations.Aspiration",
        "aspirations.BudgetOutcome",
        "aspirations.Attachment",
        "reses.AgendaItem",
        "assistance.AssistanceCase",
        "assistance.AssistanceCase_handlers",
        "assistance.CaseDocument",
        "activities.Attendance",
        "audit.AccessLog",
        "kk_portal.User",
        "members.HistoricalMember",
    }
    assert scratch.query(
        "SELECT title FROM aspirations_aspiration WHERE id = %s", rows["aspiration"].pk
    ) == [("Air bersih Dusun Ipa",)]
    ((amount,),) = scratch.query("SELECT amount FROM aspirations_budgetoutcome")
    assert Decimal(str(amount)) == Decimal("987654321.50")
    assert scratch.query(
        "SELECT password FROM kk_portal_user WHERE username = %s", "pengurus-a1"
    ) == [(rows["officer"].password,)]
    assert sorted(n for (n,) in scratch.query("SELECT full_name FROM members_member")) == [
        "Ni Luh",
        "Wa Ode Nurmi",
    ]
    for name, content in rows["media"].items():
        assert (restored_media / name).read_bytes() == content
    assert manifest["media"]["files"] == 2


def test_restore_refuses_a_database_that_holds_rows(scratch, media, tmp_path):
    fill()
    archive, _printed = backup(tmp_path)

    with pytest.raises(CommandError, match="is not empty .*pass --force"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_with_force_replaces_the_database_and_moves_the_media_aside(
    scratch, media, tmp_path
):
    rows = fill()
    archive, _printed = backup(tmp_path)
    before = orm_counts()
    later = f.AspirationFactory(group=rows["aspiration"].group, title="Dicatat sesudah backup")
    (media / "later.txt").write_bytes(b"after the backup")

    out = io.StringIO()
    call_command("restore", str(archive), force=True, stdout=out)

    assert orm_counts() == before
    assert not type(later).objects.filter(pk=later.pk).exists()
    assert not (media / "later.txt").exists()
    for name, content in rows["media"].items():
        assert (media / name).read_bytes() == content
    (aside,) = media.parent.glob("media.before-restore-*")
    assert (aside / "later.txt").read_bytes() == b"after the backup"
    assert f"the files that were there are in {aside}" in out.getvalue()


def rebuilt(archive, target, change):
    """A copy of ``archive`` with its members passed through ``change(name, bytes)``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as copy:
        for member in source.getmembers():
            data = change(member.name, source.extractfile(member).read())
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def test_an_altered_archive_is_refused_before_anything_changes(scratch, media, tmp_path):
    fill()
    archive, _printed = backup(tmp_path)
    before = orm_counts()
    part = backups.DATABASE_PARTS[connection.vendor]

    def flip_a_byte(name, data):
        if name != part:
            return data
        middle = len(data) // 2
        return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1 :]

    altered = rebuilt(archive, tmp_path / "altered.tar.gz", flip_a_byte)

    with pytest.raises(CommandError, match=f"{part} does not match its manifest") as refused:
        call_command("restore", str(altered), force=True, stdout=io.StringIO())
    assert "Nothing was restored." in str(refused.value)
    assert orm_counts() == before


def test_a_truncated_archive_is_refused_with_a_non_zero_exit(media, tmp_path):
    archive = archive_of(tmp_path / "good.tar.gz", {backups.MEDIA: os.urandom(200_000)})
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])

    result = manage(
        "restore",
        str(truncated),
        database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        media_root=tmp_path / "restored-media",
    )

    assert result.returncode == 1
    assert "it is truncated, damaged or not a KK Portal backup" in result.stderr
    assert "Nothing was restored." in result.stderr
    assert not (tmp_path / "restored-media").exists()


def test_an_archive_with_a_file_its_manifest_does_not_list_is_refused(scratch, media, tmp_path):
    fill()
    archive, _printed = backup(tmp_path)
    with tarfile.open(archive) as source, tarfile.open(tmp_path / "extra.tar.gz", "w:gz") as copy:
        for member in source.getmembers():
            copy.addfile(member, source.extractfile(member))
        extra = tarfile.TarInfo("evil.sh")
        extra.size = 3
        copy.addfile(extra, io.BytesIO(b"rm\n"))

    with pytest.raises(CommandError, match=r"does not list \(evil.sh\)"):
        call_command("restore", str(tmp_path / "extra.tar.gz"), stdout=io.StringIO())


def archive_of(path, members):
    """A .tar.gz at ``path`` holding ``members`` (``{name: bytes}``)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "members, message",
    [
        ({backups.MEDIA: b""}, "has no readable manifest.json: it is not a KK Portal backup"),
        ({"manifest.json": b'{"format": 2}'}, "is in format 2; this version reads format 1"),
        ({"manifest.json": b'{"format": 1, "parts": {}}'}, "has no readable manifest.json"),
    ],
)
def test_an_archive_without_a_manifest_of_this_format_is_refused(media, tmp_path, members, message):
    archive = archive_of(tmp_path / "odd.tar.gz", members)

    with pytest.raises(CommandError, match=message):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_an_archive_of_a_newer_version_is_refused(scratch, media, tmp_path):
    fill()
    archive, _printed = backup(tmp_path)
    before = orm_counts()

    def add_a_migration(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["aspirations"].append("9999_from_the_future")
        return json.dumps(manifest).encode()

    newer = rebuilt(archive, tmp_path / "newer.tar.gz", add_a_migration)

    with pytest.raises(CommandError, match=r"newer version .*aspirations\.9999_from_the_future"):
        call_command("restore", str(newer), force=True, stdout=io.StringIO())
    assert orm_counts() == before
