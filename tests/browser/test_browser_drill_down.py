"""The dashboard's drill-down on a 360 px phone: a facilitator goes from their regency to a
subdistrict, a village and a group by tapping the region table's names, with a breadcrumb
back, and the page never widens beyond the phone."""

import pytest

from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

FITS = (
    "(() => { const box = document.querySelector('#by_region .table-scroll');"
    " return box.scrollWidth <= box.clientWidth; })()"
)


def _open_region_table(page):
    page.locator("#by_region > summary").click()


def test_browser_facilitator_drills_from_regency_to_a_group(phone, shot, world):
    f.UserFactory(username="fasilitator-a", role=Role.FACILITATOR, regency=world.regency_a)
    f.AspirationFactory.create_batch(3, group=world.group_a1)
    f.AspirationFactory.create_batch(2, group=world.group_a2)
    subdistrict = world.village_a1.subdistrict
    page = phone()
    sign_in(page, "fasilitator-a")

    page.goto(f"/dashboard/?region={world.regency_a.code}")
    _open_region_table(page)
    page.locator("#by_region tbody th a", has_text=subdistrict.name).click()
    page.wait_for_url(f"**/dashboard/?region={subdistrict.code}")
    _open_region_table(page)
    villages = page.locator("#by_region tbody th").all_inner_texts()
    page.locator("#by_region tbody th a", has_text="Desa Alfa Satu").click()
    page.wait_for_url(f"**/dashboard/?region={world.village_a1.code}")
    _open_region_table(page)
    page.locator("#by_region tbody th a", has_text="KK Mawar").click()
    page.wait_for_url(f"**group={world.group_a1.pk}")
    _open_region_table(page)
    shot(page, "drill-down-360-group")
    crumbs = page.locator("nav.breadcrumb li").all_inner_texts()
    group_rows = page.locator("#by_region tbody tr").all_inner_texts()
    funnel_first = page.locator("#funnel tbody tr").first.locator("td").first.inner_text()
    width = page.evaluate("document.documentElement.scrollWidth")
    fits = page.evaluate(FITS)
    # Back up one tap: the village's dashboard again.
    page.locator("nav.breadcrumb a", has_text="Desa Alfa Satu").click()
    page.wait_for_url(f"**/dashboard/?region={world.village_a1.code}")
    back_crumbs = page.locator("nav.breadcrumb li").all_inner_texts()

    assert villages == ["Desa Alfa Dua", "Desa Alfa Satu"]
    assert [crumb.lstrip("›").strip() for crumb in crumbs] == [
        "Kabupaten Alfa",
        subdistrict.name,
        "Desa Alfa Satu",
        "KK Mawar",
    ]
    assert len(group_rows) == 1 and group_rows[0].startswith("KK Mawar")
    assert funnel_first == "3"
    assert (width, fits) == (360, True)
    assert len(back_crumbs) == 3
