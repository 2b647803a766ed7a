"""The health endpoint for the load balancer, and the page while the database is down.

``HealthCheckMiddleware`` answers ``GET /healthz`` before any other middleware (no host
check, no HTTPS redirect, no session, no sign-in): ``200 ok`` when the database answers a
query, else ``503`` with a JSON body naming what failed. ``DatabaseUnavailableMiddleware``
and ``server_error`` (the root URLconf's ``handler500``) turn an ``OperationalError`` or
``InterfaceError`` of the database — a restart, a lost connection — into a ``503`` page that
says, in the user's language, to try again in a moment, instead of "something went wrong".
With ``CONN_HEALTH_CHECKS`` (``kk_portal/settings.py``) each worker reconnects by itself
once the database is back.
"""

import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

logger = logging.getLogger(__name__)

#: The path the load balancer asks.
HEALTH_PATH = "/healthz"
#: The errors of a database that cannot be reached (as opposed to a bad query).
UNREACHABLE = (OperationalError, InterfaceError)
#: Seconds after which a client may try again.
RETRY_AFTER = 30


def database_ok():
    """``None`` when the default database answers ``SELECT 1``, else the error's class
    name (a string)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return type(error).__name__
    return None


class HealthCheckMiddleware:
    """Answer ``GET``/``HEAD /healthz``: ``200`` ``ok`` (text) or ``503``
    ``{"status": "error", "database": "<error class>"}``; never cached. Put first in
    ``MIDDLEWARE``, so that no other middleware (sessions, hosts, HTTPS) runs for it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        failure = database_ok()
        if failure is None:
            response = HttpResponse("ok", content_type="text/plain")
        else:
            logger.warning("Health check: the database does not answer (%s).", failure)
            response = JsonResponse({"status": "error", "database": failure}, status=503)
        response["Cache-Control"] = "no-store"
        return response


def database_unavailable_response():
    """The ``503`` page saying the database is out of reach and to try again, with
    ``Retry-After``. Rendered without a request (no session, no user: both need the
    database), in the active language."""
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that fails because the database cannot be reached answers the ``503`` page
    (``database_unavailable_response``) instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, UNREACHABLE):
            logger.warning("Database unreachable on %s: %s", request.path, exception)
            return database_unavailable_response()
        return None


def server_error(request):
    """``handler500``: the ``503`` page when the error being handled is an unreachable
    database (raised outside a view, e.g. while a middleware loads the session), else
    Django's ``500`` page (``templates/500.html``)."""
    if isinstance(sys.exc_info()[1], UNREACHABLE):
        return database_unavailable_response()
    return defaults.server_error(request)
