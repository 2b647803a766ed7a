"""Cases of assistance on the dashboard and the home pages: counts by kind, outcome, region
and year; programme staff get counts only, small cells suppressed, violence only per regency
and year; DPRD staff no violence; the handling officer and the facilitator see their overdue
follow-ups."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assistance.models import Kind, Need, Outcome, Service, Status
from assistance.services import (
    case_close,
    case_obtain,
    case_refuse,
    case_withdraw_consent,
)
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from tests import factories as f
from tests.helpers import csv_rows, same_queries_with_more_rows

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/dashboard/"
DAY = datetime.timedelta(days=1)


def tables(response):
    return {table.key: table for table in response.context["tables"]}


def texts(table):
    return [[cell.text for cell in row] for row in table.rows]


def _violence(group, handler=None, **fields):
    return f.AssistanceCaseFactory(
        group=group,
        kind=Kind.VIOLENCE,
        need=Need.VIOLENCE_CHILD,
        confidential=True,
        handlers=[handler] if handler else [],
        **fields,
    )


@pytest.fixture
def cases(world, officer):
    """In group A1: 6 KTP cases (2 open, 4 obtained and closed), 1 PKH refused, 2 cases of
    violence (one handled by the officer persona); in group B1: 1 BPJS case and 6 cases of
    violence opened in 2025."""
    for n in range(6):
        f.AssistanceCaseFactory(
            group=world.group_a1,
            status=Status.CLOSED if n >= 2 else Status.OPEN,
            closed_on=datetime.date(2026, 9, 20) if n >= 2 else None,
            outcome=Outcome.OBTAINED if n >= 2 else Outcome.NONE,
        )
    f.AssistanceCaseFactory(
        group=world.group_a1,
        kind=Kind.SOCIAL_ASSISTANCE,
        need=Need.PKH,
        outcome=Outcome.REFUSED,
    )
    _violence(world.group_a1, officer.user, person_name="Rahasia Satu")
    _violence(world.group_a1, person_name="Rahasia Dua")
    f.AssistanceCaseFactory(group=world.group_b1, kind=Kind.HEALTH_INSURANCE, need=Need.BPJS_KIS)
    for _n in range(6):
        _violence(world.group_b1, opened_on=datetime.date(2025, 3, 1))


def test_programme_counts_by_kind_without_violence_small_cells_suppressed(programme, cases):
    board = tables(programme.get(URL))

    assert texts(board["cases_kind"]) == [
        # The one small count of its column hidden with it: "·" (a zero, the only cell left).
        ["civil registration document", "6", "<5", "<5", "·", "0", "0", "0"],
        ["social assistance", "<5", "0", "·", "<5", "0", "0", "0"],
        ["health insurance", "<5", "<5", "0", "0", "0", "0", "0"],
    ]
    assert all(cell.url == "" for row in board["cases_kind"].rows for cell in row)


def test_programme_violence_only_per_regency_and_year(programme, cases, world):
    board = tables(programme.get(URL))

    assert texts(board["cases_violence"]) == [
        ["Kabupaten Alfa", world.regency_a.code, "2026", "<5"],
        ["Kota Beta", world.regency_b.code, "2025", "6"],
    ]
    assert "violence" not in [
        header for header in board["cases_year"].headers if "violence" in str(header)
    ]


def test_programme_page_never_names_a_person(programme, cases):
    page = programme.get(URL).text

    assert "Rahasia" not in page
    assert "Warga" not in page


def test_programme_violence_export_keeps_suppression(programme, cases):
    response = programme.get(
        reverse("dashboard:export_table", args=["cases_violence"]) + "?format=csv"
    )

    rows = csv_rows(response)
    assert [row[-1] for row in rows[1:]] == ["<5", "6"]


def test_facilitator_counts_violence_exactly_and_links_add_up(facilitator, cases):
    board = tables(facilitator.get(URL))

    by_kind = {row[0].text: row for row in board["cases_kind"].rows}
    assert [cell.text for cell in by_kind["violence against women or children"]] == [
        "violence against women or children",
        "2",
        "2",
        "0",
        "0",
        "0",
        "0",
        "0",
    ]
    link = unescape(by_kind["civil registration document"][3].url)
    listed = facilitator.get(link)
    assert re.search(r"4 cases", listed.text)
    assert link.startswith(reverse("assistance:list") + "?kind=civil_registration")


def test_case_parts_add_up_and_a_later_step_counts_once(facilitator, officer, world):
    """Each case counts once, by its current state: obtained then refused is refused; the
    parts add up to the cases for every kind, on the page and in the CSV."""
    day = datetime.date(2026, 9, 10)
    both = f.AssistanceCaseFactory(group=world.group_a1)
    case_obtain(both, actor=officer.user, occurred_on=day, service=Service.DUKCAPIL)
    case_refuse(both, actor=officer.user, occurred_on=day, service=Service.DUKCAPIL, reason="x")
    obtained = f.AssistanceCaseFactory(group=world.group_a1)
    case_obtain(obtained, actor=officer.user, occurred_on=day, service=Service.DUKCAPIL)
    closed = f.AssistanceCaseFactory(group=world.group_a1)
    case_obtain(closed, actor=officer.user, occurred_on=day, service=Service.DUKCAPIL)
    case_close(closed, actor=officer.user, occurred_on=day)
    f.AssistanceCaseFactory(group=world.group_a1)
    withdrawn = f.AssistanceCaseFactory(
        group=world.group_a1, kind=Kind.SOCIAL_ASSISTANCE, need=Need.PKH
    )
    case_withdraw_consent(withdrawn, actor=officer.user, occurred_on=day)

    board = tables(facilitator.get(URL))
    headers = [str(h) for h in board["cases_kind"].headers]
    assert headers[1:] == [
        "Cases",
        "Open, no outcome yet",
        "obtained",
        "refused",
        "handed over to a service",
        "stopped",
        "Closed without outcome",
    ]
    assert texts(board["cases_kind"]) == [
        ["civil registration document", "4", "1", "2", "1", "0", "0", "0"],
        ["social assistance", "1", "0", "0", "0", "0", "0", "1"],
    ]
    exported = csv_rows(
        facilitator.get(reverse("dashboard:export_table", args=["cases_kind"]) + "?format=csv")
    )
    for table in (texts(board["cases_kind"]), texts(board["cases_region"]), exported[1:]):
        for row in table:
            total, *parts = (int(value) for value in row[-7:])
            assert sum(parts) == total, row
    refused = unescape(board["cases_kind"].rows[0][4].url)
    assert re.search(r"1 case\b", facilitator.get(refused).text)


def test_officer_not_handling_counts_no_confidential_case(officer_same_group, cases):
    board = tables(officer_same_group.get(URL))

    kinds = [row[0].text for row in board["cases_kind"].rows]
    assert kinds == ["civil registration document", "social assistance"]
    assert board["cases_violence"].rows == []


def test_handling_officer_counts_her_case(officer, cases, world):
    board = tables(officer.get(URL))

    assert texts(board["cases_violence"]) == [["Kabupaten Alfa", world.regency_a.code, "2026", "1"]]


def test_dprd_counts_district_cases_without_violence(dprd, cases):
    board = tables(dprd.get(URL))

    assert [row[0].text for row in board["cases_kind"].rows] == [
        "civil registration document",
        "social assistance",
    ]
    assert board["cases_violence"].rows == []


def test_cases_by_year_and_region(facilitator_b, cases, world):
    board = tables(facilitator_b.get(URL))

    year_headers = [str(h) for h in board["cases_year"].headers]
    violence = year_headers.index("violence against women or children")
    health = year_headers.index("health insurance")
    years = {row[0].text: row for row in board["cases_year"].rows}
    assert (years["2025"][violence].text, years["2026"][health].text) == ("6", "1")
    assert texts(board["cases_region"]) == [
        ["Kota Beta", world.regency_b.code, "7", "7", "0", "0", "0", "0", "0"]
    ]


def test_period_filter_counts_cases_opened_in_it(programme, cases):
    board = tables(programme.get(URL + "?start=2025-01-01&end=2025-12-31"))

    assert board["cases_kind"].rows == []
    assert texts(board["cases_violence"])[0][2:] == ["2025", "6"]


@pytest.mark.parametrize("persona", ["programme", "facilitator", "officer", "dprd"])
def test_dashboard_query_count_does_not_grow_with_cases(request, world, persona):
    client = request.getfixturevalue(persona)
    f.AssistanceCaseFactory(group=world.group_a1)
    cache.clear()
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AssistanceCaseFactory.create_batch(3, group=group, need=Need.PKH)
        _violence(group, opened_on=datetime.date(2024, 5, 5))

    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get(URL)

    assert len(many) == len(few)


# --- home pages ---------------------------------------------------------------------------


@pytest.fixture
def overdue(world, officer):
    """Follow-ups of group A1: the officer's confidential case (overdue), another officer's
    confidential case (overdue), a case nobody handles (overdue) and one due tomorrow."""
    today = today_in(world.group_a1)
    other = f.UserFactory(username="pengurus-lain", role=Role.OFFICER, group=world.group_a1)
    return {
        "mine": _violence(world.group_a1, officer.user, follow_up_on=today - 3 * DAY),
        "theirs": _violence(world.group_a1, other, follow_up_on=today - 2 * DAY),
        "nobody": f.AssistanceCaseFactory(group=world.group_a1, follow_up_on=today - DAY),
        "later": f.AssistanceCaseFactory(
            group=world.group_a1, follow_up_on=today + DAY, handlers=[officer.user]
        ),
    }


def _case_links(page):
    return re.findall(r'href="/assistance/(\d+)/"', page)


def test_home_handling_officer_sees_her_overdue_follow_ups(officer, overdue):
    page = officer.get(reverse("home")).text

    assert _case_links(page) == [str(overdue["mine"].pk), str(overdue["nobody"].pk)]
    assert "2 follow-ups are overdue" in page
    assert "Warga" not in page


def test_home_other_officer_never_sees_the_confidential_follow_up(officer_same_group, overdue):
    page = officer_same_group.get(reverse("home")).text

    assert _case_links(page) == [str(overdue["nobody"].pk)]


def test_home_facilitator_sees_open_cases_and_all_overdue(facilitator, overdue, world):
    page = facilitator.get(reverse("home")).text

    assert _case_links(page) == [
        str(overdue["mine"].pk),
        str(overdue["theirs"].pk),
        str(overdue["nobody"].pk),
    ]
    assert "4 open cases of assistance" in page
    assert "3 follow-ups overdue" in page
    assert "Warga" not in page


def test_home_query_count_does_not_grow_with_cases(facilitator, world, django_assert_num_queries):
    f.AssistanceCaseFactory(group=world.group_a1, follow_up_on=datetime.date(2026, 1, 1))

    def add_rows():
        for _n in range(8):
            f.AssistanceCaseFactory(group=world.group_a2, follow_up_on=datetime.date(2026, 1, 1))

    response = same_queries_with_more_rows(
        facilitator, reverse("home"), add_rows, django_assert_num_queries
    )

    assert "9 follow-ups are overdue" in response.text
