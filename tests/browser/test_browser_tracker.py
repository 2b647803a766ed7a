"""The public tracker on a 360 px phone, without signing in: the regencies' funnel, the list
of a regency, one aspiration's way and a representative's scorecard, none wider than the
screen."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from aspirations.services import aspiration_move
from aspirations.stages import Stage
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_browser_public_tracker_fits_360_pixels_without_login(phone, shot, world):
    aspiration = f.AspirationFactory(
        group=world.group_a1,
        title="Sumur bor dan pipa air bersih untuk Dusun Satu",
        is_public=True,
        representative=world.representative,
    )
    day = datetime.date(2024, 9, 2)
    for stage in (Stage.POKIR, Stage.PLANNED, Stage.BUDGETED):
        extra = (
            {"amount": Decimal("250000000"), "fiscal_year": 2025, "fund_source": "apbd_kabkota"}
            if stage == Stage.BUDGETED
            else {}
        )
        aspiration_move(aspiration, to=stage, actor=None, occurred_on=day, **extra)
        day += datetime.timedelta(days=40)
    f.AspirationFactory(group=world.group_a2, title="Lampu jalan lorong", is_public=True)
    page = phone()

    page.goto("/publik/")
    assert page.locator("h1").inner_text() == "Apa yang terjadi dengan aspirasi"
    assert _width(page) <= 360
    shot(page, "tracker-index-360")

    page.click("h2 a")
    assert page.locator(".rows li").count() == 2
    assert _width(page) <= 360
    shot(page, "tracker-list-360")

    page.click("text=Sumur bor dan pipa air bersih untuk Dusun Satu")
    assert "Rp 250.000.000" in page.locator("main").inner_text()
    assert page.locator(".timeline li").count() == 3
    assert _width(page) <= 360
    shot(page, "tracker-detail-360")

    page.goto(f"/publik/wakil/{world.representative.pk}/")
    assert page.locator("td.num a").first.inner_text() == "1"
    assert _width(page) <= 360
    shot(page, "tracker-representative-360")


def test_browser_duplicate_guard_asks_before_saving_on_a_phone(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role="officer", group=world.group_a1)
    topic = f.TopicFactory()
    first = f.AspirationFactory(
        group=world.group_a1, title="Perbaikan jalan tani Dusun 2", topic=topic
    )
    page = phone()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ketua-mawar")
    page.fill("input[name=password]", "rahasia-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/")

    page.goto("/aspirations/new/")
    page.fill("input[name=title]", "perbaikan Jalan Tani di dusun 2")
    page.select_option("select[name=topic]", str(topic.pk))
    page.select_option("select[name=channel]", "message")
    page.click("form.form button[type=submit]")
    # The form is sent by the script (static/js/offline.js): the question comes without a
    # new page.
    page.locator("input[name=same_need]").first.wait_for()

    assert "Kebutuhan yang sama dengan" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "tracker-duplicate-guard-360")
    page.check(f"input[name=same_need][value='{first.pk}']")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/aspirations/\d+/$"))
    assert "Perbaikan jalan tani Dusun 2" in page.locator("main").inner_text()


def test_browser_a_duplicate_noticed_later_is_linked_and_unlinked_on_a_phone(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role="officer", group=world.group_a1)
    topic = f.TopicFactory()
    first = f.AspirationFactory(
        group=world.group_a1, title="Perbaikan jalan tani Dusun 2", topic=topic
    )
    later = f.AspirationFactory(
        group=world.group_a1, title="perbaikan Jalan Tani di dusun 2", topic=topic
    )
    page = phone()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "ketua-mawar")
    page.fill("input[name=password]", "rahasia-123")
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/")

    page.goto(f"/aspirations/{later.pk}/")
    assert "Mungkin kebutuhan yang sama" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "tracker-same-need-360")
    page.check(f"input[name=same_as][value='{first.pk}']")
    page.click("form.same-need button[type=submit]")
    page.wait_for_url(f"**/aspirations/{later.pk}/")
    assert "dihitung sekali" in page.locator("main").inner_text()

    page.on("dialog", lambda dialog: dialog.accept())
    page.click("text=Bukan kebutuhan yang sama: hitung sendiri")
    page.wait_for_selector("text=Dihitung sendiri lagi.")
    assert _width(page) <= 360
    shot(page, "tracker-unlinked-360")


def test_browser_staff_scorecard_links_meetings_by_term_year_on_a_phone(phone, shot, world):
    f.UserFactory(username="program-staf", role="programme")
    for starts_at in (
        datetime.datetime(2024, 10, 1, 2, 0, tzinfo=datetime.UTC),
        datetime.datetime(2025, 10, 1, 2, 0, tzinfo=datetime.UTC),
    ):
        f.ResesMeetingFactory(
            representative=world.representative, village=world.village_a1, starts_at=starts_at
        )
    page = phone()
    sign_in(page, "program-staf")

    page.goto(reverse("tracker:staff_representative", args=[world.representative.pk]))
    text = page.locator("main").inner_text()
    assert "Tahun ke-2 masa jabatan (2025–2026)" in text
    assert _width(page) <= 360
    shot(page, "tracker-staff-scorecard-360")
    page.click("a[href*='date_from=2025-09-01']")
    page.wait_for_url("**date_from=2025-09-01**")
    assert page.locator("main").inner_text().count("Balai desa") == 1
