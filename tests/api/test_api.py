"""The JSON API (``api/api.py``): the same rows as the list pages for every persona and
filter, tokens, the rate limit and the OpenAPI document."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from api.services import api_token_revoke
from aspirations.stages import Stage
from dashboards import suppression
from tests import factories as f
from tests.access import PERSONAS
from tests.conftest import PERSONA_USERS, client_for

#: Persona name → its fixture name in ``PERSONA_USERS``.
FIXTURE = {"admin": "admin_client_"}
SIGNED_IN = PERSONAS[1:]


@pytest.fixture
def rows(world):
    """Aspirations in the three groups (some addressed to the world's representative, some
    at Pokir), enough for several pages; one meeting per village."""
    for index in range(23):
        f.AspirationFactory(
            group=world.group_a1,
            stage=Stage.POKIR if index % 3 == 0 else Stage.RECORDED,
            representative=world.representative if index % 2 else None,
        )
    for group in (world.group_a2, world.group_b1):
        f.AspirationFactory.create_batch(4, group=group)
        f.AspirationFactory(group=group, stage=Stage.POKIR)
    for village in (world.village_a1, world.village_a2, world.village_b1):
        f.ResesMeetingFactory(representative=world.representative, village=village)
    return world


def _bearer(user):
    """A client sending a new token of ``user``, and no session."""
    return Client(headers={"Authorization": f"Bearer {f.ApiTokenFactory(user=user).secret}"})


def _page_ids(client, url, data, pattern):
    """The row ids every page of a list page links to, ``pattern`` matching a row's link."""
    ids, page = [], 1
    while True:
        html = client.get(url, {**data, "page": page}).content.decode()
        ids += [int(pk) for pk in dict.fromkeys(re.findall(pattern, html))]
        if 'rel="next"' not in html:
            return ids
        page += 1


def _api_ids(client, url, data):
    """The ``id``s of every page of an API list, three rows a page."""
    ids, page = [], 1
    while True:
        body = client.get(url, {**data, "page": page, "page_size": 3}).json()
        ids += [row["id"] for row in body["results"]]
        if page >= body["pages"]:
            return ids
        page += 1


LISTS = [
    ("aspirations:list", "api:aspirations", r'href="/aspirations/(\d+)/"', {}),
    ("aspirations:list", "api:aspirations", r'href="/aspirations/(\d+)/"', {"stage": "pokir"}),
    ("groups:list", "api:groups", r'href="/groups/(\d+)/"', {}),
    ("groups:list", "api:groups", r'href="/groups/(\d+)/"', {"q": "Mawar"}),
    ("reses:meeting_list", "api:reses_meetings", r'href="/reses/(\d+)/"', {}),
]


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize(("page", "endpoint", "pattern", "data"), LISTS)
def test_api_lists_the_rows_of_the_list_page(rows, persona, page, endpoint, pattern, data):
    user = PERSONA_USERS[FIXTURE.get(persona, persona)](rows)
    expected = _page_ids(client_for(user), reverse(page), data, pattern)

    got = _api_ids(_bearer(user), reverse(endpoint), data)

    assert sorted(got) == sorted(expected)
    assert len(got) == len(set(got))


def test_the_lists_are_what_each_persona_sees(rows):
    officer_b = PERSONA_USERS["officer_b"](rows)

    body = _bearer(officer_b).get(reverse("api:aspirations"), {"page_size": 100}).json()

    assert body["count"] == 5
    assert {row["group"] for row in body["results"]} == {"KK Melati"}


def test_aspiration_detail_has_its_timeline_and_budget_outcomes(world):
    aspiration = f.AspirationFactory(group=world.group_a1, title="Air bersih")
    f.AspirationEventFactory(aspiration=aspiration, note="Dibawa ke Musrenbang desa")
    f.BudgetOutcomeFactory(aspiration=aspiration, fiscal_year=2026)
    officer = PERSONA_USERS["officer"](world)

    body = _bearer(officer).get(reverse("api:aspiration", args=[aspiration.pk])).json()

    assert body["title"] == "Air bersih"
    assert "Dibawa ke Musrenbang desa" in [event["note"] for event in body["timeline"]]
    assert [outcome["fiscal_year"] for outcome in body["budget_outcomes"]] == [2026]


def test_an_aspiration_outside_the_scope_answers_404(world):
    aspiration = f.AspirationFactory(group=world.group_a1)
    officer_b = PERSONA_USERS["officer_b"](world)

    response = _bearer(officer_b).get(reverse("api:aspiration", args=[aspiration.pk]))

    assert response.status_code == 404


