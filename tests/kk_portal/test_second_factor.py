"""The second factor (``kk_portal.second_factor``, django-otp TOTP): required of programme
staff and administrators after the password, enrolled with a QR code and the secret as
text; optional for the other roles, turned on from the account page; backup codes (the
static device) instead of the app's code, each once."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AccessLog, Action
from kk_portal.scoping import Role
from kk_portal.second_factor import backup_codes_replace
from tests import factories as f
from tests.conftest import client_for


def code(device):
    """The six digits ``device``'s app shows now."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():06d}"


def password_sign_in(username, follow=True):
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": "rahasia-123"}, follow=follow
    )
    return client, response


@pytest.fixture
def programme_account(db):
    return f.UserFactory(username="staf-program", role=Role.PROGRAMME)


@pytest.fixture
def officer_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


def test_programme_staff_without_app_are_sent_to_set_it_up(programme_account):
    client, response = password_sign_in("staf-program")

    assert response.redirect_chain[-1][0].startswith(reverse("second_factor_enrol"))
    assert "<h1>Siapkan faktor kedua</h1>" in response.text
    assert 'src="data:image/svg+xml;base64,' in response.text
    device = TOTPDevice.objects.get(user=programme_account)
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', response.text).group(1)
    assert len(secret.replace(" ", "")) == 32
    assert client.get(reverse("dashboard:index"))["Location"].startswith(reverse("second_factor"))
    assert device.confirmed is False


def test_first_code_turns_the_second_factor_on_and_opens_the_pages(programme_account):
    client, response = password_sign_in("staf-program")
    device = TOTPDevice.objects.get(user=programme_account)

    done = client.post(
        response.redirect_chain[-1][0], {"code": code(device), "next": "/"}, follow=True
    )

    device.refresh_from_db()
    assert device.confirmed is True
    assert "Faktor kedua aktif" in done.text
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_wrong_code_while_setting_up_keeps_it_off(programme_account):
    client, response = password_sign_in("staf-program")

    refused = client.post(reverse("second_factor_enrol"), {"code": "000000"})

    assert refused.status_code == 200
    assert "Kode ini salah atau sudah kedaluwarsa." in refused.text
    assert TOTPDevice.objects.get(user=programme_account).confirmed is False


def test_programme_staff_with_app_give_the_code_after_the_password(programme_account):
    device = f.TOTPDeviceFactory(user=programme_account)
    client, response = password_sign_in("staf-program")

    assert response.redirect_chain[-1][0].startswith(reverse("second_factor"))
    assert "<h1>Kode dari aplikasi</h1>" in response.text
    assert client.get(reverse("members:list")).status_code == 302

    done = client.post(reverse("second_factor"), {"code": code(device), "next": "/"})

    assert done["Location"] == "/"
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_wrong_code_is_refused_and_the_pages_stay_closed(programme_account):
    f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")

    refused = client.post(reverse("second_factor"), {"code": "000000"})

    assert refused.status_code == 200
    assert "Kode ini salah atau sudah kedaluwarsa." in refused.text
    assert client.get(reverse("dashboard:index")).status_code == 302


def test_repeated_wrong_codes_slow_down_even_the_right_one(programme_account):
    device = f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")
    for _ in range(3):
        client.post(reverse("second_factor"), {"code": "000000"})

    response = client.post(reverse("second_factor"), {"code": code(device)})

    assert response.status_code == 200
    assert client.get(reverse("dashboard:index")).status_code == 302


def test_administrators_give_the_code_before_the_admin(db):
    admin = f.UserFactory(username="admin-satu", role=Role.ADMIN, is_staff=True, is_superuser=True)
    f.TOTPDeviceFactory(user=admin)
    client, _ = password_sign_in("admin-satu")

    response = client.get(reverse("admin:index"))

    assert response["Location"] == reverse("second_factor") + "?next=%2Fadmin%2F"


def test_code_page_goes_on_only_to_this_sites_pages(programme_account):
    device = f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")

    response = client.post(
        reverse("second_factor"), {"code": code(device), "next": "https://jahat.example/"}
    )

    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", ["musrenbang", "dashboard:index", "//jahat.example/"])
def test_code_page_never_reverses_next_as_a_view_name(programme_account, target):
    device = f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")

    response = client.post(reverse("second_factor"), {"code": code(device), "next": target})

    assert (response.status_code, response["Location"]) == (302, reverse("home"))


def test_officer_signs_in_without_a_code_and_may_turn_it_on(officer_account):
    client, response = password_sign_in("ketua-mawar")
    account = client.get(reverse("account"))

    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Nonaktif." in account.text
    assert f'href="{reverse("second_factor_enrol")}"' in account.text

    client.get(reverse("second_factor_enrol"))
    device = TOTPDevice.objects.get(user=officer_account)
    client.post(reverse("second_factor_enrol"), {"code": code(device)})

    assert "Aktif:" in client.get(reverse("account")).text
    again, response = password_sign_in("ketua-mawar")
    assert response.redirect_chain[-1][0].startswith(reverse("second_factor"))
    assert again.get(reverse("members:list")).status_code == 302


