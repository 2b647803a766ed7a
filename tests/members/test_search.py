"""``Member.objects.search``: names folded (case, accents, apostrophes), villages, phones."""

import pytest

from members.models import Member
from tests import factories as f


def _names(text):
    return [m.full_name for m in Member.objects.search(text)]


@pytest.mark.parametrize("text", ["Ma'ruf", "Ma\u2019ruf", "maruf", "MARUF letsoin"])
def test_search_apostrophes_and_case_find_same_person(world, text):
    f.MemberFactory(group=world.group_a1, full_name="Ma'ruf Letsoin")
    f.MemberFactory(group=world.group_a1, full_name="Maria Goreti")

    assert _names(text) == ["Ma'ruf Letsoin"]


@pytest.mark.parametrize("text", ["+6281234567890", "6281234567890", "081234567890"])
def test_search_three_phone_forms_find_same_member(world, text):
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar", phone="+6281234567890")
    f.MemberFactory(group=world.group_a1, full_name="Orang Lain", phone="+6281399998888")

    assert _names(text) == ["Yohana Mambrasar"]


def test_search_name_and_village_words_together(world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar")
    f.MemberFactory(group=world.group_a2, full_name="Yohana Wenda")

    assert (_names("yohana dua"), _names("Negeri")) == (["Yohana Wenda"], [])
