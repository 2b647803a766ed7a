"""Reses forms read like the other forms: capitalised labels without colons, representatives
with district and party, villages with subdistrict and regency."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _english(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    return client


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_reses_list_filter_representative_shows_district_and_party(dprd, world):
    response = dprd.get(reverse("reses:meeting_list"))

    assert "Hj. Andi Rahmawati — ALFA 1 (Partai Contoh)</option>" in response.text


def test_reses_form_labels_capitalised_without_colon(admin_client_, world):
    response = _english(admin_client_).get(reverse("reses:meeting_create"))

    assert ">Reses period</label>" in response.text
    assert ">Village</label>" in response.text
    assert ":</label>" not in response.text


def test_reses_form_representative_and_village_labels(admin_client_, world):
    response = admin_client_.get(reverse("reses:meeting_create"))

    assert "Hj. Andi Rahmawati — ALFA 1 (Partai Contoh)</option>" in response.text
    subdistrict = world.village_a1.subdistrict.name
    assert f"Desa Alfa Satu, Kec. {subdistrict}, Kabupaten Alfa</option>" in response.text


def test_reses_followup_labels_capitalised_without_colon(dprd, world):
    meeting = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    f.AgendaItemFactory(meeting=meeting, aspiration=f.AspirationFactory(group=world.group_a1))

    response = _english(dprd).get(reverse("reses:meeting_followup", args=[meeting.pk]))

    assert ">Women attending</label>" in response.text
    assert ">Poor attending</label>" in response.text
    assert ">Response</label>" in response.text
    assert ">Note</label>" in response.text
    assert ":</label>" not in response.text


def test_reses_form_query_count_constant_with_many_villages(admin_client_, world):
    url = reverse("reses:meeting_create")
    few = _queries(admin_client_, url)
    for _index in range(6):
        district = f.ElectoralDistrictFactory(regency=f.RegencyFactory())
        village = f.VillageFactory(subdistrict=f.SubdistrictFactory(regency=district.regency))
        f.DistrictVillageFactory(district=district, village=village)
        f.RepresentativeFactory(district=district)

    assert _queries(admin_client_, url) == few


def test_reses_list_query_count_constant_with_many_representatives(programme, world):
    url = reverse("reses:meeting_list")
    few = _queries(programme, url)
    f.RepresentativeFactory.create_batch(5, district=f.ElectoralDistrictFactory())

    assert _queries(programme, url) == few
