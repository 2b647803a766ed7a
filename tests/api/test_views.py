"""The token pages of the account area (``api/views.py``)."""

import re

import pytest
from django.urls import reverse

from api.models import ApiToken, secret_hash
from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")


def test_a_new_token_shows_its_secret_once_and_stores_its_hash(officer):
    response = officer.post(reverse("tokens:list"), {"name": "Sistem Bappeda"})

    secret = re.search(r'<code id="token-secret">([^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.key_hash) == (
        "Sistem Bappeda",
        officer.user,
        secret_hash(secret),
    )
    assert secret not in officer.get(reverse("tokens:list")).content.decode()
    assert "Copy the secret now" in response.content.decode()


def test_the_list_shows_only_own_tokens(officer, world):
    f.ApiTokenFactory(user=officer.user, name="Milik saya")
    f.ApiTokenFactory(user=f.UserFactory(), name="Milik orang lain")

    html = officer.get(reverse("tokens:list")).content.decode()

    assert "Milik saya" in html
    assert "Milik orang lain" not in html


def test_an_administrator_sees_every_token(admin_client_, world):
    f.ApiTokenFactory(user=f.UserFactory(username="siapa"), name="Milik orang lain")

    html = admin_client_.get(reverse("tokens:list")).content.decode()

    assert "Milik orang lain" in html
    assert "siapa" in html


def test_revoking_a_token_stops_it(officer):
    token = f.ApiTokenFactory(user=officer.user)

    response = officer.post(reverse("tokens:revoke", args=[token.pk]), follow=True)

    token.refresh_from_db()
    assert token.revoked is not None
    assert "revoked" in response.content.decode()
    assert reverse("tokens:revoke", args=[token.pk]) not in response.content.decode()


def test_another_users_token_cannot_be_revoked(officer_same_group):
    token = f.ApiTokenFactory(user=f.UserFactory())

    response = officer_same_group.post(reverse("tokens:revoke", args=[token.pk]))

    token.refresh_from_db()
    assert (response.status_code, token.revoked) == (404, None)


def test_an_empty_name_is_refused(officer):
    response = officer.post(reverse("tokens:list"), {"name": ""})

    assert ApiToken.objects.count() == 0
    assert "This field is required." in response.content.decode()


def test_the_account_page_links_the_tokens(officer):
    html = officer.get(reverse("account")).content.decode()

    assert reverse("tokens:list") in html
