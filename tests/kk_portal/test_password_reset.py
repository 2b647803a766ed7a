"""Password reset that really delivers: with e-mail configured, Django's reset mails a link
that sets a new password; without it, the page says that nothing can be sent and sends the
user to their facilitator, for GET and POST alike."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from kk_portal.scoping import Role
from tests import factories as f
from tests.helpers import sign_in


@pytest.fixture
def officer_with_email(world):
    return f.UserFactory(
        username="ketua-mawar",
        email="mawar@example.org",
        role=Role.OFFICER,
        group=world.group_a1,
    )


@pytest.fixture
def email_on(settings):
    settings.EMAIL_CONFIGURED = True


def test_without_email_the_page_says_so_and_names_the_facilitator(world, officer_with_email):
    client = Client()

    page = client.get(reverse("password_reset"))
    posted = client.post(reverse("password_reset"), {"email": "mawar@example.org"})

    for response in (page, posted):
        assert response.status_code == 200
        assert "Situs ini tidak dapat mengirim e-mail" in response.text
        assert "fasilitator" in response.text
        assert 'name="email"' not in response.text
    assert mail.outbox == []


def test_with_email_the_link_is_sent_and_sets_a_new_password(email_on, world, officer_with_email):
    client = Client()

    response = client.post(reverse("password_reset"), {"email": "mawar@example.org"}, follow=True)

    assert "Periksa e-mail Anda" in response.text
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mawar@example.org"]
    assert message.subject == "KK Portal: atur kata sandi baru"
    assert "ketua-mawar" in message.body
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)

    form = client.get(link, follow=True)
    assert 'name="new_password1"' in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
        follow=True,
    )

    assert "Kata sandi baru Anda sudah diatur." in done.text
    assert sign_in("ketua-mawar", "Sandi-Baru-Mawar-9") is not None
    assert sign_in("ketua-mawar", "rahasia-123") is None


def test_reset_link_works_once(email_on, world, officer_with_email):
    client = Client()
    client.post(reverse("password_reset"), {"email": "mawar@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    again = Client().get(link, follow=True)

    assert "Tautan ini tidak berfungsi" in again.text
    assert 'name="new_password1"' not in again.text


def test_reset_ends_the_sessions_signed_in_with_the_old_password(
    email_on, world, officer_with_email
):
    phone = sign_in("ketua-mawar", "rahasia-123")
    client = Client()
    client.post(reverse("password_reset"), {"email": "mawar@example.org"})
    link = re.search(r"http://testserver(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)

    client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Sandi-Baru-Mawar-9", "new_password2": "Sandi-Baru-Mawar-9"},
    )

    assert phone.get(reverse("home")).status_code == 302


def test_unknown_address_gets_the_same_page_and_no_mail(email_on, world, officer_with_email):
    response = Client().post(
        reverse("password_reset"), {"email": "orang-lain@example.org"}, follow=True
    )

    assert "Periksa e-mail Anda" in response.text
    assert "Jika ada akun dengan alamat e-mail ini" in response.text
    assert mail.outbox == []


def test_sign_in_page_links_to_the_reset(world):
    response = Client().get(reverse("login"))

    assert f'href="{reverse("password_reset")}"' in response.text
