"""An officer on a phone: sign in, add a member, log an aspiration with a photo, find it
with a filter; the officer of another group gets 404 for it."""

import re

import pytest
from PIL import Image

from aspirations.models import Aspiration
from kk_portal.scoping import Role
from members.models import Member
from tests import factories as f
from tests.browser.pages import sign_in

pytestmark = pytest.mark.browser


def test_browser_officer_logs_member_and_aspiration(phone, shot, world, tmp_path):
    topic = f.TopicFactory(name="Air bersih dan sanitasi", slug="water")
    f.UserFactory(
        username="ketua-mawar", first_name="Sitti", role=Role.OFFICER, group=world.group_a1
    )
    f.UserFactory(username="ketua-melati", role=Role.OFFICER, group=world.group_a2)
    photo = tmp_path / "sumur.jpg"
    Image.new("RGB", (1200, 900), (30, 110, 160)).save(photo, "JPEG")

    page = phone()
    sign_in(page, "ketua-mawar")
    assert page.locator("h1").inner_text() == "KK Mawar"
    shot(page, "01-home-officer")

    page.click("nav.menu a[href='/members/']")
    page.click("a[href='/members/new/']")
    page.fill("input[name=full_name]", "Ma’ruf Letsoin")
    page.check("input[name=sex][value=M]")
    page.fill("input[name=birth_year]", "1979")
    page.fill("input[name=phone]", "+62 812 3456 7890")
    page.check("input[name=consent]")
    shot(page, "02-member-form")
    # A double tap on "Simpan": the script sends the form once, the token guards the rest.
    page.dblclick("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/members/\d+/$"))
    assert page.locator("h1").inner_text() == "Ma'ruf Letsoin"
    assert Member.objects.get().phone == "+6281234567890"
    shot(page, "03-member-detail")

    page.goto("/aspirations/new/")
    page.fill("input[name=title]", "Sumur bor Dusun Dua")
    page.fill("textarea[name=description]", "Warga mengambil air 2 km jauhnya.")
    page.select_option("select[name=topic]", str(topic.pk))
    page.select_option("select[name=channel]", "letter")
    page.check("input[name=benefits_women]")
    page.check("input[name=benefits_poor]")
    page.set_input_files("input[name=files]", str(photo))
    shot(page, "04-aspiration-form")
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"/aspirations/\d+/$"))
    aspiration = Aspiration.objects.get()
    assert aspiration.attachments.count() == 1
    thumbnail = page.locator(".photos img")
    thumbnail.wait_for()
    # A lazy image may still be loading when the page has loaded: wait for it.
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    shot(page, "05-aspiration-detail")

    page.goto("/aspirations/")
    page.click("details summary")
    page.select_option("select[name=channel]", "letter")
    page.click("details button[type=submit]")
    page.wait_for_url("**/aspirations/?*channel=letter*")
    assert page.locator("ul.rows li a").all_inner_texts() == ["Sumur bor Dusun Dua"]
    shot(page, "06-aspiration-list-filtered")

    other = phone()
    sign_in(other, "ketua-melati")
    response = other.goto(f"/aspirations/{aspiration.pk}/")
    assert response.status == 404
    assert "Sumur bor" not in other.content()
    shot(other, "07-other-officer-404")


def test_browser_form_fits_360_pixels(phone, shot, world):
    f.TopicFactory()
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    page = phone()
    sign_in(page, "ketua-mawar")

    page.goto("/aspirations/new/")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "08-aspiration-form-empty")


def test_browser_facilitator_home_and_officer_accounts(phone, shot, world):
    f.UserFactory(username="fasilitator", role=Role.FACILITATOR, regency=world.regency_a)
    f.UserFactory(
        username="ketua-mawar", first_name="Sitti Aminah", role=Role.OFFICER, group=world.group_a1
    )
    f.MemberFactory.create_batch(3, group=world.group_a1, is_poor=True)
    page = phone()
    sign_in(page, "fasilitator")

    assert "KK Melati" in page.locator("ul.groups").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "09-home-facilitator")

    page.click("nav.menu a[href='/accounts/officers/']")
    assert "ketua-mawar" in page.locator("ul.rows").inner_text()
    shot(page, "10-officer-accounts")


def test_browser_login_error_message(phone, shot, world):
    page = phone()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "tidak-ada")
    page.fill("input[name=password]", "salah")
    page.click("form.form button[type=submit]")

    page.locator(".msg-error").wait_for()
    assert page.locator("input[name=username]").input_value() == "tidak-ada"
    shot(page, "11-login-error")
