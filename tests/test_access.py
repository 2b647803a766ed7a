"""The access matrix: every URL name of the site × every persona × GET and POST → the status
the page must answer (DESIGN.md, "Who may see what": outsiders get 404 as for a row that does
not exist; read-only roles get 404 or 403; anonymous users are sent to sign in).

The URL names come from ``get_resolver()``, so a new page without an entry in an app's table
(``ACCESS`` in ``tests/<app>/access.py``, see ``tests/access.py``) fails here, with a message
saying where to add it. The rows and personas are made once for the module; each persona's
requests run in a savepoint rolled back after them.
"""

import copy
import importlib
import io
import pkgutil
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

import tests
from aspirations.attachments import attachment_store
from assistance.services import case_document_add
from tests import factories as f
from tests.access import HEADER, PERSONAS
from tests.conftest import PERSONA_USERS, build_world, client_for

pytestmark = pytest.mark.usefixtures("templates_not_recorded")


def url_names(resolver=None, namespace=""):
    """Every named URL of the site, namespaced (``members:detail``), in URLconf order."""
    resolver = resolver or get_resolver()
    names = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            prefix = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            names += url_names(pattern, prefix)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)
    return list(dict.fromkeys(names))


def tables():
    """``{url name: Access}`` from every ``tests/<package>/access.py``, and where each came
    from; a name in two tables is an error."""
    entries, origins = {}, {}
    for package in pkgutil.iter_modules(tests.__path__):
        if not package.ispkg:
            continue
        try:
            module = importlib.import_module(f"tests.{package.name}.access")
        except ModuleNotFoundError:
            continue
        for name, access in module.ACCESS.items():
            if name in entries:
                raise AssertionError(f"{name} is in {origins[name]} and {module.__name__}")
            entries[name], origins[name] = access, module.__name__
    return entries


TABLES = tables()
URL_NAMES = url_names()


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), "image/jpeg")


def build_rows(world):
    """One row of each kind the URLs take, all in group A1, village A1 or the world's
    representative's district, plus one row of every model the admin lists."""
    aspiration = f.AspirationFactory(group=world.group_a1, title="Air bersih Dusun Satu")
    f.AspirationEventFactory(aspiration=aspiration)
    f.BudgetOutcomeFactory(aspiration=aspiration)
    # The admin's first case is one it may show; the pages are tried on the confidential one,
    # handled by the officer persona.
    f.AssistanceCaseFactory(group=world.group_a1)
    case = f.AssistanceCaseFactory(
        group=world.group_a1,
        kind="violence",
        need="violence_woman",
        confidential=True,
        handlers=[get_user_model().objects.get(username="pengurus-a1")],
    )
    f.AccessLogFactory(regency=world.regency_a, object_id=case.pk)
    f.AccessAttemptFactory()
    f.TOTPDeviceFactory()
    f.DBTaskResultFactory()
    f.StaticTokenFactory()
    f.PreferenceFactory(user=get_user_model().objects.get(username="pengurus-a1"))
    f.DeliveryFactory(user=get_user_model().objects.get(username="pengurus-a1"))
    member = f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar")
    world.group_a1.decree_scan = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n")
    world.group_a1.save()
    activity = f.ActivityFactory(group=world.group_a1)
    meeting = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    import_job = f.ImportJobFactory(
        created_by=get_user_model().objects.get(username="fasilitator-a"),
        regency=world.regency_a,
    )
    f.ImportRowFactory(job=import_job)
    return SimpleNamespace(
        import_job=import_job,
        group=world.group_a1,
        activity=activity,
        attendance=f.AttendanceFactory(activity=activity),
        budget_access=f.BudgetAccessFactory(group=world.group_a1),
        practice=f.PracticeAdoptionFactory(
            practice=f.ReplicatedPracticeFactory(group=world.group_a1),
            group=f.ConstituentGroupFactory(village=world.village_a1),
        ).practice,
        officer_term=f.OfficerTermFactory(member=member),
        public_role=f.PublicRoleFactory(member=member),
        case=case,
        case_document=case_document_add(case, actor=None, upload=_photo()),
        aspiration=aspiration,
        public_aspiration=f.AspirationFactory(
            group=world.group_a1, title="Lampu jalan Dusun Dua", is_public=True
        ),
        member=member,
        attachment=attachment_store(aspiration=aspiration, upload=_photo(), actor=None),
        meeting=meeting,
        reses_attendance=f.ResesAttendanceFactory(meeting=meeting),
        forum=f.MusrenbangForumFactory(village=world.village_a1),
        officer_account=f.UserFactory(username="ketua-mawar", role="officer", group=world.group_a1),
        district=world.district,
        # The officer persona's own token; the other personas but the administrator get 404.
        api_token=f.ApiTokenFactory(user=get_user_model().objects.get(username="pengurus-a1")),
        auth_group=Group.objects.create(name="Staf"),
    )


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The world, the rows and a signed-in client per persona, made once for the module
    inside a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        clients = {"anonymous": Client()}
        for persona in PERSONAS[1:]:
            fixture = "admin_client_" if persona == "admin" else persona
            clients[persona] = client_for(PERSONA_USERS[fixture](world))
        yield SimpleNamespace(world=world, rows=build_rows(world), clients=clients)
        transaction.set_rollback(True)


