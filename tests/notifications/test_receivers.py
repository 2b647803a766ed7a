"""A reses response recorded for an aspiration tells the officers of its group at once
(``notifications/receivers.py``)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from notifications.receivers import responses_untold
from tests import factories as f
from tests.conftest import client_for
from tests.notifications.conftest import recipients

pytestmark = pytest.mark.django_db(transaction=True)  # the task is queued on commit

WITA = datetime.timezone(datetime.timedelta(hours=8))  # the meeting took place


def _respond(world, people, response="pokir"):
    """Record ``response`` to an aspiration of group A1 on a held meeting's follow-up page,
    as the representative's staff."""
    meeting = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2025, 3, 9, 10, 0, tzinfo=WITA),
    )
    aspiration = f.AspirationFactory(
        group=world.group_a1, title="Air bersih Dusun Satu", raised_on=datetime.date(2025, 1, 5)
    )
    item = f.AgendaItemFactory(meeting=meeting, aspiration=aspiration, order=1)
    f.AspirationFactory(group=world.group_a2, title="Jalan Desa Alfa Dua")
    dprd = client_for(people["dprd"])

    answer = dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        {
            "attendance_female": "25",
            "attendance_male": "12",
            "attendance_poor": "10",
            "attendance_disability": "2",
            f"item-{item.pk}-response": response,
            f"item-{item.pk}-note": "",
        },
    )
    assert answer.status_code == 302  # saved: the meeting's page


def test_a_response_at_the_follow_up_tells_the_groups_officers(world, people):
    _respond(world, people)

    assert recipients(mail.outbox) == ["pengurus-a1", "pengurus-a1-dua"]
    assert mail.outbox[0].body.startswith(
        'KK Portal: tanggapan reses atas "Air bersih Dusun Satu" sudah dicatat: '
    )


def test_a_response_that_moves_nothing_is_told_too(world, people):
    _respond(world, people, response="answered")

    assert recipients(mail.outbox) == ["pengurus-a1", "pengurus-a1-dua"]


def test_responses_recorded_within_responses_untold_tell_no_one(world, people):
    with responses_untold():
        _respond(world, people)

    assert mail.outbox == []
