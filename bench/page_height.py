"""Height in CSS pixels of pages at a 360 × 740 phone viewport, on a running demo server.

Run: ``uv run python bench/page_height.py [BASE_URL] [USER]`` (defaults
``http://127.0.0.1:8000`` and ``demo-program``, password ``kkportal-demo`` or
``$DEMO_PASSWORD``) against ``bin/demo``. Signs in (``bench/sign_in.py``, with the TOTP code
where the role needs one), then with Debian's Chromium (Playwright) opens
the dashboard and the lists and prints, per page, the document's scroll height and whether
anything is wider than the viewport (a sideways scroll of the whole page). Writes full-page
screenshots to ``test-artifacts/height-<page>.png``.
"""

import os
import sys
import urllib.parse
from pathlib import Path

from playwright.sync_api import sync_playwright
from sign_in import sign_in

PAGES = {
    "dashboard": "/dashboard/",
    "aspirations": "/aspirations/",
    "groups": "/groups/",
    "meetings": "/reses/",
}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def main():
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    user = sys.argv[2] if len(sys.argv) > 2 else "demo-program"
    password = os.environ.get("DEMO_PASSWORD", "kkportal-demo")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 360, "height": 740}, locale="id-ID")
        # The password and, for programme staff and administrators, the TOTP code.
        session, _csrf = sign_in(base, user, password)
        host = urllib.parse.urlparse(base).hostname
        page.context.add_cookies(
            [{"name": "sessionid", "value": session, "domain": host, "path": "/"}]
        )
        for name, path in PAGES.items():
            page.goto(base + path)
            height, width = page.evaluate(
                "[document.documentElement.scrollHeight, document.documentElement.scrollWidth]"
            )
            page.screenshot(path=str(ARTIFACTS / f"height-{name}.png"), full_page=True)
            print(f"{name:12} {path:14} height {height:6} px  width {width} px")
        browser.close()


if __name__ == "__main__":
    main()
