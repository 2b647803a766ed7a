"""Importing a group's activities (``imports/activities.py``) and the budget its groups
obtained (``imports/budget_access.py``): created through the services, unchanged on a
second import, errors quoting the cell, groups outside the facilitator's regency refused,
and the templates read back by the reader."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    BudgetAccess,
    BudgetPurpose,
    BudgetSource,
)
from imports.models import ImportJob
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file, upload

ACTIVITY_HEADER = ["kelompok", "jenis", "topik", "topik_lain", "tanggal", "tempat", "kelompok_lain"]
BUDGET_HEADER = ["kelompok", "sumber", "jumlah", "tahun", "tujuan", "perempuan", "laki_laki"]


def errors_of(job):
    return [e for row in job.rows.order_by("number") for e in row.errors]


def test_activities_are_created_with_the_groups_taking_part_and_unchanged_a_second_time(
    facilitator, world
):
    lines = [
        ACTIVITY_HEADER,
        ["KK Mawar", "Diskusi", "hak perempuan", "", "08/03/2025", "Balai desa", "KK Melati"],
        ["kk melati", "pelatihan", "lainnya", "Posyandu", "09/03/2025", "Rumah ketua", ""],
    ]

    first = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.ACTIVITIES
    )
    page = facilitator.get(first.get_absolute_url()).text
    first = confirm(facilitator, first)
    again = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.ACTIVITIES
    )
    preview_again = actions(again)
    again = confirm(facilitator, again)

    assert "08/03/2025 · diskusi: hak perempuan · KK Mawar" in page
    assert (first.status, first.created) == (ImportJob.Status.DONE, 2)
    assert preview_again == [(2, "unchanged"), (3, "unchanged")]
    assert (again.created, again.unchanged) == (0, 2)
    stored = {a.group.name: a for a in Activity.objects.select_related("group")}
    assert stored["KK Mawar"].held_on == datetime.date(2025, 3, 8)
    assert {g.name for g in stored["KK Mawar"].groups.all()} == {"KK Mawar", "KK Melati"}
    assert stored["KK Melati"].topic_label == "Posyandu"


def test_an_activity_row_error_quotes_the_cell_and_nothing_is_written(facilitator, world):
    lines = [
        ACTIVITY_HEADER,
        ["KK Mawar", "diskusi", "hak perempuan", "", "08/03/2025", "Balai desa", ""],
        ["KK Mawar", "arisan", "hak perempuan", "", "08/03/2025", "Balai desa", ""],
        ["KK Mawar", "diskusi", "lainnya", "", "31/02/2025", "Balai desa", ""],
    ]

    job = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.ACTIVITIES
    )
    page = facilitator.get(job.get_absolute_url()).text
    confirm(facilitator, job)

    assert actions(job) == [(2, "create"), (3, "error"), (4, "error")]
    assert "kolom jenis, nilai 'arisan'" in page
    assert "diskusi, pelatihan, studi banding, lainnya" in page
    assert "kolom tanggal, nilai '31/02/2025'" in page
    assert Activity.objects.count() == 0


def test_a_group_outside_the_facilitators_regency_is_an_error_on_its_row(facilitator, world):
    lines = [
        ACTIVITY_HEADER,
        ["KK Anggrek", "diskusi", "hak perempuan", "", "08/03/2025", "Baileo", ""],
    ]

    job = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.ACTIVITIES
    )

    assert actions(job) == [(2, "error")]
    assert errors_of(job) == [
        {
            "column": "kelompok",
            "value": "KK Anggrek",
            "message": "Tidak ada kelompok bernama ini di wilayah tujuan impor Anda.",
        }
    ]


def test_the_activities_template_imports_as_one_activity_to_create(facilitator, world):
    template = facilitator.get(reverse("imports:template", args=["activities"])).content
    book = load_workbook(io.BytesIO(template))

    job = upload(
        facilitator,
        SimpleUploadedFile("templat.xlsx", template),
        group=world.group_a1,
        kind=ImportJob.Kind.ACTIVITIES,
    )

    assert [c.value for c in book["Kegiatan"][1]][:6] == [
        "kelompok",
        "jenis",
        "topik",
        "topik_lain",
        "tanggal",
        "tempat",
    ]
    assert "Petunjuk" in book.sheetnames
    assert (actions(job), errors_of(job), job.ignored_columns) == ([(2, "create")], [], [])


def test_budget_amounts_are_read_as_the_form_reads_them_and_unchanged_a_second_time(
    facilitator, world
):
    lines = [
        BUDGET_HEADER,
        ["KK Mawar", "APBDes", "1.500.000", "2024", "simpan pinjam", "20", "5"],
        ["KK Mawar", "CSR", "Rp 1.500.000", "2024", "ekonomi", "", ""],
        ["KK Melati", "apbd", "617.666.666,66", "2023", "pertanian alami", "3", "1"],
    ]

    first = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.BUDGET_ACCESS
    )
    first = confirm(facilitator, first)
    again = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.BUDGET_ACCESS
    )
    preview_again = actions(again)
    again = confirm(facilitator, again)

    assert (first.status, first.created) == (ImportJob.Status.DONE, 3)
    assert preview_again == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    assert (again.created, again.unchanged) == (0, 3)
    assert sorted(
        BudgetAccess.objects.values_list("group__name", "source", "amount", "women", "men")
    ) == [
        ("KK Mawar", "apbdes", Decimal("1500000.00"), 20, 5),
        ("KK Mawar", "csr", Decimal("1500000.00"), 0, 0),
        ("KK Melati", "apbd", Decimal("617666666.66"), 3, 1),
    ]


def test_a_stored_budget_row_matches_by_source_year_amount_and_purpose(facilitator, world):
    f.BudgetAccessFactory(group=world.group_a1)  # APBDes 2024, Rp 15.000.000, savings
    lines = [
        BUDGET_HEADER,
        ["", "APBDes", "15.000.000", "2024", "simpan pinjam", "20", "5"],
        ["", "APBDes", "15.000.000", "2023", "simpan pinjam", "20", "5"],
    ]

    job = upload(
        facilitator, csv_file(lines), group=world.group_a1, kind=ImportJob.Kind.BUDGET_ACCESS
    )

    assert actions(job) == [(2, "unchanged"), (3, "create")]


def test_an_amount_in_words_is_refused_with_the_format_hint(facilitator, world):
    lines = [
        BUDGET_HEADER,
        ["KK Mawar", "APBDes", "1,5 juta", "2024", "simpan pinjam", "", ""],
        ["KK Anggrek", "APBDes", "1.500.000", "2024", "simpan pinjam", "", ""],
    ]

    job = upload(
        facilitator, csv_file(lines), regency=world.regency_a, kind=ImportJob.Kind.BUDGET_ACCESS
    )
    page = facilitator.get(job.get_absolute_url()).text
    confirm(facilitator, job)

    assert actions(job) == [(2, "error"), (3, "error")]
    assert "kolom jumlah, nilai '1,5 juta'" in page
    assert "1.500.000" in errors_of(job)[0]["message"]
    assert errors_of(job)[1]["column"] == "kelompok"
    assert BudgetAccess.objects.count() == 0


def test_the_budget_template_imports_as_one_row_to_create(facilitator, world):
    template = facilitator.get(reverse("imports:template", args=["budget_access"])).content
    book = load_workbook(io.BytesIO(template))

    job = upload(
        facilitator,
        SimpleUploadedFile("templat.xlsx", template),
        group=world.group_a1,
        kind=ImportJob.Kind.BUDGET_ACCESS,
    )
    preview = (actions(job), errors_of(job), job.ignored_columns)
    confirm(facilitator, job)

    assert [c.value for c in book["Dana"][1]][:4] == ["kelompok", "sumber", "jumlah", "tahun"]
    assert preview == ([(2, "create")], [], [])
    assert BudgetAccess.objects.get().amount == Decimal("15000000")


def test_a_repeated_row_a_future_year_and_other_without_words_are_errors(facilitator, world):
    activity_lines = [
        ACTIVITY_HEADER,
        ["KK Mawar", "diskusi", "hak perempuan", "", "08/03/2025", "Balai desa", ""],
        ["KK Mawar", "diskusi", "hak perempuan", "", "08/03/2025", "Rumah ketua", ""],
        ["KK Mawar", "diskusi", "lainnya", "", "09/03/2025", "Balai desa", ""],
    ]
    budget_lines = [BUDGET_HEADER, ["KK Mawar", "APBDes", "1.500.000", "2099", "ekonomi", "", ""]]

    activities_job = upload(
        facilitator,
        csv_file(activity_lines),
        regency=world.regency_a,
        kind=ImportJob.Kind.ACTIVITIES,
    )
    budget_job = upload(
        facilitator,
        csv_file(budget_lines),
        regency=world.regency_a,
        kind=ImportJob.Kind.BUDGET_ACCESS,
    )

    assert actions(activities_job) == [(2, "create"), (3, "error"), (4, "error")]
    assert [e["message"] for e in errors_of(activities_job)] == [
        "Data yang sama dengan baris 2.",
        "Tulis topiknya dengan kata-kata.",
    ]
    assert errors_of(budget_job)[0]["column"] == "tahun"
    assert errors_of(budget_job)[0]["value"] == "2099"
    assert errors_of(budget_job)[0]["message"].startswith("Tulis tahun antara 2000 dan ")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_exporting_the_budget_access_and_importing_it_again_changes_nothing(
    facilitator, world, fmt, language
):
    f.BudgetAccessFactory(group=world.group_a1, description="Modal usaha")
    f.BudgetAccessFactory(
        group=world.group_a1,
        source=BudgetSource.CSR,
        purpose=BudgetPurpose.NATURAL_FARMING,
        amount=Decimal("617666666.66"),
        year=2023,
        women=0,
        men=0,
    )
    f.BudgetAccessFactory(group=world.group_a2, source=BudgetSource.OTHER, purpose="other")
    before = list(BudgetAccess.objects.order_by("pk").values())

    # The export writes its headers and labels in the user's chosen language; the import
    # then runs in Indonesian, reading either.
    facilitator.post(reverse("set_language"), {"language": language, "next": "/"})
    exported = facilitator.get(reverse("activities:budget_export"), {"format": fmt})
    facilitator.post(reverse("set_language"), {"language": "id", "next": "/"})
    content = b"".join(exported.streaming_content) if exported.streaming else exported.getvalue()
    job = upload(
        facilitator,
        SimpleUploadedFile(f"akses-anggaran.{fmt}", content),
        regency=world.regency_a,
        kind="budget_access",
    )
    previewed, ignored = actions(job), job.ignored_columns
    written = confirm(facilitator, job)

    assert ignored == [{"id": "Kabupaten/kota", "en": "Regency"}[language]]
    assert previewed == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")], errors_of(job)
    assert (written.created, written.updated, written.unchanged, written.errors) == (0, 0, 3, 0)
    assert list(BudgetAccess.objects.order_by("pk").values()) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_exporting_the_activities_and_importing_them_again_changes_nothing(
    facilitator, world, fmt, language
):
    f.ActivityFactory(group=world.group_a1)
    f.ActivityFactory(
        group=world.group_a1,
        kind=ActivityKind.STUDY_VISIT,
        topic=ActivityTopic.OTHER,
        topic_text="Pengolahan sampah",
        held_on=datetime.date(2024, 11, 2),
        resource_person="",
        organiser="",
    )
    f.ActivityFactory(
        group=world.group_a2, kind=ActivityKind.TRAINING, topic=ActivityTopic.HUMAN_RIGHTS
    )
    before = list(Activity.objects.order_by("pk").values())

    # The export writes its headers and labels in the user's chosen language; the import
    # then runs in Indonesian, reading either.
    facilitator.post(reverse("set_language"), {"language": language, "next": "/"})
    exported = facilitator.get(reverse("activities:export"), {"format": fmt})
    facilitator.post(reverse("set_language"), {"language": "id", "next": "/"})
    content = b"".join(exported.streaming_content) if exported.streaming else exported.getvalue()
    job = upload(
        facilitator,
        SimpleUploadedFile(f"kegiatan.{fmt}", content),
        regency=world.regency_a,
        kind="activities",
    )
    previewed, ignored = actions(job), job.ignored_columns
    written = confirm(facilitator, job)

    assert (
        ignored
        == {
            "id": ["Kabupaten/kota", "Hadir", "Perempuan", "Miskin", "Penyandang disabilitas"],
            "en": ["Regency", "Present", "Women", "Poor", "With a disability"],
        }[language]
    )
    assert previewed == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")], errors_of(job)
    assert (written.created, written.updated, written.unchanged, written.errors) == (0, 0, 3, 0)
    assert list(Activity.objects.order_by("pk").values()) == before
