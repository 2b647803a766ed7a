"""Members' public roles and officer terms: forms, services, pages."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from members.models import OfficerTerm, PublicRole
from members.services import officer_term_start
from tests import factories as f
from tests.helpers import refused, same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")


def _role_data(**changes):
    data = {
        "kind": "bpd",
        "description": "",
        "party": "",
        "election_year": "",
        "result": "",
        "started_on": "2023-01-05",
        "ended_on": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_role_recorded_once_and_shown_on_the_member_page(officer, world):
    member = f.MemberFactory(group=world.group_a1)
    data = _role_data()

    officer.post(reverse("members:role_create", args=[member.pk]), data)
    officer.post(reverse("members:role_create", args=[member.pk]), data)
    page = officer.get(member.get_absolute_url())

    assert PublicRole.objects.count() == 1
    assert [r.get_kind_display() for r in page.context["roles"]] == ["village council (BPD)"]


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"ended_on": "2022-01-01"}, ["ended_on"]),
        ({"kind": "candidate_dprd"}, ["party", "election_year"]),
        ({"kind": "candidate_dprd", "party": "PKB", "election_year": "24"}, ["election_year"]),
    ],
)
def test_bad_role_input_gets_field_messages(officer, world, changes, fields):
    member = f.MemberFactory(group=world.group_a1)

    response = officer.post(reverse("members:role_create", args=[member.pk]), _role_data(**changes))

    assert sorted(response.context["form"].errors) == sorted(fields)


def test_end_before_start_is_refused_by_the_database(world):
    member = f.MemberFactory(group=world.group_a1)

    assert refused(
        lambda: PublicRole.objects.create(
            member=member,
            kind="rt_head",
            started_on=datetime.date(2024, 1, 1),
            ended_on=datetime.date(2023, 1, 1),
        )
    )


def test_role_list_filters_women_held_on_a_day(facilitator, world):
    woman = f.MemberFactory(group=world.group_a1, sex="F", full_name="Wa Ode Sitti")
    man = f.MemberFactory(group=world.group_a1, sex="M")
    f.PublicRoleFactory(member=woman, started_on=datetime.date(2020, 1, 1))
    f.PublicRoleFactory(member=man)
    f.PublicRoleFactory(member=woman, ended_on=datetime.date(2021, 12, 31))

    page = facilitator.get(reverse("members:role_list"), {"sex": "F", "held_on": "2025-01-01"})

    assert [str(r.member) for r in page.context["page_obj"]] == ["Wa Ode Sitti"]


def test_role_list_same_query_count_with_more_rows(officer, world, django_assert_num_queries):
    f.PublicRoleFactory(member=f.MemberFactory(group=world.group_a1))

    same_queries_with_more_rows(
        officer,
        reverse("members:role_list"),
        lambda: [
            f.PublicRoleFactory(member=f.MemberFactory(group=world.group_a1)) for _ in range(25)
        ],
        django_assert_num_queries,
    )


def test_new_chair_ends_the_previous_term_and_positions_follow(world):
    old, new = f.MemberFactory.create_batch(2, group=world.group_a1)
    officer_term_start(
        world.group_a1, member=old, position="chair", started_on=datetime.date(2015, 1, 1)
    )

    officer_term_start(
        world.group_a1, member=new, position="chair", started_on=datetime.date(2020, 6, 1)
    )

    old.refresh_from_db()
    new.refresh_from_db()
    terms = OfficerTerm.objects.order_by("started_on")
    assert [(t.member, t.ended_on) for t in terms] == [
        (old, datetime.date(2020, 5, 31)),
        (new, None),
    ]
    assert (old.position, new.position) == ("member", "chair")


def test_officer_of_another_group_is_refused(world):
    with pytest.raises(ValidationError):
        officer_term_start(
            world.group_a1,
            member=f.MemberFactory(group=world.group_a2),
            position="chair",
            started_on=datetime.date(2020, 1, 1),
        )


def test_ending_a_term_before_its_start_is_a_field_error(officer, world):
    term = f.OfficerTermFactory(member=f.MemberFactory(group=world.group_a1))

    response = officer.post(
        reverse("members:officer_end", args=[term.pk]), {"ended_on": "2019-01-01"}
    )

    assert response.context["form"].errors == {
        "ended_on": ["The end date is before the start date."]
    }


@pytest.mark.parametrize("year", ["99999999999999999999", "0", "2025.5"])
def test_role_list_year_no_date_can_hold_is_the_filters_message(facilitator, world, year):
    f.PublicRoleFactory(member=f.MemberFactory(group=world.group_a1))

    page = facilitator.get(reverse("members:role_list"), {"year": year})

    assert page.status_code == 200
    assert page.context["filter"].form.errors["year"]
