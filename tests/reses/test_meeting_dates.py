"""Reses meeting dates and times: typed and shown in the village's zone, stored in UTC, no drift
on re-saving, within the representative's term, and list and dashboard periods counted on
each meeting's own clock, the last day included."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from dashboards import figures as dashboards
from reses.models import ResesMeeting
from tests import factories as f
from tests.helpers import meeting_form_data, resubmit

UTC = datetime.UTC


WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def ambon(db):
    """Kota Ambon (WIT) with one village in a district and a representative of it."""
    province = f.ProvinceFactory(code="81", name="Maluku", time_zone="Asia/Jayapura")
    regency = f.RegencyFactory(
        province=province, code="81.71", name="Kota Ambon", kind="kota", time_zone="Asia/Jayapura"
    )
    subdistrict = f.SubdistrictFactory(regency=regency, code="81.71.02", name="Sirimau")
    village = f.VillageFactory(subdistrict=subdistrict, code="81.71.02.2003", name="Batu Merah")
    district = f.ElectoralDistrictFactory(regency=regency, name="KOTA AMBON 2", seats=9)
    f.DistrictVillageFactory(district=district, village=village)
    representative = f.RepresentativeFactory(district=district, full_name="Ny. Ambon Dua")
    staff = f.UserFactory(username="staf-ambon", role="dprd", representative=representative)
    return village, representative, staff


WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def beta_district(world):
    """The world's WIT regency (Kota Beta, Maluku) with a district and its representative;
    its village's meetings are shown in WIT, like Kota Ambon's."""
    district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1", seats=9)
    f.DistrictVillageFactory(district=district, village=world.village_b1)
    representative = f.RepresentativeFactory(district=district, full_name="Ny. Beta Satu")
    return world.village_b1, representative


@pytest.fixture
def ambon_meetings(beta_district, world):
    village, representative = beta_district
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


pytestmark = pytest.mark.django_db


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def test_meeting_list_date_filter_includes_whole_last_day(programme, world):
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="Akhir Agustus",
        starts_at=datetime.datetime(2024, 8, 31, 23, 30, tzinfo=WITA),
    )

    response = programme.get(
        reverse("reses:meeting_list"), {"date_from": "2024-08-01", "date_to": "2024-08-31"}
    )

    assert [m.reses_period for m in response.context["page_obj"]] == ["Akhir Agustus"]


@pytest.mark.parametrize("typed", ["17/08/2024", "2024-08-17"])
def test_meeting_create_wita_stores_utc(dprd, world, typed):
    response = dprd.post(
        reverse("reses:meeting_create"), meeting_form_data(world.village_a1, date=typed)
    )

    meeting = ResesMeeting.objects.get()
    assert response.status_code == 302
    assert meeting.starts_at == datetime.datetime(2024, 8, 17, 1, 0, tzinfo=UTC)
    assert meeting.ends_at == datetime.datetime(2024, 8, 17, 3, 30, tzinfo=UTC)
    assert meeting.representative == world.representative
    assert meeting.created_by == dprd.user


def test_meeting_form_labels_zone_of_representatives_regency(ambon):
    from django.test import Client

    _, _, staff = ambon
    client = Client()
    client.force_login(staff)

    response = client.get(reverse("reses:meeting_create"))

    assert "Jam mulai (WIT)" in response.text
    assert "Jam selesai (WIT)" in response.text


def test_meeting_wit_round_trip_without_drift(ambon):
    from django.test import Client

    village, representative, staff = ambon
    client = Client()
    client.force_login(staff)
    client.post(reverse("reses:meeting_create"), meeting_form_data(village, ends_at=""))
    meeting = ResesMeeting.objects.get()
    assert meeting.starts_at == datetime.datetime(2024, 8, 17, 0, 0, tzinfo=UTC)

    detail = client.get(meeting.get_absolute_url())
    edit = client.get(reverse("reses:meeting_update", args=[meeting.pk]))
    assert "17 Agustus 2024 09.00 WIT" in detail.text
    assert re.search(r'name="starts_at" value="09:00"', edit.text)
    assert re.search(r'name="date" value="2024-08-17"', edit.text)
    saved = client.post(reverse("reses:meeting_update", args=[meeting.pk]), resubmit(edit))

    meeting.refresh_from_db()
    assert saved.status_code == 302
    assert meeting.starts_at == datetime.datetime(2024, 8, 17, 0, 0, tzinfo=UTC)


def test_meeting_create_refuses_end_before_start(dprd, world):
    response = dprd.post(
        reverse("reses:meeting_create"),
        meeting_form_data(world.village_a1, starts_at="10:00", ends_at="08:00"),
    )

    assert not ResesMeeting.objects.exists()
    assert response.context["form"].errors["ends_at"] == [
        "Waktu selesai pertemuan harus sesudah waktu mulai."
    ]
    assert 'value="Balai kelurahan"' in response.text


def test_meeting_create_refuses_bad_date(dprd, world):
    response = dprd.post(
        reverse("reses:meeting_create"), meeting_form_data(world.village_a1, date="31/02/2024")
    )

    assert response.status_code == 200
    assert "date" in response.context["form"].errors


def test_meeting_kendari_wita_same_in_form_list_detail_and_pdf(db):
    """17/08/2024 09:00 in Kendari (WITA) is 01:00 UTC, shown as 09.00 WITA."""
    import io

    from django.test import Client
    from pypdf import PdfReader

    province = f.ProvinceFactory(code="74", name="Sulawesi Tenggara", time_zone="Asia/Makassar")
    kendari = f.RegencyFactory(province=province, code="74.71", name="Kota Kendari", kind="kota")
    village = f.VillageFactory(
        subdistrict=f.SubdistrictFactory(regency=kendari, code="74.71.01", name="Mandonga"),
        code="74.71.01.1001",
        name="Mandonga",
        kind="kelurahan",
    )
    district = f.ElectoralDistrictFactory(regency=kendari, name="KOTA KENDARI 1")
    f.DistrictVillageFactory(district=district, village=village)
    representative = f.RepresentativeFactory(district=district)
    client = Client()
    client.force_login(f.UserFactory(role="dprd", representative=representative))

    client.post(reverse("reses:meeting_create"), meeting_form_data(village, ends_at=""))
    meeting = ResesMeeting.objects.get()
    edit = client.get(reverse("reses:meeting_update", args=[meeting.pk]))
    client.post(reverse("reses:meeting_update", args=[meeting.pk]), resubmit(edit))
    meeting.refresh_from_db()
    listing = client.get(reverse("reses:meeting_list"))
    detail = client.get(meeting.get_absolute_url())
    pdf = client.get(reverse("reses:agenda_pdf", args=[meeting.pk]))
    pdf_text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )

    assert meeting.starts_at == datetime.datetime(2024, 8, 17, 1, 0, tzinfo=UTC)
    assert "Jam mulai (WITA)" in edit.text and 'value="09:00"' in edit.text
    for text in (listing.text, detail.text, pdf_text):
        assert "17 Agustus 2024 09.00 WITA" in text


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


@pytest.mark.parametrize("day", ["01/01/1999", "01/01/2030", "31/12/2023"])
def test_meeting_create_refuses_date_outside_term(dprd, world, day):
    response = dprd.post(
        reverse("reses:meeting_create"),
        meeting_form_data(year=2025, village=world.village_a1, date=day),
    )

    assert not ResesMeeting.objects.exists()
    # The message names the term; its Indonesian wording comes with the catalogue.
    assert "2024–2029" in response.context["form"].errors["starts_at"][0]


@pytest.mark.parametrize("day", ["01/01/2024", "31/12/2029"])
def test_meeting_create_accepts_first_and_last_year_of_term(dprd, world, day):
    response = dprd.post(
        reverse("reses:meeting_create"),
        meeting_form_data(year=2025, village=world.village_a1, date=day),
    )

    assert response.status_code == 302
    assert ResesMeeting.objects.count() == 1


def test_reses_list_reversed_range_error_beside_end(programme, world):
    response = programme.get(
        reverse("reses:meeting_list"), {"date_from": "2025-03-31", "date_to": "2025-03-01"}
    )

    assert list(response.context["filter"].form.errors) == ["date_to"]


def test_reses_list_filter_dates_are_date_pickers(dprd):
    response = _english(dprd).get(reverse("reses:meeting_list"))

    assert 'type="date" name="date_from"' in response.text
    assert 'type="date" name="date_to"' in response.text
    assert ">Held from</label>" in response.text
    assert ">Reses period</label>" in response.text
    assert ":</label>" not in response.text
