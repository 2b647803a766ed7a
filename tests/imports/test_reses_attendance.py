"""Importing the attendance of a reses meeting: rows matched to members of the groups of the
meeting's village and of its organising group (``imports/attendance.py``, ``MeetingList``)."""

import datetime
import io
import zoneinfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from imports.models import ImportJob
from reses.models import ResesAttendance
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def meeting(world):
    """A meeting of the world's representative in village A1, held on 17 August 2024."""
    return f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2024, 8, 17, 9, 30, tzinfo=WITA),
    )


def upload_reses_attendance(client, meeting, lines):
    data = {
        "kind": "reses_attendance",
        "meeting": meeting.pk,
        "file": csv_file(lines, name="hadir-reses.csv"),
        "date_format": "dmy",
        "consent": "on",
    }
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.order_by("-pk").first()


def listed(meeting):
    return ResesAttendance.objects.filter(meeting=meeting).counts()["total"]


def test_two_members_of_one_name_hold_a_row_without_nik_and_a_nik_matches_one(
    facilitator, world, meeting
):
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik)
    held = upload_reses_attendance(facilitator, meeting, [["nama", "nik"], ["Yohanis Wenda", ""]])

    page = facilitator.get(held.get_absolute_url())
    refused = confirm(facilitator, held)

    assert actions(held) == [(2, "ambiguous")]
    assert "2 anggota cocok" in page.text
    assert refused.status == ImportJob.Status.PREVIEWED
    assert listed(meeting) == 0
    meeting_page = facilitator.get(meeting.get_absolute_url()).text
    assert "Didaftar dengan nama" not in meeting_page

    by_nik = upload_reses_attendance(
        facilitator, meeting, [["nama", "nik"], ["Yohanis Wenda", "9471024506880015"]]
    )
    written = confirm(facilitator, by_nik)

    assert actions(by_nik) == []  # written: the preview's rows are deleted
    assert (written.created, written.unchanged) == (1, 0)
    assert list(meeting.attendees.values_list("member__nik", flat=True)) == ["9471024506880015"]


def test_an_ambiguous_row_is_resolved_by_choosing_and_a_reimport_adds_nobody(
    facilitator, world, meeting
):
    first_wenda = f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", sex="M")
    f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", sex="M")
    lines = [
        ["nama", "nik", "jenis_kelamin"],
        ["Yohanis Wenda", "", ""],
        ["Ibu Kepala Desa", "", "P"],
    ]
    job = upload_reses_attendance(facilitator, meeting, lines)
    row = job.rows.get(number=2)
    facilitator.post(
        reverse("imports:resolve", args=[job.pk]), {f"row-{row.pk}": str(first_wenda.pk)}
    )

    first = confirm(facilitator, job)
    again = upload_reses_attendance(facilitator, meeting, lines)
    again.rows.filter(number=2).update(resolution=str(first_wenda.pk))
    again = confirm(facilitator, again)

    assert (first.status, first.created) == (ImportJob.Status.DONE, 2)
    assert (again.created, again.unchanged) == (0, 2)
    assert sorted(
        (a.member_id or 0, a.full_name, a.sex, a.recorded_by.username)
        for a in ResesAttendance.objects.select_related("recorded_by")
    ) == [(0, "Ibu Kepala Desa", "F", "fasilitator-a"), (first_wenda.pk, "", "M", "fasilitator-a")]
    page = facilitator.get(meeting.get_absolute_url()).text
    assert 'Ibu Kepala Desa <span class="muted">tamu</span>' in page


def test_a_guest_needs_a_sex_and_the_file_then_writes_nothing(facilitator, world, meeting):
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti Bere")
    job = upload_reses_attendance(
        facilitator, meeting, [["nama"], ["Maria Goreti Bere"], ["Bapak Camat"]]
    )

    page = facilitator.get(job.get_absolute_url()).text
    confirm(facilitator, job)

    assert actions(job) == [(2, "create"), (3, "error")]
    assert "Bukan anggota kelompok di desa pertemuan" in page
    assert listed(meeting) == 0


def test_members_of_another_village_are_guests_not_members(facilitator, world, meeting):
    f.MemberFactory(group=world.group_a2, full_name="Yohana Mambrasar", nik="9471024506880007")

    job = upload_reses_attendance(
        facilitator, meeting, [["nama", "nik"], ["Yohana Mambrasar", "9471024506880007"]]
    )

    assert actions(job) == [(2, "error")]
    assert job.rows.get().errors[0]["message"] == (
        "NIK ini bukan anggota kelompok di desa pertemuan atau kelompok penyelenggaranya."
    )


def test_only_meetings_the_uploader_manages_are_offered(facilitator_b, world, meeting):
    response = facilitator_b.post(
        reverse("imports:upload"),
        {
            "kind": "reses_attendance",
            "meeting": meeting.pk,
            "file": csv_file([["nama"], ["Sumiyati"]]),
            "date_format": "dmy",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert "meeting" in response.context["form"].errors
    assert ImportJob.objects.count() == 0


def test_the_template_has_indonesian_headers_an_example_and_the_instructions(facilitator):
    response = facilitator.get(reverse("imports:template", args=["reses_attendance"]))
    book = load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["Kehadiran", "Petunjuk"]
    rows = list(book["Kehadiran"].iter_rows(values_only=True))
    assert rows[0][:3] == ("nama", "nik", "hp")
    assert rows[1][0] == "Hj. Nurhayati Daeng Ngai, S.Pd."
    assert [r[0] for r in book["Petunjuk"].iter_rows(values_only=True)][:3] == [
        "Kolom",
        "nama",
        "nik",
    ]


def test_a_meeting_not_held_yet_refuses_the_whole_file_and_lists_nobody(facilitator, world):
    later = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime.now(tz=WITA) + datetime.timedelta(days=7),
    )
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti Bere")
    lines = [["nama", "jenis_kelamin"], ["Maria Goreti Bere", ""], ["Bapak Camat", "L"]]

    job = confirm(facilitator, upload_reses_attendance(facilitator, later, lines))

    assert job.status == ImportJob.Status.REFUSED
    assert "Pertemuan ini belum berlangsung." in job.message
    assert "0 baris diimpor" in job.message
    assert listed(later) == 0
