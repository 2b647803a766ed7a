"""Personas: one user per role, each with rows nearby that must not leak to the others.

``world`` builds two regencies; in regency A two groups (A1, A2) in two villages, in
regency B one group (B1). A representative's district covers village A1 only. Each persona
fixture returns a logged-in ``Client``; ``world`` holds the rows. ``build_world`` and
``PERSONA_USERS`` make the same for module-wide fixtures (``tests/test_access.py``).
"""

import sys
from types import ModuleType, SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from django_otp import DEVICE_ID_SESSION_KEY

from kk_portal.scoping import Role
from tests import factories as f
from tests import system

#: The machine's missing parts (``tests.system``), found once per run.
MISSING = system.missing_parts()


def pytest_configure(config):
    """With ``CI`` set, a missing part stops the run before any test (exit status 4)."""
    if MISSING and system.in_ci():
        lines = "\n".join(system.message(key) for key in MISSING)
        raise pytest.UsageError(f"CI is set and this machine lacks what the suite needs:\n{lines}")


#: The modules whose tests take longest (seconds each, where most take a few hundredths),
#: run first: pytest-xdist hands tests out in this order, so the run ends on short tests and
#: no worker is left alone with a long one while the other core idles.
LONGEST_FIRST = (
    "tests/test_access_proof.py",
    "tests/test_system.py",
    "tests/test_sweep.py",
    "tests/browser/",
    "tests/demo/",
    "tests/test_access.py",
)


def pytest_collection_modifyitems(items):
    """The tests of ``LONGEST_FIRST`` first, each module's tests in their own order."""

    def rank(item):
        path = item.nodeid.split("::")[0]
        return next(
            (n for n, prefix in enumerate(LONGEST_FIRST) if path.startswith(prefix)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)


def pytest_report_header(config):
    return [system.message(key) for key in MISSING]


def pytest_terminal_summary(terminalreporter):
    """Repeat the missing parts last, where a reader of the summary sees them."""
    for key in MISSING:
        terminalreporter.write_line(system.message(key), yellow=True)


@pytest.fixture(autouse=True)
def _pdf_needs_pango(monkeypatch):
    """Without Pango, a test that renders a PDF is skipped where WeasyPrint is imported
    (``reses.pdf``, ``activities.pdf`` import it when called): ``pytest.skip`` raises an
    exception Django's request handling does not catch, so it reaches the test."""
    if "pango" not in MISSING:
        return
    stub = ModuleType("weasyprint")

    def skip(name):
        pytest.skip(system.message("pango"))

    stub.__getattr__ = skip
    monkeypatch.setitem(sys.modules, "weasyprint", stub)


class _NoMigrations:
    """``MIGRATION_MODULES`` for an app-less migration graph: every app is made from its models."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


#: The settings' ``MIGRATION_MODULES`` while the SQLite test database is made without them.
_MIGRATION_MODULES = []


def _sqlite():
    from django.conf import settings

    return settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """On SQLite each worker's test database is made from the models, not by running the 95
    migrations (about 12 s of CPU per worker, nearly all of it Django rebuilding the model
    state after each operation). That makes the same tables here: the three data migrations
    do nothing on an empty SQLite database (the two search indexes are PostgreSQL's, the
    history baseline copies no member), and ``makemigrations --check`` (CONTRIBUTING.md)
    keeps the migrations equal to the models. PostgreSQL runs every migration as before, so
    the migrations themselves are still run there (``.ci/run``). ``django_db_setup`` below
    puts the migrations back once the database exists."""
    from django.conf import settings

    if _sqlite():
        _MIGRATION_MODULES.append(settings.MIGRATION_MODULES)
        settings.MIGRATION_MODULES = _NoMigrations()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """After the SQLite test database is made from the models (``django_db_modify_db_settings``
    above), the migrations are back and recorded as applied, as ``migrate`` leaves them: the
    tests of the migration loader and of backups (which list the applied migrations) see
    what a migrated database holds."""
    from django.conf import settings
    from django.db import connections
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.recorder import MigrationRecorder

    if _sqlite():
        settings.MIGRATION_MODULES = _MIGRATION_MODULES.pop()
        with django_db_blocker.unblock():
            connection = connections["default"]
            recorder = MigrationRecorder(connection)
            recorder.ensure_schema()
            nodes = MigrationLoader(None, ignore_no_migrations=True).graph.nodes
            recorder.migration_qs.bulk_create(
                recorder.Migration(app=app, name=name) for app, name in sorted(nodes)
            )
    yield


@pytest.fixture(scope="session", autouse=True)
def _no_sessions_left_on_test_database(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end every other session on it (PostgreSQL).

    Django closes only the connection of the thread and context that tears down; the live
    server's request threads and the contexts Playwright's greenlets run in (tests/browser)
    can each hold a connection of their own, and ``DROP DATABASE`` then fails with "is
    being accessed by other users", leaving the test database behind (CI).
    """
    yield
    from django.db import connection, connections

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()


@pytest.fixture(scope="module")
def templates_not_recorded():
    """Templates render as in production, without the test environment's hook that sends
    ``template_rendered`` and copies the context of every template (each form widget is one)
    for ``response.context``: for modules that make thousands of requests and read only the
    answers (``pytestmark = pytest.mark.usefixtures("templates_not_recorded")``); about a
    tenth of their time."""
    from django.template.base import PartialTemplate, Template
    from django.test.utils import _TestState

    recorded = Template._render, PartialTemplate._render
    Template._render = _TestState.saved_data.template_render
    PartialTemplate._render = _TestState.saved_data.partial_template_render
    yield
    Template._render, PartialTemplate._render = recorded


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Each test starts as a fresh thread does, in the settings' language: a request served
    by the test client leaves the language it chose active in the thread (LocaleMiddleware
    activates one and nothing deactivates it), so a later test on the same worker that calls
    ``gettext`` outside a request would read another language."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the programme dashboard caches member
    figures, dashboards.summaries.programme_cached)."""
    cache.clear()


def build_world():
    """Two regencies; in regency A two groups (A1, A2) in two villages of one subdistrict, in
    regency B (WIT) one group (B1); a representative whose district covers village A1 only."""
    regency_a = f.RegencyFactory(name="Kabupaten Alfa")
    regency_b = f.RegencyFactory(
        name="Kota Beta",
        province=f.ProvinceFactory(code="81", name="Maluku", time_zone="Asia/Jayapura"),
    )
    village_a1 = f.VillageFactory(
        name="Desa Alfa Satu", subdistrict=f.SubdistrictFactory(regency=regency_a)
    )
    village_a2 = f.VillageFactory(name="Desa Alfa Dua", subdistrict=village_a1.subdistrict)
    village_b1 = f.VillageFactory(
        name="Negeri Beta", subdistrict=f.SubdistrictFactory(regency=regency_b)
    )
    group_a1 = f.ConstituentGroupFactory(village=village_a1, name="KK Mawar")
    group_a2 = f.ConstituentGroupFactory(village=village_a2, name="KK Melati")
    group_b1 = f.ConstituentGroupFactory(village=village_b1, name="KK Anggrek")
    district = f.ElectoralDistrictFactory(regency=regency_a, name="ALFA 1")
    f.DistrictVillageFactory(district=district, village=village_a1)
    representative = f.RepresentativeFactory(district=district, full_name="Hj. Andi Rahmawati")
    return SimpleNamespace(
        regency_a=regency_a,
        regency_b=regency_b,
        village_a1=village_a1,
        village_a2=village_a2,
        village_b1=village_b1,
        group_a1=group_a1,
        group_a2=group_a2,
        group_b1=group_b1,
        district=district,
        representative=representative,
    )


@pytest.fixture
def counts_shown(monkeypatch):
    """No count is small (``dashboards.suppression.MIN_CELL`` of 1): for tests of what a
    figure counts, whose few rows would otherwise be hidden from programme and DPRD staff."""
    monkeypatch.setattr("dashboards.suppression.MIN_CELL", 1)


@pytest.fixture
def english(settings):
    """Pages in English, the source language, so that labels compare as written in the code
    (``pytestmark = pytest.mark.usefixtures("english")``)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(db):
    return build_world()


