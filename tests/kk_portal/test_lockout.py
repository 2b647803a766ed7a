"""Failed sign-ins limited per account and per address (``kk_portal.lockout``, django-axes):
the lockout page, its retry time and who unlocks it, the facilitator's unlock."""

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from kk_portal.scoping import Role
from tests import factories as f
from tests.helpers import sign_in


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


def fail(client, username, times, address="10.0.0.1"):
    """Post ``times`` wrong passwords for ``username`` from ``address``; the last response."""
    for _ in range(times):
        response = client.post(
            reverse("login"),
            {"username": username, "password": "salah-sandi"},
            REMOTE_ADDR=address,
        )
    return response


def test_fifth_wrong_password_locks_the_account_with_retry_time_and_who_unlocks(
    world, officer_a1_account
):
    client = Client()

    fourth = fail(client, "ketua-mawar", 4)
    fifth = fail(client, "ketua-mawar", 1)

    assert fourth.status_code == 200
    assert "Masukkan nama pengguna dan sandi yang benar." in fourth.text
    assert fifth.status_code == 429
    assert "Masuk dikunci" in fifth.text
    assert "Coba lagi setelah" in fifth.text
    assert "WITA" in fifth.text
    assert "fasilitator" in fifth.text
    assert "administrator" in fifth.text


def test_locked_account_refuses_the_right_password(world, officer_a1_account):
    client = Client()
    fail(client, "ketua-mawar", 5)

    response = client.post(
        reverse("login"),
        {"username": "ketua-mawar", "password": "rahasia-123"},
        REMOTE_ADDR="10.9.9.9",
    )

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert sign_in("ketua-mawar", "rahasia-123") is None


def test_other_account_on_the_same_address_still_signs_in(world, officer_a1_account):
    f.UserFactory(username="ketua-melati", role=Role.OFFICER, group=world.group_a2)
    client = Client()
    fail(client, "ketua-mawar", 5)

    response = client.post(
        reverse("login"),
        {"username": "ketua-melati", "password": "rahasia-123"},
        REMOTE_ADDR="10.0.0.1",
    )

    assert response.status_code == 302


def test_twenty_failures_from_one_address_lock_the_address(world, officer_a1_account):
    client = Client()
    for number in range(5):
        fail(client, f"tebakan-{number}", 4)  # 20 failures, no account reaches 5

    blocked = client.post(
        reverse("login"),
        {"username": "ketua-mawar", "password": "rahasia-123"},
        REMOTE_ADDR="10.0.0.1",
    )
    elsewhere = Client().post(
        reverse("login"),
        {"username": "ketua-mawar", "password": "rahasia-123"},
        REMOTE_ADDR="10.0.0.2",
    )

    assert blocked.status_code == 429
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_forgets_earlier_failures(world, officer_a1_account):
    client = Client()
    fail(client, "ketua-mawar", 4)
    client.post(reverse("login"), {"username": "ketua-mawar", "password": "rahasia-123"})
    client.post(reverse("logout"))

    response = fail(client, "ketua-mawar", 4)

    assert response.status_code == 200


def test_signing_in_to_another_account_does_not_forget_the_guesses(world, officer_a1_account):
    f.UserFactory(username="penebak", role=Role.OFFICER, group=world.group_a2)
    client = Client()
    fail(client, "ketua-mawar", 4)
    client.post(
        reverse("login"), {"username": "penebak", "password": "rahasia-123"}, REMOTE_ADDR="10.0.0.1"
    )
    client.post(reverse("logout"))

    response = fail(client, "ketua-mawar", 1)

    assert response.status_code == 429


def test_facilitator_sees_the_lock_and_unlocks_the_officer(facilitator, world, officer_a1_account):
    fail(Client(), "ketua-mawar", 5)

    listed = facilitator.get(reverse("officers:list"))
    response = facilitator.post(
        reverse("officers:unlock", args=[officer_a1_account.pk]), follow=True
    )

    assert "dikunci setelah gagal masuk" in listed.text
    assert reverse("officers:unlock", args=[officer_a1_account.pk]) in listed.text
    assert "ketua-mawar dapat mencoba masuk lagi sekarang." in response.text
    assert "dikunci setelah gagal masuk" not in response.text
    assert sign_in("ketua-mawar", "rahasia-123") is not None


@pytest.mark.parametrize("role", ["facilitator_b", "officer", "programme", "dprd"])
def test_unlock_refused_outside_the_rule_leaves_the_lock(request, world, officer_a1_account, role):
    fail(Client(), "ketua-mawar", 5)
    client = request.getfixturevalue(role)

    response = client.post(reverse("officers:unlock", args=[officer_a1_account.pk]))

    assert response.status_code == 404
    assert sign_in("ketua-mawar", "rahasia-123") is None


def test_administrator_unlocks_in_the_admin(admin_client_, world, officer_a1_account):
    fail(Client(), "ketua-mawar", 5)
    attempt = AccessAttempt.objects.get(username="ketua-mawar")

    admin_client_.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert sign_in("ketua-mawar", "rahasia-123") is not None


def test_client_address_behind_one_trusted_proxy(world, officer_a1_account, settings):
    settings.TRUSTED_PROXIES = 1
    client = Client()
    for number in range(20):
        client.post(
            reverse("login"),
            {"username": f"tebakan-{number}", "password": "x"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"1.2.3.{number}, 10.0.0.7",
        )

    same_phone = client.post(
        reverse("login"),
        {"username": "ketua-mawar", "password": "rahasia-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.7",
    )
    other_phone = client.post(
        reverse("login"),
        {"username": "ketua-mawar", "password": "rahasia-123"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.0.0.8",
    )

    assert same_phone.status_code == 429
    assert other_phone.status_code == 302
