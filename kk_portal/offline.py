"""The installable web app for officers: the service worker, the web app manifest and the
page saying what the phone keeps.

The script in the browser (``static/js/offline.js``) keeps an aspiration or a member entered
without signal as a draft in IndexedDB and sends it when the connection returns; the service
worker (``templates/sw.js``) keeps the officer's pages and the site's static files for use
without signal. Nothing here reads an app: the pages to keep are named by URL.
"""

import hashlib
import json

from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

# Static files the service worker stores when it is installed (paths under static/).
PRECACHE = ["css/app.css", "js/app.js", "js/offline.js", "icons/icon-192.png"]

# Pages kept for use without signal: the officer's home, the group's recent lists and the
# two forms with their choices. Each is stored when visited and once after signing in;
# pages a user may not see answer 404 and are not stored.
OFFLINE_PAGES = [
    "home",
    "aspirations:list",
    "aspirations:create",
    "members:list",
    "members:create",
    "offline_help",
]


def _static_version():
    """A short hash of the precached static files' contents: a new version of any of them
    makes a new service worker, which replaces the stored copies."""
    digest = hashlib.sha256()
    for name in PRECACHE:
        with open(finders.find(name), "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """``/sw.js``: the service worker, served from the site's root so that its scope covers
    every page (``Service-Worker-Allowed: /``); never cached by the browser's HTTP cache, so
    a new version is found on the next visit."""
    context = {
        "version": _static_version(),
        "static_prefix": static(""),
        "precache": json.dumps([static(name) for name in PRECACHE]),
        "pages": json.dumps([reverse(name) for name in OFFLINE_PAGES]),
        "fallback": json.dumps(reverse("offline_help")),
    }
    response = render(request, "sw.js", context, content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    """``/manifest.webmanifest``: the web app manifest (name in the user's language, start
    page, icons), so that an officer can add the portal to the phone's home screen."""
    data = {
        "name": "KK Portal",
        "short_name": "KK Portal",
        "description": _("Aspirations of constituent groups, also without signal."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#fafaf7",
        "theme_color": "#0b6e4f",
        "icons": [
            {
                "src": static(f"icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
            }
            for size in (192, 512)
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@require_GET
def offline_help(request):
    """What the phone keeps (drafts waiting to send, copies of pages) and what to do when
    the phone is shared; the drafts of the signed-in user are listed by the script."""
    return render(request, "offline.html")
