"""The load balancer's health endpoint and the 503 page while the database cannot be
reached (``kk_portal.health``)."""

from unittest import mock

from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse


def database_down():
    """Every query fails as it does while PostgreSQL restarts."""
    return mock.patch.object(
        CursorWrapper,
        "execute",
        side_effect=OperationalError("server closed the connection unexpectedly"),
    )


def test_healthz_answers_ok_when_the_database_answers(db):
    response = Client().get("/healthz")

    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_healthz_answers_503_json_when_the_database_does_not(db):
    with database_down():
        response = Client().get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "OperationalError"}


def test_healthz_needs_no_host_name_https_or_sign_in(db, settings):
    settings.ALLOWED_HOSTS = ["kk.example.org"]
    settings.SECURE_SSL_REDIRECT = True

    response = Client().get("/healthz", HTTP_HOST="10.0.0.9")

    assert response.status_code == 200


def test_page_whose_view_cannot_reach_the_database_says_to_retry(world):
    client = Client(raise_request_exception=False)

    with database_down():
        response = client.get(reverse("tracker:index"))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "<h1>Silakan coba lagi sebentar lagi</h1>" in response.text
    assert "tidak dapat menjangkau basis datanya" in response.text


def test_signed_in_page_whose_session_cannot_be_read_says_to_retry(officer):
    client = Client(raise_request_exception=False)
    client.cookies = officer.cookies

    with database_down():
        response = client.get(reverse("members:list"))

    assert response.status_code == 503
    assert "<h1>Silakan coba lagi sebentar lagi</h1>" in response.text


def test_other_server_errors_keep_the_500_page(world):
    client = Client(raise_request_exception=False)

    with mock.patch.object(CursorWrapper, "execute", side_effect=ZeroDivisionError):
        response = client.get(reverse("tracker:index"))

    assert response.status_code == 500
    assert "<h1>Terjadi kesalahan</h1>" in response.text


def test_the_app_answers_again_once_the_database_is_back(world):
    client = Client(raise_request_exception=False)
    with database_down():
        client.get(reverse("tracker:index"))

    response = client.get(reverse("tracker:index"))

    assert response.status_code == 200
