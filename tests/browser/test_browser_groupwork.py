"""An officer on a phone records her group's work: the group's page with its officers, a
training with the signed attendance (ticked members and a guest), a public role of a
member; every page fits 360 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from kk_portal.scoping import Role
from members.services import officer_term_start
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def _width(page):
    return page.evaluate("document.documentElement.scrollWidth")


def test_browser_officer_records_training_and_attendance(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    chair = f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti Nurhayati", is_poor=True)
    f.MemberFactory(group=world.group_a1, full_name="Abdul Rahman", sex="M")
    officer_term_start(
        world.group_a1, member=chair, position="chair", started_on=datetime.date(2019, 2, 1)
    )
    page = phone("en-US")
    page.goto("/accounts/login/")
    page.click("footer button[value=en]")
    sign_in(page, "ketua-mawar")

    page.goto(f"/groups/{world.group_a1.pk}/")
    assert "Wa Ode Sitti Nurhayati" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "groupwork-01-group")

    page.click("nav.menu a[href='/activities/']")
    page.click("a[href='/activities/new/']")
    page.check("input[name=kind][value=training]")
    page.select_option("select[name=topic]", "village_planning")
    page.fill("input[name=held_on]", "2025-05-20")
    page.fill("input[name=place]", "Balai desa")
    page.fill("input[name=resource_person]", "Pendamping desa")
    assert _width(page) <= 360
    shot(page, "groupwork-02-activity-form")
    page.dblclick("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/activities/\d+/$"))
    assert Activity.objects.count() == 1

    page.check("input[name=members] >> nth=0")
    page.check("input[name=members] >> nth=1")
    page.click("text=Add the ticked members")
    page.wait_for_load_state()
    page.fill("input[name=full_name]", "Ibu Kepala Dusun")
    page.check("input[name=sex][value=F]")
    page.click("form[action$='/attendance/guest/'] button[type=submit]")
    page.wait_for_load_state()
    facts = page.locator("dl.facts").nth(1).inner_text()
    assert re.sub(r"\s+", " ", facts).startswith("Present 3 Women 2 Men 1 Poor 1")
    assert _width(page) <= 360
    shot(page, "groupwork-03-attendance")

    page.goto(f"/members/{chair.pk}/roles/new/")
    page.select_option("select[name=kind]", "candidate_dprd")
    page.fill("input[name=started_on]", "2023-09-01")
    page.click("form.form button[type=submit]")
    # The click returns before the refused form has loaded: wait for its message.
    expect(page.locator("#id_party_error, .errorlist").first).to_be_visible()
    shot(page, "groupwork-04-role-error")
    page.fill("input[name=party]", "PKB")
    page.fill("input[name=election_year]", "2024")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(rf"/members/{chair.pk}/$"))
    assert "candidate for DPRD" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "groupwork-05-member-roles")

    page.goto("/dashboard/#activities_kind")
    assert _width(page) <= 360
    shot(page, "groupwork-06-dashboard")


def test_browser_facilitator_records_a_practice_and_a_group_taking_it_up(phone, shot, world):
    f.UserFactory(username="fasilitator-alfa", role=Role.FACILITATOR, regency=world.regency_a)
    activity = f.ActivityFactory(group=world.group_a1, kind="training")
    f.AttendanceFactory(activity=activity, full_name="Ibu Kepala Dusun", is_poor=True)
    page = phone("en-US")
    page.goto("/accounts/login/")
    page.click("footer button[value=en]")
    sign_in(page, "fasilitator-alfa")

    page.goto("/activities/practices/new/")
    page.select_option("select[name=group]", str(world.group_a1.pk))
    page.fill("input[name=name]", "Pertanian alami")
    page.fill("textarea[name=description]", "Kompos dan pestisida nabati.")
    page.fill("input[name=started_on]", "2020-05-01")
    page.dblclick("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/activities/practices/\d+/$"))

    page.select_option("select[name=group]", str(world.group_a2.pk))
    page.fill("input[name=adopted_on]", "2020-04-30")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "write that day or later" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "groupwork-06-practice-error")
    page.fill("input[name=adopted_on]", "2021-02-01")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert "KK Melati" in page.locator("main ul.rows").inner_text()
    assert _width(page) <= 360
    shot(page, "groupwork-07-practice")

    page.goto("/activities/attendance/?poor=true")
    assert "Ibu Kepala Dusun" in page.locator("main").inner_text()
    assert _width(page) <= 360
    shot(page, "groupwork-08-attendance-list")
