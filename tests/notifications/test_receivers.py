"""A reses response recorded for an aspiration tells the officers of its group at once
(``notifications/receivers.py``)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from tests import factories as f
from tests.conftest import client_for
from tests.notifications.conftest import recipients

pytestmark = pytest.mark.django_db(transaction=True)  # the task is queued on commit

WITA = datetime.timezone(datetime.timedelta(hours=8))  # the meeting took place


def test_a_response_at_the_follow_up_tells_the_groups_officers(world, people):
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

    dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        {
            "attendance_female": "25",
            "attendance_male": "12",
            "attendance_poor": "10",
            "attendance_disability": "2",
            f"item-{item.pk}-response": "pokir",
            f"item-{item.pk}-note": "",
        },
    )

    assert recipients(mail.outbox) == ["pengurus-a1", "pengurus-a1-dua"]
    assert mail.outbox[0].body.startswith(
        'KK Portal: tanggapan reses atas "Air bersih Dusun Satu" sudah dicatat: '
    )
