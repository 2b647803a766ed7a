"""A stage move on a phone: the aspiration's page → the button of its next stage → the move
form with that stage chosen → saved; a Musrenbang kecamatan move without its forum is
refused beside the field, in Indonesian."""

import re

import pytest

from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_move_by_next_stage_button(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    aspiration = f.AspirationFactory(group=world.group_a1, title="Sumur bor Dusun Dua")

    page = phone()
    sign_in(page, "ketua-mawar")
    page.goto(aspiration.get_absolute_url())
    shot(page, "moves-01-detail")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click(f"a[href='/aspirations/{aspiration.pk}/move/?to=conveyed']")
    assert page.locator("select[name=to]").input_value() == "conveyed"
    page.fill("input[name=occurred_on]", "2025-03-10")
    shot(page, "moves-02-form")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/aspirations/{aspiration.pk}/$"))
    shot(page, "moves-03-saved")

    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.CONVEYED


def test_browser_musrenbang_kecamatan_move_without_forum_refused(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    aspiration = f.AspirationFactory(
        group=world.group_a1, stage=Stage.MUSRENBANG_DESA, furthest_rank=3
    )

    page = phone()
    sign_in(page, "ketua-mawar")
    page.goto(aspiration.get_absolute_url())
    page.click(f"a[href='/aspirations/{aspiration.pk}/move/?to=musrenbang_kecamatan']")
    page.fill("input[name=occurred_on]", "2025-03-10")
    page.click("form.form button[type=submit]")
    shot(page, "moves-04-forum-missing")

    assert page.get_by_text(
        "Pindah ke Musrenbang kecamatan memerlukan forum tempat usulan ini dibahas."
    ).is_visible()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.MUSRENBANG_DESA
