"""Home pages: an officer lands on their group, a facilitator on their regency's groups."""

import datetime

import factory
from django.urls import reverse

from aspirations.stages import Stage
from tests import factories as f
from tests.helpers import same_queries_with_more_rows


def test_home_officer_counts_latest_and_waiting(officer, world, settings):
    settings.STALE_ASPIRATION_DAYS = 60
    f.MemberFactory(group=world.group_a1, sex="F", is_poor=True)
    f.MemberFactory(group=world.group_a1, sex="F")
    f.MemberFactory(group=world.group_a1, sex="M", is_poor=True)
    f.MemberFactory(group=world.group_a1, sex="F", is_poor=True, left_on=datetime.date(2025, 1, 1))
    f.MemberFactory.create_batch(3, group=world.group_a2, sex="F", is_poor=True)
    old = datetime.date(2020, 1, 1)
    f.AspirationFactory(group=world.group_a1, title="Lama menunggu", stage_changed_on=old)
    f.AspirationFactory(
        group=world.group_a1, title="Sudah terwujud", stage=Stage.REALISED, stage_changed_on=old
    )
    f.AspirationFactory(group=world.group_a2, title="Milik Melati", stage_changed_on=old)

    response = officer.get(reverse("home"))

    assert response.context["counts"] == {"total": 3, "women": 2, "poor_women": 1}
    assert [a.title for a in response.context["waiting"]] == ["Lama menunggu"]
    assert "Milik Melati" not in response.text
    assert "Lama menunggu" in response.text


def test_home_facilitator_lists_regency_groups(facilitator, world):
    f.MemberFactory.create_batch(2, group=world.group_a2, sex="F", is_poor=True)

    response = facilitator.get(reverse("home"))

    groups = {g.name: g for g in response.context["groups"]}
    assert sorted(groups) == ["KK Mawar", "KK Melati"]
    assert groups["KK Melati"].members_poor_women == 2
    assert "KK Anggrek" not in response.text


def test_home_facilitator_same_query_count_with_more_groups(
    facilitator, world, django_assert_num_queries
):
    def add_rows():
        for group in f.ConstituentGroupFactory.create_batch(
            10, village=world.village_a2, name=factory.Sequence(lambda n: f"KK Baru {n}")
        ):
            f.MemberFactory.create_batch(2, group=group)
            f.AspirationFactory(group=group)

    response = same_queries_with_more_rows(
        facilitator, reverse("home"), add_rows, django_assert_num_queries
    )

    assert len(response.context["groups"]) == 12
