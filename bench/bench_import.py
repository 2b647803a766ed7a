"""Benchmark of the imports: preview and confirmation of 20,000 member or aspiration rows.

Run on a migrated PostgreSQL database (the script adds one regency, one group and one
facilitator of its own, and leaves them with the imported members or aspirations)::

    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/kk_bench_import \\
        uv run python bench/bench_import.py [--rows 20000] [--kind members|aspirations]

``--kind members`` (the default) writes an XLSX file of ``--rows`` new members (openpyxl
write-only), then times the preview (``import_job_preview``: reading, parsing, matching,
storing the preview rows), the confirmed import (``import_job_confirm``: one transaction),
the preview of the same file again (every row unchanged), and the preview and import of the
file with one column changed on two rows in three (updates). It prints the peak resident
memory of this process after each step (``ru_maxrss``), which runs the steps as
``db_worker`` would. Targets (the issue): preview under 20 s, import under 60 s, memory
under 300 MB.

``--kind aspirations`` writes an XLSX file of ``--rows`` new aspirations as the template
has them (group, title, topic, channel, date raised, a beneficiary flag, the stage and the
date of every stage reached: one row in five each at recorded, conveyed, Musrenbang desa,
Musrenbang kecamatan and budgeted with its amount), then times the preview (each row
written through ``aspirations.services`` and rolled back), the confirmed import and the
preview of the same file again (every row unchanged).
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.files import File  # noqa: E402
from django.core.management import call_command  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from aspirations.models import Aspiration, Topic  # noqa: E402
from groups.models import Province  # noqa: E402
from imports import services  # noqa: E402
from imports.models import ImportJob  # noqa: E402
from members.models import Member  # noqa: E402
from tests import factories as f  # noqa: E402


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_file(path, rows, seed, poor=0):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Anggota")
    sheet.append(
        ["nama", "jenis_kelamin", "tahun_lahir", "nik", "hp", "miskin", "tanggal_bergabung"]
    )
    for n in range(rows):
        sheet.append(
            [
                f"Anggota Uji {seed} {n}",
                "P" if n % 4 else "L",
                1950 + n % 50,
                f"{seed:06d}{n:010d}",
                f"0812{seed % 1000:03d}{n:06d}",
                "Ya" if n % 3 == poor else "Tidak",
                "01/03/2015",
            ]
        )
    book.save(path)


#: The aspirations file's stages, one row in five each, with the date columns they fill.
ASPIRATION_STAGES = (
    ("recorded", {}),
    ("conveyed", {"tanggal_disampaikan": "15/02/2024"}),
    (
        "musrenbang_desa",
        {"tanggal_disampaikan": "15/02/2024", "tanggal_musrenbang_desa": "20/03/2024"},
    ),
    (
        "musrenbang_kecamatan",
        {
            "tanggal_disampaikan": "15/02/2024",
            "tanggal_musrenbang_desa": "20/03/2024",
            "tanggal_musrenbang_kecamatan": "18/04/2024",
        },
    ),
    (
        "budgeted",
        {
            "tanggal_disampaikan": "15/02/2024",
            "tanggal_musrenbang_desa": "20/03/2024",
            "tanggal_dianggarkan": "02/09/2024",
            "anggaran": "1.500.000",
            "tahun_anggaran": "2025",
            "sumber_dana": "APBDes",
        },
    ),
)
ASPIRATION_HEADER = [
    "kelompok",
    "judul",
    "topik",
    "saluran",
    "tanggal_diusulkan",
    "manfaat_perempuan",
    "tahap",
    "tanggal_disampaikan",
    "tanggal_musrenbang_desa",
    "tanggal_musrenbang_kecamatan",
    "tanggal_dianggarkan",
    "anggaran",
    "tahun_anggaran",
    "sumber_dana",
]


def write_aspirations(path, rows, seed, group):
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Aspirasi")
    sheet.append(ASPIRATION_HEADER)
    for n in range(rows):
        stage, cells = ASPIRATION_STAGES[n % len(ASPIRATION_STAGES)]
        cells = {
            "kelompok": group.name,
            "judul": f"Aspirasi uji {seed} {n}",
            "topik": "roads-bridges",
            "saluran": "tatap muka",
            "tanggal_diusulkan": "02/01/2024",
            "manfaat_perempuan": "Ya" if n % 2 else "",
            "tahap": stage,
            **cells,
        }
        sheet.append([cells.get(header, "") for header in ASPIRATION_HEADER])
    book.save(path)


def job_for(user, group, path, kind="members"):
    with open(path, "rb") as handle:
        return ImportJob.objects.create(
            created_by=user,
            kind=kind,
            group=group,
            regency_id=group.village.subdistrict.regency_id,
            file=File(handle, name="bench.xlsx"),
            file_name="bench.xlsx",
        )


def timed(label, step):
    start = time.perf_counter()
    result = step()
    print(f"{label}: {time.perf_counter() - start:.1f} s, peak RSS {peak_mb():.0f} MB", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--kind", choices=("members", "aspirations"), default="members")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    seed = int(time.time()) % 1_000_000
    # A province of its own per run (a two-digit code not yet in the database).
    used = set(Province.objects.values_list("code", flat=True))
    code = next(str(n) for n in range(10, 100) if str(n) not in used)
    province = f.ProvinceFactory(code=code, name=f"Provinsi Uji {seed}")
    regency = f.RegencyFactory(province=province, code=f"{code}.01")
    village = f.VillageFactory(
        subdistrict=f.SubdistrictFactory(regency=regency, code=f"{code}.01.01"),
        code=f"{code}.01.01.2001",
    )
    group = f.ConstituentGroupFactory(village=village, name=f"KK Bench {seed}")
    user = f.UserFactory(username=f"bench-{seed}", role="facilitator", regency=regency)
    if options.kind == "aspirations":
        bench_aspirations(options.rows, seed, user, group)
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        timed(f"write {options.rows} rows (XLSX)", lambda: write_file(path, options.rows, seed))
        print(
            f"file size {path.stat().st_size / 1e6:.1f} MB; "
            f"before the import peak RSS {peak_mb():.0f} MB"
        )
        job = job_for(user, group, path)
        timed("preview", lambda: services.import_job_preview(job))
        job.refresh_from_db()
        print(f"  preview: {job.created} to create, {job.errors} errors, {job.ambiguous} ambiguous")
        services.import_job_start(job)
        done = timed("import (one transaction)", lambda: services.import_job_confirm(job.pk))
        print(f"  imported: {done.created} created, status {done.status}")
        again = job_for(user, group, path)
        timed("preview of the same file again", lambda: services.import_job_preview(again))
        again.refresh_from_db()
        print(f"  again: {again.created} to create, {again.unchanged} unchanged")
        # The same people with the "miskin" column changed on two rows in three.
        write_file(path, options.rows, seed, poor=1)
        changed = job_for(user, group, path)
        timed("preview of a changed file", lambda: services.import_job_preview(changed))
        changed.refresh_from_db()
        print(f"  changed: {changed.updated} to update, {changed.unchanged} unchanged")
        services.import_job_start(changed)
        done = timed("import of the changes", lambda: services.import_job_confirm(changed.pk))
        print(f"  imported: {done.updated} updated, {done.unchanged} unchanged")
    print(f"members in the group: {Member.objects.filter(group=group).count()}")


def bench_aspirations(rows, seed, user, group):
    Topic.objects.get_or_create(slug="roads-bridges", defaults={"name": "Jalan dan jembatan"})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        timed(
            f"write {rows} aspiration rows (XLSX)",
            lambda: write_aspirations(path, rows, seed, group),
        )
        print(
            f"file size {path.stat().st_size / 1e6:.1f} MB; "
            f"before the import peak RSS {peak_mb():.0f} MB"
        )
        job = job_for(user, group, path, "aspirations")
        timed(
            "preview (each row written and rolled back)", lambda: services.import_job_preview(job)
        )
        job.refresh_from_db()
        print(f"  preview: {job.created} to create, {job.errors} errors, {job.ambiguous} ambiguous")
        if job.errors:
            row = job.rows.filter(action="error").order_by("number").first()
            print(f"  first error: row {row.number}: {row.errors}")
            return
        services.import_job_start(job)
        done = timed("import (one transaction)", lambda: services.import_job_confirm(job.pk))
        print(f"  imported: {done.created} created, status {done.status} {done.message}")
        again = job_for(user, group, path, "aspirations")
        timed("preview of the same file again", lambda: services.import_job_preview(again))
        again.refresh_from_db()
        print(f"  again: {again.created} to create, {again.unchanged} unchanged")
    print(f"aspirations of the group: {Aspiration.objects.filter(group=group).count()}")


if __name__ == "__main__":
    main()
