"""The people listed at a reses meeting (``reses.models.ResesAttendance``,
``reses.services.reses_attendance_add_members`` and ``reses_attendance_add_guest``) and how
the meeting page shows them beside the organisers' typed counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from reses.models import ResesAttendance
from reses.services import (
    reses_attendance_add_guest,
    reses_attendance_add_members,
    reses_attendance_groups,
)
from tests import factories as f
from tests.access import PERSONAS
from tests.reses.access import ACCESS


def test_a_member_is_listed_once_however_often_she_is_added(meeting, world):
    member = f.MemberFactory(group=world.group_a1, sex="F", is_poor=True)

    first = reses_attendance_add_members(meeting, members=[member])
    again = reses_attendance_add_members(meeting, members=[member])

    assert (first, again) == (1, 0)
    assert ResesAttendance.objects.filter(meeting=meeting).counts() == {
        "total": 1,
        "women": 1,
        "men": 0,
        "poor": 1,
        "disability": 0,
    }


def test_the_database_refuses_a_member_twice_at_one_meeting(meeting, world):
    member = f.MemberFactory(group=world.group_a1)
    f.ResesAttendanceFactory(meeting=meeting, member=member, full_name="", sex=member.sex)

    with pytest.raises(IntegrityError), transaction.atomic():
        f.ResesAttendanceFactory(meeting=meeting, member=member, full_name="", sex=member.sex)


def test_members_of_the_organising_group_may_be_listed_but_not_of_another_village(meeting, world):
    guest_group = f.ConstituentGroupFactory(village=world.village_a2)
    meeting.organising_group = guest_group
    meeting.save()
    outsider = f.MemberFactory(group=world.group_b1)

    added = reses_attendance_add_members(meeting, members=[f.MemberFactory(group=guest_group)])

    assert added == 1
    assert reses_attendance_groups(meeting) == {world.group_a1.pk, guest_group.pk}
    with pytest.raises(ValidationError, match="kelompok penyelenggaranya"):
        reses_attendance_add_members(meeting, members=[outsider])


def test_a_guest_is_listed_once_by_her_folded_name(meeting):
    reses_attendance_add_guest(meeting, full_name="Ibu  Kepala Desa", sex="F")

    with pytest.raises(ValidationError, match="sudah ada di daftar hadir"):
        reses_attendance_add_guest(meeting, full_name="ibu kepala desa", sex="F")
    assert list(meeting.attendees.values_list("full_name", flat=True)) == ["Ibu Kepala Desa"]


def test_nobody_is_listed_at_a_meeting_that_has_not_started(meeting, world):
    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.save()

    with pytest.raises(ValidationError, match="belum berlangsung"):
        reses_attendance_add_guest(meeting, full_name="Maria Goreti Bere", sex="F")
    assert meeting.attendees.count() == 0


@pytest.fixture
def listed(meeting, world):
    """Two people listed at ``meeting``: a member of group A1 and a guest; the organisers
    typed 30 women and 12 men."""
    meeting.attendance_female, meeting.attendance_male = 30, 12
    meeting.save()
    member = f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar", sex="F")
    reses_attendance_add_members(meeting, members=[member])
    reses_attendance_add_guest(meeting, full_name="Bapak Camat", sex="M")
    return meeting


#: The personas who see names on the meeting page; the other readers see the counts only.
SEES_NAMES = {"officer", "facilitator", "admin"}


@pytest.mark.parametrize(
    "persona",
    [
        p
        for p in PERSONAS
        if ACCESS["reses:meeting_detail"].statuses("get")[p] == 200 and p != "anonymous"
    ],
)
def test_every_reader_of_the_meeting_sees_the_listed_counts_and_only_some_the_names(
    request, persona, listed
):
    client = request.getfixturevalue("admin_client_" if persona == "admin" else persona)

    page = client.get(listed.get_absolute_url()).text

    assert "Dicatat penyelenggara" in page  # the typed counts stay
    assert "Didaftar dengan nama" in page
    assert '<td class="num">42</td>' in page  # 30 + 12 typed
    assert '<td class="num">2</td>' in page  # two listed
    names = ("Yohana Mambrasar" in page, "Bapak Camat" in page)
    if persona in SEES_NAMES:
        assert names == (True, True)
        assert "anggota · KK Mawar" in page
    else:
        assert names == (False, False)
        assert "hanya melihat jumlahnya" in page


@pytest.mark.parametrize("persona", ["officer_b", "facilitator_b"])
def test_those_who_do_not_see_the_meeting_get_404_and_no_names(request, persona, listed):
    client = request.getfixturevalue(persona)

    response = client.get(listed.get_absolute_url())

    assert response.status_code == 404
    assert "Yohana Mambrasar" not in response.text


def test_a_meeting_without_a_list_shows_only_the_typed_counts(meeting, facilitator):
    meeting.attendance_female = 5
    meeting.save()

    page = facilitator.get(meeting.get_absolute_url()).text

    assert "Dicatat penyelenggara" in page
    assert "Didaftar dengan nama" not in page
