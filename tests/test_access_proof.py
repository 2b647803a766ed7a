"""The access proof: a confidential case's person never reaches anyone outside its circle.

A case of violence is opened through the services with a name, a village, a phone number
and texts (description, a step's note and contact, a document's name, an edit) found
nowhere else in the database. Every URL of the product — read from the URL resolver, the
admin included, each parameter filled with the ids of the case and its rows — is requested
by every persona of ``tests/conftest.py``: GET, GET with filters that try to widen the list
(``?q=``, ``?kind=violence``, ``?group=``, ``?id__in=``, ``?format=csv``) and POST. None of
those secrets may appear in any response (body, headers, redirect; inside XLSX and PDF files
too) that a persona outside the circle gets. The circle — the officer named as handler and
the facilitator of the regency — must find them on the case page, so the test can fail.

A new URL parameter the test does not know makes it fail: say here which ids it takes.
"""

import io
import re
import zipfile
from http.cookies import SimpleCookie

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern

from assistance import services
from assistance.models import AssistanceCase, ConsentBy, Need, Service, StepKind
from dashboards.views import Dashboard
from kk_portal.zones import today_in
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("templates_not_recorded")]

NAME = "Fransiska Nggadas"
VILLAGE = "Desa Teluk Sunyi"
PHONE = "+6281399990000"
SECRET_TEXTS = (
    "dipukul di kebun kopi",
    "Bripka Yosef Tlonaen",
    "sudah aman di rumah kakaknya",
    "visum-et-repertum-fn.pdf",
    "dipindahkan ke rumah aman",
)
#: Personas outside the circle, and inside it.
OUTSIDE = (
    "officer_same_group",
    "officer_b",
    "facilitator_b",
    "programme",
    "dprd",
    "admin_client_",
    "anonymous",
)
CIRCLE = ("officer", "facilitator")


@pytest.fixture
def secret_case(world, officer):
    """The confidential case, opened and worked on by the handling officer (``officer``)."""
    village = f.VillageFactory(name=VILLAGE, subdistrict=world.village_a1.subdistrict)
    today = today_in(world.group_a1)
    handler = officer.user
    case, _created = services.case_open(
        group=world.group_a1,
        actor=handler,
        need=Need.VIOLENCE_WOMAN,
        opened_on=today,
        person_village=village,
        consent_given_on=today,
        consent_by=ConsentBy.PERSON,
        person_name=NAME,
        person_sex="F",
        person_phone="0813 9999 0000",
        description="Korban dipukul di kebun kopi oleh suaminya.",
    )
    services.case_refer(
        case,
        actor=handler,
        occurred_on=today,
        service=Service.UPTD_PPA,
        contact="Bripka Yosef Tlonaen, Unit PPA",
        follow_up_on=today,
        note="Korban sudah aman di rumah kakaknya.",
    )
    services.case_document_add(
        case,
        actor=handler,
        upload=SimpleUploadedFile("visum-et-repertum-fn.pdf", b"%PDF-1.4\n%%EOF\n"),
        step=case.steps.get(kind=StepKind.REFERRED),
    )
    services.case_update(
        case, actor=handler, description="Korban dipindahkan ke rumah aman oleh UPTD PPA."
    )
    # Rows of every other kind, so that lists, dashboards and the admin have content.
    f.AssistanceCaseFactory(group=world.group_a1, person_name="Yakobus Lende")
    f.AspirationFactory(group=world.group_a1)
    f.MemberFactory(group=world.group_a1)
    f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    officer.get(reverse("assistance:detail", args=[case.pk]))  # an access log row
    return case


