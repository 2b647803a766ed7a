"""Districts, representatives, meetings and agendas: the database refuses what must never be
stored; times are stored in UTC."""

import datetime

import pytest
from django.utils import timezone

from reses.models import DistrictVillage, ElectoralDistrict, Representative, ResesMeeting
from tests import factories as f
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def test_district_name_unique_per_legislature_and_year():
    district = f.ElectoralDistrictFactory(name="BONE 1")

    assert refused(lambda: f.ElectoralDistrictFactory(name="BONE 1", regency=district.regency))


def test_district_seats_refused_when_zero():
    district = f.ElectoralDistrictFactory()

    assert refused(lambda: ElectoralDistrict.objects.filter(pk=district.pk).update(seats=0))


def test_district_of_dprd_kabkota_needs_a_regency():
    district = f.ElectoralDistrictFactory()

    assert refused(lambda: ElectoralDistrict.objects.filter(pk=district.pk).update(regency=None))


def test_district_holds_each_village_once():
    link = f.DistrictVillageFactory()

    assert refused(
        lambda: DistrictVillage.objects.create(district=link.district, village=link.village)
    )


def test_representative_term_must_end_after_it_starts():
    representative = f.RepresentativeFactory()

    assert refused(
        lambda: Representative.objects.filter(pk=representative.pk).update(term_end=2024)
    )


def test_reses_meeting_must_end_after_it_starts():
    meeting = f.ResesMeetingFactory()

    assert refused(
        lambda: ResesMeeting.objects.filter(pk=meeting.pk).update(
            ends_at=meeting.starts_at - datetime.timedelta(minutes=1)
        )
    )


def test_agenda_item_aspiration_once_per_meeting():
    item = f.AgendaItemFactory()

    assert refused(lambda: f.AgendaItemFactory(meeting=item.meeting, aspiration=item.aspiration))


def test_aware_datetime_stored_in_utc():
    meeting = f.ResesMeetingFactory()

    meeting.refresh_from_db()
    assert meeting.starts_at.utcoffset() == datetime.timedelta(0)
    assert timezone.is_aware(meeting.starts_at)


def test_term_years_run_from_1_september_and_cover_the_whole_first_and_last_years():
    term = f.RepresentativeFactory.build(term_start=2024, term_end=2029)

    assert term.term_years == 5
    assert term.term_year_span(1) == (datetime.date(2024, 1, 1), datetime.date(2025, 8, 31))
    assert term.term_year_span(3) == (datetime.date(2026, 9, 1), datetime.date(2027, 8, 31))
    assert term.term_year_span(5) == (datetime.date(2028, 9, 1), datetime.date(2029, 12, 31))
    days = {
        datetime.date(2024, 3, 1): 1,
        datetime.date(2025, 8, 31): 1,
        datetime.date(2025, 9, 1): 2,
        datetime.date(2029, 8, 31): 5,
        datetime.date(2029, 11, 30): 5,
    }
    assert {day: term.term_year_of(day) for day in days} == days
