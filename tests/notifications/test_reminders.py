"""``manage.py send_reminders``: each reminder once per period, to the right people, with
nothing outside their scope (``notifications/reminders.py``)."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command

from kk_portal.zones import local_datetime, today_in
from notifications.models import Channel, Delivery, Kind
from notifications.reminders import due_reminders
from notifications.tasks import deliver
from tests import factories as f
from tests.notifications.conftest import recipients

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2024, 8, 17)


def _waiting(group, title, **fields):
    return f.AspirationFactory(group=group, title=title, raised_on=LONG_AGO, **fields)


def test_the_digest_goes_to_the_officers_and_facilitator_who_see_a_waiting_aspiration(
    world, people
):
    _waiting(world.group_a1, "Air bersih Dusun Satu")

    call_command("send_reminders")

    assert recipients(mail.outbox) == ["fasilitator-a", "pengurus-a1", "pengurus-a1-dua"]


def test_the_digest_counts_only_what_each_recipient_sees(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")
    _waiting(world.group_a2, "Jalan Desa Alfa Dua")
    _waiting(world.group_b1, "Talud Negeri Beta")

    call_command("send_reminders")

    bodies = {message.to[0].split("@")[0]: message.body for message in mail.outbox}
    assert sorted(bodies) == [
        "fasilitator-a",
        "fasilitator-b",
        "pengurus-a1",
        "pengurus-a1-dua",
        "pengurus-a2",
    ]
    assert bodies["pengurus-a1"].startswith(
        "KK Portal: 1 aspirasi menunggu langkah berikutnya lebih dari 60 hari."
    )
    assert bodies["fasilitator-a"].startswith(
        "KK Portal: 2 aspirasi menunggu langkah berikutnya lebih dari 60 hari."
    )
    assert "Air bersih" not in bodies["pengurus-a2"]


def test_an_aspiration_that_moved_recently_is_not_in_the_digest(world, people):
    _waiting(world.group_a1, "Baru dicatat", stage_changed_on=today_in(world.group_a1))

    call_command("send_reminders")

    assert mail.outbox == []


def test_the_digest_is_sent_once_a_week_however_often_the_command_runs(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")

    call_command("send_reminders")
    call_command("send_reminders")

    week = "{}-W{:02d}".format(*today_in(world.group_a1).isocalendar()[:2])
    assert len(mail.outbox) == 3
    assert set(Delivery.objects.values_list("kind", "key")) == {(Kind.DIGEST, week)}
    assert Delivery.objects.count() == 3


def test_the_digest_of_last_week_does_not_stop_this_weeks(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")
    f.DeliveryFactory(user=people["officer"], kind=Kind.DIGEST, key="2000-W01")

    call_command("send_reminders")

    assert "pengurus-a1" in recipients(mail.outbox)


def test_a_user_who_switched_reminders_off_gets_none(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")
    f.PreferenceFactory(user=people["officer"], channel=Channel.OFF)

    call_command("send_reminders")

    assert recipients(mail.outbox) == ["fasilitator-a", "pengurus-a1-dua"]


def _meeting_in(days, village, **fields):
    day = today_in(village.subdistrict.regency) + datetime.timedelta(days=days)
    return f.ResesMeetingFactory(
        starts_at=local_datetime(day, datetime.time(9, 30), village.subdistrict.regency),
        village=village,
        **fields,
    )


def test_a_meeting_in_three_days_reaches_those_who_see_it(world, people):
    _meeting_in(3, world.village_a1, representative=world.representative, venue="Balai Desa")

    call_command("send_reminders")

    assert recipients(mail.outbox) == [
        "fasilitator-a",
        "pengurus-a1",
        "pengurus-a1-dua",
        "staf-dprd",
    ]


def test_the_meeting_reminder_gives_place_and_time_in_the_villages_zone(world, people):
    meeting = _meeting_in(3, world.village_b1, venue="Baileo Negeri")
    day = today_in(world.regency_b) + datetime.timedelta(days=3)

    call_command("send_reminders")

    (message,) = mail.outbox
    assert message.to == ["fasilitator-b@example.org"]
    assert message.subject == "Pertemuan reses 3 hari lagi"
    expected_day = f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
    assert message.body.startswith(
        f"KK Portal: reses {meeting.representative.full_name} pada {expected_day} 09.30 WIT "
        "di Baileo Negeri, Negeri Beta."
    )
    assert f"http://127.0.0.1:8000/reses/{meeting.pk}/" in message.body


_MONTHS = (
    "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember"
).split()


@pytest.mark.parametrize("days", [2, 4])
def test_a_meeting_not_three_days_ahead_is_not_announced(world, people, days):
    _meeting_in(days, world.village_a1, representative=world.representative)

    call_command("send_reminders")

    assert mail.outbox == []


def test_a_meeting_is_announced_once(world, people):
    _meeting_in(3, world.village_a1, representative=world.representative)

    call_command("send_reminders")
    call_command("send_reminders")

    assert len(mail.outbox) == 4


def test_a_due_follow_up_reaches_only_the_cases_handlers_and_names_nothing(world, people):
    f.AssistanceCaseFactory(
        group=world.group_a1,
        person_name="Yohana Mambrasar",
        description="Butuh KTP untuk BPJS",
        follow_up_on=today_in(world.group_a1),
        handlers=[people["officer"]],
    )

    call_command("send_reminders")
    call_command("send_reminders")

    (message,) = mail.outbox
    assert message.to == ["pengurus-a1@example.org"]
    assert message.body == (
        "KK Portal: ada tindak lanjut kasus yang Anda tangani yang sudah jatuh tempo.\n\n"
        "http://127.0.0.1:8000/assistance/\n"
    )


def test_a_follow_up_not_yet_due_or_of_a_closed_case_is_not_told(world, people):
    tomorrow = today_in(world.group_a1) + datetime.timedelta(days=1)
    f.AssistanceCaseFactory(
        group=world.group_a1, follow_up_on=tomorrow, handlers=[people["officer"]]
    )
    f.AssistanceCaseFactory(
        group=world.group_a1,
        follow_up_on=today_in(world.group_a1),
        status="closed",
        closed_on=today_in(world.group_a1),
        outcome="obtained",
        handlers=[people["officer"]],
    )

    call_command("send_reminders")

    assert mail.outbox == []


def test_a_new_follow_up_date_is_told_again(world, people):
    case = f.AssistanceCaseFactory(
        group=world.group_a1,
        follow_up_on=today_in(world.group_a1) - datetime.timedelta(days=7),
        handlers=[people["officer"]],
    )
    call_command("send_reminders")
    case.follow_up_on = today_in(world.group_a1)
    case.save()

    call_command("send_reminders")

    assert len(mail.outbox) == 2


def test_the_command_says_how_many_it_queued(world, people, capsys):
    _waiting(world.group_a1, "Air bersih Dusun Satu")

    call_command("send_reminders")

    assert capsys.readouterr().out == "3 reminder(s) queued.\n"


def test_nothing_is_sent_to_a_user_without_the_address_of_their_channel(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")
    f.PreferenceFactory(user=people["officer"], channel=Channel.SMS)

    call_command("send_reminders")

    assert recipients(mail.outbox) == ["fasilitator-a", "pengurus-a1-dua"]
    assert not Delivery.objects.filter(user=people["officer"]).exists()


def test_the_digest_comes_again_the_next_iso_week_not_before(world, people):
    _waiting(world.group_a1, "Air bersih Dusun Satu")
    monday = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar"))
    for reminder in due_reminders(monday):
        deliver.enqueue(*reminder)

    thursday = due_reminders(monday + datetime.timedelta(days=3))
    next_monday = due_reminders(monday + datetime.timedelta(days=7))

    assert thursday == []
    assert sorted((r.kind, r.key) for r in next_monday) == [(Kind.DIGEST, "2026-W50")] * 3
