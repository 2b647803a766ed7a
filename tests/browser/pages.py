"""Steps that many browser tests take."""

import re

PASSWORD = "rahasia-123"


def sign_in(page, username):
    """Sign ``username`` in through the sign-in form (the factories' password) and wait for
    the home page."""
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.form button[type=submit]")
    page.wait_for_url(re.compile(r"^https?://[^/]+/$"))
