"""The language comes from the user's choice, not the browser (``ChosenLanguageMiddleware``)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _switch(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


def test_language_english_browser_gets_indonesian(officer):
    response = officer.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="id">' in response.text
    assert ">Beranda</a>" in response.text
    assert ">Home</a>" not in response.text


def test_language_english_after_choosing_en(officer):
    _switch(officer, "en")

    response = officer.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="id")

    assert '<html lang="en">' in response.text
    assert ">Home</a>" in response.text


def test_language_unknown_cookie_falls_back_to_indonesian(anonymous):
    anonymous.cookies["django_language"] = "fr"

    response = anonymous.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="id">' in response.text
    assert "<h1>Masuk</h1>" in response.text
