"""The header's search box on a 360 px phone: it fits beside the menu without widening the
page, and a plain GET form (no JavaScript needed) leads to the results."""

import pytest

from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_header_search_fits_360_pixels_and_finds(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    f.MemberFactory(group=world.group_a1, full_name="Ma'ruf Letsoin")
    f.AspirationFactory(group=world.group_a1, title="Perbaikan jalan dusun")
    page = phone()
    sign_in(page, "ketua-mawar")

    box = page.locator("form.find input[name=q]").bounding_box()
    button = page.locator("form.find button").bounding_box()
    page.fill("form.find input[name=q]", "Ma\u2019ruf")
    page.press("form.find input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    shot(page, "search-results")

    assert box["x"] >= 0 and button["x"] + button["width"] <= 360
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    assert page.locator("main ul.rows li a").all_inner_texts() == ["Ma'ruf Letsoin"]
