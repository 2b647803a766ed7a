"""Sign-in, home, and the facilitator's management of officer accounts."""

import datetime

import factory
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.stages import Stage
from kk_portal.models import User
from kk_portal.scoping import Role
from tests import factories as f
from tests.kk_portal.access import ACCESS

ROLES = ["officer", "officer_b", "facilitator", "facilitator_b", "programme", "dprd"]


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


# --- sign in, sign out, idle timeout, language ---------------------------------------------


def test_login_page_in_indonesian_with_english_switch(anonymous):
    response = anonymous.get(reverse("login"))

    assert response.status_code == 200
    assert 'name="language" value="en"' in response.text
    assert '<html lang="id">' in response.text


def test_login_then_lands_on_group_home(world, officer_a1_account):
    client = Client()

    response = client.post(
        reverse("login"), {"username": "ketua-mawar", "password": "rahasia-123"}, follow=True
    )

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "<h1>KK Mawar</h1>" in response.text


def test_logout_is_one_tap_on_every_page(officer):
    response = officer.get(reverse("home"))

    assert f'action="{reverse("logout")}"' in response.text
    officer.post(reverse("logout"))
    assert officer.get(reverse("home")).status_code == 302


def test_session_ends_after_idle_minutes(settings):
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_COOKIE_AGE == 30 * 60


# --- home ----------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    ("role", "links"),
    [
        ("officer", ["/", "/members/", "/aspirations/"]),
        ("facilitator", ["/", "/members/", "/aspirations/", "/accounts/officers/"]),
        ("programme", ["/", "/aspirations/"]),
        ("dprd", ["/", "/aspirations/"]),
    ],
)
def test_nav_links_by_role(request, role, links):
    client = request.getfixturevalue(role)

    text = client.get(reverse("home")).text
    menu = text.split('class="menu"', 1)[1].split("</nav>", 1)[0]

    for link in links:
        assert f'href="{link}"' in menu
    if role in {"programme", "dprd"}:
        assert 'href="/members/"' not in menu
    if role != "facilitator":
        assert 'href="/accounts/officers/"' not in menu


# --- officer accounts (who gets which status: tests/kk_portal/access.py) -------------------


@pytest.mark.parametrize("role", ROLES)
def test_officer_deactivated_only_by_those_the_matrix_lets_in(request, officer_a1_account, role):
    client = request.getfixturevalue(role)
    status = ACCESS["officers:active"].statuses("post")[role]

    response = client.post(
        reverse("officers:active", args=[officer_a1_account.pk]), {"active": "0"}
    )

    officer_a1_account.refresh_from_db()
    assert response.status_code == status
    assert officer_a1_account.is_active is (status != 302)


def test_officer_list_shows_regency_officers_only(facilitator, world, officer_a1_account):
    f.UserFactory(username="ketua-anggrek", role=Role.OFFICER, group=world.group_b1)

    response = facilitator.get(reverse("officers:list"))

    assert "ketua-mawar" in response.text
    assert "ketua-anggrek" not in response.text


def test_officer_create_by_facilitator_can_sign_in(facilitator, world):
    response = facilitator.post(
        reverse("officers:create"),
        {
            "username": "sekretaris-melati",
            "first_name": "Sumiyati",
            "group": world.group_a2.pk,
            "password1": "Kelompok-Melati-2024",
            "password2": "Kelompok-Melati-2024",
        },
    )

    user = User.objects.get(username="sekretaris-melati")
    assert response.status_code == 302
    assert (user.role, user.group, user.first_name) == (Role.OFFICER, world.group_a2, "Sumiyati")
    assert Client().login(username="sekretaris-melati", password="Kelompok-Melati-2024")


