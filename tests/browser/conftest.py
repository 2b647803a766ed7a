"""Playwright (sync API) on Debian's Chromium at a 360 × 740 phone viewport.

The browser talks to pytest-django's ``live_server``; its rows must be committed, so these
tests use ``transactional_db``. Screenshots go to ``test-artifacts/`` (gitignored).
"""

import os
from pathlib import Path

import pytest

from tests import system

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the session; without Debian's Chromium the browser tests
    are skipped, saying how to install it (``tests.system``)."""
    if "chromium" in system.missing_parts():
        pytest.skip(system.message("chromium"))
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=system.chromium(), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium, live_server, transactional_db):
    """A function ``open_phone()`` giving a fresh 360 × 740 page (own cookies) on the live
    server; pages are closed after the test. The service worker is blocked unless a test
    asks for it (``open_phone(service_workers="allow")``): the pages it fetches in the
    background after signing in would reach the live server while the test's rows are
    flushed."""
    contexts = []

    def open_phone(locale="id-ID", service_workers="block"):
        context = chromium.new_context(
            viewport={"width": 360, "height": 740},
            device_scale_factor=1,
            locale=locale,
            base_url=live_server.url,
            service_workers=service_workers,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield open_phone
    for context in contexts:
        context.close()


@pytest.fixture
def shot():
    """``shot(page, name)`` writes a full-page screenshot to ``test-artifacts/name.png``."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    return take
