"""Sending one reminder (``notifications/tasks.py``): by the user's channel, once, and again
after a failed send; e-mail through a real SMTP server."""

import datetime
import socket

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from kk_portal.settings import env_email
from notifications.models import Channel, Delivery, Kind
from notifications.tasks import deliver
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(world):
    return f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 1, 5))


@pytest.fixture
def flaky_gateway(monkeypatch):
    """The gateway fails its first ``failures`` sends, then records them."""
    state = {"failures": 1, "sent": []}

    class Gateway:
        def send(self, phone, text, channel):
            if state["failures"]:
                state["failures"] -= 1
                raise ConnectionError("gateway down")
            state["sent"].append((phone, channel))

    monkeypatch.setattr("notifications.tasks.gateway", Gateway)
    return state


def test_a_failed_send_leaves_no_delivery_and_the_retry_sends_it_once(
    people, waiting, flaky_gateway
):
    officer = people["officer"]
    officer.phone = "+6281234567890"
    officer.save(update_fields=["phone"])
    f.PreferenceFactory(user=officer, channel=Channel.WHATSAPP)

    result = deliver.enqueue(officer.pk, Kind.DIGEST, "2026-W49")

    assert result.status == "FAILED"  # the first run; the retry ran at once (immediate)
    assert flaky_gateway["sent"] == [("+6281234567890", "whatsapp")]
    assert list(Delivery.objects.values_list("user__username", "channel")) == [
        ("pengurus-a1", "whatsapp")
    ]


def test_a_reminder_already_delivered_is_not_sent_again(people, waiting, flaky_gateway):
    flaky_gateway["failures"] = 0
    officer = people["officer"]
    officer.phone = "+6281234567890"
    officer.save(update_fields=["phone"])
    f.PreferenceFactory(user=officer, channel=Channel.SMS)
    f.DeliveryFactory(user=officer, kind=Kind.DIGEST, key="2026-W49")

    result = deliver.enqueue(officer.pk, Kind.DIGEST, "2026-W49")

    assert (result.return_value, flaky_gateway["sent"]) == ("already sent", [])


@pytest.fixture
def smtp_server():
    """A local SMTP server (aiosmtpd) on a free port that keeps what it receives."""

    class Keep:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope)
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, handler.messages
    controller.stop()


def test_the_digest_goes_by_e_mail_through_the_smtp_server(
    people, waiting, smtp_server, settings, monkeypatch
):
    port, received = smtp_server
    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{port}")
    _configured, mailer = env_email()
    settings.MAILERS = {"default": mailer}

    call_command("send_reminders")

    addressed = sorted(rcpt for envelope in received for rcpt in envelope.rcpt_tos)
    assert addressed == [
        "fasilitator-a@example.org",
        "pengurus-a1-dua@example.org",
        "pengurus-a1@example.org",
    ]
    text = received[0].content.decode()
    assert "Subject: Aspirasi menunggu" in text
    assert "1 aspirasi menunggu langkah berikutnya lebih dari 60 hari." in text
