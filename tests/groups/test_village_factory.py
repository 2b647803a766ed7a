"""``tests.factories.VillageFactory``: villages made one after the other sort by code in that
order, whatever the process made before (a pytest-xdist worker runs any share of the suite)."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_villages_sort_by_code_in_the_order_they_were_made_after_998_others():
    f.VillageFactory.reset_sequence(998)
    subdistrict = f.SubdistrictFactory()
    f.VillageFactory(subdistrict=subdistrict, code=f"{subdistrict.code}.2002")

    made = [f.VillageFactory(subdistrict=subdistrict) for _n in range(3)]

    assert sorted(made, key=lambda village: village.code) == made
    assert [village.code[-5:] for village in made] == [".2003", ".2004", ".2005"]
