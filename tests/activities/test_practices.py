"""Replicated practices: recording one, groups taking it up, the list and its scope."""

import datetime
import uuid

import pytest
from django.urls import reverse

from activities.models import PracticeAdoption, ReplicatedPractice
from tests import factories as f
from tests.helpers import same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")


def _practice_data(**changes):
    data = {
        "name": "Pertanian  alami",
        "description": "Kompos dan pestisida nabati.",
        "started_on": "2019-06-01",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_officer_records_practice_of_her_group_once_on_double_tap(officer, world):
    data = _practice_data()

    first = officer.post(reverse("activities:practice_create"), data)
    second = officer.post(reverse("activities:practice_create"), data)

    practice = ReplicatedPractice.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == practice.get_absolute_url()
    assert (practice.name, practice.group, practice.started_on) == (
        "Pertanian alami",
        world.group_a1,
        datetime.date(2019, 6, 1),
    )
    page = officer.get(practice.get_absolute_url()).content.decode()
    assert "Started by KK Mawar on 1 Jun 2019" in page


def test_practice_starting_after_today_is_refused_beside_the_date(officer):
    response = officer.post(
        reverse("activities:practice_create"), _practice_data(started_on="2099-01-01")
    )

    assert response.context["form"].errors == {
        "started_on": ["The practice cannot start after today."]
    }
    assert not ReplicatedPractice.objects.exists()


def _adopt(client, practice, group, day="2021-02-01", token=None):
    return client.post(
        reverse("activities:practice_adopt", args=[practice.pk]),
        {
            "group": group.pk,
            "adopted_on": day,
            "submission_token": token or str(uuid.uuid4()),
        },
    )


def test_facilitator_records_groups_taking_it_up_once_each(facilitator, world):
    practice = f.ReplicatedPracticeFactory(group=world.group_a1)
    token = str(uuid.uuid4())

    assert _adopt(facilitator, practice, world.group_a2, token=token).status_code == 302
    assert _adopt(facilitator, practice, world.group_a2, token=token).status_code == 302
    again = _adopt(facilitator, practice, world.group_a2)

    assert again.status_code == 400
    assert again.context["adopt_form"].errors == {
        "group": ["This group has already taken up the practice."]
    }
    assert PracticeAdoption.objects.count() == 1
    page = facilitator.get(practice.get_absolute_url()).content.decode()
    assert "KK Melati" in page and "1 Feb 2021" in page


def test_taking_up_before_the_practice_started_is_refused_beside_the_date(facilitator, world):
    practice = f.ReplicatedPracticeFactory(
        group=world.group_a1, started_on=datetime.date(2020, 5, 1)
    )

    response = _adopt(facilitator, practice, world.group_a2, day="2020-04-30")

    assert response.context["adopt_form"].errors == {
        "adopted_on": ["The practice started on 01/05/2020; write that day or later."]
    }
    assert not PracticeAdoption.objects.exists()


def test_the_group_that_started_it_is_not_offered(officer, world):
    practice = f.ReplicatedPracticeFactory(group=world.group_a1)

    response = officer.get(practice.get_absolute_url())

    assert response.context["adopt_form"] is None


def test_officer_of_a_group_that_took_it_up_sees_it(officer_b, world):
    practice = f.ReplicatedPracticeFactory(group=world.group_a1)
    other = f.ReplicatedPracticeFactory(group=world.group_a1)
    f.PracticeAdoptionFactory(practice=practice, group=world.group_a2)

    response = officer_b.get(reverse("activities:practice_list"))

    assert [p.name for p in response.context["page_obj"]] == [practice.name]
    assert officer_b.get(other.get_absolute_url()).status_code == 404


def test_list_filters_by_group_that_took_it_up_and_shows_how_many(facilitator, world):
    practice = f.ReplicatedPracticeFactory(group=world.group_a1, name="Simpan pinjam")
    f.ReplicatedPracticeFactory(group=world.group_a1)
    f.PracticeAdoptionFactory(practice=practice, group=world.group_a2)

    response = facilitator.get(reverse("activities:practice_list"), {"group": world.group_a2.pk})

    assert [p.name for p in response.context["page_obj"]] == ["Simpan pinjam"]
    assert "taken up by 1 group" in response.content.decode()


def test_group_page_links_to_its_practices(facilitator, world):
    page = facilitator.get(reverse("groups:detail", args=[world.group_a1.pk])).content.decode()

    assert f"{reverse('activities:practice_list')}?group={world.group_a1.pk}" in page


def test_practice_list_same_query_count_with_more_rows(
    facilitator, world, django_assert_num_queries
):
    f.ReplicatedPracticeFactory(group=world.group_a1)

    def more():
        for _ in range(5):
            practice = f.ReplicatedPracticeFactory(group=world.group_a2)
            f.PracticeAdoptionFactory(practice=practice, group=world.group_a1)

    same_queries_with_more_rows(
        facilitator, reverse("activities:practice_list"), more, django_assert_num_queries
    )
