"""Request middleware of KK Portal."""

import zoneinfo

from django.utils import timezone


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
