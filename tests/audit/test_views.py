"""The access log page and admin: facilitators and administrators read the log of their
scope; nothing in the product changes it."""

import pytest
from django.urls import reverse

from audit.models import AccessLog, Action
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(world):
    in_regency = f.AccessLogFactory(regency=world.regency_a, group=world.group_a1, scope="KK Mawar")
    other_regency = f.AccessLogFactory(regency=world.regency_b, scope="Kota Beta")
    everywhere = f.AccessLogFactory(regency=None, scope="Semua wilayah")
    return in_regency, other_regency, everywhere


@pytest.mark.parametrize(
    ("persona", "scopes"),
    [
        ("facilitator", ["KK Mawar"]),
        ("facilitator_b", ["Kota Beta"]),
        ("admin_client_", ["KK Mawar", "Kota Beta", "Semua wilayah"]),
    ],
)
def test_access_log_page_shows_the_readers_scope(request, entries, persona, scopes):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("audit:access_log"))

    every = ("KK Mawar", "Kota Beta", "Semua wilayah")
    assert [scope for scope in every if scope in response.text] == scopes


def test_access_log_page_filters_by_action(facilitator, world):
    f.AccessLogFactory(regency=world.regency_a, action=Action.CASE_VIEW, username="pengurus-x")
    f.AccessLogFactory(regency=world.regency_a, action=Action.MEMBER_EXPORT, username="pengurus-y")

    response = facilitator.get(reverse("audit:access_log") + "?action=case_view")

    assert "pengurus-x" in response.text
    assert "pengurus-y" not in response.text


def test_access_log_page_only_reads(facilitator, entries):
    response = facilitator.post(reverse("audit:access_log"), {"scope": "changed"})

    assert response.status_code in (200, 405)
    assert AccessLog.objects.filter(scope="changed").count() == 0


def test_access_log_admin_cannot_add_change_or_delete(admin_client_, entries):
    in_regency, _other, _everywhere = entries
    change = reverse("admin:audit_accesslog_change", args=[in_regency.pk])

    view = admin_client_.get(change)
    edited = admin_client_.post(change, {"scope": "dihapus", "rows": "0"})
    deleted = admin_client_.post(
        reverse("admin:audit_accesslog_delete", args=[in_regency.pk]), {"post": "yes"}
    )
    added = admin_client_.get(reverse("admin:audit_accesslog_add"))

    assert view.status_code == 200
    assert (edited.status_code, deleted.status_code, added.status_code) == (403, 403, 403)
    in_regency.refresh_from_db()
    assert (in_regency.scope, AccessLog.objects.data_access().count()) == ("KK Mawar", 3)


def test_access_log_page_links_member_entries_to_the_member_with_the_reason(facilitator, world):
    member = f.MemberFactory(group=world.group_a1)
    f.AccessLogFactory(
        regency=world.regency_a,
        action=Action.MEMBER_ANONYMISE,
        object_id=member.pk,
        reason="Anggota meminta datanya dihapus",
    )

    page = facilitator.get(reverse("audit:access_log")).text

    assert reverse("members:detail", args=[member.pk]) in page
    assert reverse("assistance:detail", args=[member.pk]) not in page
    assert "alasan: Anggota meminta datanya dihapus" in page
