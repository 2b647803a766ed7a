"""The dashboard's figures of the groups' own work: activities and participants, public
roles, budget access; their drill-down links and small-cell suppression."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f
from tests.helpers import csv_rows, same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")


def _table(response, key):
    return next(t for t in response.context["tables"] if t.key == key)


def _texts(table):
    return [[cell.text for cell in row] for row in table.rows]


@pytest.fixture
def work(world):
    """Two activities in group A1 (5 present: 4 women, 2 poor, 1 with a disability), one
    in group B1; roles held by two women of A1 (one more ended); budget access in A1, B1."""
    training = f.ActivityFactory(group=world.group_a1, kind="training")
    for sex, poor, disability in [("F", True, False), ("F", True, True), ("M", False, False)]:
        f.AttendanceFactory(activity=training, sex=sex, is_poor=poor, has_disability=disability)
    discussion = f.ActivityFactory(group=world.group_a1, held_on=datetime.date(2024, 2, 1))
    f.AttendanceFactory.create_batch(2, activity=discussion, sex="F")
    f.AttendanceFactory(activity=f.ActivityFactory(group=world.group_b1), sex="F")
    woman = f.MemberFactory(group=world.group_a1, sex="F")
    f.PublicRoleFactory(member=woman, kind="bpd")
    f.PublicRoleFactory(member=woman, kind="rt_head", ended_on=datetime.date(2022, 1, 1))
    f.PublicRoleFactory(member=f.MemberFactory(group=world.group_a1, sex="F"), kind="pkk")
    f.BudgetAccessFactory(group=world.group_a1, amount=Decimal("15000000"), year=2024)
    f.BudgetAccessFactory(group=world.group_b1, source="csr", amount=Decimal("5000000"))
    return world


def test_facilitator_counts_her_regency_activities_by_kind_with_links(facilitator, work):
    response = facilitator.get(reverse("dashboard:index"))

    table = _table(response, "activities_kind")
    assert _texts(table) == [
        ["discussion", "1", "2", "2", "0", "0", "0"],
        ["training", "1", "3", "2", "1", "2", "1"],
    ]
    assert table.rows[1][1].url == reverse("activities:list") + "?kind=training"
    linked = facilitator.get(table.rows[1][1].url)
    assert linked.context["page_obj"].paginator.count == 1


def test_period_narrows_the_activities(facilitator, work):
    response = facilitator.get(
        reverse("dashboard:index"), {"start": "2025-01-01", "end": "2025-12-31"}
    )

    assert _texts(_table(response, "activities_kind")) == [
        ["training", "1", "3", "2", "1", "2", "1"]
    ]


def test_programme_sees_counts_with_small_cells_suppressed_and_no_links(programme, work):
    response = programme.get(reverse("dashboard:index"))

    table = _table(response, "activities_region")
    assert [row[2].text for row in table.rows] == ["2", "1"]
    # The other region's small count of people present is hidden, so this one is too: "·".
    assert table.rows[0][3].text == "·"
    assert table.rows[0][4].text == "<5"
    # Only the region's name links, to its own dashboard a level down; no count links.
    assert all(not cell.url for row in table.rows for cell in row[1:])
    assert [row[0].url for row in table.rows] == [
        f"/dashboard/?region={row[1].value}" for row in table.rows
    ]


def test_women_in_public_roles_by_kind_held_today(facilitator, work):
    response = facilitator.get(reverse("dashboard:index"))

    table = _table(response, "roles_kind")
    assert _texts(table) == [
        ["village council (BPD)", "1", "1", "0"],
        ["village institution: PKK", "1", "1", "0"],
    ]
    linked = facilitator.get(table.rows[0][2].url)
    assert linked.context["page_obj"].paginator.count == 1


def test_budget_by_source_adds_rupiah_and_links_to_its_list(programme, work):
    response = programme.get(reverse("dashboard:index"))

    table = _table(response, "budget_source")
    assert [(row[0].text, row[1].value, row[2].value) for row in table.rows] == [
        ("village budget (APBDes)", 1, Decimal("15000000")),
        ("company (CSR)", 1, Decimal("5000000")),
    ]
    linked = programme.get(table.rows[0][1].url)
    assert linked.context["page_obj"].paginator.count == 1


def test_roles_table_exports_as_csv(facilitator, work):
    response = facilitator.get(
        reverse("dashboard:export_table", args=["roles_kind"]), {"format": "csv"}
    )

    assert csv_rows(response)[1] == ["village council (BPD)", "1", "1", "0"]


def test_dashboard_same_query_count_with_more_activities(
    facilitator, work, django_assert_num_queries
):
    def more():
        for _ in range(10):
            activity = f.ActivityFactory(group=work.group_a2, kind="study_visit")
            f.AttendanceFactory.create_batch(2, activity=activity)
            f.PublicRoleFactory(member=f.MemberFactory(group=work.group_a2), kind="posyandu")
            f.BudgetAccessFactory(group=work.group_a2, source="apbd")
        # The median days are kept in the cache for the regency (``summaries.scope_cached``):
        # both pages compute them.
        cache.clear()

    same_queries_with_more_rows(
        facilitator, reverse("dashboard:index"), more, django_assert_num_queries
    )


def test_roles_held_at_each_years_end_link_to_the_roles_held_that_day(facilitator, work):
    response = facilitator.get(
        reverse("dashboard:index"), {"start": "2020-01-01", "end": "2023-06-30"}
    )

    table = _table(response, "roles_year_end")
    assert [[cell.text for cell in row[:3]] for row in table.rows] == [
        ["2020", "0", "0"],
        ["2021", "3", "3"],
        ["2022", "2", "2"],
        ["2023", "2", "2"],
    ]
    assert "held_on=2023-06-30" in table.rows[3][1].url
    linked = facilitator.get(table.rows[1][2].url)
    assert linked.context["page_obj"].paginator.count == 3


def test_roles_taken_up_each_year_link_to_the_roles_taken_up_that_year(facilitator, work):
    ended = f.MemberFactory(group=work.group_a1, sex="F")
    f.PublicRoleFactory(
        member=ended,
        started_on=datetime.date(2019, 3, 1),
        ended_on=datetime.date(2019, 12, 1),
    )

    response = facilitator.get(reverse("dashboard:index"))

    table = _table(response, "roles_year")
    for row in table.rows:
        for cell in row[1:4]:
            if cell.value:
                linked = facilitator.get(cell.url)
                assert linked.context["page_obj"].paginator.count == cell.value, cell.url
    year_2019 = next(row for row in table.rows if row[0].text == "2019")
    assert "held_on" not in year_2019[2].url
    linked = facilitator.get(year_2019[2].url)
    assert str(ended) in [str(role.member) for role in linked.context["page_obj"]]


def test_roles_held_by_poor_women_link_to_exactly_those_roles(facilitator, work):
    poor = f.MemberFactory(group=work.group_a1, sex="F", is_poor=True)
    f.PublicRoleFactory(member=poor, kind="bpd")
    f.PublicRoleFactory(member=f.MemberFactory(group=work.group_a1, sex="M", is_poor=True))

    response = facilitator.get(reverse("dashboard:index"))

    table = _table(response, "roles_kind")
    bpd = next(row for row in table.rows if row[0].text == "village council (BPD)")
    assert bpd[3].text == "1"
    linked = facilitator.get(bpd[3].url)
    assert [str(role.member) for role in linked.context["page_obj"]] == [str(poor)]


@pytest.mark.parametrize("column", [2, 3, 4, 5, 6])
def test_each_people_count_links_to_a_list_of_that_many_attendees(facilitator, work, column):
    response = facilitator.get(reverse("dashboard:index"))

    for key in ("activities_kind", "activities_topic", "activities_region"):
        table = _table(response, key)
        offset = 1 if key == "activities_region" else 0
        for row in table.rows:
            cell = row[column + offset]
            if not cell.value:
                assert not cell.url
                continue
            linked = facilitator.get(cell.url)
            assert linked.context["page_obj"].paginator.count == cell.value, (key, row[0].text)


def test_attendance_list_shows_who_attended_and_narrows_by_person(facilitator, work):
    response = facilitator.get(
        reverse("activities:attendance_list"), {"kind": "training", "poor": "true"}
    )

    assert response.context["page_obj"].paginator.count == 2
    assert "2 present" in response.content.decode()
    assert response.content.decode().count("training: ") == 2


def test_attendance_list_same_query_count_with_more_rows(
    facilitator, work, django_assert_num_queries
):
    def more():
        member = f.MemberFactory(group=work.group_a2)
        for _ in range(5):
            activity = f.ActivityFactory(group=work.group_a2)
            f.AttendanceFactory(activity=activity, member=member, full_name="")
            f.AttendanceFactory(activity=activity)

    same_queries_with_more_rows(
        facilitator, reverse("activities:attendance_list"), more, django_assert_num_queries
    )


def test_practices_replicated_by_region_link_to_the_practices_they_count(programme, world):
    natural = f.ReplicatedPracticeFactory(group=world.group_a1)
    f.PracticeAdoptionFactory(practice=natural, group=world.group_a2)
    f.PracticeAdoptionFactory(practice=natural, group=world.group_b1)
    f.ReplicatedPracticeFactory(group=world.group_a2)
    f.ReplicatedPracticeFactory(group=world.group_b1)

    response = programme.get(reverse("dashboard:index"))

    table = _table(response, "practices_region")
    assert [[cell.text for cell in row[2:]] for row in table.rows] == [
        ["2", "1", "2"],
        ["1", "0", "0"],
    ]
    for row in table.rows:
        for cell in row[2:4]:
            if cell.value:
                linked = programme.get(cell.url)
                assert linked.context["page_obj"].paginator.count == cell.value
