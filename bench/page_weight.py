"""Page weight of the officers' pages on a first visit (at most 150 KB each).

Run: ``uv run python bench/page_weight.py``. Builds a throw-away test database with one
group holding 50 members and 50 aspirations (one with ten photos), signs in as its officer
(and as a facilitator for their pages), fetches each page through Django's test client with
``Accept-Encoding: gzip`` and adds every asset the page links — stylesheets, scripts, icons,
images and thumbnails — as a browser would on a first visit with an empty cache. Text
assets are counted gzip-compressed (level 6, as web servers send them); JPEG thumbnails as
stored. Prints one row per page in KB (1 KB = 1024 bytes) and exits 1 if a page is over;
last, what the service worker fetches once after an officer signs in to keep the pages for
use without signal (not a page, so outside the budget).
"""

import gzip
import io
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kk_portal.test_settings")

import django  # noqa: E402

django.setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from PIL import Image  # noqa: E402

BUDGET_KB = 150
ASSET = re.compile(r'<(?:link|script|img)\b[^>]*?\b(?:href|src)="([^"]+)"', re.I)


def _photo(n):
    buffer = io.BytesIO()
    # A noisy picture compresses like a real photo, not like a flat colour.
    image = Image.effect_noise((1600, 1200), 60).convert("RGB")
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(f"FOTO_{n}.JPG", buffer.getvalue(), "image/jpeg")


def _populate():
    from aspirations import services
    from aspirations.attachments import attachment_store
    from kk_portal.scoping import Role
    from tests import factories as f

    village = f.VillageFactory(name="Desa Alfa Satu")
    group = f.ConstituentGroupFactory(village=village, name="KK Mawar")
    f.ConstituentGroupFactory(village=f.VillageFactory(subdistrict=village.subdistrict))
    officer = f.UserFactory(username="ketua", role=Role.OFFICER, group=group)
    facilitator = f.UserFactory(
        username="fasilitator", role=Role.FACILITATOR, regency=village.subdistrict.regency
    )
    for n in range(10):
        f.UserFactory(username=f"pengurus{n}", role=Role.OFFICER, group=group)
    members = f.MemberFactory.create_batch(50, group=group, phone="+6281234567890")
    topic = f.TopicFactory()
    aspirations = f.AspirationFactory.create_batch(49, group=group, topic=topic)
    showcase, _ = services.aspiration_create(
        group=group,
        actor=officer,
        village=village,
        title="Sumur bor Dusun Dua dengan sepuluh foto",
        description="Warga mengambil air dua kilometer jauhnya. " * 8,
        topic=topic,
        channel="letter",
        raised_on=aspirations[0].raised_on,
        benefits_women=True,
        benefits_poor=True,
    )
    for n in range(10):
        attachment_store(aspiration=showcase, upload=_photo(n), actor=officer)
    return officer, facilitator, members[0], showcase


def _asset_bytes(client, url):
    """Bytes a first visit transfers for one linked asset."""
    if url.startswith("data:"):
        return 0, "inline"
    static_prefix = "/static/"
    if url.startswith(static_prefix):
        path = finders.find(url[len(static_prefix) :])
        data = Path(path).read_bytes()
        return len(gzip.compress(data, compresslevel=6)), "static"
    response = client.get(url)
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("image/"):
        return len(data), "image"
    return len(gzip.compress(data, compresslevel=6)), "other"


def _kept_for_offline(client):
    """Bytes the service worker fetches once after an officer signs in, beyond the page
    itself: the worker, its precached static files not linked by the page (the icon) and
    every page it keeps (``kk_portal.offline.OFFLINE_PAGES``), gzip-compressed."""
    from django.urls import reverse

    from kk_portal.offline import OFFLINE_PAGES, PRECACHE

    total = len(gzip.compress(client.get("/sw.js").content, compresslevel=6))
    for name in PRECACHE:
        if name.endswith(".png"):
            total += len(Path(finders.find(name)).read_bytes())
    for name in OFFLINE_PAGES:
        response = client.get(reverse(name), headers={"accept-encoding": "gzip"})
        total += len(response.content)
    return total


def _weigh(client, url):
    response = client.get(url, headers={"accept-encoding": "gzip"})
    assert response.status_code == 200, (url, response.status_code)
    html_bytes = len(response.content)
    text = (
        gzip.decompress(response.content).decode()
        if response.get("Content-Encoding")
        else (response.content.decode())
    )
    sizes = {"static": 0, "image": 0, "other": 0, "inline": 0}
    for asset in dict.fromkeys(ASSET.findall(text)):
        size, kind = _asset_bytes(client, asset.replace("&amp;", "&"))
        sizes[kind] += size
    total = html_bytes + sum(sizes.values())
    return html_bytes, sizes["static"], sizes["image"] + sizes["other"], total


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        officer, facilitator, member, showcase = _populate()
        as_officer, as_facilitator, anonymous = Client(), Client(), Client()
        as_officer.force_login(officer)
        as_facilitator.force_login(facilitator)
        pages = [
            ("login", anonymous, "/accounts/login/"),
            ("home (officer)", as_officer, "/"),
            ("members list, 50", as_officer, "/members/"),
            ("member create", as_officer, "/members/new/"),
            ("member detail", as_officer, f"/members/{member.pk}/"),
            ("aspirations list, 50", as_officer, "/aspirations/"),
            ("aspiration create", as_officer, "/aspirations/new/"),
            ("aspiration detail, 10 photos", as_officer, f"/aspirations/{showcase.pk}/"),
            ("home (facilitator)", as_facilitator, "/"),
            ("officer accounts", as_facilitator, "/accounts/officers/"),
        ]
        print(f"{'page':<30}{'HTML':>8}{'CSS+JS':>8}{'images':>8}{'total':>8}  budget")
        over = False
        for name, client, url in pages:
            html, static, images, total = _weigh(client, url)
            ok = total <= BUDGET_KB * 1024
            over |= not ok
            row = [html, static, images, total]
            cells = "".join(f"{value / 1024:>7.1f}K" for value in row)
            print(f"{name:<30}{cells}  {'ok' if ok else 'OVER'} ({BUDGET_KB} KB)")
        kept = _kept_for_offline(as_officer)
        print(f"{'kept for use without signal':<30}{kept / 1024:>31.1f}K  once after signing in")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