#: The signed-in personas: fixture name → how to make the user in ``world``.
PERSONA_USERS = {
    # Officer (pengurus) of group A1.
    "officer": lambda w: f.UserFactory(username="pengurus-a1", role=Role.OFFICER, group=w.group_a1),
    # A second officer of group A1, not named on A1's confidential cases of assistance.
    "officer_same_group": lambda w: f.UserFactory(
        username="pengurus-a1-dua", role=Role.OFFICER, group=w.group_a1
    ),
    # Officer of group A2, same regency as A1: must still not see A1's rows.
    "officer_b": lambda w: f.UserFactory(
        username="pengurus-a2", role=Role.OFFICER, group=w.group_a2
    ),
    # Facilitator of regency A.
    "facilitator": lambda w: f.UserFactory(
        username="fasilitator-a", role=Role.FACILITATOR, regency=w.regency_a
    ),
    # Facilitator of regency B.
    "facilitator_b": lambda w: f.UserFactory(
        username="fasilitator-b", role=Role.FACILITATOR, regency=w.regency_b
    ),
    "programme": lambda w: f.UserFactory(username="program", role=Role.PROGRAMME),
    # Staff of the representative whose district covers village A1.
    "dprd": lambda w: f.UserFactory(
        username="staf-dprd", role=Role.DPRD, representative=w.representative
    ),
    "admin_client_": lambda w: f.UserFactory(
        username="admin", role=Role.ADMIN, is_staff=True, is_superuser=True
    ),
}


def client_for(user):
    """A test ``Client`` signed in as ``user`` (``client.user`` is the user), with both
    factors when the user needs a second one (``second_factor_verified``)."""
    client = Client()
    client.force_login(user)
    client.user = user
    if user.second_factor_required:
        second_factor_verified(client, user)
    return client


def second_factor_verified(client, user):
    """Mark ``client``'s session as having given ``user``'s TOTP code (a confirmed device
    is made when the user has none), as ``django_otp.login`` does after a right code."""
    device = f.TOTPDeviceFactory(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@pytest.fixture
def officer(world):
    """Officer (pengurus) of group A1."""
    return client_for(PERSONA_USERS["officer"](world))


@pytest.fixture
def officer_same_group(world):
    """A second officer of group A1: sees the group's rows, but not a confidential case of
    assistance she is not named on."""
    return client_for(PERSONA_USERS["officer_same_group"](world))


@pytest.fixture
def officer_b(world):
    """Officer of group A2, same regency as A1: must still not see A1's rows."""
    return client_for(PERSONA_USERS["officer_b"](world))


@pytest.fixture
def facilitator(world):
    """Facilitator of regency A."""
    return client_for(PERSONA_USERS["facilitator"](world))


@pytest.fixture
def facilitator_b(world):
    """Facilitator of regency B."""
    return client_for(PERSONA_USERS["facilitator_b"](world))


@pytest.fixture
def programme(world):
    return client_for(PERSONA_USERS["programme"](world))


@pytest.fixture
def dprd(world):
    """Staff of the representative whose district covers village A1."""
    return client_for(PERSONA_USERS["dprd"](world))


@pytest.fixture
def admin_client_(world):
    return client_for(PERSONA_USERS["admin_client_"](world))


@pytest.fixture
def anonymous(world):
    return Client()
