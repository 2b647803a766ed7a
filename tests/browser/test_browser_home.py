"""The DPRD staff's home page on a 360 px phone: the next reses with their local time, the
open aspirations by stage and the agenda items waiting for a response, without widening
the page."""

import datetime

import pytest
from django.utils import timezone

from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_dprd_home_reads_on_a_360_pixel_phone(phone, shot, world):
    f.UserFactory(username="staf-dprd", role=Role.DPRD, representative=world.representative)
    now = timezone.now()
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now + datetime.timedelta(days=4),
        venue="Balai Pertemuan Dusun Karang Bedil",
    )
    held = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now - datetime.timedelta(days=4),
    )
    f.AspirationFactory.create_batch(2, group=world.group_a1, stage=Stage.CONVEYED)
    f.AgendaItemFactory(
        meeting=held,
        aspiration=f.AspirationFactory(
            group=world.group_a1, title="Lampu jalan di dusun timur yang gelap"
        ),
    )
    page = phone()
    sign_in(page, "staf-dprd")

    shot(page, "home-dprd-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    meeting = page.locator("#next-reses li").first.inner_text()
    stages = page.locator("#open-stages tbody tr").all_inner_texts()
    waiting = page.locator("#awaiting-response summary").inner_text()

    assert width == 360
    assert meeting.split("\n")[0].endswith(" WITA")
    assert "Balai Pertemuan Dusun Karang Bedil" in meeting
    # Counts of 1 to 4 are small cells: hidden from DPRD staff (dashboards.suppression).
    assert [row.split("\t") for row in stages] == [["tercatat", "<5"], ["disampaikan", "<5"]]
    assert waiting.strip().endswith("1 butir agenda menunggu tanggapan")


def test_browser_programme_home_reads_on_a_360_pixel_phone(phone, shot, world):
    f.UserFactory(username="program", role=Role.PROGRAMME)
    today = timezone.localdate()
    for n in range(3):
        aspiration = f.AspirationFactory(
            group=world.group_a1,
            raised_on=today,
            stage=Stage.CONVEYED,
            furthest_rank=2,
            title=f"Sumur bor untuk dusun {n}",
        )
        f.AspirationEventFactory(
            aspiration=aspiration, kind="move", to_stage=Stage.CONVEYED, occurred_on=today
        )
    page = phone()
    sign_in(page, "program")

    shot(page, "home-programme-360")
    width = page.evaluate("document.documentElement.scrollWidth")
    tiles = page.locator(".headline .tile b").all_inner_texts()
    moved = page.locator("#this-month tbody tr").all_inner_texts()
    newest = page.locator("#this-month .rows li").count()

    assert width == 360
    # Three aspirations are a small count: hidden from programme staff.
    assert tiles == ["<5", "0", "0", "0"]
    assert [row.split("\t") for row in moved] == [["disampaikan", "<5"]]
    assert newest == 3
