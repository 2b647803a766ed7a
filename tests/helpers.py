"""Small helpers several test modules share: what the database refuses, what a download holds,
what a browser sends back, and the window that defines each move's step before."""

import csv
import io
import uuid

import openpyxl
from django import forms
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from aspirations.models import STEP_KINDS, AspirationEvent, EventKind


def steps_before(events=None):
    """``({move pk: stored previous_on}, {move pk: the window's date of the step before})``
    over the ``MOVE`` events of ``events`` (an ``AspirationEvent`` QuerySet, default all).

    The window is the live definition ``dashboards.figures.stage_durations`` ran before the
    date was stored (issue 14): ``Lag(occurred_on)`` over each aspiration's created and move
    events ordered by ``occurred_on`` then ``pk``.
    """
    events = AspirationEvent.objects.all() if events is None else events
    window = (
        AspirationEvent.objects.filter(
            aspiration__in=events.values("aspiration"), kind__in=STEP_KINDS
        )
        .annotate(
            previous=Window(
                Lag("occurred_on"),
                partition_by=[F("aspiration")],
                order_by=[F("occurred_on").asc(), F("pk").asc()],
            )
        )
        .values_list("pk", "kind", "previous")
    )
    moves = set(events.filter(kind=EventKind.MOVE).values_list("pk", flat=True))
    stored = dict(AspirationEvent.objects.filter(pk__in=moves).values_list("pk", "previous_on"))
    return stored, {pk: previous for pk, _kind, previous in window if pk in moves}


def refused(write):
    """True when the database refuses ``write`` (a callable) with an ``IntegrityError``."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


def xlsx_rows(response):
    """The rows of the first sheet of an XLSX download (openpyxl cells)."""
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows()]


def xlsx_book(response):
    """The whole workbook of an XLSX download (openpyxl, every sheet)."""
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def csv_rows(response):
    """The rows of a CSV download, which starts with a BOM so that Excel reads UTF-8."""
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def resubmit(response, **changes):
    """The values of the page's ``form`` as a browser sends them back, with ``changes``:
    dates and times as their inputs show them, ticked boxes as ``"on"``, no files."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        if isinstance(field.widget, forms.DateInput | forms.TimeInput):
            value = field.widget.format_value(value)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


def meeting_form_data(village, *, year=2024, **changes):
    """A reses meeting form as an organiser fills it in: 17 August of ``year``, 09:00–11:30
    in ``village``, with a fresh submission token; ``changes`` replace fields."""
    data = {
        "reses_period": f"Reses I {year}",
        "village": village.pk,
        "date": f"17/08/{year}",
        "starts_at": "09:00",
        "ends_at": "11:30",
        "venue": "Balai kelurahan",
        "organising_group": "",
        "expected_attendance": "40",
        "notes": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def same_queries_with_more_rows(client, url, add_rows, django_assert_num_queries):
    """GET ``url`` with the rows there are, then ``add_rows()`` and GET it again, asserting
    the second page takes as many queries as the first; returns the second response."""
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    add_rows()
    with django_assert_num_queries(len(one_row.captured_queries)):
        return client.get(url)


def sign_in(username, password):
    """A new ``Client`` signed in with ``username`` and ``password`` through every
    authentication backend, or ``None`` when they are refused. ``Client.login`` alone calls
    ``authenticate()`` without a request, which django-axes refuses; a request is passed."""
    client = Client()
    request = RequestFactory().post("/accounts/login/")
    if client.login(request=request, username=username, password=password):
        return client
    return None
