"""Bulk "taken into Pokir" on a phone: a facilitator ticks two aspirations on the list, gives
one date and document number, and reads how many moved (in Indonesian)."""

import datetime

import pytest

from aspirations.models import Aspiration
from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_facilitator_records_pokir_for_two_ticked_rows(phone, shot, world):
    f.UserFactory(username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a)
    first = f.AspirationFactory(
        group=world.group_a1, title="Sumur bor Dusun Dua", raised_on=datetime.date(2024, 8, 19)
    )
    second = f.AspirationFactory(
        group=world.group_a2,
        title="Lampu jalan Dusun Tiga",
        stage=Stage.CONVEYED,
        furthest_rank=2,
        raised_on=datetime.date(2024, 8, 18),
    )
    f.AspirationFactory(group=world.group_a1, title="Balai warga", stage=Stage.RECORDED)

    page = phone()
    sign_in(page, "fasilitator-alfa")
    page.goto("/aspirations/")
    assert page.locator("label.select-all").is_visible()  # shown by the script
    page.check(f"input[name=aspiration][value='{first.pk}']")
    page.check(f"input[name=aspiration][value='{second.pk}']")
    page.fill("input[name=occurred_on]", "2024-09-02")
    page.fill("input[name=document_reference]", "170/12/DPRD/2024")
    shot(page, "bulk-pokir-01-ticked")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.click("form.bulk-move button[type=submit]")
    page.wait_for_selector(".messages")
    shot(page, "bulk-pokir-02-done")

    assert page.locator(".messages li").inner_text() == "2 aspirasi masuk Pokir."
    assert dict(Aspiration.objects.values_list("title", "stage")) == {
        "Sumur bor Dusun Dua": Stage.POKIR,
        "Lampu jalan Dusun Tiga": Stage.POKIR,
        "Balai warga": Stage.RECORDED,
    }
