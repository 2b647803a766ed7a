"""Importing the attendance of an activity: rows matched to members of the groups taking
part (``imports/attendance.py``)."""

from django.urls import reverse

from activities.models import Attendance
from imports.models import ImportJob
from tests import factories as f
from tests.imports.helpers import actions, confirm, csv_file


def upload_attendance(client, activity, lines):
    data = {
        "kind": "attendance",
        "activity": activity.pk,
        "file": csv_file(lines, name="hadir.csv"),
        "date_format": "dmy",
        "consent": "on",
    }
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.order_by("-pk").first()


def test_a_row_two_members_could_be_is_held_and_adds_no_attendance(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik)
    job = upload_attendance(facilitator, activity, [["nama", "nik"], ["Yohanis Wenda", ""]])

    page = facilitator.get(job.get_absolute_url())
    confirm(facilitator, job)

    assert actions(job) == [(2, "ambiguous")]
    assert "2 anggota cocok" in page.text
    assert '<option value="new">tamu (bukan anggota)</option>' in page.text
    assert activity.attendance.count() == 0


def test_a_row_with_a_nik_matches_exactly_one_member_and_a_reimport_adds_nobody(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1, taking_part=[world.group_a2])
    chosen = f.MemberFactory(
        group=world.group_a2, full_name="Yohanis Wenda", nik="9471024506880015"
    )
    f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik="9471024506880007")
    lines = [
        ["nama", "nik", "jenis_kelamin"],
        ["Yohanis Wenda", "9471024506880015", ""],
        ["Ibu Kepala Desa", "", "P"],
    ]

    first = confirm(facilitator, upload_attendance(facilitator, activity, lines))
    again = confirm(facilitator, upload_attendance(facilitator, activity, lines))

    assert (first.created, again.created, again.unchanged) == (2, 0, 2)
    assert sorted((a.full_name, a.member_id or 0) for a in Attendance.objects.all()) == [
        ("", chosen.pk),
        ("Ibu Kepala Desa", 0),
    ]
    assert Attendance.objects.counts()["total"] == 2


def test_the_chosen_member_is_listed_once_the_row_is_resolved(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    members = [
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=n)
        for n in ("9471024506880007", "9471024506880015")
    ]
    job = upload_attendance(facilitator, activity, [["nama"], ["Yohanis Wenda"]])
    row = job.rows.get()

    facilitator.post(
        reverse("imports:resolve", args=[job.pk]), {f"row-{row.pk}": str(members[1].pk)}
    )
    written = confirm(facilitator, job)

    assert (written.created, list(activity.attendance.values_list("member", flat=True))) == (
        1,
        [members[1].pk],
    )


def test_a_person_who_is_no_member_needs_a_sex_to_be_a_guest(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)

    job = upload_attendance(facilitator, activity, [["nama", "jenis_kelamin"], ["Pak Camat", ""]])

    assert actions(job) == [(2, "error")]
    assert job.rows.get().errors[0]["message"] == (
        "Bukan anggota kelompok yang ikut: isi jenis kelamin untuk mencatatnya sebagai tamu."
    )


def test_a_member_of_a_group_not_taking_part_is_an_error(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    f.MemberFactory(group=world.group_a2, full_name="Ani", nik="9471024506880007")

    job = upload_attendance(facilitator, activity, [["nama", "nik"], ["Ani", "9471024506880007"]])

    assert job.rows.get().errors[0]["column"] == "nik"
    assert activity.attendance.count() == 0


def test_a_facilitator_cannot_import_into_another_regencys_activity(facilitator_b, world):
    activity = f.ActivityFactory(group=world.group_a1)

    response = facilitator_b.post(
        reverse("imports:upload"),
        {
            "kind": "attendance",
            "activity": activity.pk,
            "file": csv_file([["nama"], ["Ani"]]),
            "date_format": "dmy",
            "consent": "on",
        },
    )

    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_the_attendance_template_has_its_own_sheet(facilitator):
    import io

    from openpyxl import load_workbook

    response = facilitator.get(reverse("imports:template", args=["attendance"]))
    book = load_workbook(io.BytesIO(response.content))

    assert book.sheetnames == ["Kehadiran", "Petunjuk"]
    assert [c.value for c in book["Kehadiran"][1]] == [
        "nama",
        "nik",
        "hp",
        "tahun_lahir",
        "jenis_kelamin",
        "miskin",
        "disabilitas",
    ]


def test_a_held_row_chosen_as_a_guest_lists_a_guest(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    for nik in ("9471024506880007", "9471024506880015"):
        f.MemberFactory(group=world.group_a1, full_name="Yohanis Wenda", nik=nik)
    job = upload_attendance(facilitator, activity, [["nama", "jk"], ["Yohanis Wenda", "L"]])
    row = job.rows.get()

    facilitator.post(reverse("imports:resolve", args=[job.pk]), {f"row-{row.pk}": "new"})
    written = confirm(facilitator, job)

    assert written.created == 1
    assert list(activity.attendance.values_list("member", "full_name", "sex")) == [
        (None, "Yohanis Wenda", "M")
    ]


def test_a_name_whose_member_has_another_phone_is_held_for_the_uploader(facilitator, world):
    """A row naming a member but giving another phone than hers may be someone else of that
    name: held to be chosen, never listed as her on its own."""
    activity = f.ActivityFactory(group=world.group_a1)
    member = f.MemberFactory(
        group=world.group_a1, full_name="Baiq Rahmawati Hamdi", phone="+6283684373805"
    )
    job = upload_attendance(
        facilitator,
        activity,
        [["nama", "hp"], ["Baiq Rahmawati Hamdi", "+6283989822313"]],
    )

    page = facilitator.get(job.get_absolute_url())

    assert actions(job) == [(2, "ambiguous")]
    assert f'value="{member.pk}"' in page.text
    assert activity.attendance.count() == 0
