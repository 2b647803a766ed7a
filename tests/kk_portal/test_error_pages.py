"""The 403 page is the site's own page, in the user's language."""

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _switch(client, language):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302


def test_forbidden_page_officer_new_reses_in_site_layout(officer):
    response = officer.get(reverse("reses:meeting_create"), HTTP_ACCEPT_LANGUAGE="en-US")

    assert response.status_code == 403
    assert '<html lang="id">' in response.text
    assert 'nav class="menu"' in response.text
    assert ">Beranda</a>" in response.text
    assert f'href="{reverse("home")}"' in response.text
    assert "403 Forbidden" not in response.text


def test_forbidden_page_programme_move_in_english_after_choice(programme, world):
    aspiration = f.AspirationFactory(group=world.group_a1)
    _switch(programme, "en")

    response = programme.get(reverse("aspirations:move", args=[aspiration.pk]))

    assert response.status_code == 403
    assert '<html lang="en">' in response.text
    assert "<h1>Not allowed</h1>" in response.text
    assert "Your role does not allow this page or action." in response.text
    assert "Back to the home page" in response.text
