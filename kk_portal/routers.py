"""Reads from a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``), writes to the primary.

With a replica configured (``kk_portal/settings.py`` then adds the ``"replica"`` alias and
``ReplicaRouter``), a request reads from the replica only when all of these hold:

- it is a ``GET`` or ``HEAD`` of one of ``REPLICA_VIEWS`` — dashboards, lists, exports, the
  public tracker: pages that only show rows, never a form that is saved back;
- the client wrote nothing in the last ``DATABASE_REPLICA_LAG_SECONDS`` seconds: every
  ``POST`` (``PUT``, ``PATCH``, ``DELETE``) answers with the cookie ``PRIMARY_COOKIE`` that
  lives that long, so the page a user is sent to after saving shows what was saved;
- nothing has been written earlier in the request, and no transaction is open: a service
  function's checks read what they then write;
- the model is not bookkeeping that is read where it is written (``PRIMARY_APPS``: the
  session, the cache table, sign-in lockouts, second factors, queued tasks).

Everything else — every write, the forms, the worker (``db_worker``), management commands
and the API — uses the primary. ``ReplicaReadsMiddleware`` decides per request and keeps the
choice in a context variable that ``ReplicaRouter`` reads; a CSV export streamed after the
view returned keeps it while it streams. Migrations run on the primary only: the replica
follows them by replication. Without ``DATABASE_REPLICA_URL`` there is one alias, no router,
and the middleware removes itself at start-up (``MiddlewareNotUsed``).
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import FileResponse

#: The alias of the replica in ``settings.DATABASES``.
REPLICA = "replica"
#: The router ``settings.DATABASE_ROUTERS`` names when a replica is configured.
ROUTER = "kk_portal.routers.ReplicaRouter"
#: The cookie that keeps a client's reads on the primary after it wrote (any value).
PRIMARY_COOKIE = "kk_primary"
#: The methods of requests that only read.
SAFE_METHODS = {"GET", "HEAD"}

#: URL names of the views whose ``GET`` reads from the replica: pages that show rows and
#: hold no form saved back (a stale edit form would write old values over new ones), nor
#: state the user just caused (an import's progress).
REPLICA_VIEWS = frozenset(
    {
        "home",
        "dashboard:index",
        "dashboard:export_table",
        "aspirations:list",
        "aspirations:export",
        "aspirations:stuck",
        "aspirations:musrenbang_list",
        "activities:list",
        "activities:export",
        "activities:attendance_export",
        "activities:budget_list",
        "activities:budget_export",
        "activities:practice_list",
        "assistance:list",
        "assistance:export",
        "groups:list",
        "groups:export",
        "members:list",
        "members:export",
        "members:role_list",
        "members:role_export",
        "reses:meeting_list",
        "search:results",
        "audit:access_log",
        "tracker:index",
        "tracker:list",
        "tracker:representative",
        "tracker:agencies",
        "tracker:staff_representative",
        "tracker:staff_pokir_export",
        "tracker:staff_agencies",
    }
)

#: Apps whose rows are always read from the primary, where they were just written: a
#: session, a cached figure or an API rate count, failed sign-ins, a second factor, a task.
PRIMARY_APPS = frozenset(
    {"sessions", "django_cache", "axes", "otp_totp", "otp_static", "django_tasks_db"}
)

#: Where this request's reads go: ``REPLICA`` or the primary (``DEFAULT_DB_ALIAS``).
_reads = ContextVar("kk_portal_reads", default=DEFAULT_DB_ALIAS)


class ReplicaRouter:
    """Reads to ``REPLICA`` when the request allows it (``_reads``), the model is not in
    ``PRIMARY_APPS`` and no transaction is open on the primary; everything else to the
    primary. A write of the portal's own rows sends the rest of the request to the primary."""

    def db_for_read(self, model, **hints):
        if (
            _reads.get() == REPLICA
            and model._meta.app_label not in PRIMARY_APPS
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in PRIMARY_APPS:
            _reads.set(DEFAULT_DB_ALIAS)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        """Rows of both aliases are the same rows: the replica is a copy of the primary."""
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        """Only the primary is migrated; the replica receives the changes by replication."""
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Send the reads of a ``GET`` of ``REPLICA_VIEWS`` to the replica, unless the client
    wrote in the last ``settings.DATABASE_REPLICA_LAG_SECONDS`` seconds; after every other
    method, set ``PRIMARY_COOKIE`` for that long. Put it after the authentication middleware
    (the session and the user are read from the primary before the view runs)."""

    def __init__(self, get_response):
        if REPLICA not in settings.DATABASES or ROUTER not in settings.DATABASE_ROUTERS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        token = _reads.set(DEFAULT_DB_ALIAS)
        try:
            response = self.get_response(request)
            reads = _reads.get()
        finally:
            _reads.reset(token)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PRIMARY_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_LAG_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if reads == REPLICA and response.streaming and not isinstance(response, FileResponse):
            response.streaming_content = _streamed_from_replica(response.streaming_content)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method in SAFE_METHODS
            and request.resolver_match.view_name in REPLICA_VIEWS
            and PRIMARY_COOKIE not in request.COOKIES
        ):
            _reads.set(REPLICA)


def _streamed_from_replica(content):
    """Yield ``content`` (a streamed response's chunks) with reads on the replica: the rows of
    a CSV export are read while the server sends them, after the view has returned."""
    previous = _reads.get()
    _reads.set(REPLICA)
    try:
        yield from content
    finally:
        _reads.set(previous)
