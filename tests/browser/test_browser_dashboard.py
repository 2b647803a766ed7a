"""The dashboard on a 360 px phone: headline figures first, every figure folded under its
title, a wide table shows three columns and never widens the page, money stays on one line."""

from decimal import Decimal

import pytest
from django.utils import timezone

from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_dashboard_reads_on_a_360_pixel_phone(phone, shot, world):
    f.UserFactory(username="program", role=Role.PROGRAMME)
    today = timezone.localdate()
    for stage, rank in ((Stage.RECORDED, 1), (Stage.POKIR, 5), (Stage.BUDGETED, 7)):
        f.AspirationFactory.create_batch(
            3, group=world.group_a1, stage=stage, furthest_rank=rank, raised_on=today
        )
    budgeted = f.AspirationFactory(
        group=world.group_a1, stage=Stage.BUDGETED, furthest_rank=7, raised_on=today
    )
    f.BudgetOutcomeFactory(aspiration=budgeted, amount=Decimal("617666666.66"))
    page = phone()
    sign_in(page, "program")

    page.goto("/dashboard/")
    shot(page, "dashboard-360-folded")
    folded_height = page.evaluate("document.documentElement.scrollHeight")
    headline_top = page.locator(".headline").bounding_box()["y"]
    form_top = page.locator("form.dashboard-filters").bounding_box()["y"]
    opened = page.locator("details.figure[open]").count()
    total = page.locator("details.figure").count()

    # Open every figure, as someone reading all of it would.
    page.evaluate("document.querySelectorAll('details.figure').forEach(d => d.open = true)")
    shot(page, "dashboard-360-open")
    width = page.evaluate("document.documentElement.scrollWidth")
    region = page.locator("#by_region table")
    region_columns = region.locator("thead th:visible").count()
    region_fits = page.evaluate(
        "(() => { const box = document.querySelector('#by_region .table-scroll');"
        " return box.scrollWidth <= box.clientWidth; })()"
    )
    # The lines an amount takes: one when "Rp" stays beside its number.
    money_lines = page.evaluate(
        "(() => { const cell = [...document.querySelectorAll('#money_regency td.num')]"
        ".find(td => td.textContent.includes('Rp')); const range = document.createRange();"
        " range.selectNodeContents(cell);"
        " return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size; })()"
    )
    label_size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('svg.chart .chart-label')).fontSize)"
    )

    assert headline_top < form_top
    assert page.locator(".headline .tile b").all_inner_texts()[:1] == ["10"]
    assert (opened, total > 20) == (1, True)
    assert folded_height < 4000
    assert width == 360
    assert (region_columns, region_fits) == (3, True)
    assert money_lines == 1
    assert label_size >= 12


def test_browser_dashboard_tables_are_not_clipped_at_1280_pixels(chromium, live_server, world):
    f.UserFactory(username="program", role=Role.PROGRAMME)
    f.AspirationFactory.create_batch(3, group=world.group_a1)
    context = chromium.new_context(
        viewport={"width": 1280, "height": 800}, base_url=live_server.url
    )
    page = context.new_page()
    sign_in(page, "program")

    page.goto("/dashboard/")
    page.evaluate("document.querySelectorAll('details.figure').forEach(d => d.open = true)")
    clipped = page.evaluate(
        "[...document.querySelectorAll('.table-scroll')]"
        ".filter(box => box.scrollWidth > box.clientWidth + 1)"
        ".map(box => box.closest('details').id)"
    )
    context.close()

    assert clipped == []
