"""Signing in and out: the login page, where it lands, the one-tap sign-out, the idle timeout
and the login error."""

import pytest
from django.test import Client
from django.urls import reverse

from kk_portal.scoping import Role
from tests import factories as f


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


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


def test_login_wrong_password_message_names_the_field_once(db, client):
    f.UserFactory(username="pengurus-satu")

    response = client.post(
        reverse("login"), {"username": "pengurus-satu", "password": "salah-sandi"}
    )

    text = response.content.decode()
    assert "Masukkan nama pengguna dan sandi yang benar." in text
    assert "nama pengguna nama pengguna" not in text
