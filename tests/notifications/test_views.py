"""The reminder settings page (``notifications:preferences``), in the account area."""

import pytest
from django.urls import reverse

from notifications.models import Preference
from tests import factories as f

URL = reverse("notifications:preferences")


def _post(client, **data):
    fields = {"channel": "email", "language": "id", "email": "", "phone": ""}
    fields.update(data)
    return client.post(URL, fields)


def test_sms_needs_a_phone_number(officer):
    response = _post(officer, channel="sms")

    assert "Pengingat lewat SMS atau WhatsApp memerlukan nomor telepon." in response.text
    assert not Preference.objects.exists()


def test_e_mail_needs_an_address(officer):
    response = _post(officer, channel="email")

    assert "Pengingat lewat e-mail memerlukan alamat e-mail." in response.text
    assert not Preference.objects.exists()


def test_a_phone_is_stored_as_plus_62(officer):
    response = _post(officer, channel="whatsapp", phone="0812-3456-7890", language="en")

    officer.user.refresh_from_db()
    preference = Preference.objects.get(user=officer.user)
    assert response.status_code == 302
    assert (preference.channel, preference.language, officer.user.phone) == (
        "whatsapp",
        "en",
        "+6281234567890",
    )


def test_a_phone_that_is_not_indonesian_is_refused(officer):
    response = _post(officer, channel="sms", phone="+44 20 7946 0958")

    assert "Hanya nomor Indonesia (+62) yang bisa disimpan." in response.text


def test_reminders_can_be_switched_off_without_any_address(officer):
    _post(officer, channel="off")

    assert Preference.objects.get(user=officer.user).channel == "off"


def test_the_page_shows_the_saved_choice_and_the_last_reminders(officer):
    f.PreferenceFactory(user=officer.user, channel="sms")
    f.DeliveryFactory(user=officer.user, kind="meeting", key="meeting:1", channel="sms")
    f.DeliveryFactory(user=f.UserFactory(), kind="follow_up", key="case:1:2026-12-01")

    page = officer.get(URL).text

    assert '<option value="sms" selected>SMS</option>' in page
    assert "SMS · pertemuan reses 3 hari lagi" in page
    assert "tindak lanjut kasus jatuh tempo" not in page


@pytest.mark.parametrize("page", ["home", "account"])
def test_the_page_is_reached_from_the_menu_and_the_account(officer, page):
    assert f'href="{URL}"' in officer.get(reverse(page)).text