def _patterns(patterns=None, namespace=""):
    """Every ``(view name, URLPattern)`` of the resolver, namespaces joined with ``:``."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            yield from _patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern


def _parameters(pattern):
    if isinstance(pattern.pattern, RegexPattern):
        return list(pattern.pattern.regex.groupindex)
    return list(pattern.pattern.converters)


def _values(parameter, case):
    """The values tried for one URL parameter: the ids of the secret case and of its
    document (no URL names a step or a history record)."""
    ids = {case.pk, *case.documents.values_list("pk", flat=True)}
    values = {
        "pk": sorted(ids),
        "id": sorted(ids),
        "aspiration_id": sorted(ids),  # the API's detail (api/api.py)
        "object_id": [str(i) for i in sorted(ids)],
        "content_type_id": [ContentType.objects.get_for_model(AssistanceCase).pk],
        "kind": [kind.value for kind in StepKind],
        "key": list(Dashboard.TABLES),
        "uidb64": ["MQ"],
        "token": ["set-password"],
        "app_label": ["assistance", "audit", "members", "kk_portal"],
        "url": ["assistance/assistancecase/"],
    }
    if parameter not in values:
        raise AssertionError(f"URL parameter {parameter!r} is new: say which ids it takes.")
    return values[parameter]


def product_urls(case):
    """Every URL of the product with its parameters filled in (``_values``), as
    ``(url, takes_parameters)``."""
    urls = []
    for name, pattern in _patterns():
        parameters = _parameters(pattern)
        combinations = [{}]
        for parameter in parameters:
            combinations = [
                {**c, parameter: value} for c in combinations for value in _values(parameter, case)
            ]
        for kwargs in combinations:
            urls.append((reverse(name, kwargs=kwargs), bool(parameters)))
    return sorted(set(urls))


def _text(response):
    """Everything a response carries that a person could read, as one string: headers,
    body, the text of an XLSX's sheets and of a PDF's pages."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    parts = [str(response.headers), body.decode("utf-8", errors="replace")]
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        with zipfile.ZipFile(io.BytesIO(body)) as book:
            parts += [book.read(n).decode("utf-8") for n in book.namelist() if n.endswith(".xml")]
    if "pdf" in kind and body.startswith(b"%PDF") and len(body) > 100:
        from pypdf import PdfReader

        parts += [page.extract_text() for page in PdfReader(io.BytesIO(body)).pages]
    return "\n".join(parts)


_OPTION = re.compile(r"<option\b[^>]*>.*?</option>", re.S)
#: Admin pages of the reference regions, which list every village by name.
_REGION_PAGES = re.compile(r"^/admin/groups/(province|regency|subdistrict|village)/")


def _leaks(text, url=""):
    """The secrets found in ``text`` (the response to ``url``). A village's name is
    reference data where villages are listed as such — a form's ``<option>`` (the villages
    of the group's subdistrict) and the admin's region pages —, not about the case."""
    found = [secret for secret in (NAME, PHONE, *SECRET_TEXTS) if secret in text]
    if VILLAGE in _OPTION.sub("", text) and not _REGION_PAGES.match(url):
        found.append(VILLAGE)
    return found


def _responses(client, urls, world, case):
    """``(method and URL, response text)`` for every request a persona makes."""
    widen = (
        f"?q={NAME.split()[0]}&kind=violence&group={world.group_a1.pk}"
        f"&id__in={case.pk}&id={case.pk}&format=csv&village={case.person_village_id}"
    )
    for url, takes_parameters in urls:
        yield "GET", url, _text(client.get(url))
        if not takes_parameters:
            yield "GET", url + widen, _text(client.get(url + widen))
        if client.session.get("_auth_user_id") is None:
            continue  # anonymous: every page answers with the login page, whatever the method
        cookies = {key: morsel.value for key, morsel in client.cookies.items()}
        # An empty POST may change rows (log out, deactivate an account): undo it, so the
        # next request is made by the same persona on the same data.
        with transaction.atomic():
            response = client.post(url, {})
            transaction.set_rollback(True)
        client.cookies = SimpleCookie(cookies)
        yield "POST", url, _text(response)


# Django's own templates (password and admin pages) read variables they do not always get;
# the pages' own tests check our templates with undefined variables failing.
@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("persona", OUTSIDE)
def test_confidential_case_never_reaches_a_persona_outside_the_circle(
    request, world, secret_case, persona
):
    client = request.getfixturevalue(persona)
    urls = product_urls(secret_case)

    leaks = {
        f"{method} {url}": found
        for method, url, text in _responses(client, urls, world, secret_case)
        if (found := _leaks(text, url.split("?")[0]))
    }

    assert len(urls) > 200
    assert leaks == {}


@pytest.mark.parametrize("persona", CIRCLE)
def test_confidential_case_reaches_the_circle_on_its_page(request, secret_case, persona):
    client = request.getfixturevalue(persona)

    text = _text(client.get(reverse("assistance:detail", args=[secret_case.pk])))

    assert sorted(_leaks(text)) == sorted([NAME, PHONE, VILLAGE, *SECRET_TEXTS])


@pytest.mark.parametrize("persona", CIRCLE)
def test_confidential_case_not_in_circle_lists_exports_or_titles(request, secret_case, persona):
    client = request.getfixturevalue(persona)

    pages = {
        "list": client.get(reverse("assistance:list")),
        "export": client.get(reverse("assistance:export") + "?format=csv"),
        "home": client.get(reverse("home")),
        "dashboard": client.get(reverse("dashboard:index")),
    }

    assert {name: _leaks(_text(r)) for name, r in pages.items()} == {
        "list": [],
        "export": [VILLAGE],
        "home": [],
        "dashboard": [],
    }
    detail = client.get(reverse("assistance:detail", args=[secret_case.pk])).text
    assert f"<title>Kasus #{secret_case.pk} · KK Portal</title>" in detail
