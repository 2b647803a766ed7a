"""Suppression that holds: no count of 1 to 4 people is shown to programme or DPRD staff, and
no hidden cell can be worked out from its table's totals, on the page and in the export;
facilitators see their own regency exactly."""

import datetime
import random

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import Kind, Need, Outcome, Status
from dashboards import suppression
from dashboards.figures import GUARDS
from dashboards.views import Dashboard
from kk_portal.zones import today_in
from tests import factories as f
from tests.helpers import csv_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/dashboard/"
HIDDEN = {suppression.SMALL, suppression.COMPLEMENT}
#: The tables whose columns do not add up to a total a reader knows (cumulative steps,
#: overlapping buckets, stocks counted again each year, or no total published).
NOT_ADDITIVE = {"funnel", "beneficiaries", "reses", "roles_year_end", "cases_violence"}
#: The tables whose rows add up: a total column and its parts.
ROWS_ADD_UP = {"cases_kind", "cases_region", "cases_year"}


@pytest.fixture
def small_world(world):
    """Few people everywhere: members, aspirations, cases, activities and roles in counts of
    1 to 8 across the three groups of ``world``."""
    a1, a2, b1 = world.group_a1, world.group_a2, world.group_b1
    chair = f.MemberFactory(group=a1, sex="F", position="chair")
    f.MemberFactory.create_batch(2, group=a1, sex="F")
    f.MemberFactory.create_batch(4, group=a1, sex="M")
    f.MemberFactory.create_batch(6, group=a2, sex="F", is_poor=True)
    f.MemberFactory.create_batch(2, group=a2, sex="M")
    f.MemberFactory.create_batch(2, group=b1, sex="F")
    topic = f.TopicFactory()
    f.AspirationFactory.create_batch(2, group=a1, topic=topic)
    f.AspirationFactory.create_batch(6, group=a2, topic=topic)
    f.AspirationFactory.create_batch(3, group=b1)
    for n in range(6):
        f.AssistanceCaseFactory(
            group=a1,
            status=Status.CLOSED if n >= 2 else Status.OPEN,
            closed_on=datetime.date(2026, 9, 20) if n >= 2 else None,
            outcome=Outcome.OBTAINED if n >= 2 else Outcome.NONE,
        )
    f.AssistanceCaseFactory(
        group=a1, kind=Kind.SOCIAL_ASSISTANCE, need=Need.PKH, outcome=Outcome.REFUSED
    )
    f.AssistanceCaseFactory(group=b1, kind=Kind.HEALTH_INSURANCE, need=Need.BPJS_KIS)
    training = f.ActivityFactory(group=a1, kind="training")
    for sex in ("F", "F", "M"):
        f.AttendanceFactory(activity=training, sex=sex)
    meeting = f.ActivityFactory(group=a2)
    f.AttendanceFactory.create_batch(6, activity=meeting, sex="F")
    f.PublicRoleFactory(member=chair, kind="bpd")
    return world


def _people_columns(key, rows):
    """The columns of ``key``'s table that count people (``figures.GUARDS``) in ``rows`` of
    ``Cell``."""
    guard = GUARDS[key]
    chosen = range(len(rows)) if guard.rows is None else guard.rows
    return [
        index
        for index in range(guard.first, len(rows[0]))
        if index not in guard.skip and all(rows[r][index].kind == "number" for r in chosen)
    ], list(chosen)


def _derivable(key, texts, columns, rows):
    """The hidden cells of a table of ``texts`` a reader works out by subtraction: alone
    among the hidden cells of a column whose total is known, or of a row that adds up."""
    found = []
    # A column of one row equals its total, small and so hidden by the same rule wherever it
    # is shown.
    if key not in NOT_ADDITIVE and len(rows) > 1:
        for column in columns:
            hidden = [r for r in rows if texts[r][column] in HIDDEN]
            if len(hidden) == 1:
                found.append((key, hidden[0], column))
    if key in ROWS_ADD_UP:
        for r in rows:
            hidden = [column for column in columns if texts[r][column] in HIDDEN]
            if len(hidden) == 1:
                found.append((key, r, hidden[0]))
    return found


def _small_shown(key, texts, columns, rows):
    return [
        (key, r, column, texts[r][column])
        for r in rows
        for column in columns
        if texts[r][column].isdigit() and suppression.is_small(int(texts[r][column]))
    ]


