"""Every main officer page fits a 360 px phone: the page is never wider than the screen
(tables scroll inside their own box, long unbroken titles wrap), and every menu entry is in
sight without scrolling sideways."""

import datetime

import pytest

from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser

#: A title typed without spaces: 118 characters, wider than any phone.
LONG_TITLE = "Pembangunan" + "jalan" * 20 + "desa"


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_browser_officer_pages_fit_360_pixels(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    member = f.MemberFactory(
        group=world.group_a1,
        full_name="Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.",
        nik="7371024506880007",
        phone="+6281234567890",
    )
    long_one = f.AspirationFactory(
        group=world.group_a1,
        title=LONG_TITLE,
        stage=Stage.POKIR,
        stage_changed_on=datetime.date(2025, 1, 5),
    )
    f.AspirationFactory.create_batch(2, group=world.group_a1)
    f.MusrenbangForumFactory(village=world.village_a1)
    meeting = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        organising_group=world.group_a1,
        attendance_female=48,
        attendance_male=22,
        attendance_poor=47,
        attendance_disability=3,
    )
    f.AgendaItemFactory(meeting=meeting, aspiration=long_one)
    page = phone()
    sign_in(page, "ketua-mawar")

    menu = page.locator("nav.menu a")
    assert menu.count() == 11
    for index in range(menu.count()):
        box = menu.nth(index).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, menu.nth(index).inner_text()

    pages = {
        "home": "/",
        "members": "/members/",
        "member-detail": f"/members/{member.pk}/",
        "aspirations": "/aspirations/",
        "aspiration-long-title": f"/aspirations/{long_one.pk}/",
        "stuck": "/aspirations/stuck/",
        "musrenbang": "/aspirations/musrenbang/",
        "reses": "/reses/",
        "reses-detail": f"/reses/{meeting.pk}/",
        "reses-print": f"/reses/{meeting.pk}/print/",
        "dashboard": "/dashboard/",
    }
    widths = {}
    for name, url in pages.items():
        assert page.goto(url).status == 200, url
        widths[name] = _width(page)
        shot(page, f"fit-{name}")
    assert widths == dict.fromkeys(pages, 360)

    # Label above value on a phone; NIK and phone on one line each.
    page.goto(f"/members/{member.pk}/")
    for value in ("7371024506880007", "+6281234567890"):
        box = page.locator("dd", has_text=value).bounding_box()
        assert box["height"] < 30, value


def test_browser_dashboard_chart_labels_inside_the_chart(phone, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    f.AspirationFactory.create_batch(3, group=world.group_a1, stage=Stage.MUSRENBANG_DESA)
    page = phone()
    sign_in(page, "ketua-mawar")

    page.goto("/dashboard/")

    assert page.locator("svg.chart text").count() > 0
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart text')].filter(text => {
            const chart = text.closest('svg').getBoundingClientRect();
            const box = text.getBoundingClientRect();
            return box.left < chart.left - 0.5 || box.right > chart.right + 0.5;
        }).map(text => text.textContent)"""
    )
    assert clipped == []