def test_an_invalid_filter_answers_400_with_its_message(world):
    officer = PERSONA_USERS["officer"](world)

    response = _bearer(officer).get(reverse("api:aspirations"), {"stage": "nowhere"})

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["stage"]


def test_no_personal_data_in_the_document(world):
    schema = Client().get(reverse("api:openapi-json")).json()

    fields = {
        name
        for component in schema["components"]["schemas"].values()
        for name in component.get("properties", {})
    }
    assert [name for name in fields if "nik" in name or "phone" in name] == []
    assert [path for path in schema["paths"] if "member" in path] == []


def test_a_revoked_token_answers_401(world):
    token = f.ApiTokenFactory(user=PERSONA_USERS["officer"](world))
    client = Client(headers={"Authorization": f"Bearer {token.secret}"})
    assert client.get(reverse("api:groups")).status_code == 200

    api_token_revoke(token)

    assert client.get(reverse("api:groups")).status_code == 401


def test_a_deactivated_users_token_answers_401(world):
    user = PERSONA_USERS["officer"](world)
    client = _bearer(user)
    user.is_active = False
    user.save()

    assert client.get(reverse("api:groups")).status_code == 401


def test_a_session_without_a_token_answers_401(world):
    client = client_for(PERSONA_USERS["officer"](world))

    assert client.get(reverse("api:groups")).status_code == 401


def test_use_sets_last_used(world):
    token = f.ApiTokenFactory(user=PERSONA_USERS["officer"](world))

    Client(headers={"Authorization": f"Bearer {token.secret}"}).get(reverse("api:groups"))

    token.refresh_from_db()
    assert token.last_used is not None


def test_past_the_rate_the_api_answers_429_with_retry_after(world, settings):
    settings.API_RATE = "3/m"
    cache.clear()
    client = _bearer(PERSONA_USERS["officer"](world))

    statuses = [client.get(reverse("api:groups")).status_code for _ in range(4)]
    refused = client.get(reverse("api:groups"))

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_each_token_has_its_own_rate(world, settings):
    settings.API_RATE = "1/m"
    cache.clear()
    user = PERSONA_USERS["officer"](world)
    first, second = _bearer(user), _bearer(user)

    first.get(reverse("api:groups"))

    assert second.get(reverse("api:groups")).status_code == 200


def test_the_openapi_document_lists_the_paths(world):
    schema = Client().get(reverse("api:openapi-json")).json()

    assert sorted(schema["paths"]) == [
        "/api/v1/aspirations",
        "/api/v1/aspirations/{aspiration_id}",
        "/api/v1/dashboard",
        "/api/v1/dashboard/funnel",
        "/api/v1/dashboard/money",
        "/api/v1/groups",
        "/api/v1/reses-meetings",
    ]
    parameters = [p["name"] for p in schema["paths"]["/api/v1/aspirations"]["get"]["parameters"]]
    assert {"stage", "village", "raised_from", "page", "page_size"} <= set(parameters)


def test_the_docs_page_loads_no_script_from_elsewhere(world):
    html = Client().get(reverse("api:openapi-view")).content.decode()

    assert re.findall(r'src="(https?:)?//', html) == []
    assert "swagger-ui-bundle.js" in html


def test_the_aspiration_list_takes_a_bounded_number_of_queries(rows):
    client = _bearer(PERSONA_USERS["facilitator"](rows))
    client.get(reverse("api:aspirations"))  # warm the content types and sessions

    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("api:aspirations"), {"page_size": 100}).json()

    assert body["count"] == 28
    assert len(queries) <= 10


DASHBOARD_PERIOD = {"start": "2024-01-01", "end": "2024-12-31"}


def test_the_dashboard_hides_small_counts_from_programme_staff(world):
    f.AspirationFactory.create_batch(2, group=world.group_a1, raised_on=datetime.date(2024, 8, 17))

    programme = _bearer(PERSONA_USERS["programme"](world))
    facilitator = _bearer(PERSONA_USERS["facilitator"](world))
    hidden = programme.get(reverse("api:dashboard"), DASHBOARD_PERIOD).json()
    exact = facilitator.get(reverse("api:dashboard"), DASHBOARD_PERIOD).json()

    recorded = {h["key"]: h for h in hidden["headlines"]}["recorded"]
    assert (recorded["value"], recorded["text"], recorded["change"]) == (None, "<5", None)
    assert {h["key"]: h for h in exact["headlines"]}["recorded"]["value"] == 2


