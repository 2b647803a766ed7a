"""Places and groups: every rule that must never be wrong is a database constraint; each test
writes a bad row straight through the ORM and expects the database to refuse it."""

import pytest

from groups.models import (
    ConstituentGroup,
    Province,
    Regency,
    Subdistrict,
    Village,
    region_by_code,
)
from tests import factories as f
from tests.helpers import refused

pytestmark = pytest.mark.django_db


def test_region_code_unique_at_every_level():
    village = f.VillageFactory()
    subdistrict, regency = village.subdistrict, village.subdistrict.regency

    assert refused(
        lambda: Province.objects.create(code="73", name="Dua", time_zone="Asia/Makassar")
    )
    assert refused(
        lambda: Regency.objects.create(
            code=regency.code,
            name="Lain",
            province=regency.province,
            kind="kota",
            time_zone="Asia/Makassar",
        )
    )
    assert refused(
        lambda: Subdistrict.objects.create(code=subdistrict.code, name="Lain", regency=regency)
    )
    assert refused(
        lambda: Village.objects.create(
            code=village.code, name="Lain", subdistrict=subdistrict, kind="desa"
        )
    )


@pytest.mark.parametrize(
    ("model", "field", "bad"),
    [
        (Province, "code", "7"),
        (Regency, "code", "73.8"),
        (Subdistrict, "code", "73.08.1"),
        (Village, "code", "73.08.1.2001"),
    ],
)
def test_region_code_format_refused_when_malformed(model, field, bad):
    row = {
        Province: f.ProvinceFactory,
        Regency: f.RegencyFactory,
        Subdistrict: f.SubdistrictFactory,
        Village: f.VillageFactory,
    }[model]()

    assert refused(lambda: model.objects.filter(pk=row.pk).update(**{field: bad}))


def test_region_time_zone_refused_when_not_indonesian():
    regency = f.RegencyFactory()

    assert refused(lambda: Province.objects.filter(pk=regency.province_id).update(time_zone="UTC"))
    assert refused(lambda: Regency.objects.filter(pk=regency.pk).update(time_zone="Europe/Berlin"))


def test_regency_kind_refused_when_unknown():
    regency = f.RegencyFactory()

    assert refused(lambda: Regency.objects.filter(pk=regency.pk).update(kind="kotamadya"))


def test_village_kind_refused_when_it_contradicts_the_code():
    desa = f.VillageFactory(code="73.08.01.2001", kind="desa")

    assert refused(lambda: Village.objects.filter(pk=desa.pk).update(kind="kelurahan"))
    assert refused(lambda: Village.objects.filter(pk=desa.pk).update(kind="desa_adat"))
    assert not refused(
        lambda: Village.objects.create(
            code="73.08.01.1001", name="Kelurahan", subdistrict=desa.subdistrict, kind="kelurahan"
        )
    )


def test_group_name_unique_in_village():
    group = f.ConstituentGroupFactory(name="KK Mawar")

    assert refused(
        lambda: ConstituentGroup.objects.create(
            village=group.village, name="KK Mawar", cohort_year=2015
        )
    )


def test_group_cohort_year_refused_when_implausible():
    group = f.ConstituentGroupFactory()

    assert refused(lambda: ConstituentGroup.objects.filter(pk=group.pk).update(cohort_year=1014))


def test_region_by_code_finds_the_region_of_a_code(world):
    assert region_by_code(f" {world.regency_a.code} ") == world.regency_a


@pytest.mark.parametrize("code", ["81\x00", "81.01'--", "<script>", "81..01", "٨١"])
def test_region_by_code_not_a_code_is_no_region_without_a_query(
    world, django_assert_num_queries, code
):
    with django_assert_num_queries(0):
        assert region_by_code(code) is None
