"""The aspiration list at national scale: cheap filter choices for programme staff, a capped
count when unfiltered, an exact count when filtered."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations import views
from tests import factories as f


@pytest.fixture
def programme(programme):
    """Programme staff reading the pages in English."""
    programme.cookies["django_language"] = "en"
    return programme


def _options(response, name):
    return [str(pk) for pk, _label in response.context["filter"].form.fields[name].widget.choices]


def test_aspiration_list_unfiltered_count_capped_says_more_than(
    programme, world, topic, monkeypatch
):
    monkeypatch.setattr(views, "UNFILTERED_COUNT_LIMIT", 2)
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group, topic=topic)

    response = programme.get(reverse("aspirations:list"))

    assert "More than 2 aspirations" in response.text
    assert len(response.context["page_obj"]) == 3


def test_aspiration_list_filtered_count_stays_exact(programme, world, topic, monkeypatch):
    monkeypatch.setattr(views, "UNFILTERED_COUNT_LIMIT", 2)
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group, topic=topic)

    response = programme.get(reverse("aspirations:list"), {"region": world.regency_a.code})

    assert "More than" not in response.text
    assert "2 aspirations" in response.text
    assert len(response.context["page_obj"]) == 2


def test_aspiration_list_programme_villages_offered_for_chosen_regency_only(programme, world):
    unchosen = programme.get(reverse("aspirations:list"))
    chosen = programme.get(reverse("aspirations:list"), {"region": world.regency_a.code})

    assert _options(unchosen, "village") == [""]
    assert "(choose a regency first)" in unchosen.text
    assert sorted(_options(chosen, "village")) == sorted(
        ["", str(world.village_a1.pk), str(world.village_a2.pk)]
    )
    assert str(world.group_b1.pk) not in _options(chosen, "group")


def test_aspiration_list_programme_village_without_region_filters(programme, world, topic):
    f.AspirationFactory(
        group=world.group_b1, village=world.village_b1, title="Di Beta", topic=topic
    )
    f.AspirationFactory(group=world.group_a1, title="Di Alfa", topic=topic)

    response = programme.get(reverse("aspirations:list"), {"village": world.village_b1.pk})

    assert [a.title for a in response.context["page_obj"]] == ["Di Beta"]
    assert f'<option value="{world.village_b1.pk}" selected>' in response.text


def test_aspiration_list_programme_region_is_a_select(programme, world):
    response = programme.get(reverse("aspirations:list"))

    assert f'<option value="{world.regency_a.code}">' in response.text


def test_aspiration_list_programme_same_queries_with_one_row_and_many(
    programme, world, topic, django_assert_num_queries
):
    f.AspirationFactory(group=world.group_a1, topic=topic)
    url = reverse("aspirations:list")
    programme.get(url)
    # 12, the authenticator device the session was verified with (django-otp) and the page's
    # groups, villages and topics (one query each) among them; none for the village and
    # group choices while no regency is chosen, and no write of the session read a moment
    # after the last one (kk_portal.sessions.EXPIRY_STEP).
    with django_assert_num_queries(12) as one:
        programme.get(url)
    for _n in range(5):
        f.AspirationFactory(group=world.group_b1, topic=topic)
    with django_assert_num_queries(len(one.captured_queries)):
        programme.get(url)


def test_aspiration_list_search_counts_and_lists_its_first_page_in_one_query(
    programme, world, topic, django_assert_num_queries
):
    old, new = datetime.date(2024, 1, 5), datetime.date(2024, 3, 1)
    f.AspirationFactory(group=world.group_a1, topic=topic, title="Sumur bor", raised_on=old)
    f.AspirationFactory(group=world.group_b1, topic=topic, title="Sumur gali", raised_on=new)
    f.AspirationFactory(group=world.group_a2, topic=topic, title="Jalan desa")
    url = reverse("aspirations:list")
    programme.get(url)
    with CaptureQueriesContext(connection) as unfiltered:
        programme.get(url)

    # The unfiltered list counts, then reads its page; the search does both in one query,
    # and on PostgreSQL first looks up the villages and topics its words name (one query).
    searched = 0 if connection.vendor == "postgresql" else -1
    with django_assert_num_queries(len(unfiltered.captured_queries) + searched):
        response = programme.get(url, {"q": "sumur"})

    assert [a.title for a in response.context["page_obj"]] == ["Sumur gali", "Sumur bor"]
    assert "2 aspirations" in response.text
    assert response.context["page_obj"][0].village == world.group_b1.village


def test_aspiration_list_search_capped_still_lists_its_first_page(
    programme, world, topic, monkeypatch
):
    monkeypatch.setattr(views, "UNFILTERED_COUNT_LIMIT", 2)
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group, topic=topic, title="Sumur")

    response = programme.get(reverse("aspirations:list"), {"q": "sumur"})

    assert "More than 2 aspirations" in response.text
    assert len(response.context["page_obj"]) == 3
