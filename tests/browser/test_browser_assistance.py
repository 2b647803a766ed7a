"""An officer opens a confidential case on a 360 px phone, records a referral, and every
case page fits the screen."""

import datetime
import re

import pytest

from assistance.models import AssistanceCase, StepKind
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_officer_opens_violence_case_and_refers_it(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    f.UserFactory(username="sekretaris-mawar", role=Role.OFFICER, group=world.group_a1)
    page = phone()
    sign_in(page, "ketua-mawar")

    page.goto("/assistance/new/")
    shot(page, "case-form")
    page.select_option("select[name=need]", "violence_woman")
    page.fill("input[name=person_name]", "Hj. Nurhayati Daeng Ngai")
    page.check("input[name=person_sex][value=F]")
    page.select_option("select[name=person_age_group]", "30_44")
    page.fill("input[name=person_phone]", "0812-3456-7890")
    page.fill("textarea[name=description]", "Butuh pendampingan ke UPTD PPA.")
    page.check("input[name=consent][value=person]")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/assistance/\d+/$"))
    case = AssistanceCase.objects.get()
    assert page.title() == f"Kasus #{case.pk} · KK Portal"
    assert page.evaluate("document.documentElement.scrollWidth") == 360
    shot(page, "case-detail")

    page.locator("a.button", has_text="Dirujuk").click()
    page.wait_for_url(re.compile(r"/steps/referred/$"))
    page.select_option("select[name=service]", "uptd_ppa")
    page.fill("input[name=contact]", "Ibu Rina, 0813 1111 2222")
    follow_up = today_in(world.group_a1) + datetime.timedelta(days=7)
    page.fill("input[name=follow_up_on]", follow_up.isoformat())
    shot(page, "case-refer")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/assistance/{case.pk}/$"))

    assert list(case.steps.values_list("kind", flat=True)) == [
        StepKind.OPENED,
        StepKind.REFERRED,
    ]
    widths = {}
    for name, url in {
        "case-list": "/assistance/",
        "case-detail-referred": f"/assistance/{case.pk}/",
        "case-handlers": f"/assistance/{case.pk}/handlers/",
        "case-consent": f"/assistance/{case.pk}/consent/",
        "case-print": f"/assistance/{case.pk}/print/",
    }.items():
        assert page.goto(url).status == 200, url
        widths[name] = page.evaluate("document.documentElement.scrollWidth")
        shot(page, name)
    assert set(widths.values()) == {360}
