"""Steps that many browser tests take."""

import base64
import re

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "rahasia-123"
HOME = re.compile(r"^https?://[^/]+/$")


def sign_in(page, username):
    """Sign ``username`` in through the sign-in form (the factories' password), give the
    second factor's code when asked (``second_factor_code``), and wait for the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/($|accounts/code/)"))
    if "/accounts/code/" in page.url:
        page.fill("input[name=code]", second_factor_code(page, username))
        page.click("form.form button[type=submit]")
        page.wait_for_url(HOME)


def second_factor_code(page, username):
    """The six digits an authenticator app would show: from the key the set-up page shows
    as text, or from the user's device when they have one."""
    secret = page.locator("code.secret")
    if secret.count():
        text = secret.inner_text().replace(" ", "")
        key = base64.b32decode(text + "=" * (-len(text) % 8))
        return f"{TOTP(key).token():06d}"
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"
