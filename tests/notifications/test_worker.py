"""The worker (``manage.py db_worker``) sends what a web request queued: a reses response
recorded on the meeting's follow-up page reaches the group's officers (run on PostgreSQL
too: ``DATABASE_URL=postgres://… uv run pytest tests/notifications``)."""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from notifications.models import Delivery
from notifications.tasks import deliver
from tests import factories as f
from tests.conftest import client_for

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_worker_delivers_the_response_a_web_request_recorded(world, people):
    officer = people["officer"]
    officer.phone = "+6281234567890"
    officer.save(update_fields=["phone"])
    f.PreferenceFactory(user=officer, channel="sms")
    meeting = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2025, 3, 9, 10, 0, tzinfo=WITA),
    )
    aspiration = f.AspirationFactory(
        group=world.group_a1, title="Air bersih Dusun Satu", raised_on=datetime.date(2025, 1, 5)
    )
    item = f.AgendaItemFactory(meeting=meeting, aspiration=aspiration, order=1)

    response = client_for(people["dprd"]).post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        {
            "attendance_female": "25",
            "attendance_male": "12",
            "attendance_poor": "10",
            "attendance_disability": "2",
            f"item-{item.pk}-response": "answered",
            f"item-{item.pk}-note": "",
        },
    )
    queued = list(DBTaskResult.objects.values_list("task_path", "status"))
    call_command("db_worker", "--batch", "--no-startup-delay")

    assert response.status_code == 302
    assert queued == [("notifications.tasks.notify_response", "READY")]
    assert sorted(Delivery.objects.values_list("user__username", "channel")) == [
        ("pengurus-a1", "sms"),
        ("pengurus-a1-dua", "email"),
    ]
    sms = Delivery.objects.get(user=officer).text
    assert sms.startswith('KK Portal: tanggapan reses atas "Air bersih Dusun Satu" sudah dicatat')
    assert [message.to for message in mail.outbox] == [["pengurus-a1-dua@example.org"]]
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite takes one writer at a time: no race"
)
@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_the_same_reminder_send_it_once(world, people, monkeypatch):
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 1, 5))
    officer = people["officer"]
    officer.phone = "+6281234567890"
    officer.save(update_fields=["phone"])
    f.PreferenceFactory(user=officer, channel="sms")
    sent = []

    class SlowGateway:
        def send(self, phone, text, channel):
            time.sleep(0.5)  # the other worker reaches its insert meanwhile
            sent.append(phone)

    monkeypatch.setattr("notifications.tasks.gateway", SlowGateway)
    results = []

    def worker():
        try:
            results.append(deliver.call(officer.pk, "digest", "2026-W49"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(results) == ["already sent", "sent"]
    assert sent == ["+6281234567890"]
    assert Delivery.objects.count() == 1
