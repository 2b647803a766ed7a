"""The second factor on a 360 px phone: programme staff set up the authenticator app after
the password (the QR code and the key fit the screen), then every sign-in asks for the code;
the lockout page after failed sign-ins says when to retry."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from kk_portal.scoping import Role
from tests import factories as f
from tests.browser.pages import PASSWORD, second_factor_code, sign_in

pytestmark = pytest.mark.browser


def test_browser_programme_staff_set_up_the_app_then_give_the_code(phone, shot, world):
    f.UserFactory(username="program", role=Role.PROGRAMME)
    page = phone()
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "program")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url("**/accounts/code/setup/**")
    shot(page, "second-factor-setup-360")

    qr = page.locator("img.qr").bounding_box()
    width = page.evaluate("document.documentElement.scrollWidth")
    page.fill("input[name=code]", second_factor_code(page, "program"))
    page.click("form.form button[type=submit]")
    page.locator(".messages").wait_for()
    turned_on = page.locator(".messages").inner_text()
    page.context.clear_cookies()
    # A code is taken once; as if the next one had come up in the app 30 seconds later.
    TOTPDevice.objects.filter(user__username="program").update(last_t=-1)
    sign_in(page, "program")

    assert qr["width"] >= 200 and qr["x"] + qr["width"] <= 360
    assert width <= 360
    assert "Faktor kedua aktif" in turned_on
    assert page.locator("nav.menu a", has_text="Dasbor").count() == 1


def test_browser_lockout_page_says_when_to_retry(phone, shot, world):
    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    page = phone()
    for _ in range(5):
        page.goto("/accounts/login/")
        page.fill("input[name=username]", "ketua-mawar")
        page.fill("input[name=password]", "salah-sandi")
        page.click("form.form button[type=submit]")
        page.wait_for_load_state()
    shot(page, "lockout-360")

    assert page.locator("h1").inner_text() == "Masuk dikunci"
    assert "Coba lagi setelah" in page.locator("main").inner_text()
