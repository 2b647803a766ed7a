"""Data-integrity fixes found by a new-user tester: dates kept in the meeting's and the
group's own zone, dates that cannot come before or after the history they belong to, repeated
submissions, filters that behave alike, and duplicate members."""

import datetime
import uuid
import zoneinfo

import pytest
from django.urls import reverse

from kk_portal import dashboards
from reses.models import ResesMeeting
from tests import factories as f

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def ambon(db):
    """Kota Ambon (WIT): a village in a district and a representative of it."""
    province = f.ProvinceFactory(code="81", name="Maluku", time_zone="Asia/Jayapura")
    regency = f.RegencyFactory(
        province=province, code="81.71", name="Kota Ambon", kind="kota", time_zone="Asia/Jayapura"
    )
    subdistrict = f.SubdistrictFactory(regency=regency, code="81.71.02", name="Sirimau")
    village = f.VillageFactory(subdistrict=subdistrict, code="81.71.02.2003", name="Batu Merah")
    district = f.ElectoralDistrictFactory(regency=regency, name="KOTA AMBON 2", seats=9)
    f.DistrictVillageFactory(district=district, village=village)
    representative = f.RepresentativeFactory(district=district, full_name="Ny. Ambon Dua")
    return village, representative


# --- 1. reses dates are the meeting's own local days (handed case K17) --------------------


@pytest.fixture
def ambon_meetings(ambon, world):
    village, representative = ambon
    for label, moment in [
        ("31 Mei pagi", datetime.datetime(2027, 5, 31, 8, 0, tzinfo=WIT)),
        ("31 Mei malam", datetime.datetime(2027, 5, 31, 23, 30, tzinfo=WIT)),
        ("1 Juni dini hari", datetime.datetime(2027, 6, 1, 0, 30, tzinfo=WIT)),
        ("1 Mei dini hari", datetime.datetime(2027, 5, 1, 0, 30, tzinfo=WIT)),
    ]:
        f.ResesMeetingFactory(
            representative=representative, village=village, reses_period=label, starts_at=moment
        )
    # A WITA meeting at 23:30 local on the last day: still in May on its own clock.
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="31 Mei WITA",
        starts_at=datetime.datetime(2027, 5, 31, 23, 30, tzinfo=WITA),
    )


MAY_2027 = {"31 Mei pagi", "31 Mei malam", "1 Mei dini hari", "31 Mei WITA"}


def test_reses_list_date_filter_uses_meetings_own_zone(programme, ambon_meetings):
    response = programme.get(
        reverse("reses:meeting_list"), {"date_from": "2027-05-01", "date_to": "2027-05-31"}
    )

    assert {m.reses_period for m in response.context["page_obj"]} == MAY_2027
    assert "1 Juni dini hari" not in response.text


def test_dashboard_reses_count_uses_meetings_own_zone(programme, ambon_meetings):
    filters = dashboards.Filters(start=datetime.date(2027, 5, 1), end=datetime.date(2027, 5, 31))

    figures = dashboards.reses_attendance(programme.user, filters)

    assert figures["meetings"] == len(MAY_2027)


# --- 6. a reses meeting lies within the representative's term -----------------------------


def _meeting_data(village, **extra):
    data = {
        "reses_period": "Reses I 2025",
        "village": village.pk,
        "date": "17/08/2025",
        "starts_at": "09:00",
        "ends_at": "11:30",
        "venue": "Balai kelurahan",
        "organising_group": "",
        "expected_attendance": "40",
        "notes": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("day", ["01/01/1999", "01/01/2030", "31/12/2023"])
def test_meeting_create_refuses_date_outside_term(dprd, world, day):
    response = dprd.post(reverse("reses:meeting_create"), _meeting_data(world.village_a1, date=day))

    assert not ResesMeeting.objects.exists()
    # The message names the term; its Indonesian wording comes with the catalogue.
    assert "2024–2029" in response.context["form"].errors["starts_at"][0]


@pytest.mark.parametrize("day", ["01/01/2024", "31/12/2029"])
def test_meeting_create_accepts_first_and_last_year_of_term(dprd, world, day):
    response = dprd.post(reverse("reses:meeting_create"), _meeting_data(world.village_a1, date=day))

    assert response.status_code == 302
    assert ResesMeeting.objects.count() == 1
