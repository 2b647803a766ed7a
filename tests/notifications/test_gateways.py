"""The SMS/WhatsApp gateway (``notifications/gateways.py``): the HTTP provider posts JSON
with its key, and a refused or failed send raises so the task is retried."""

import io
import json
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured

from kk_portal.settings import env_sms
from notifications.gateways import ConsoleGateway, GatewayError, HttpGateway, gateway


class FakeAnswer:
    def __init__(self, status):
        self.status = status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def posted(monkeypatch):
    """The requests the HTTP provider made, and the status the fake endpoint answers."""
    calls = {"requests": [], "status": 202}

    def urlopen(request, timeout):
        calls["requests"].append((request, timeout))
        if calls["status"] >= 400:
            raise urllib.error.HTTPError(request.full_url, calls["status"], "", {}, io.BytesIO())
        return FakeAnswer(calls["status"])

    monkeypatch.setattr("urllib.request.urlopen", urlopen)
    return calls


def test_the_http_provider_posts_json_with_the_key(posted):
    HttpGateway("https://sms.example.org/send", "rahasia").send("+628123", "Halo", "whatsapp")

    ((request, timeout),) = posted["requests"]
    assert (request.full_url, request.get_method(), timeout) == (
        "https://sms.example.org/send",
        "POST",
        10,
    )
    assert request.get_header("Authorization") == "Bearer rahasia"
    assert json.loads(request.data) == {"to": "+628123", "channel": "whatsapp", "text": "Halo"}


@pytest.mark.parametrize("status", [500, 401, 301])
def test_the_http_provider_raises_when_the_endpoint_refuses(posted, status):
    posted["status"] = status

    with pytest.raises(GatewayError, match=str(status)):
        HttpGateway("https://sms.example.org/send", "rahasia").send("+628123", "Halo", "sms")


def test_the_http_provider_raises_when_the_endpoint_is_unreachable(monkeypatch):
    def urlopen(request, timeout):
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr("urllib.request.urlopen", urlopen)

    with pytest.raises(GatewayError, match="unreachable"):
        HttpGateway("https://sms.example.org/send", "rahasia").send("+628123", "Halo", "sms")


def test_settings_choose_the_provider(settings):
    settings.SMS_PROVIDER = "http"
    settings.SMS_HTTP_URL = "https://sms.example.org/send"
    settings.SMS_HTTP_KEY = "rahasia"

    chosen = gateway()

    assert (type(chosen), chosen.url, chosen.key) == (
        HttpGateway,
        "https://sms.example.org/send",
        "rahasia",
    )
    settings.SMS_PROVIDER = "console"
    assert type(gateway()) is ConsoleGateway


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SMS_PROVIDER": "pigeon"}, "SMS_PROVIDER must be console or http"),
        ({"SMS_PROVIDER": "http", "SMS_HTTP_KEY": "k"}, "SMS_HTTP_URL must be"),
        ({"SMS_PROVIDER": "http", "SMS_HTTP_URL": "https://sms.example.org"}, "SMS_HTTP_KEY"),
    ],
)
def test_sms_settings_are_read_strictly(monkeypatch, env, message):
    for name in ("SMS_PROVIDER", "SMS_HTTP_URL", "SMS_HTTP_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ImproperlyConfigured, match=message):
        env_sms()


def test_sms_settings_default_to_the_console(monkeypatch):
    for name in ("SMS_PROVIDER", "SMS_HTTP_URL", "SMS_HTTP_KEY"):
        monkeypatch.delenv(name, raising=False)

    assert env_sms() == ("console", "", "")
