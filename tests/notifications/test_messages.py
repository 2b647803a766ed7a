"""What reminders say (``notifications/messages.py``, ``notifications/sms.py``): in the
recipient's language, one SMS long in GSM-7, with an absolute link."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from kk_portal.zones import local_datetime, today_in
from notifications.messages import compose
from notifications.models import Channel, Delivery, Kind
from notifications.sms import SMS_LIMIT, fit, gsm7_length, to_gsm7
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def sms_officer(world, people):
    """The officer of group A1, with reminders by SMS to +6281234567890."""
    officer = people["officer"]
    officer.phone = "+6281234567890"
    officer.save(update_fields=["phone"])
    f.PreferenceFactory(user=officer, channel=Channel.SMS)
    return officer


def test_a_meeting_with_long_names_still_fits_one_sms(world, sms_officer, capsys):
    regency = world.regency_a
    day = today_in(regency) + datetime.timedelta(days=3)
    f.ResesMeetingFactory(
        representative=f.RepresentativeFactory(
            district=world.district,
            full_name="Prof. Dr. Hj. Andi Nurhayati Daeng Ngai Ma’ruf Letsoin, S.Pd., M.Si.",
        ),
        village=world.village_a1,
        venue="Aula Kantor Desa Alfa Satu – gedung serba guna di samping Puskesmas Pembantu",
        starts_at=local_datetime(day, datetime.time(9, 0), regency),
    )

    call_command("send_reminders")

    text = Delivery.objects.get(user=sms_officer).text
    assert gsm7_length(text) <= SMS_LIMIT
    assert text.startswith("KK Portal: reses Prof. Dr. Hj. Andi Nurhayati Daeng Ngai Ma'ruf")
    assert text.endswith(
        "... http://127.0.0.1:8000/reses/{}/".format(
            Delivery.objects.get(user=sms_officer).key.split(":")[1]
        )
    )
    assert capsys.readouterr().out.startswith(f"[SMS +6281234567890] {text}\n")


def test_every_kind_of_reminder_fits_one_sms(world, sms_officer):
    aspiration = f.AspirationFactory(
        group=world.group_a1, title="Pembangunan " * 16, raised_on=datetime.date(2024, 1, 5)
    )
    event = f.AspirationEventFactory(aspiration=aspiration, response="answered")
    case = f.AssistanceCaseFactory(
        group=world.group_a1, follow_up_on=today_in(world.group_a1), handlers=[sms_officer]
    )
    today = today_in(world.group_a1)

    with translation.override("id"):
        texts = [
            compose(Kind.DIGEST, sms_officer, None, today).sms,
            compose(Kind.RESPONSE, sms_officer, event.pk, today).sms,
            compose(Kind.FOLLOW_UP, sms_officer, case.pk, today).sms,
        ]

    assert [gsm7_length(text) <= SMS_LIMIT for text in texts] == [True, True, True]
    assert [text.split()[-1] for text in texts] == [
        "http://127.0.0.1:8000/",
        f"http://127.0.0.1:8000/aspirations/{aspiration.pk}/",
        "http://127.0.0.1:8000/assistance/",
    ]


def test_a_reminder_is_in_english_for_a_user_who_chose_english(world, people):
    officer = people["officer"]
    f.PreferenceFactory(user=officer, language="en")
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 1, 5))

    call_command("send_reminders")

    assert Delivery.objects.get(user=officer).text.startswith(
        "KK Portal: 1 aspiration has waited more than 60 days for its next step."
    )


def test_the_link_starts_with_site_url(world, people, settings):
    settings.SITE_URL = "https://kk.example.org"
    case = f.AssistanceCaseFactory(
        group=world.group_a1, follow_up_on=today_in(world.group_a1), handlers=[people["officer"]]
    )

    message = compose(Kind.FOLLOW_UP, people["officer"], case.pk, today_in(world.group_a1))

    assert message.link == "https://kk.example.org/assistance/"


def test_a_case_the_user_no_longer_handles_tells_nothing(world, people):
    case = f.AssistanceCaseFactory(
        group=world.group_a1,
        follow_up_on=today_in(world.group_a1),
        handlers=[people["officer_same_group"]],
    )

    assert compose(Kind.FOLLOW_UP, people["officer"], case.pk, today_in(world.group_a1)) is None


def test_gsm7_replaces_what_would_make_a_unicode_sms():
    assert to_gsm7("Ma’ruf – “Ōe” …") == 'Ma\'ruf - "Oe" ...'
    assert gsm7_length("Rp 1.000 [x]") == 14


def test_fit_cuts_the_body_not_the_link():
    link = "http://127.0.0.1:8000/reses/12/"

    text = fit("a" * 300, link)

    assert (gsm7_length(text), text.endswith("... " + link)) == (SMS_LIMIT, True)
