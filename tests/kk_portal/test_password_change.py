"""A changed password ends the account's other sessions (Django's session auth hash): the
user's own change keeps the session that made it, a facilitator's new password for an
officer ends all of the officer's."""

import pytest
from django.test import Client
from django.urls import reverse

from kk_portal.scoping import Role
from tests import factories as f
from tests.helpers import sign_in


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


def signed_in(client):
    return client.get(reverse("home")).status_code == 200


def test_own_password_change_signs_out_the_other_sessions_only(world, officer_a1_account):
    phone = sign_in("ketua-mawar", "rahasia-123")
    laptop = sign_in("ketua-mawar", "rahasia-123")

    response = phone.post(
        reverse("password_change"),
        {
            "old_password": "rahasia-123",
            "new_password1": "Sandi-Baru-Mawar-9",
            "new_password2": "Sandi-Baru-Mawar-9",
        },
        follow=True,
    )

    assert "Kata sandi Anda telah diubah." in response.text
    assert signed_in(phone)
    assert not signed_in(laptop)
    assert laptop.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_facilitator_reset_signs_out_every_session_of_the_officer(
    facilitator, world, officer_a1_account
):
    phone = sign_in("ketua-mawar", "rahasia-123")

    facilitator.post(
        reverse("officers:password", args=[officer_a1_account.pk]),
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert not signed_in(phone)
    assert signed_in(facilitator)
    assert sign_in("ketua-mawar", "Sandi-Baru-Mawar-9") is not None


def test_wrong_old_password_changes_nothing_and_keeps_other_sessions(world, officer_a1_account):
    phone = sign_in("ketua-mawar", "rahasia-123")
    laptop = sign_in("ketua-mawar", "rahasia-123")

    response = phone.post(
        reverse("password_change"),
        {
            "old_password": "bukan-ini",
            "new_password1": "Sandi-Baru-Mawar-9",
            "new_password2": "Sandi-Baru-Mawar-9",
        },
    )

    assert response.status_code == 200
    assert signed_in(laptop)


def test_account_page_links_to_the_password_change(officer):
    response = officer.get(reverse("account"))

    assert "<h1>Akun saya</h1>" in response.text
    assert f'href="{reverse("password_change")}"' in response.text
    assert officer.user.username in response.text


def test_every_page_links_to_the_account(officer):
    response = officer.get(reverse("home"))

    assert f'href="{reverse("account")}"' in response.text


def test_anonymous_password_change_goes_to_sign_in():
    response = Client().get(reverse("password_change"))

    assert response["Location"].startswith(reverse("login"))
