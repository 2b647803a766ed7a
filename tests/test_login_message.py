from django.urls import reverse

from tests import factories as f


def test_login_wrong_password_message_names_the_field_once(db, client):
    f.UserFactory(username="pengurus-satu")

    response = client.post(
        reverse("login"), {"username": "pengurus-satu", "password": "salah-sandi"}
    )

    text = response.content.decode()
    assert "Masukkan nama pengguna dan sandi yang benar." in text
    assert "nama pengguna nama pengguna" not in text
