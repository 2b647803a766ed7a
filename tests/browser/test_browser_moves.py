"""Stage moves on a phone: the aspiration's page → the button of its next stage → a short form
for that stage only → saved; the stage picker; a Musrenbang kecamatan move refused without its
forum, then saved with a new forum added on the same form; DPRD staff taking an aspiration
into Pokir."""

import re

import pytest
from playwright.sync_api import expect

from aspirations.models import MusrenbangForum
from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_browser_move_by_next_stage_button(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    aspiration = f.AspirationFactory(group=world.group_a1, title="Sumur bor Dusun Dua")

    page = phone()
    sign_in(page, "ketua-mawar")
    page.goto(aspiration.get_absolute_url())
    shot(page, "moves-01-detail")
    _fits(page)
    page.click(f"a[href='/aspirations/{aspiration.pk}/move/?to=conveyed']")
    expect(page.locator("h1")).to_have_text("Ke “disampaikan”")
    assert page.locator("input[name=to]").input_value() == "conveyed"
    # Only the conveyed step's fields: date, reses meeting, note, document, attachment.
    assert page.locator("form.form .field").count() == 5
    assert page.locator("select[name=reses_meeting]").is_visible()
    assert page.locator("[name=amount]").count() == 0
    page.fill("input[name=occurred_on]", "2025-03-10")
    shot(page, "moves-02-form")
    _fits(page)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/aspirations/{aspiration.pk}/$"))
    shot(page, "moves-03-saved")

    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.CONVEYED


def test_browser_stage_picker_then_budget_form(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    aspiration = f.AspirationFactory(
        group=world.group_a1, stage=Stage.PLANNED, furthest_rank=6, title="Air bersih"
    )

    page = phone()
    sign_in(page, "ketua-mawar")
    page.goto(f"/aspirations/{aspiration.pk}/move/")
    shot(page, "moves-04-picker")
    _fits(page)
    page.get_by_role("link", name="dianggarkan (APBDes/APBD)").click()
    page.fill("input[name=occurred_on]", "2025-03-10")
    page.fill("input[name=amount]", "1.500.000")
    page.fill("input[name=fiscal_year]", "2025")
    page.select_option("select[name=fund_source]", "apbdes")
    shot(page, "moves-05-budget")
    _fits(page)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/aspirations/{aspiration.pk}/$"))

    assert page.get_by_text("Rp 1.500.000").first.is_visible()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.BUDGETED


def test_browser_musrenbang_kecamatan_with_a_new_forum(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    aspiration = f.AspirationFactory(
        group=world.group_a1, stage=Stage.MUSRENBANG_DESA, furthest_rank=3
    )

    page = phone()
    sign_in(page, "ketua-mawar")
    page.goto(aspiration.get_absolute_url())
    page.click(f"a[href='/aspirations/{aspiration.pk}/move/?to=musrenbang_kecamatan']")
    page.fill("input[name=occurred_on]", "2025-03-10")
    page.fill("textarea[name=note]", "Diusulkan lagi oleh kelompok.")
    page.click("form.form button[type=submit]")
    # The click returns before the refused form has loaded: wait for its message.
    expect(
        page.get_by_text(
            "Pindah ke Musrenbang kecamatan memerlukan forum tempat usulan ini dibahas."
        )
    ).to_be_visible()
    shot(page, "moves-06-forum-missing")
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.MUSRENBANG_DESA

    # No kecamatan forum is listed: the new forum's part is open already.
    assert page.locator("details.new-forum").get_attribute("open") is not None
    # Headless Chromium scrolls a focused number box back into view on the next mouse
    # press, so the tap on "Simpan" would miss: the date is typed last.
    page.fill("input[name=forum_fiscal_year]", "2026")
    page.fill("input[name=forum_attendance_female]", "34")
    page.fill("input[name=forum_held_on]", "2025-03-10")
    shot(page, "moves-07-new-forum")
    _fits(page)
    assert page.locator("textarea[name=note]").input_value() == "Diusulkan lagi oleh kelompok."
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/aspirations/{aspiration.pk}/$"))
    shot(page, "moves-08-saved-with-forum")

    forum = MusrenbangForum.objects.get()
    assert (forum.level, forum.subdistrict_id, forum.attendance_female) == (
        "kecamatan",
        world.village_a1.subdistrict_id,
        34,
    )
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.MUSRENBANG_KECAMATAN
    assert aspiration.events.get().musrenbang_forum == forum


def test_browser_dprd_staff_take_an_aspiration_into_pokir(phone, shot, world):
    f.UserFactory(username="staf-andi", role=Role.DPRD, representative=world.representative)
    aspiration = f.AspirationFactory(
        group=world.group_a1, stage=Stage.CONVEYED, furthest_rank=2, title="Posyandu"
    )

    page = phone()
    sign_in(page, "staf-andi")
    page.goto(aspiration.get_absolute_url())
    shot(page, "moves-09-dprd-detail")
    assert page.get_by_role("link", name="Edit").count() == 0
    page.click(f"a[href='/aspirations/{aspiration.pk}/move/?to=pokir']")
    page.fill("input[name=occurred_on]", "2025-03-10")
    shot(page, "moves-10-dprd-pokir")
    _fits(page)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/aspirations/{aspiration.pk}/$"))

    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.POKIR
