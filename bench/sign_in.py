"""Sign a demo user in over HTTP, second factor included, for the benchmark scripts.

    uv run python bench/sign_in.py [BASE_URL] [USER]     # prints "sessionid csrftoken"

Programme staff and administrators must give a TOTP code after the password
(``kk_portal.second_factor``). The first time, this script reads the key the set-up page
shows as text and keeps it in ``bench/out/totp-<user>.txt`` (gitignored), so later runs
can compute the code again; a code already used in its 30-second step is refused by
django-otp, so the script waits for the next step and tries once more. Other users need
only the password (``DEMO_PASSWORD``, default ``kkportal-demo``).
"""

import base64
import html
import http.cookiejar
import os
import re
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django_otp.oath import totp

OUT = Path(__file__).resolve().parent / "out"


def _cookie(jar, name):
    return next((c.value for c in jar if c.name == name), "")


def _post(opener, jar, url, fields):
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": _cookie(jar, "csrftoken"), **fields})
    request = urllib.request.Request(url, data=data.encode(), headers={"Referer": url})
    return opener.open(request)


def _code(secret):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key):06d}"


def sign_in(base, user, password):
    """``(sessionid, csrftoken)`` of ``user`` signed in at ``base`` with the second factor
    passed where it is asked; raises ``RuntimeError`` when the site refuses."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(base + "/accounts/login/")
    answer = _post(opener, jar, base + "/accounts/login/", {"username": user, "password": password})
    if not _cookie(jar, "sessionid"):
        raise RuntimeError(f"Could not sign in as {user} at {base}.")
    keep = OUT / f"totp-{user}.txt"
    for attempt in range(3):
        path = urllib.parse.urlparse(answer.geturl()).path
        if not path.startswith("/accounts/code/"):
            return _cookie(jar, "sessionid"), _cookie(jar, "csrftoken")
        if attempt == 2:
            break
        page = answer.read().decode()
        shown = re.search(r'<code class="secret">([^<]+)</code>', page)
        if shown:
            OUT.mkdir(exist_ok=True)
            keep.write_text(html.unescape(shown.group(1)).replace(" ", ""))
        if not keep.exists():
            raise RuntimeError(f"{user} has an authenticator this script did not set up.")
        if attempt:
            time.sleep(31 - time.time() % 30)
        answer = _post(opener, jar, answer.geturl(), {"code": _code(keep.read_text().strip())})
    raise RuntimeError(f"The code for {user} was refused twice.")


if __name__ == "__main__":
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    user = sys.argv[2] if len(sys.argv) > 2 else "demo-program"
    print(*sign_in(base, user, os.environ.get("DEMO_PASSWORD", "kkportal-demo")))