def test_the_dashboard_outside_the_scope_answers_404(world):
    officer_b = _bearer(PERSONA_USERS["officer_b"](world))

    response = officer_b.get(reverse("api:dashboard"), {"group": world.group_a1.pk})

    assert response.status_code == 404


# --- the dashboard's funnel per region and money -------------------------------------------

#: Dashboard filters each persona's page and API are compared under: the whole scope, a
#: regency (outside facilitator B's and officer B's... scope for some), a group, a period.
DASHBOARD_QUERIES = [
    {},
    {"region": "regency_a"},
    {"region": "village_a1", "group": "group_a1"},
    DASHBOARD_PERIOD,
]


def _dashboard_query(world, query):
    """``query`` with the world's places named by their attribute replaced by their code
    (a region) or id (a group)."""
    values = {}
    for name, value in query.items():
        place = getattr(world, value, None)
        values[name] = value if place is None else getattr(place, "code", place.pk)
    if "group" in values:
        values["group"] = getattr(world, query["group"]).pk
    return values


def _page_table(client, query, key):
    """The dashboard page's table ``key`` (its ``Table``, from the response's context), or
    the page's status code when it is not 200."""
    response = client.get(reverse("dashboard:index"), query)
    if response.status_code != 200:
        return response.status_code
    return {table.key: table for table in response.context["tables"]}[key]


@pytest.fixture
def funnel_rows(world):
    """Aspirations of group A1 (12, 3 of them taken into Pokir, all addressed to the
    world's representative), A2 (5, 4 in Pokir) and B1 (6, 2 in Pokir): in a planning
    forum province A counts 7 and province B 2, a small count."""
    for group, recorded, pokir in (
        (world.group_a1, 9, 3),
        (world.group_a2, 1, 4),
        (world.group_b1, 4, 2),
    ):
        representative = world.representative if group == world.group_a1 else None
        f.AspirationFactory.create_batch(recorded, group=group, representative=representative)
        f.AspirationFactory.create_batch(
            pokir, group=group, representative=representative, stage=Stage.POKIR, furthest_rank=5
        )
    return world


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("query", DASHBOARD_QUERIES)
def test_the_funnel_per_region_is_the_pages_cell_for_cell(funnel_rows, persona, query):
    user = PERSONA_USERS[FIXTURE.get(persona, persona)](funnel_rows)
    data = _dashboard_query(funnel_rows, query)
    table = _page_table(client_for(user), data, "by_region")

    response = _bearer(user).get(reverse("api:dashboard_funnel"), data)

    if not isinstance(table, int):
        assert response.status_code == 200
        body = response.json()
        assert [column["label"] for column in body["columns"]] == [
            str(h) for h in table.headers[1:]
        ]
        keys = [column["key"] for column in body["columns"]]
        page = [(row[0].value, [(cell.value, cell.text) for cell in row[1:]]) for row in table.rows]
        api = [
            (
                region["name"],
                [(region["counts"][k]["value"], region["counts"][k]["text"]) for k in keys],
            )
            for region in body["regions"]
        ]
        assert api == page
        assert body["protected"] == table.protected
        if persona in ("programme", "dprd") and not query:
            assert suppression.SMALL in {text for _name, cells in api for _value, text in cells}
    else:
        assert response.status_code == table == 404


def test_the_funnel_hides_small_counts_and_their_complements_as_the_page(funnel_rows):
    """In a planning forum province B counts 2, a small count ("<5"), and province A 7,
    which would give B's away from the column's total ("·")."""
    world = funnel_rows
    hidden = _bearer(PERSONA_USERS["programme"](world)).get(reverse("api:dashboard_funnel"))
    exact = _bearer(PERSONA_USERS["facilitator"](world)).get(reverse("api:dashboard_funnel"))

    hidden, exact = hidden.json(), exact.json()
    assert hidden["level"] == "province"
    by_code = {region["code"]: region["counts"] for region in hidden["regions"]}
    alfa, beta = by_code[world.regency_a.province.code], by_code["81"]
    assert (alfa["recorded"], beta["recorded"]) == (
        {"value": 17, "text": "17"},
        {"value": 6, "text": "6"},
    )
    assert beta["planning_forum"] == {"value": None, "text": "<5"}
    assert alfa["planning_forum"] == {"value": None, "text": "·"}
    assert alfa["planned"] == {"value": 0, "text": "0"}
    assert hidden["protected"] is True
    assert exact["level"] == "regency"
    assert [r["counts"]["planning_forum"]["value"] for r in exact["regions"]] == [7]
    assert exact["protected"] is False


