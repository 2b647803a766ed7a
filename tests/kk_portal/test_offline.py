"""The installable web app: the service worker at the site's root, the manifest, and the page
saying what the phone keeps."""

import gzip
import json

from django.contrib.staticfiles import finders
from django.urls import reverse

from kk_portal.offline import OFFLINE_PAGES


def test_service_worker_is_served_from_the_root_for_every_page(anonymous):
    response = anonymous.get("/sw.js")

    assert response["Content-Type"] == "text/javascript"
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    assert 'var PAGES = ["/", "/aspirations/", "/aspirations/new/", "/members/", ' in (
        response.text
    )
    assert len(OFFLINE_PAGES) == 6


def test_service_worker_keeps_its_own_policy_without_inline_scripts(officer):
    response = officer.get(reverse("home"))

    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert '<script src="/static/js/offline.js" defer></script>' in response.text


def test_manifest_names_the_app_and_its_icons(anonymous):
    response = anonymous.get("/manifest.webmanifest")

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert (data["name"], data["start_url"], data["display"]) == ("KK Portal", "/", "standalone")
    assert [icon["sizes"] for icon in data["icons"]] == ["192x192", "512x512"]
    assert all(finders.find(icon["src"].removeprefix("/static/")) for icon in data["icons"])


def test_offline_page_says_what_the_phone_keeps_in_indonesian(officer):
    response = officer.get(reverse("offline_help"))

    assert "Yang disimpan ponsel ini" in response.text
    assert "Bila ponsel dipakai bersama" in response.text
    assert 'id="drafts"' in response.text


def test_offline_page_in_english(officer, english):
    response = officer.get(reverse("offline_help"))

    assert "What this phone keeps" in response.text
    assert "When the phone is shared" in response.text


def test_scripts_stay_under_30_kb_compressed(anonymous):
    names = ["js/app.js", "js/offline.js"]
    scripts = [open(finders.find(name), "rb").read() for name in names]
    scripts.append(anonymous.get("/sw.js").content)

    assert sum(len(gzip.compress(script, 6)) for script in scripts) < 30 * 1024


def test_use_without_signal_is_offered_only_to_users_who_log_entries(
    anonymous, officer, facilitator, programme, dprd, english
):
    link = f'<a href="{reverse("offline_help")}">Use without signal</a>'

    shown = {
        name: link in client.get(reverse("tracker:index")).text
        for name, client in [
            ("anonymous", anonymous),
            ("officer", officer),
            ("facilitator", facilitator),
            ("programme", programme),
            ("dprd", dprd),
        ]
    }

    assert shown == {
        "anonymous": False,
        "officer": True,
        "facilitator": True,
        "programme": False,
        "dprd": False,
    }
