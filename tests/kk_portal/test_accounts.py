"""Officer accounts (``kk_portal.account_views``): facilitators manage their regency's
officers, administrators every officer, without e-mail."""

import pytest
from django.test import Client
from django.urls import reverse

from kk_portal.models import User
from kk_portal.scoping import Role
from tests import factories as f
from tests.helpers import same_queries_with_more_rows, sign_in
from tests.kk_portal.access import ACCESS

ROLES = ["officer", "officer_b", "facilitator", "facilitator_b", "programme", "dprd"]


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


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
    assert sign_in(username="sekretaris-melati", password="Kelompok-Melati-2024")


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
    assert not sign_in(username="ketua-mawar", password="rahasia-123")


def test_officer_password_reset_by_facilitator(facilitator, officer_a1_account):
    response = facilitator.post(
        reverse("officers:password", args=[officer_a1_account.pk]),
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert response.status_code == 302
    assert sign_in(username="ketua-mawar", password="Sandi-Baru-Mawar-9")
    assert not sign_in(username="ketua-mawar", password="rahasia-123")


def test_officer_password_reset_other_regency_404(facilitator_b, officer_a1_account):
    response = facilitator_b.post(
        reverse("officers:password", args=[officer_a1_account.pk]),
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert response.status_code == 404
    assert sign_in(username="ketua-mawar", password="rahasia-123")


def test_officer_accounts_never_reach_non_officers(facilitator, world):
    programme = f.UserFactory(username="staf-program", role=Role.PROGRAMME)

    response = facilitator.get(reverse("officers:password", args=[programme.pk]))

    assert response.status_code == 404


def test_officer_list_same_query_count_1_and_50_rows(
    facilitator, world, officer_a1_account, django_assert_num_queries
):
    def add_rows():
        for n in range(49):
            f.UserFactory(username=f"pengurus-{n}", role=Role.OFFICER, group=world.group_a2)

    response = same_queries_with_more_rows(
        facilitator, reverse("officers:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50


def test_officer_accounts_admin_sees_every_regency(admin_client_, world):
    from kk_portal.scoping import Role

    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    f.UserFactory(username="ketua-anggrek", role=Role.OFFICER, group=world.group_b1)

    response = admin_client_.get(reverse("officers:list"))

    assert response.status_code == 200
    assert "ketua-mawar" in response.text and "ketua-anggrek" in response.text
    menu = admin_client_.get(reverse("home")).text
    assert 'href="/accounts/officers/"' in menu


def test_officer_accounts_admin_creates_and_deactivates_in_any_group(admin_client_, world):
    from kk_portal.models import User
    from kk_portal.scoping import Role

    response = admin_client_.post(
        reverse("officers:create"),
        {
            "username": "ketua-anggrek",
            "first_name": "Yosina",
            "group": world.group_b1.pk,
            "password1": "Kelompok-Anggrek-2024",
            "password2": "Kelompok-Anggrek-2024",
        },
    )
    officer = User.objects.get(username="ketua-anggrek")
    admin_client_.post(reverse("officers:active", args=[officer.pk]), {"active": "0"})

    officer.refresh_from_db()
    assert response.status_code == 302
    assert (officer.role, officer.group, officer.is_active) == (Role.OFFICER, world.group_b1, False)
