"""Administrators build provincial and national districts from regencies and subdistricts."""

import pytest
from django.urls import reverse

from reses.models import DistrictVillage, Legislature
from tests import factories as f


@pytest.fixture
def provincial_district(world):
    return f.ElectoralDistrictFactory(
        legislature=Legislature.DPRD_PROVINSI,
        name="SULAWESI SELATAN 9",
        regency=None,
        province=world.regency_a.province,
    )


def test_admin_adds_villages_of_regency_and_subdistrict(admin_client_, world, provincial_district):
    other_subdistrict = f.SubdistrictFactory(regency=world.regency_b)
    f.VillageFactory(subdistrict=other_subdistrict, name="Negeri Lain")
    url = reverse("admin:reses_electoraldistrict_add_villages", args=[provincial_district.pk])

    response = admin_client_.post(
        url, {"codes": f"{world.regency_a.code}, {other_subdistrict.code}"}, follow=True
    )

    names = sorted(
        DistrictVillage.objects.filter(district=provincial_district).values_list(
            "village__name", flat=True
        )
    )
    assert names == ["Desa Alfa Dua", "Desa Alfa Satu", "Negeri Lain"]
    assert "3 desa/kelurahan ditambahkan ke SULAWESI SELATAN 9." in response.text


def test_admin_add_villages_twice_keeps_each_once(admin_client_, world, provincial_district):
    url = reverse("admin:reses_electoraldistrict_add_villages", args=[provincial_district.pk])

    admin_client_.post(url, {"codes": world.regency_a.code})
    response = admin_client_.post(url, {"codes": world.village_a1.subdistrict.code}, follow=True)

    assert DistrictVillage.objects.filter(district=provincial_district).count() == 2
    assert "0 desa/kelurahan ditambahkan" in response.text


def test_admin_add_villages_refuses_unknown_and_malformed_codes(
    admin_client_, world, provincial_district
):
    url = reverse("admin:reses_electoraldistrict_add_villages", args=[provincial_district.pk])

    unknown = admin_client_.post(url, {"codes": f"{world.regency_a.code} 99.99"})
    malformed = admin_client_.post(url, {"codes": "Kota Ambon"})

    assert "Tidak ada desa/kelurahan dengan kode ini: 99.99." in unknown.text
    assert (
        "Bukan kode kabupaten/kota, kecamatan atau desa/kelurahan: Kota, Ambon." in malformed.text
    )
    assert not DistrictVillage.objects.filter(district=provincial_district).exists()


def test_admin_action_leads_to_add_villages_form(admin_client_, provincial_district):
    response = admin_client_.post(
        reverse("admin:reses_electoraldistrict_changelist"),
        {"action": "add_villages", "_selected_action": [provincial_district.pk]},
    )

    assert response.status_code == 302
    assert response.url == reverse(
        "admin:reses_electoraldistrict_add_villages", args=[provincial_district.pk]
    )


@pytest.mark.parametrize("persona", ["programme", "dprd", "facilitator"])
def test_admin_add_villages_closed_to_non_admins(request, provincial_district, persona):
    client = request.getfixturevalue(persona)
    url = reverse("admin:reses_electoraldistrict_add_villages", args=[provincial_district.pk])

    response = client.post(url, {"codes": "73"})

    assert response.status_code == 302
    assert "/admin/login/" in response.url
    assert not DistrictVillage.objects.filter(district=provincial_district).exists()
