"""Pages for signed-in users are never kept by a browser or proxy
(``NoStoreForSignedInMiddleware``): a shared phone shows no member's data to the next person
who opens its history. Static files and pages for visitors stay cacheable."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f


def cache_control(response):
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part}


@pytest.mark.parametrize(
    "page",
    [
        lambda rows: reverse("home"),
        lambda rows: reverse("members:list"),
        lambda rows: reverse("members:detail", args=[rows.member.pk]),
        lambda rows: reverse("members:export") + "?format=csv",
        lambda rows: reverse("members:detail", args=[999_999]),  # a 404 page
        lambda rows: reverse("aspirations:list"),
    ],
    ids=["home", "member list", "member", "member export", "not found", "aspirations"],
)
def test_signed_in_pages_are_sent_no_store(officer, world, page):
    rows = type("Rows", (), {"member": f.MemberFactory(group=world.group_a1)})

    response = officer.get(page(rows))

    assert {"no-store", "no-cache", "private"} <= cache_control(response)


def test_admin_pages_are_sent_no_store(admin_client_):
    response = admin_client_.get(reverse("admin:kk_portal_user_changelist"))

    assert response.status_code == 200
    assert "no-store" in cache_control(response)


def test_static_files_stay_cacheable_for_signed_in_users(settings, officer):
    settings.WHITENOISE_USE_FINDERS = True  # no collectstatic has run in the suite
    client = Client()  # a new client, so that WhiteNoise reads the setting
    client.force_login(officer.user)

    response = client.get("/static/css/app.css")

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)


def test_public_tracker_for_visitors_is_not_marked_no_store(world):
    response = Client().get(reverse("tracker:index"))

    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
