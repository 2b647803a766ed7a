"""The dashboard's drill-down: province → regency → subdistrict → village → group, each
level's rows opening the next level's dashboard, a breadcrumb back, the user's scope kept
(a region outside it answers 404) and a query count that does not grow with rows at any
level."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from aspirations.stages import Stage
from tests import factories as f
from tests.helpers import same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")

URL = "/dashboard/"


def tables(response):
    return {table.key: table for table in response.context["tables"]}


def region_rows(response, key="by_region"):
    """``[(label, recorded, query of the label's link)]`` of a region table."""
    rows = []
    for row in tables(response)[key].rows:
        query = parse_qs(urlsplit(row[0].url).query) if row[0].url else {}
        count = row[1].value if key == "by_region" else row[3].value
        rows.append((row[0].text, count, {name: value[0] for name, value in query.items()}))
    return rows


@pytest.fixture
def rows(world):
    """3 aspirations of group A1 (village A1), 2 of A2 (village A2, same subdistrict), 4 of
    B1; 2 members in A1, 1 in A2."""
    f.AspirationFactory.create_batch(3, group=world.group_a1)
    f.AspirationFactory.create_batch(2, group=world.group_a2)
    f.AspirationFactory.create_batch(4, group=world.group_b1)
    f.MemberFactory.create_batch(2, group=world.group_a1)
    f.MemberFactory(group=world.group_a2)
    return world


@pytest.mark.usefixtures("counts_shown")
def test_programme_drills_from_province_to_group(programme, rows):
    world = rows
    regency = world.regency_a
    subdistrict = world.village_a1.subdistrict

    provinces = region_rows(programme.get(URL))
    regencies = region_rows(programme.get(URL, {"region": regency.province.code}))
    subdistricts = region_rows(programme.get(URL, {"region": regency.code}))
    villages = region_rows(programme.get(URL, {"region": subdistrict.code}))
    groups = region_rows(programme.get(URL, {"region": world.village_a1.code}))
    group = programme.get(URL, {"region": world.village_a1.code, "group": world.group_a1.pk})

    assert provinces == [
        ("Maluku", 4, {"region": "81"}),
        (regency.province.name, 5, {"region": regency.province.code}),
    ]
    assert regencies == [("Kabupaten Alfa", 5, {"region": regency.code})]
    assert subdistricts == [(subdistrict.name, 5, {"region": subdistrict.code})]
    assert villages == [
        ("Desa Alfa Dua", 2, {"region": world.village_a2.code}),
        ("Desa Alfa Satu", 3, {"region": world.village_a1.code}),
    ]
    assert groups == [
        ("KK Mawar", 3, {"region": world.village_a1.code, "group": str(world.group_a1.pk)})
    ]
    # The bottom: the group's own row, without a link further down.
    assert region_rows(group) == [("KK Mawar", 3, {})]
    assert tables(group)["by_region"].title == "By group"
    assert [row[1].value for row in tables(group)["funnel"].rows][0] == 3


def test_member_table_drills_down_with_the_same_counts(facilitator, rows):
    world = rows
    subdistrict = world.village_a1.subdistrict

    villages = facilitator.get(URL, {"region": subdistrict.code})
    groups = facilitator.get(URL, {"region": world.village_a1.code})

    assert tables(villages)["members_region"].title == "Groups and members by village"
    # In order of code.
    assert [(label, members) for label, members, _q in region_rows(villages, "members_region")] == [
        ("Desa Alfa Satu", 2),
        ("Desa Alfa Dua", 1),
    ]
    assert tables(groups)["members_region"].title == "Groups and members by group"
    assert [(label, query) for label, _m, query in region_rows(groups, "members_region")] == [
        ("KK Mawar", {"region": world.village_a1.code, "group": str(world.group_a1.pk)})
    ]


@pytest.mark.parametrize("level", ["regency", "subdistrict", "village", "group"])
def test_every_aspiration_count_of_a_level_equals_its_list(facilitator, rows, level):
    world = rows
    f.AspirationFactory(group=world.group_a1, stage=Stage.BUDGETED, furthest_rank=7)
    f.AspirationFactory(
        group=world.group_a2, stage=Stage.WITHDRAWN, stopped_at=Stage.CONVEYED, furthest_rank=2
    )
    params = {
        "regency": {"region": world.regency_a.code},
        "subdistrict": {"region": world.village_a1.subdistrict.code},
        "village": {"region": world.village_a1.code},
        "group": {"region": world.village_a1.code, "group": world.group_a1.pk},
    }[level]

    response = facilitator.get(URL, params)

    links = [
        cell
        for table in response.context["tables"]
        for row in table.rows
        for cell in row
        if cell.url.startswith("/aspirations/")
    ]
    assert len(links) > 10
    for cell in links:
        listed = facilitator.get(cell.url)
        assert listed.context["page_obj"].paginator.count == cell.value, cell.url


def test_programme_breadcrumb_leads_back_to_every_level(programme, rows):
    world = rows
    response = programme.get(URL, {"region": world.village_a1.code, "group": world.group_a1.pk})

    crumbs = response.context["breadcrumb"]

    assert [label for label, _url in crumbs] == [
        "All regions",
        world.regency_a.province.name,
        "Kabupaten Alfa",
        world.village_a1.subdistrict.name,
        "Desa Alfa Satu",
        "KK Mawar",
    ]
    assert crumbs[0][1] == URL
    assert crumbs[2][1] == f"{URL}?region={world.regency_a.code}"
    assert crumbs[-1][1] == ""
    assert 'aria-current="page">KK Mawar</span>' in response.text


def test_facilitator_breadcrumb_starts_at_their_regency(facilitator, rows):
    world = rows
    response = facilitator.get(URL, {"region": world.village_a1.code})

    assert [label for label, _url in response.context["breadcrumb"]] == [
        "Kabupaten Alfa",
        world.village_a1.subdistrict.name,
        "Desa Alfa Satu",
    ]


def test_facilitator_drills_their_regency_by_subdistrict(facilitator, rows):
    world = rows
    response = facilitator.get(URL, {"region": world.regency_a.code})

    assert region_rows(response) == [
        (
            world.village_a1.subdistrict.name,
            5,
            {"region": world.village_a1.subdistrict.code},
        )
    ]


@pytest.mark.parametrize(
    "params",
    [
        lambda w: {"region": w.regency_b.code},
        lambda w: {"region": w.village_b1.subdistrict.code},
        lambda w: {"region": w.village_b1.code},
        lambda w: {"region": w.village_b1.code, "group": w.group_b1.pk},
        lambda w: {"group": w.group_b1.pk},
        # A group of the facilitator's regency named under a village of another.
        lambda w: {"region": w.village_b1.code, "group": w.group_a1.pk},
    ],
)
def test_facilitator_cannot_drill_outside_their_regency(facilitator, rows, params):
    query = params(rows)

    assert facilitator.get(URL, query).status_code == 404
    assert facilitator.get(f"{URL}export/funnel/", query).status_code == 404


def test_dashboard_of_a_group_in_scope_is_open_to_its_officer(officer, rows):
    world = rows
    response = officer.get(URL, {"region": world.village_a1.code, "group": world.group_a1.pk})
    other = officer.get(URL, {"region": world.village_a2.code, "group": world.group_a2.pk})

    assert [row[1].value for row in tables(response)["funnel"].rows][0] == 3
    assert other.status_code == 404


@pytest.mark.usefixtures("counts_shown")
def test_choosing_another_region_on_a_groups_dashboard_leaves_the_group(programme, rows):
    world = rows
    # The form keeps the group in a hidden field; the region select now names regency B.
    response = programme.get(URL, {"region": world.regency_b.code, "group": world.group_a1.pk})

    assert response.context["breadcrumb"][-1][0] == "Kota Beta"
    assert [row[1].value for row in tables(response)["funnel"].rows][0] == 4


def test_an_unknown_group_is_a_form_error(programme, rows):
    response = programme.get(URL, {"group": 999999})

    assert response.status_code == 200
    assert "The filters cannot be applied" in response.text


@pytest.mark.parametrize("value", ["999999", "abc"])
def test_an_unknown_group_is_marked_with_its_id(programme, rows, value):
    # The group is a hidden field (from a drill-down link): its error must still be shown,
    # or "correct the fields marked above" points at nothing.
    response = programme.get(URL, {"group": value})

    assert response.context["form"].errors == {"group": [f"No group has the id {value}."]}
    assert f"No group has the id {value}." in response.text


def test_a_subdistrict_is_read_from_the_rows_not_the_summaries(programme, rows):
    world = rows
    # The summaries are per regency: the subdistrict's figures must still be its own.
    other = f.VillageFactory(subdistrict=f.SubdistrictFactory(regency=world.regency_a))
    f.AspirationFactory.create_batch(
        2, group=f.ConstituentGroupFactory(village=other), village=other
    )

    response = programme.get(URL, {"region": world.village_a1.subdistrict.code})

    assert [row[1].value for row in tables(response)["funnel"].rows][0] == 5


LEVEL_PARAMS = {
    "regency": lambda w: {"region": w.regency_a.code},
    "subdistrict": lambda w: {"region": w.village_a1.subdistrict.code},
    "village": lambda w: {"region": w.village_a1.code},
    "group": lambda w: {"region": w.village_a1.code, "group": w.group_a1.pk},
}


@pytest.mark.parametrize("persona", ["programme", "facilitator"])
@pytest.mark.parametrize("level", list(LEVEL_PARAMS))
def test_query_count_of_a_level_does_not_grow_with_rows(
    request, world, persona, level, django_assert_num_queries
):
    client = request.getfixturevalue(persona)
    f.AspirationFactory(group=world.group_a1)
    f.MemberFactory(group=world.group_a1)
    query = "&".join(f"{name}={value}" for name, value in LEVEL_PARAMS[level](world).items())

    def add_rows():
        cache.clear()
        extra = [
            f.ConstituentGroupFactory(village=world.village_a1, name=f"KK Tambahan {n}")
            for n in range(2)
        ]
        for group in [world.group_a1, world.group_a2, *extra]:
            f.AspirationFactory.create_batch(2, group=group, stage=Stage.BUDGETED, furthest_rank=7)
            f.MemberFactory.create_batch(2, group=group)
            f.BudgetOutcomeFactory(aspiration=group.aspirations.first())
            f.ResesMeetingFactory(representative=world.representative, village=group.village)

    cache.clear()
    response = same_queries_with_more_rows(
        client, f"{URL}?{query}", add_rows, django_assert_num_queries
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("client", 302),
        ("officer", 200),
        ("officer_b", 404),
        ("facilitator", 200),
        ("facilitator_b", 404),
        ("programme", 200),
        ("dprd", 200),
        ("admin_client_", 200),
    ],
)
def test_group_dashboard_answers_each_persona_by_their_scope(request, world, persona, status):
    """The dashboard of group A1 in village A1: open to whoever sees the group (its officer,
    regency A's facilitator, programme staff, the DPRD staff whose district covers village
    A1, administrators), 404 to the others; the query string is not in the access matrix."""
    client = request.getfixturevalue(persona)
    query = {"region": world.village_a1.code, "group": world.group_a1.pk}

    assert client.get(URL, query).status_code == status
    assert client.get(f"{URL}export/by_region/", query).status_code == status
