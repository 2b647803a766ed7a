"""Reses meetings: who sees and manages them, the list's filters, bad input."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reses.models import ResesMeeting
from tests import factories as f
from tests.helpers import meeting_form_data

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


def test_meeting_detail_shows_venue_and_local_time_to_programme_staff(programme, meeting):
    response = programme.get(meeting.get_absolute_url())

    assert "Balai Desa Alfa Satu" in response.text
    assert "10 Maret 2025 09.00 WITA" in response.text


def test_meeting_detail_officer_b_sees_meeting_organised_with_group(officer_b, meeting, world):
    meeting.organising_group = world.group_a2
    meeting.save()

    response = officer_b.get(meeting.get_absolute_url())

    assert response.status_code == 200
    assert "KK Melati" in response.text


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer", ["Reses II 2025"]),
        ("officer_b", []),
        ("facilitator", ["Reses II 2025"]),
        ("facilitator_b", ["Reses B"]),
        ("programme", ["Reses B", "Reses II 2025"]),
        ("dprd", ["Reses II 2025"]),
    ],
)
def test_meeting_list_shows_each_role_its_meetings(request, meeting, world, persona, expected):
    other_district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1")
    f.DistrictVillageFactory(district=other_district, village=world.village_b1)
    f.ResesMeetingFactory(
        representative=f.RepresentativeFactory(district=other_district),
        village=world.village_b1,
        reses_period="Reses B",
        starts_at=datetime.datetime(2025, 4, 1, 9, 0, tzinfo=WIT),
    )
    client = request.getfixturevalue(persona)

    response = client.get(reverse("reses:meeting_list"))

    shown = sorted(m.reses_period for m in response.context["page_obj"])
    assert shown == sorted(expected)


def test_meeting_list_shows_zone_label_per_regency(programme, world, meeting):
    district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1")
    f.DistrictVillageFactory(district=district, village=world.village_b1)
    f.ResesMeetingFactory(
        representative=f.RepresentativeFactory(district=district),
        village=world.village_b1,
        starts_at=datetime.datetime(2025, 4, 1, 9, 0, tzinfo=WIT),
    )

    response = programme.get(reverse("reses:meeting_list"))

    assert "1 April 2025 09.00 WIT" in response.text
    assert "10 Maret 2025 09.00 WITA" in response.text


def test_meeting_list_query_count_constant(programme, world, django_assert_num_queries):
    def make(n):
        for day in range(n):
            f.ResesMeetingFactory(
                representative=world.representative,
                village=world.village_a1,
                organising_group=world.group_a1,
                starts_at=datetime.datetime(2025, 3, 1 + day, 9, 0, tzinfo=WITA),
            )

    url = reverse("reses:meeting_list")
    make(1)
    programme.get(url)
    with CaptureQueriesContext(connection) as one:
        programme.get(url)
    make(14)

    with django_assert_num_queries(len(one.captured_queries)):
        response = programme.get(url)
    assert len(response.context["page_obj"]) == 15


def test_meeting_list_pagination_keeps_filter(programme, world):
    for day in range(25):
        f.ResesMeetingFactory(
            representative=world.representative,
            village=world.village_a1,
            reses_period="Reses I 2025",
            starts_at=datetime.datetime(2025, 3, 1, 8, day, tzinfo=WITA),
        )
    f.ResesMeetingFactory(
        representative=world.representative, village=world.village_a1, reses_period="Lain"
    )

    first = programme.get(reverse("reses:meeting_list"), {"reses_period": "Reses I"})
    assert "reses_period=Reses+I" in first.text and "page=2" in first.text
    second = programme.get(reverse("reses:meeting_list"), {"reses_period": "Reses I", "page": 2})
    stale = programme.get(reverse("reses:meeting_list"), {"reses_period": "Lain", "page": 3})

    assert len(second.context["page_obj"]) == 5
    assert {m.reses_period for m in second.context["page_obj"]} == {"Reses I 2025"}
    assert [m.reses_period for m in stale.context["page_obj"]] == ["Lain"]


def test_meeting_create_facilitator_in_own_regency(facilitator, world):
    response = facilitator.post(
        reverse("reses:meeting_create"),
        meeting_form_data(world.village_a1, representative=world.representative.pk),
    )

    assert response.status_code == 302
    assert ResesMeeting.objects.get().village == world.village_a1


def test_meeting_create_facilitator_b_cannot_use_other_regency(facilitator_b, world):
    response = facilitator_b.post(
        reverse("reses:meeting_create"),
        meeting_form_data(world.village_a1, representative=world.representative.pk),
    )

    assert response.status_code == 200
    assert not ResesMeeting.objects.exists()
    assert "village" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["officer", "programme"])
def test_meeting_create_refused_for_readers(request, world, persona):
    client = request.getfixturevalue(persona)

    response = client.post(reverse("reses:meeting_create"), meeting_form_data(world.village_a1))

    assert response.status_code == 403
    assert not ResesMeeting.objects.exists()


def test_meeting_create_refuses_village_outside_district_for_facilitator(facilitator, world):
    response = facilitator.post(
        reverse("reses:meeting_create"),
        meeting_form_data(world.village_a2, representative=world.representative.pk),
    )

    assert not ResesMeeting.objects.exists()
    assert response.context["form"].errors["village"] == [
        "Desa Alfa Dua tidak termasuk ALFA 1, daerah pemilihan Hj. Andi Rahmawati."
    ]


def test_meeting_create_refuses_tampered_village_for_dprd(dprd, world):
    response = dprd.post(reverse("reses:meeting_create"), meeting_form_data(world.village_b1))

    assert not ResesMeeting.objects.exists()
    assert response.context["form"].errors["village"] == [
        "Pilih desa/kelurahan di daerah pemilihan (dapil) anggota DPRD ini."
    ]


def test_meeting_update_dprd_of_other_representative_gets_404(meeting, world):
    from django.test import Client

    other = f.RepresentativeFactory(district=world.district)
    client = Client()
    client.force_login(f.UserFactory(role="dprd", representative=other))

    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("reses:meeting_update", args=[meeting.pk])).status_code == 404


def test_meeting_create_twice_with_same_token_makes_one(dprd, world):
    data = meeting_form_data(world.village_a1)

    first = dprd.post(reverse("reses:meeting_create"), data)
    second = dprd.post(reverse("reses:meeting_create"), data)

    meeting = ResesMeeting.objects.get()
    assert first.url == second.url == meeting.get_absolute_url()


@pytest.mark.parametrize(
    "query",
    [
        {"representative": "99999"},
        {"regency": "abc"},
        {"date_from": "abc"},
        {"date_from": "2025-03-31", "date_to": "2025-03-01"},
    ],
)
def test_reses_list_invalid_filter_shows_message_and_no_rows(programme, world, query):
    f.ResesMeetingFactory(
        representative=world.representative, village=world.village_a1, reses_period="Ada"
    )

    response = programme.get(reverse("reses:meeting_list"), query)

    assert list(response.context["page_obj"]) == []
    form = response.context["filter"].form
    assert form.errors
    for messages in form.errors.values():
        assert messages[0] in response.text


def test_reses_list_without_filters_lists_meetings(programme, world):
    f.ResesMeetingFactory(
        representative=world.representative, village=world.village_a1, reses_period="Ada"
    )

    response = programme.get(reverse("reses:meeting_list"))

    assert [m.reses_period for m in response.context["page_obj"]] == ["Ada"]
    assert not response.context["filter"].form.errors
