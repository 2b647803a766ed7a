"""Every sign-in, failed sign-in and lockout is kept in the access log (``audit.signals``),
under the scope of the account signed in to."""

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AccessLog, Action
from kk_portal.scoping import Role
from tests import factories as f


@pytest.fixture
def officer_a1_account(world):
    return f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)


def sign_in_page(username, password, address="10.0.0.5", url="login"):
    return Client().post(
        reverse(url), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def entries():
    return list(
        AccessLog.objects.sign_ins()
        .order_by("pk")
        .values_list("action", "username", "user__username", "regency__name", "address")
    )


def test_sign_in_is_logged_with_the_officers_regency_and_address(world, officer_a1_account):
    sign_in_page("ketua-mawar", "rahasia-123")

    entry = AccessLog.objects.sign_ins().get()
    assert (entry.action, entry.user, entry.role, entry.address) == (
        Action.SIGN_IN,
        officer_a1_account,
        Role.OFFICER,
        "10.0.0.5",
    )
    assert (entry.group, entry.regency, entry.scope) == (
        world.group_a1,
        world.regency_a,
        "KK Mawar",
    )


def test_failed_sign_in_to_an_account_is_logged_under_its_scope(world, officer_a1_account):
    sign_in_page("ketua-mawar", "salah-sandi")

    assert entries() == [
        (Action.SIGN_IN_FAILED, "ketua-mawar", "ketua-mawar", world.regency_a.name, "10.0.0.5")
    ]


def test_failed_sign_in_to_an_unknown_name_keeps_the_name_typed(world):
    sign_in_page("tidak-ada\x1b", "salah-sandi")

    assert entries() == [(Action.SIGN_IN_FAILED, "tidak-ada", None, None, "10.0.0.5")]


def test_lockout_is_logged_after_the_failures(world, officer_a1_account):
    for _ in range(5):
        sign_in_page("ketua-mawar", "salah-sandi")

    assert (
        sorted(action for action, *_ in entries())
        == [Action.LOCKED_OUT] + [Action.SIGN_IN_FAILED] * 5
    )


def test_sign_in_refused_while_locked_is_failed_and_locked(world, officer_a1_account):
    for _ in range(5):
        sign_in_page("ketua-mawar", "salah-sandi")
    AccessLog.objects.all().delete()

    sign_in_page("ketua-mawar", "rahasia-123")

    assert sorted(action for action, *_ in entries()) == [
        Action.LOCKED_OUT,
        Action.SIGN_IN_FAILED,
    ]


def test_failed_sign_in_on_the_admin_page_is_logged(world, officer_a1_account):
    sign_in_page("ketua-mawar", "salah-sandi", url="admin:login")

    assert [action for action, *_ in entries()] == [Action.SIGN_IN_FAILED]


def test_facilitator_reads_their_officers_sign_ins_on_the_log_page(
    world, officer_a1_account, facilitator, facilitator_b
):
    sign_in_page("ketua-mawar", "salah-sandi", address="10.1.2.3")

    mine = facilitator.get(reverse("audit:access_log") + "?action=sign_in_failed")
    other = facilitator_b.get(reverse("audit:access_log") + "?action=sign_in_failed")

    assert "ketua-mawar" in mine.text
    assert "gagal masuk" in mine.text
    assert "dari 10.1.2.3" in mine.text
    assert "ketua-mawar" not in other.text
