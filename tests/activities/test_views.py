"""Activity pages: recording an activity and its attendance, the sheet, the exports."""

import datetime
import uuid

import pytest
from django.urls import reverse

from activities.models import Activity, Attendance
from audit.models import AccessLog, Action
from tests import factories as f
from tests.helpers import csv_rows, same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")


def _activity_data(**changes):
    data = {
        "kind": "training",
        "topic": "village_planning",
        "topic_text": "",
        "held_on": "2025-05-20",
        "place": "Balai desa",
        "resource_person": "Pendamping desa",
        "organiser": "KK Mawar",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_officer_records_activity_of_her_group_once_on_double_tap(officer, world):
    data = _activity_data(groups=[world.group_a2.pk])

    first = officer.post(reverse("activities:create"), data)
    second = officer.post(reverse("activities:create"), data)

    activity = Activity.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == activity.get_absolute_url()
    assert activity.group == world.group_a1
    assert sorted(g.name for g in activity.groups.all()) == ["KK Mawar", "KK Melati"]


def test_other_topic_needs_words(officer):
    response = officer.post(reverse("activities:create"), _activity_data(topic="other"))

    assert response.context["form"].errors == {"topic_text": ["Write the topic in words."]}
    assert Activity.objects.count() == 0


def test_date_that_is_not_a_date_is_a_field_error(officer):
    response = officer.post(reverse("activities:create"), _activity_data(held_on="31/02/2025"))

    assert list(response.context["form"].errors) == ["held_on"]


def test_ticked_members_and_a_guest_make_the_counts(officer, world):
    activity = f.ActivityFactory(group=world.group_a1)
    poor_woman = f.MemberFactory(
        group=world.group_a1, full_name="Wa Ode Sitti", sex="F", is_poor=True
    )
    man = f.MemberFactory(
        group=world.group_a1, full_name="Abdul Rahman", sex="M", has_disability=True
    )
    url = reverse("activities:attendance_members", args=[activity.pk])

    officer.post(url, {"members": [poor_woman.pk, man.pk]})
    officer.post(url, {"members": [poor_woman.pk]})
    officer.post(
        reverse("activities:attendance_guest", args=[activity.pk]),
        {"full_name": "  Ibu  Kepala Dusun ", "sex": "F"},
    )
    page = officer.get(activity.get_absolute_url())

    assert page.context["counts"] == {
        "total": 3,
        "women": 2,
        "men": 1,
        "poor": 1,
        "disability": 1,
    }
    assert [str(row) for row in page.context["attendance"]] == [
        "Abdul Rahman",
        "Ibu Kepala Dusun",
        "Wa Ode Sitti",
    ]


def test_same_guest_twice_is_refused_with_a_message(officer, world):
    activity = f.ActivityFactory(group=world.group_a1)
    url = reverse("activities:attendance_guest", args=[activity.pk])
    officer.post(url, {"full_name": "Maria Goreti", "sex": "F"})

    response = officer.post(url, {"full_name": "maria  goreti", "sex": "F"})

    assert response.status_code == 400
    assert response.context["guest_form"].errors == {
        "full_name": ["This person is already on the attendance list."]
    }
    assert Attendance.objects.count() == 1


def test_member_of_another_group_cannot_be_ticked(officer, world):
    activity = f.ActivityFactory(group=world.group_a1)
    outsider = f.MemberFactory(group=world.group_a2)

    response = officer.post(
        reverse("activities:attendance_members", args=[activity.pk]), {"members": [outsider.pk]}
    )

    assert response.status_code == 400
    assert Attendance.objects.count() == 0


def test_attendance_of_a_future_activity_is_refused(officer, world):
    activity = f.ActivityFactory(group=world.group_a1, held_on=datetime.date(2099, 1, 1))

    response = officer.post(
        reverse("activities:attendance_guest", args=[activity.pk]),
        {"full_name": "Maria", "sex": "F"},
    )

    assert response.context["guest_form"].errors == {
        "full_name": ["The activity has not taken place yet."]
    }


def test_sheet_is_a_pdf_listing_the_members(officer, world):
    activity = f.ActivityFactory(group=world.group_a1)
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar")

    response = officer.get(reverse("activities:sheet", args=[activity.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_attendance_export_lists_people_and_is_logged(facilitator, world):
    activity = f.ActivityFactory(group=world.group_a1)
    member = f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar", is_poor=True)
    f.AttendanceFactory(activity=activity, member=member, full_name="", sex="F", is_poor=True)
    f.AttendanceFactory(activity=activity, full_name="Pak Kades", sex="M")

    response = facilitator.get(
        reverse("activities:attendance_export", args=[activity.pk]), {"format": "csv"}
    )

    assert csv_rows(response)[1:] == [
        ["Pak Kades", "", "male", "no", "no"],
        ["Yohana Mambrasar", "KK Mawar", "female", "yes", "no"],
    ]
    log = AccessLog.objects.data_access().get()
    assert (log.action, log.rows) == (Action.ATTENDANCE_EXPORT, 2)


def test_officer_of_a_group_taking_part_sees_the_activity_but_cannot_edit(officer_b, world):
    activity = f.ActivityFactory(group=world.group_a1, taking_part=[world.group_a2])

    assert officer_b.get(activity.get_absolute_url()).status_code == 200
    assert officer_b.get(reverse("activities:edit", args=[activity.pk])).status_code == 404


def test_activity_list_same_query_count_with_more_rows(
    facilitator, world, django_assert_num_queries
):
    f.AttendanceFactory(activity=f.ActivityFactory(group=world.group_a1))

    def more():
        for _ in range(25):
            activity = f.ActivityFactory(group=world.group_a2)
            f.AttendanceFactory.create_batch(3, activity=activity)

    response = same_queries_with_more_rows(
        facilitator, reverse("activities:list"), more, django_assert_num_queries
    )
    assert len(response.context["page_obj"]) == 20


def test_activity_detail_same_query_count_with_more_people(
    officer, world, django_assert_num_queries
):
    activity = f.ActivityFactory(group=world.group_a1)
    f.AttendanceFactory(activity=activity, member=f.MemberFactory(group=world.group_a1))

    def more():
        for _ in range(10):
            member = f.MemberFactory(group=world.group_a1)
            f.AttendanceFactory(activity=activity, member=member, full_name="")
            f.AttendanceFactory(activity=activity)

    same_queries_with_more_rows(
        officer, activity.get_absolute_url(), more, django_assert_num_queries
    )


def test_budget_amount_typed_with_dots_is_stored_in_rupiah(officer, world):
    data = {
        "source": "apbdes",
        "amount": "Rp 1.500.000",
        "year": "2024",
        "purpose": "savings",
        "description": "",
        "women": "18",
        "men": "2",
        "submission_token": str(uuid.uuid4()),
    }

    officer.post(reverse("activities:budget_create"), data)
    officer.post(reverse("activities:budget_create"), data)
    page = officer.get(reverse("activities:budget_list"))

    row = page.context["page_obj"][0]
    assert (len(page.context["page_obj"]), str(row.amount), row.group) == (
        1,
        "1500000.00",
        world.group_a1,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"amount": "1,5 juta"}, "amount"), ({"year": "2099"}, "year"), ({"amount": "0"}, "amount")],
)
def test_budget_bad_input_gets_a_field_message(officer, changes, field):
    data = {
        "source": "apbdes",
        "amount": "1.500.000",
        "year": "2024",
        "purpose": "savings",
        "women": "1",
        "men": "0",
        "submission_token": str(uuid.uuid4()),
        **changes,
    }

    response = officer.post(reverse("activities:budget_create"), data)

    assert list(response.context["form"].errors) == [field]


def test_budget_list_same_query_count_with_more_rows(programme, world, django_assert_num_queries):
    f.BudgetAccessFactory(group=world.group_a1)

    same_queries_with_more_rows(
        programme,
        reverse("activities:budget_list"),
        lambda: f.BudgetAccessFactory.create_batch(30, group=world.group_b1),
        django_assert_num_queries,
    )


def test_members_offered_are_those_in_the_group_on_the_day(officer, world):
    activity = f.ActivityFactory(group=world.group_a1, held_on=datetime.date(2020, 5, 1))
    f.MemberFactory(group=world.group_a1, full_name="Left Later", left_on=datetime.date(2023, 1, 1))
    f.MemberFactory(
        group=world.group_a1, full_name="Joined Later", joined_on=datetime.date(2022, 1, 1)
    )
    f.MemberFactory(group=world.group_a2, full_name="Other Group")

    page = officer.get(activity.get_absolute_url())

    offered = page.context["members_form"].fields["members"].queryset
    assert [m.full_name for m in offered] == ["Left Later"]
