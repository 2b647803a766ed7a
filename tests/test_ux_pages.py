"""What a new user sees: the language comes from their choice, not the browser; the 403
page is the site's own page."""

import pytest
from django.urls import reverse

from tests import factories as f

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


def test_chart_label_long_stage_name_kept_whole_and_left_aligned():
    """The label column beside the bars cut "masuk forum perencanaan" to "…perencana…" and
    clipped it at the left edge; labels now sit above their bars from x=0."""
    from dashboards.charts import bar_chart

    svg = str(bar_chart("Corong", [("masuk forum perencanaan", 4, ""), ("tercatat", 6, "")]))

    assert ">masuk forum perencanaan</text>" in svg
    assert 'text-anchor="end"' not in svg
    assert svg.count('<text x="0"') == 2
