"""Request middleware of KK Portal."""

import zoneinfo
from urllib.parse import urlencode

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers

from kk_portal.second_factor import OPEN_BEFORE_SECOND_FACTOR, owes_second_factor


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Activate the language the user picked with the ID/EN switch, else Indonesian.

    The browser's Accept-Language is ignored on purpose: DESIGN.md makes Indonesian the
    default and English a choice, and many phones in the programme are set to English. The
    choice lives in Django's language cookie (``settings.LANGUAGE_COOKIE_NAME``), which
    ``set_language`` writes; an unknown code in it falls back to ``settings.LANGUAGE_CODE``.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or settings.LANGUAGE_CODE
        try:
            language = translation.get_supported_language_variant(chosen)
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RegencyTimezoneMiddleware:
    """Activate the signed-in user's working time zone for the request.

    An officer works in their group's regency's zone (WIT in Kota Ambon, WITA elsewhere in
    the programme); others in the default zone, Asia/Makassar (WITA). Pages that show one
    place's times (a reses meeting) activate that place's zone themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class NoStoreForSignedInMiddleware:
    """Send ``Cache-Control: no-store`` (with Django's other never-cache headers) on every
    response to a signed-in user, so that a shared phone's browser or a proxy keeps no copy
    of pages with personal data. Static files never reach this middleware (WhiteNoise
    answers them first) and stay cacheable; pages for visitors who are not signed in (the
    public tracker, the sign-in page) keep their own headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SecondFactorMiddleware:
    """Send a signed-in user who still owes a TOTP code (``kk_portal.second_factor.
    owes_second_factor``) to the code page, or to enrolment when they have no authenticator
    yet, from every page but those of ``OPEN_BEFORE_SECOND_FACTOR``; the page asked for is
    kept as ``next``. Static files never reach it (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and owes_second_factor(user):
            match = resolve_or_none(request.path_info)
            if match is None or match.view_name not in OPEN_BEFORE_SECOND_FACTOR:
                target = reverse("second_factor")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)


def resolve_or_none(path):
    """The ``ResolverMatch`` of ``path``, or ``None`` for a path no URL matches."""
    try:
        return resolve(path)
    except Resolver404:
        return None
