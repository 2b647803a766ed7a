"""Reads from the replica, writes and reads-after-write on the primary (``kk_portal/routers.py``).

The test settings make ``"replica"`` the test mirror of ``"default"``: another connection to
the same test database, so each test commits its rows (``transaction=True``) and counts the
queries each connection ran. Here the router and its middleware are switched on as
``DATABASE_REPLICA_URL`` switches them on in production.
"""

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, get_resolver, reverse

from kk_portal import routers
from kk_portal.models import User
from tests import factories as f
from tests.conftest import PERSONA_USERS, build_world, client_for

#: Rows committed, so that the replica's connection sees them.
on_both = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@pytest.fixture
def routed(settings):
    """The router on, as ``kk_portal/settings.py`` configures it with a replica."""
    settings.DATABASE_ROUTERS = [routers.ROUTER]
    settings.DATABASE_REPLICA_LAG_SECONDS = 10


@pytest.fixture
def people(routed):
    """The world of ``tests/conftest.py`` with one aspiration, and a signed-in facilitator
    and officer of regency A (clients made after the router is on)."""
    world = build_world()
    f.AspirationFactory(group=world.group_a1, title="Sumur bor dusun tiga")
    return (
        client_for(PERSONA_USERS["facilitator"](world)),
        client_for(PERSONA_USERS["officer"](world)),
    )


class Queries:
    """The SQL each alias ran inside the block: ``.on("replica")`` is a list of strings."""

    def __enter__(self):
        self._captured = {alias: CaptureQueriesContext(connections[alias]) for alias in connections}
        for captured in self._captured.values():
            captured.__enter__()
        return self

    def __exit__(self, *exc):
        for captured in self._captured.values():
            captured.__exit__(*exc)

    def on(self, alias):
        return [query["sql"] for query in self._captured[alias].captured_queries]


def _touches(sqls, table):
    return [sql for sql in sqls if f'"{table}"' in sql]


@on_both
def test_a_dashboard_reads_its_figures_from_the_replica(people):
    facilitator, _officer = people

    with Queries() as queries:
        response = facilitator.get(reverse("dashboard:index"))

    assert response.status_code == 200
    assert _touches(queries.on("replica"), "aspirations_aspiration")
    assert not _touches(queries.on("default"), "aspirations_aspiration")
    # The session and the signed-in user come from the primary, where sign-in wrote them.
    assert _touches(queries.on("default"), "django_session")
    assert not _touches(queries.on("replica"), "django_session")


@on_both
def test_a_list_and_its_csv_export_read_from_the_replica_while_streaming(people):
    facilitator, _officer = people

    with Queries() as queries:
        listed = facilitator.get(reverse("aspirations:list"))
        exported = facilitator.get(reverse("aspirations:export"), {"format": "csv"})
        content = b"".join(exported.streaming_content).decode("utf-8-sig")

    assert "Sumur bor dusun tiga" in listed.text
    assert "Sumur bor dusun tiga" in content
    replica = _touches(queries.on("replica"), "aspirations_aspiration")
    assert len(replica) >= 2
    assert not _touches(queries.on("default"), "aspirations_aspiration")


@on_both
def test_a_post_writes_to_the_primary_and_the_same_client_then_reads_the_primary(people):
    facilitator, officer = people
    preferences = reverse("notifications:preferences")
    form = {"channel": "off", "language": "en", "email": "", "phone": ""}

    with Queries() as writing:
        saved = officer.post(preferences, form)
    with Queries() as after:
        officer.get(reverse("dashboard:index"))
        officer.get(reverse("aspirations:list"))
    with Queries() as other:
        facilitator.get(reverse("aspirations:list"))

    assert saved.status_code == 302
    assert [sql for sql in writing.on("default") if sql.startswith(("INSERT", "UPDATE"))]
    assert writing.on("replica") == []
    assert saved.cookies[routers.PRIMARY_COOKIE]["max-age"] == 10
    assert saved.cookies[routers.PRIMARY_COOKIE]["httponly"]
    # The officer who just saved reads from the primary; the facilitator still the replica.
    assert after.on("replica") == []
    assert _touches(after.on("default"), "aspirations_aspiration")
    assert _touches(other.on("replica"), "aspirations_aspiration")


@on_both
def test_a_form_page_reads_from_the_primary(people):
    facilitator, _officer = people

    with Queries() as queries:
        response = facilitator.get(reverse("aspirations:create"))

    assert response.status_code == 200
    assert queries.on("replica") == []


@on_both
def test_no_request_no_replica_a_transaction_and_bookkeeping_stay_on_the_primary(people):
    assert router.db_for_read(User) == "default"
    token = routers._reads.set(routers.REPLICA)
    try:
        assert router.db_for_read(User) == "replica"
        with transaction.atomic():
            assert router.db_for_read(User) == "default"
        assert router.db_for_read(Session) == "default"
        assert router.db_for_write(User) == "default"
        # A write of the portal's rows sends the rest of the request to the primary.
        assert router.db_for_read(User) == "default"
    finally:
        routers._reads.reset(token)


def test_migrations_run_on_the_primary_only(routed):
    assert router.allow_migrate("default", "aspirations")
    assert not router.allow_migrate("replica", "aspirations")
    assert not router.allow_migrate("replica", "sessions")


@pytest.mark.django_db
def test_without_a_replica_the_middleware_stands_aside(settings):
    settings.DATABASE_ROUTERS = []
    client = Client()

    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert routers.PRIMARY_COOKIE not in client.post(reverse("login"), {}).cookies


def _url_names(patterns, namespace=""):
    """Every ``namespace:name`` of the URLconf's ``patterns``."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            if pattern.name:
                yield namespace + pattern.name
        else:
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)


def test_every_replica_view_is_a_url_name():
    """A renamed view would silently move back to the primary."""
    assert routers.REPLICA_VIEWS - set(_url_names(get_resolver().url_patterns)) == set()