def test_the_funnel_for_dprd_staff_hides_a_small_count(funnel_rows):
    dprd = PERSONA_USERS["dprd"](funnel_rows)

    body = _bearer(dprd).get(reverse("api:dashboard_funnel")).json()

    counts = [(r["counts"]["recorded"], r["counts"]["planning_forum"]) for r in body["regions"]]
    assert counts == [({"value": 12, "text": "12"}, {"value": None, "text": "<5"})]


def test_the_funnel_outside_the_scope_answers_404(world):
    facilitator_b = _bearer(PERSONA_USERS["facilitator_b"](world))

    region = {"region": world.regency_a.code}
    assert facilitator_b.get(reverse("api:dashboard_funnel"), region).status_code == 404
    assert facilitator_b.get(reverse("api:dashboard_money"), region).status_code == 404


def test_an_invalid_dashboard_filter_answers_400(world):
    programme = _bearer(PERSONA_USERS["programme"](world))

    response = programme.get(reverse("api:dashboard_money"), {"start": "kemarin"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"start"}


@pytest.fixture
def money(world):
    """Budget outcomes of fiscal 2025 in both regencies, with amounts a float would round."""
    a1 = f.AspirationFactory(group=world.group_a1)
    f.BudgetOutcomeFactory(
        aspiration=a1,
        amount=Decimal("123456789012.35"),
        realised_amount=Decimal("0.10"),
    )
    f.BudgetOutcomeFactory(
        aspiration=a1, amount=Decimal("0.20"), realised_amount=Decimal("100000000000.01")
    )
    f.BudgetOutcomeFactory(
        aspiration=f.AspirationFactory(group=world.group_b1), amount=Decimal("1500000.00")
    )
    return world


@pytest.mark.parametrize("persona", SIGNED_IN)
@pytest.mark.parametrize("query", [{}, {"start": "2025-01-01", "end": "2025-06-30"}])
def test_the_money_is_the_pages_in_exact_rupiah(money, persona, query):
    user = PERSONA_USERS[FIXTURE.get(persona, persona)](money)
    page = client_for(user)

    body = _bearer(user).get(reverse("api:dashboard_money"), query).json()

    for by, rows_key in (("regency", "regencies"), ("topic", "topics")):
        table = _page_table(page, query, f"money_{by}")
        expected = [
            (name.value, str(budgeted.value), str(realised.value), outcomes.value)
            for name, budgeted, realised, outcomes in table.rows
        ]
        got = [(r["name"], r["budgeted"], r["realised"], r["outcomes"]) for r in body[rows_key]]
        assert got == expected


def test_the_money_amounts_are_exact_decimal_strings(money):
    body = _bearer(PERSONA_USERS["programme"](money)).get(reverse("api:dashboard_money")).json()

    by_name = {row["name"]: row for row in body["regencies"]}
    alfa = by_name["Kabupaten Alfa"]
    assert (alfa["budgeted"], alfa["realised"], alfa["outcomes"]) == (
        "123456789012.55",
        "100000000000.11",
        2,
    )
    assert by_name["Kota Beta"]["budgeted"] == "1500000.00"
    assert body["first_fiscal_year"] is None


def test_the_openapi_document_describes_the_dashboard_tables(world):
    schema = Client().get(reverse("api:openapi-json")).json()

    components = schema["components"]["schemas"]
    assert set(components["DashboardFunnelOut"]["properties"]) == {
        "level",
        "columns",
        "regions",
        "protected",
    }
    assert components["MoneyRowOut"]["properties"]["budgeted"]["type"] == "string"
    money_parameters = schema["paths"]["/api/v1/dashboard/money"]["get"]["parameters"]
    assert {"region", "group", "start", "end", "topic"} <= {p["name"] for p in money_parameters}


def test_the_dashboard_tables_take_a_bounded_number_of_queries(rows):
    client = _bearer(PERSONA_USERS["facilitator"](rows))
    client.get(reverse("api:dashboard_funnel"))  # warm the content types

    with CaptureQueriesContext(connection) as funnel:
        client.get(reverse("api:dashboard_funnel"), {"region": rows.regency_a.code})
    with CaptureQueriesContext(connection) as money:
        client.get(reverse("api:dashboard_money"), {"region": rows.regency_a.code})

    assert len(funnel) <= 8
    # The regency's villages, whether it is whole to the facilitator and her groups'
    # aspirations elsewhere (``summaries.usable``), then the cells.
    assert len(money) <= 12