def test_a_code_is_not_accepted_twice(officer_account):
    device = f.TOTPDeviceFactory(user=officer_account)
    first, _ = password_sign_in("ketua-mawar")
    token = code(device)
    first.post(reverse("second_factor"), {"code": token})

    second, _ = password_sign_in("ketua-mawar")
    response = second.post(reverse("second_factor"), {"code": token})

    assert response.status_code == 200
    assert second.get(reverse("members:list")).status_code == 302


def test_signing_out_stays_open_before_the_code(programme_account):
    f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")

    response = client.post(reverse("logout"))

    assert response["Location"] == reverse("login")


def test_two_set_up_pages_opened_at_once_confirm_the_oldest_device(programme_account):
    client, _ = password_sign_in("staf-program")
    TOTPDevice.objects.create(user=programme_account, confirmed=False, name="kedua")
    oldest = TOTPDevice.objects.filter(user=programme_account).order_by("pk").first()

    page = client.get(reverse("second_factor_enrol"))
    client.post(reverse("second_factor_enrol"), {"code": code(oldest)})

    oldest.refresh_from_db()
    assert page.status_code == 200
    assert oldest.confirmed is True


def _backup_codes_shown(response):
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.text)


def test_backup_codes_are_shown_once_and_new_ones_end_the_old(programme_account):
    client = client_for(programme_account)

    made = client.post(reverse("second_factor_backup_codes"))
    later = client.get(reverse("second_factor_backup_codes"))
    again = client.post(reverse("second_factor_backup_codes"))

    first, second = _backup_codes_shown(made), _backup_codes_shown(again)
    assert (len(first), len(set(first)), len(second)) == (10, 10, 10)
    assert "hanya ditampilkan sekali" in made.text
    assert _backup_codes_shown(later) == []
    assert "Anda punya 10 kode cadangan yang belum dipakai." in later.text
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(second)
    assert set(first).isdisjoint(second)


def test_a_backup_code_signs_in_instead_of_the_app_code_once_and_is_logged(programme_account):
    f.TOTPDeviceFactory(user=programme_account)
    backup = backup_codes_replace(programme_account)[0]
    client, _ = password_sign_in("staf-program")

    done = client.post(
        reverse("second_factor"),
        {"backup_code": f" {backup[:4].upper()} {backup[4:].upper()} ", "next": "/members/"},
        follow=True,
    )

    assert done.redirect_chain == [("/members/", 302)]
    assert "Anda masuk dengan kode cadangan; tersisa 9 kode." in done.text
    assert [
        log.action for log in AccessLog.objects.filter(user=programme_account).order_by("pk")
    ] == [
        Action.SIGN_IN,
        Action.BACKUP_CODE,
    ]
    again, _ = password_sign_in("staf-program")
    refused = again.post(reverse("second_factor"), {"backup_code": backup})
    assert "Kode cadangan ini salah atau sudah dipakai." in refused.text
    assert again.get(reverse("members:list")).status_code == 302


def test_the_code_page_offers_a_backup_code_beside_the_app_code(programme_account):
    f.TOTPDeviceFactory(user=programme_account)
    client, _ = password_sign_in("staf-program")

    page = client.get(reverse("second_factor"))

    assert "Ponsel tidak ada di tangan? Pakai kode cadangan" in page.text
    assert 'name="backup_code"' in page.text
    assert 'name="code"' in page.text


def test_backup_codes_need_the_app_first(officer_account):
    client = client_for(officer_account)

    response = client.post(reverse("second_factor_backup_codes"), follow=True)

    assert response.redirect_chain == [(reverse("account"), 302)]
    assert "Aktifkan faktor kedua dulu" in response.text
    assert not StaticToken.objects.exists()


def test_the_account_page_counts_the_backup_codes_left(programme_account):
    client = client_for(programme_account)
    backup_codes_replace(programme_account)

    page = client.get(reverse("account"))

    assert "10 kode cadangan belum dipakai." in page.text
    assert f'href="{reverse("second_factor_backup_codes")}"' in page.text


def test_backup_codes_left_after_the_app_is_removed_ask_for_no_code(officer_account):
    device = f.TOTPDeviceFactory(user=officer_account)
    backup_codes_replace(officer_account)
    device.delete()

    client, response = password_sign_in("ketua-mawar")

    assert response.redirect_chain == [("/", 302)]
    assert client.get(reverse("members:list")).status_code == 200
