"""The search page: each persona finds only the rows of their scope, members only where
the role may see members, in a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.models import Aspiration
from members.models import Member
from tests import factories as f
from tests.access import PERSONAS

URL = reverse("search:results")


@pytest.fixture
def everywhere(world):
    """An aspiration about a road and a member named Ma'ruf in each of the three groups."""
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group, title=f"Perbaikan jalan {group.name}")
        f.MemberFactory(group=group, full_name=f"Ma'ruf {group.name}")


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p not in ("anonymous", "admin")])
def test_search_page_shows_only_the_rows_of_the_personas_scope(request, everywhere, persona):
    client = request.getfixturevalue(persona)

    response = client.get(URL, {"q": "jalan"})
    people = client.get(URL, {"q": "Ma\u2019ruf"})

    user = client.user
    assert {a.pk for a in response.context["page_obj"]} == set(
        Aspiration.objects.visible_to(user).values_list("pk", flat=True)
    )
    assert {m.pk for m in people.context["members"]} == set(
        Member.objects.visible_to(user).values_list("pk", flat=True)
    )


@pytest.mark.parametrize("persona", ["programme", "dprd"])
def test_search_page_has_no_members_section_for_staff_who_see_no_members(
    request, everywhere, persona
):
    response = request.getfixturevalue(persona).get(URL, {"q": "Ma'ruf"})

    assert "KK Mawar" not in response.text
    assert response.context["sees_members"] is False


def test_search_page_lists_what_an_officer_finds_with_links(officer, world, everywhere):
    response = officer.get(URL, {"q": "maruf"})
    mine = Member.objects.get(group=world.group_a1)

    assert [m.full_name for m in response.context["members"]] == ["Ma'ruf KK Mawar"]
    assert f'href="{mine.get_absolute_url()}"' in response.text
    assert 'value="maruf"' in response.text  # the header's box keeps the text


def test_search_page_without_text_lists_nothing(officer, everywhere):
    response = officer.get(URL)

    assert (list(response.context["page_obj"]), response.context["members"]) == ([], [])


def test_search_page_header_box_on_every_page(officer):
    response = officer.get(reverse("home"))

    assert f'action="{URL}"' in response.text
    assert 'name="q"' in response.text


def test_search_page_queries_do_not_grow_with_rows(facilitator, world):
    def add(count):
        for n in range(count):
            f.AspirationFactory(group=world.group_a1, title=f"Perbaikan jalan {n}")
            f.MemberFactory(group=world.group_a2, full_name=f"Yohana Jalan {n}")

    add(1)
    with CaptureQueriesContext(connection) as few:
        facilitator.get(URL, {"q": "jalan"})
    add(30)
    with CaptureQueriesContext(connection) as many:
        response = facilitator.get(URL, {"q": "jalan"})

    assert len(many.captured_queries) == len(few.captured_queries) + 1  # the member count
    # 10: one of them looks up the villages and topics the words name.
    assert len(many.captured_queries) <= 10
    assert response.context["member_count"] == 31
    assert len(response.context["page_obj"]) == 20