def _arg(rows, arg):
    if callable(arg):
        return str(arg(rows))
    row = getattr(rows, arg, None)
    if row is not None:
        return str(row.pk)
    if "." in arg:
        return str(apps.get_model(arg)._default_manager.order_by("pk").first().pk)
    return arg


def _statuses(matrix, name, access):
    url = reverse(name, args=[_arg(matrix.rows, arg) for arg in access.args])
    seen = {"get": {}, "post": {}}
    anonymous_sent_to = []
    for persona in PERSONAS:
        client = matrix.clients[persona]
        # A sign-out (or a new session) changes the client's cookie; the rollback restores
        # the session row, this restores the cookie.
        cookies = copy.deepcopy(client.cookies)
        with transaction.atomic():
            for method, response in (
                ("get", client.get(url)),
                ("post", client.post(url, access.data or {})),
            ):
                seen[method][persona] = response.status_code
                if persona == "anonymous" and response.status_code == 302:
                    anonymous_sent_to.append(response["Location"])
            transaction.set_rollback(True)
        client.cookies = cookies
    return url, seen, anonymous_sent_to


def _line(statuses):
    return "  ".join(str(statuses[persona]) for persona in PERSONAS)


def test_every_url_name_has_an_entry():
    missing = [name for name in URL_NAMES if name not in TABLES]

    assert not missing, (
        f"No access-matrix entry for {', '.join(missing)}. Add each to ACCESS in "
        "tests/<app>/access.py, with the status every persona gets for GET and POST "
        '(see tests/access.py and CONTRIBUTING.md, "Tests").'
    )


def test_every_entry_names_a_url():
    assert sorted(set(TABLES) - set(URL_NAMES)) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    [
        pytest.param(
            name,
            marks=[pytest.mark.ignore_template_errors] if TABLES[name].djangos_templates else [],
        )
        for name in URL_NAMES
        if name in TABLES
    ],
)
def test_url_answers_each_persona_as_its_table_says(matrix, name):
    access = TABLES[name]

    url, seen, anonymous_sent_to = _statuses(matrix, name, access)

    expected = {method: access.statuses(method) for method in ("get", "post")}
    if access.anonymous_to_login:
        sign_in = (reverse("login"), reverse("admin:login"))
        assert [to for to in anonymous_sent_to if not to.startswith(sign_in)] == [], (
            f"{name} sends anonymous visitors elsewhere than to sign in"
        )
    assert seen == expected, (
        f"{name} ({url}): the statuses seen, then those of its table\n"
        f"                {HEADER}\n"
        f"  GET  seen     {_line(seen['get'])}\n"
        f"       expected {_line(expected['get'])}\n"
        f"  POST seen     {_line(seen['post'])}\n"
        f"       expected {_line(expected['post'])}"
    )
