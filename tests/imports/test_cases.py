"""Importing a group's cases of assistance (``imports/cases.py``): opened through
``assistance.services.case_open``, never without consent, never a case of violence, into
a group of the uploader's regency, seen by the uploader and administrators only."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assistance.models import AssistanceCase, CaseStep, Need
from assistance.services import CONSENT_RULE
from imports import cases, services
from imports.forms import UploadForm
from imports.models import ImportJob, ImportRow
from imports.readers import open_table
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file, upload

HEADER = [
    "nama",
    "nik",
    "hp",
    "tahun_lahir",
    "jenis_kelamin",
    "kebutuhan",
    "tanggal_dibuka",
    "persetujuan",
    "tanggal_persetujuan",
    "pendamping",
]


def row(name="Maria Goreti", *, need="KTP", consent="sendiri", handlers="", nik="", phone=""):
    return [name, nik, phone, "1980", "P", need, "01/09/2026", consent, "01/09/2026", handlers]


def upload_cases(client, group, lines, name="kasus.csv"):
    return upload(client, csv_file([HEADER, *lines], name=name), group=group, kind="cases")


def errors(job):
    return [
        (r.number, e["column"], e["value"], e["message"])
        for r in job.rows.order_by("number")
        for e in r.errors
    ]


def test_a_member_and_a_person_who_is_not_a_member_are_opened_once(facilitator, world):
    member = f.MemberFactory(group=world.group_a1, full_name="Maria Goreti", birth_year=1980)
    handler = f.UserFactory(
        username="pengurus-a1", role="officer", group=world.group_a1, first_name="Yuliana"
    )
    lines = [row(handlers="pengurus-a1"), row("Sofia Lende", need="akta kelahiran")]

    job = upload_cases(facilitator, world.group_a1, lines)
    assert actions(job) == [(2, "create"), (3, "create")]
    page = facilitator.get(job.get_absolute_url()).content.decode()
    assert "akta kelahiran" in page.lower()
    assert not job.file  # the casework file is not kept once read
    assert confirm(facilitator, job).status == ImportJob.Status.DONE
    assert (job.created, job.unchanged) == (2, 0)
    of_member = AssistanceCase.objects.get(member=member)
    assert list(of_member.handlers.all()) == [handler]
    assert of_member.recorded_by == facilitator.user
    other = AssistanceCase.objects.get(member__isnull=True)
    assert (other.person_name, other.need, other.person_sex) == (
        "Sofia Lende",
        Need.BIRTH_CERTIFICATE,
        "F",
    )
    assert CaseStep.objects.filter(kind="opened").count() == 2  # through case_open
    assert not ImportRow.objects.filter(job=job).exists()  # the preview's copies are gone

    again = upload_cases(facilitator, world.group_a1, lines)
    assert actions(again) == [(2, "unchanged"), (3, "unchanged")]
    assert confirm(facilitator, again).created == 0
    assert AssistanceCase.objects.count() == 2


def test_a_row_without_consent_is_an_error_quoting_the_rule(facilitator, world):
    job = upload_cases(facilitator, world.group_a1, [row(consent="tidak"), row("Ana", consent="")])
    assert [(n, c, m) for n, c, _v, m in errors(job) if c == "persetujuan"] == [
        (2, "persetujuan", str(CONSENT_RULE)),
        (3, "persetujuan", str(CONSENT_RULE)),
    ]
    page = facilitator.get(job.get_absolute_url()).content.decode()
    assert "Seseorang hanya dicatat dengan persetujuannya" in page
    facilitator.post(reverse("imports:confirm", args=[job.pk]))
    assert not AssistanceCase.objects.exists()  # never an anonymous count either


def test_a_case_of_violence_is_refused_and_its_details_are_not_kept(
    facilitator, admin_client_, world
):
    lines = [row("Rahasia Korban", need="KDRT", nik="7308014506800001", phone="081234567890")]
    job = upload_cases(facilitator, world.group_a1, lines)
    [refused] = job.rows.all()
    assert refused.action == ImportRow.Action.ERROR
    assert refused.values == {}
    assert [(e["column"], e["value"]) for e in refused.errors] == [("kebutuhan", "KDRT")]
    assert "catat dengan tangan di formulir kasus" in refused.errors[0]["message"]
    assert not job.file  # nor is the file that held it
    for client in (facilitator, admin_client_):
        page = client.get(job.get_absolute_url() + "?show=all").content.decode()
        assert "Rahasia Korban" not in page
        assert "7308014506800001" not in page and "1234567890" not in page
    facilitator.post(reverse("imports:confirm", args=[job.pk]))
    assert not AssistanceCase.objects.exists()


def test_a_row_that_could_be_two_members_is_opened_for_the_one_chosen(facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti", birth_year=1980)
    chosen = f.MemberFactory(group=world.group_a1, full_name="Maria Goreti", birth_year=1980)
    job = upload_cases(facilitator, world.group_a1, [row()])
    [held] = job.rows.all()
    assert held.action == ImportRow.Action.AMBIGUOUS
    facilitator.post(reverse("imports:resolve", args=[job.pk]), {f"row-{held.pk}": chosen.pk})
    assert confirm(facilitator, job).created == 1
    assert AssistanceCase.objects.get().member == chosen


@pytest.mark.parametrize("need", ["pelecehan", ""])
def test_a_need_not_understood_or_blank_keeps_nothing_of_its_row(need, facilitator, world):
    job = upload_cases(facilitator, world.group_a1, [row("Rahasia Korban", need=need)])
    [refused] = job.rows.all()
    assert refused.values == {}
    assert [e["column"] for e in refused.errors] == ["kebutuhan"]
    assert "Rahasia Korban" not in facilitator.get(job.get_absolute_url()).content.decode()


def test_a_group_outside_the_facilitators_regency_cannot_be_chosen(facilitator, world):
    data = {
        "kind": "cases",
        "group": world.group_b1.pk,
        "file": csv_file([HEADER, row()]),
        "date_format": "dmy",
        "consent": "on",
    }
    response = facilitator.post(reverse("imports:upload"), data)
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not ImportJob.objects.exists()


def test_a_row_naming_another_group_is_an_error_on_its_row(facilitator, world):
    lines = [[*row(), world.group_b1.name], [*row("Ana"), world.group_a1.name]]
    job = upload(
        facilitator, csv_file([[*HEADER, "kelompok"], *lines]), group=world.group_a1, kind="cases"
    )
    assert actions(job) == [(2, "error"), (3, "create")]
    assert errors(job) == [
        (2, "kelompok", "KK Anggrek", "Ini bukan kelompok yang dipilih untuk impor ini.")
    ]


def test_a_facilitator_moved_to_another_regency_confirms_nothing_and_the_rows_go(
    facilitator, world
):
    job = upload_cases(facilitator, world.group_a1, [row()])
    user = facilitator.user
    user.regency = world.regency_b
    user.save()
    # Her page of the job answers 404 now; a confirm queued before the move runs alone.
    assert facilitator.post(reverse("imports:confirm", args=[job.pk])).status_code == 404
    assert services.import_job_start(job)
    job = services.import_job_confirm(job.pk)
    assert job.status == ImportJob.Status.REFUSED
    assert "tidak lagi mengimpor ke kelompok ini" in job.message
    assert not AssistanceCase.objects.exists()
    assert not job.rows.exists()


def test_a_village_outside_the_groups_subdistrict_and_an_unknown_handler_are_row_errors(
    facilitator, world
):
    header = [*HEADER, "desa"]
    lines = [[*row(handlers="orang-lain"), world.village_b1.name]]
    job = upload(facilitator, csv_file([header, *lines]), group=world.group_a1, kind="cases")
    assert {c for _n, c, _v, _m in errors(job)} == {"desa", "pendamping"}


@pytest.mark.parametrize("persona", ["programme", "dprd"])
def test_who_may_not_open_cases_cannot_choose_the_kind(persona, request, world):
    user = request.getfixturevalue(persona).user
    form = UploadForm(user=user)
    assert "cases" not in dict(form.fields["kind"].choices)
    posted = UploadForm(
        {"kind": "cases", "group": world.group_a1.pk, "date_format": "dmy", "consent": "on"},
        {"file": SimpleUploadedFile("kasus.csv", b"nama\n")},
        user=user,
    )
    assert not posted.is_valid() and "kind" in posted.errors


def test_a_facilitator_may_choose_the_kind(facilitator):
    assert "cases" in dict(UploadForm(user=facilitator.user).fields["kind"].choices)


@pytest.mark.parametrize("persona", ["programme", "dprd", "facilitator_b", "officer"])
def test_the_job_is_seen_by_its_uploader_and_administrators_only(
    persona, request, facilitator, admin_client_, world
):
    job = upload_cases(facilitator, world.group_a1, [row()])
    other = request.getfixturevalue(persona)
    for name in ("imports:detail", "imports:progress"):
        assert other.get(reverse(name, args=[job.pk])).status_code == 404
    listed = other.get(reverse("imports:list"))
    assert listed.status_code == 404 or "kasus.csv" not in listed.content.decode()
    assert admin_client_.get(job.get_absolute_url()).status_code == 200
    assert facilitator.get(job.get_absolute_url()).status_code == 200


def test_the_template_is_read_back_by_the_reader(facilitator, world):
    response = facilitator.get(reverse("imports:template", args=["cases"]))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Kasus", "Petunjuk"]
    table = open_table(
        io.BytesIO(response.content), name="t.xlsx", sheet=cases.SHEET, columns=cases.HEADERS
    )
    assert sorted(table.columns.values()) == sorted(c.key for c in cases.COLUMNS)
    assert table.ignored == []


def test_the_templates_example_row_previews_as_one_case_to_create(facilitator, world):
    response = facilitator.get(reverse("imports:template", args=["cases"]))
    upload_file = SimpleUploadedFile("templat-cases.xlsx", response.content)
    job = upload(facilitator, upload_file, group=world.group_a1, kind="cases")
    assert actions(job) == [(2, "create")]
    page = facilitator.get(job.get_absolute_url()).content.decode()
    assert "Persetujuan diberikan oleh: orang yang dibantu" in page
    assert "Dibuka pada: 17 Agustus 2024" in page