@pytest.mark.parametrize("persona", ["programme", "dprd"])
@pytest.mark.parametrize("place", [{}, "regency_a"])
def test_no_hidden_cell_can_be_derived_on_the_page_or_in_the_export(
    request, small_world, persona, place
):
    client = request.getfixturevalue(persona)
    query = {"region": getattr(small_world, place).code} if place else {}
    page_tables = {table.key: table for table in client.get(URL, query).context["tables"]}
    derived, shown, hidden = [], [], 0
    for key in GUARDS:
        table = page_tables[key]
        if not table.rows:
            continue
        columns, rows = _people_columns(key, table.rows)
        page = [[cell.text for cell in row] for row in table.rows]
        export = csv_rows(
            client.get(reverse("dashboard:export_table", args=[key]), {**query, "format": "csv"})
        )[1:]
        for texts in (page, export):
            derived += _derivable(key, texts, columns, rows)
            shown += _small_shown(key, texts, columns, rows)
        hidden += sum(text in HIDDEN for row in page for text in row)
        assert not (table.protected and table.chart), key
    assert derived == []
    assert shown == []
    # The data are small enough for the test to bite.
    assert hidden >= 5


def test_shares_of_hidden_counts_are_hidden(programme, small_world):
    table = next(t for t in programme.get(URL).context["tables"] if t.key == "members_region")
    for row in table.rows:
        for percent, numerator, denominator in GUARDS["members_region"].shares:
            if row[numerator].hidden or row[denominator].hidden:
                assert row[percent].text == "–"


def test_a_small_count_is_hidden_at_every_drill_down_level(programme, small_world):
    """The same rule at every level: group A1's 3 women show as "<5" at the subdistrict,
    village and group levels, and 2 women of Kota Beta at the province level."""
    levels = [
        {},
        {"region": small_world.regency_a.code},
        {"region": small_world.village_a1.subdistrict.code},
        {"region": small_world.village_a1.code},
    ]
    for query in levels:
        table = next(
            t for t in programme.get(URL, query).context["tables"] if t.key == "members_region"
        )
        women = [row[4].text for row in table.rows]
        assert all(not text.isdigit() or not suppression.is_small(int(text)) for text in women)
    province = next(t for t in programme.get(URL).context["tables"] if t.key == "members_region")
    # Sulawesi Selatan's 9 women hidden with Maluku's 2: its total is the page's.
    assert [row[4].text for row in province.rows] == ["·", "<5"]


def test_headline_hides_small_counts_and_their_change(programme, dprd, world):
    today = today_in(programme.user)
    f.AspirationFactory.create_batch(3, group=world.group_a1, raised_on=today)

    for client in (programme, dprd):
        recorded = client.get(URL).context["headline"]["figures"][0]
        assert (recorded["text"], recorded["change"], recorded["url"]) == ("<5", None, "")
    f.AspirationFactory.create_batch(3, group=world.group_a1, raised_on=today)
    recorded = programme.get(URL).context["headline"]["figures"][0]
    assert (recorded["text"], recorded["change"]) == ("6", 6)


def test_facilitator_sees_her_regency_exactly(facilitator, small_world):
    query = {"region": small_world.village_a1.subdistrict.code}
    tables = facilitator.get(URL, query).context["tables"]
    table = next(t for t in tables if t.key == "members_region")
    assert not table.protected
    assert [row[4].text for row in table.rows] == ["3", "6"]


def test_the_note_explains_hidden_cells(programme, small_world):
    page = programme.get(URL).text
    assert "counts of 1 to 4 show as &lt;5" in page


def test_primary_suppression_alone_leaves_cells_derivable():
    """Why complements are needed: a column of 3, 7 and 9 with its total known gives the 3
    away when only it is hidden."""
    values = {(0, 0): 3, (1, 0): 7, (2, 0): 9}
    relations = [[(0, 0), (1, 0), (2, 0)]]
    assert suppression.derivable({(0, 0)}, relations) == {(0, 0)}
    small, complements = suppression.protect(values, relations)
    assert small == {(0, 0)} and complements == {(1, 0)}
    assert suppression.derivable(small | complements, relations) == set()


def test_protect_leaves_nothing_derivable_in_random_tables():
    """Random tables of small and large counts, with column and row totals known: after
    ``protect`` no relation holds exactly one hidden cell, and every small count is hidden."""
    chance = random.Random(15)
    for _round in range(300):
        height, width = chance.randint(1, 6), chance.randint(1, 6)
        values = {
            (r, c): chance.choice([0, 1, 2, 4, 5, 9, 30])
            for r in range(height)
            for c in range(width)
        }
        relations = [[(r, c) for r in range(height)] for c in range(width)]
        relations += [[(r, c) for c in range(width)] for r in range(height)]
        small, complements = suppression.protect(values, relations)
        hidden = small | complements
        assert suppression.derivable(hidden, [rel for rel in relations if len(rel) > 1]) == set()
        assert {p for p, v in values.items() if suppression.is_small(v)} == small


def test_dashboard_query_count_unchanged_by_suppression(programme, small_world, monkeypatch):
    cache.clear()
    with CaptureQueriesContext(connection) as protected:
        programme.get(URL)
    monkeypatch.setattr(suppression, "MIN_CELL", 1)
    cache.clear()
    with CaptureQueriesContext(connection) as exact:
        programme.get(URL)
    assert len(protected) == len(exact)


def test_every_table_of_people_is_guarded():
    assert set(GUARDS) <= set(Dashboard.TABLES)
