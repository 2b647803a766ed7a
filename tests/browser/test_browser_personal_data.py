"""A member's personal data on a 360 px phone: the privacy page without signing in, the
officer's data page with its downloads and the anonymisation with a reason."""

import pytest

from audit.models import AccessLog, Action
from kk_portal.scoping import Role
from members.models import Member
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_browser_privacy_page_fits_360_pixels_from_sign_in(phone, shot, world):
    page = phone()

    page.goto("/accounts/login/")
    page.click("main >> text=Cara portal ini menangani data pribadi")

    assert page.locator("h1").inner_text() == "Cara KK Portal menangani data pribadi"
    assert _width(page) <= 360
    shot(page, "privacy-360")


def test_browser_officer_reads_and_erases_a_members_data(phone, shot, world):
    f.UserFactory(username="pengurus-a1", role=Role.OFFICER, group=world.group_a1)
    member = f.MemberFactory(group=world.group_a1, full_name="Maria Bere", nik="9471024506880007")
    page = phone()
    sign_in(page, "pengurus-a1")

    page.goto(f"/members/{member.pk}/")
    page.click('main >> a.button:has-text("Data pribadi")')
    assert page.locator("h1").inner_text() == "Data pribadi anggota"
    assert "9471024506880007" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "member-data-360")

    page.fill("textarea[name=reason]", "Anggota meminta datanya dihapus")
    page.check("input[name=confirm]")
    page.click("button.danger")

    page.wait_for_url(f"**/members/{member.pk}/")
    member.refresh_from_db()
    assert member.is_anonymised
    assert AccessLog.objects.get(action=Action.MEMBER_ANONYMISE).reason == (
        "Anggota meminta datanya dihapus"
    )
    assert "Maria Bere" not in page.locator("main").inner_text()
    assert Member.objects.filter(full_name="Maria Bere").count() == 0
    shot(page, "member-anonymised-360")