def test_officer_create_other_regency_group_is_error(facilitator, world):
    response = facilitator.post(
        reverse("officers:create"),
        {
            "username": "penyusup",
            "first_name": "Penyusup",
            "group": world.group_b1.pk,
            "password1": "Kelompok-Melati-2024",
            "password2": "Kelompok-Melati-2024",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["group"]
    assert not User.objects.filter(username="penyusup").exists()


def test_officer_create_weak_password_has_message(facilitator, world):
    response = facilitator.post(
        reverse("officers:create"),
        {
            "username": "ketua-baru",
            "first_name": "Ketua Baru",
            "group": world.group_a1.pk,
            "password1": "123",
            "password2": "123",
        },
    )

    assert response.context["form"].errors["password2"]
    assert 'value="ketua-baru"' in response.text


def test_officer_deactivated_cannot_sign_in_and_session_ends(facilitator, officer_a1_account):
    session = Client()
    session.force_login(officer_a1_account)

    facilitator.post(reverse("officers:active", args=[officer_a1_account.pk]), {"active": "0"})

    assert session.get(reverse("home")).status_code == 302
    assert not Client().login(username="ketua-mawar", password="rahasia-123")


def test_officer_password_reset_by_facilitator(facilitator, officer_a1_account):
    response = facilitator.post(
        reverse("officers:password", args=[officer_a1_account.pk]),
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert response.status_code == 302
    assert Client().login(username="ketua-mawar", password="Sandi-Baru-Mawar-9")
    assert not Client().login(username="ketua-mawar", password="rahasia-123")


def test_officer_password_reset_other_regency_404(facilitator_b, officer_a1_account):
    response = facilitator_b.post(
        reverse("officers:password", args=[officer_a1_account.pk]),
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert response.status_code == 404
    assert Client().login(username="ketua-mawar", password="rahasia-123")


def test_officer_accounts_never_reach_non_officers(facilitator, world):
    programme = f.UserFactory(username="staf-program", role=Role.PROGRAMME)

    response = facilitator.get(reverse("officers:password", args=[programme.pk]))

    assert response.status_code == 404


def _same_queries_with_more_rows(client, url, add_rows, django_assert_num_queries):
    with CaptureQueriesContext(connection) as one_row:
        client.get(url)
    add_rows()
    with django_assert_num_queries(len(one_row.captured_queries)):
        return client.get(url)


def test_officer_list_same_query_count_1_and_50_rows(
    facilitator, world, officer_a1_account, django_assert_num_queries
):
    def add_rows():
        for n in range(49):
            f.UserFactory(username=f"pengurus-{n}", role=Role.OFFICER, group=world.group_a2)

    response = _same_queries_with_more_rows(
        facilitator, reverse("officers:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50


def test_home_facilitator_same_query_count_with_more_groups(
    facilitator, world, django_assert_num_queries
):
    def add_rows():
        for group in f.ConstituentGroupFactory.create_batch(
            10, village=world.village_a2, name=factory.Sequence(lambda n: f"KK Baru {n}")
        ):
            f.MemberFactory.create_batch(2, group=group)
            f.AspirationFactory(group=group)

    response = _same_queries_with_more_rows(
        facilitator, reverse("home"), add_rows, django_assert_num_queries
    )

    assert len(response.context["groups"]) == 12


def test_aspiration_list_facilitator_same_query_count(
    facilitator, world, django_assert_num_queries
):
    f.AspirationFactory(group=world.group_a1)

    def add_rows():
        f.AspirationFactory.create_batch(25, group=world.group_a1)
        f.AspirationFactory.create_batch(24, group=world.group_a2)

    response = _same_queries_with_more_rows(
        facilitator, reverse("aspirations:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50


def test_member_list_facilitator_same_query_count(facilitator, world, django_assert_num_queries):
    f.MemberFactory(group=world.group_a1)

    def add_rows():
        f.MemberFactory.create_batch(25, group=world.group_a1)
        f.MemberFactory.create_batch(24, group=world.group_a2)

    response = _same_queries_with_more_rows(
        facilitator, reverse("members:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50
