"""The audit of personal data: every change to a member or a case is shown with who, when,
old and new values; exports of personal data and views of confidential cases are logged;
facilitators and administrators read the log of their scope; nobody changes it."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from audit.models import AccessLog, Action
from audit.services import filters_text
from kk_portal.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _member_form(member, **changes):
    data = {
        "full_name": member.full_name,
        "sex": member.sex,
        "birth_year": member.birth_year or "",
        "nik": member.nik or "",
        "phone": member.phone,
        "address": member.address,
        "position": member.position,
        "poverty_evidence": "",
        "joined_on": member.joined_on.isoformat() if member.joined_on else "",
        "left_on": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def member(world, officer):
    """A member added through the form, so her history starts with her creation."""
    officer.post(
        reverse("members:create"),
        {
            "submission_token": "0b6f3c1e-6a0d-4a5e-8b1f-6f8e0c9d2a11",
            "full_name": "Yohana Mambrasar",
            "sex": "F",
            "birth_year": "1982",
            "nik": "9471024506880007",
            "phone": "081234567890",
            "address": "RT 003",
            "position": "member",
            "poverty_evidence": "",
            "joined_on": "2024-01-10",
            "consent": "on",
        },
    )
    from members.models import Member

    return Member.objects.get(full_name="Yohana Mambrasar")


def test_member_edit_shows_who_when_old_and_new(officer, facilitator, member):
    officer.post(
        reverse("members:edit", args=[member.pk]),
        _member_form(member, phone="0813 5555 6666", address="RT 004", consent="on"),
    )

    page = facilitator.get(reverse("members:detail", args=[member.pk])).text

    assert "Telepon: “+6281234567890” → “+6281355556666”" in page
    assert "Alamat: “RT 003” → “RT 004”" in page
    assert "diubah oleh Siti" in page
    assert "Dibuat" in page


@pytest.mark.parametrize("persona", ["officer_b", "facilitator_b", "programme", "dprd"])
def test_member_history_not_shown_outside_scope(request, member, persona):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("members:detail", args=[member.pk]))

    assert response.status_code == 404


def test_member_anonymised_history_keeps_no_old_values(officer, member):
    officer.post(reverse("members:edit", args=[member.pk]), _member_form(member, consent="on"))
    officer.post(reverse("members:anonymise", args=[member.pk]))

    page = officer.get(reverse("members:detail", args=[member.pk])).text

    assert "Yohana" not in page
    assert "6281234567890" not in page
    assert "9471024506880007" not in page


def test_member_export_logged_with_scope_filters_and_rows(officer, world, member):
    f.MemberFactory(group=world.group_a1, sex="M")

    officer.get(reverse("members:export") + "?sex=F&q=Yohana&format=csv&page=2")

    entry = AccessLog.objects.get()
    assert (entry.user, entry.action, entry.rows, entry.scope, entry.filters) == (
        officer.user,
        Action.MEMBER_EXPORT,
        1,
        "KK Mawar",
        "q=*&sex=F",
    )
    assert (entry.group, entry.regency) == (world.group_a1, world.regency_a)


def test_filters_text_masks_search_and_drops_page_and_format():
    query = QueryDict("q=0812 3456&kind=violence&page=3&format=csv&status=")

    assert filters_text(query) == "kind=violence&q=*"


@pytest.fixture
def entries(world):
    in_regency = f.AccessLogFactory(regency=world.regency_a, group=world.group_a1, scope="KK Mawar")
    other_regency = f.AccessLogFactory(regency=world.regency_b, scope="Kota Beta")
    everywhere = f.AccessLogFactory(regency=None, scope="Semua wilayah")
    return in_regency, other_regency, everywhere


@pytest.mark.parametrize(
    ("persona", "status", "scopes"),
    [
        ("facilitator", 200, ["KK Mawar"]),
        ("facilitator_b", 200, ["Kota Beta"]),
        ("admin_client_", 200, ["KK Mawar", "Kota Beta", "Semua wilayah"]),
        ("officer", 404, None),
        ("programme", 404, None),
        ("dprd", 404, None),
    ],
)
def test_access_log_page_each_persona(request, entries, persona, status, scopes):
    client = request.getfixturevalue(persona)

    response = client.get(reverse("audit:access_log"))

    assert response.status_code == status
    if scopes is not None:
        shown = [
            scope for scope in ("KK Mawar", "Kota Beta", "Semua wilayah") if scope in response.text
        ]
        assert shown == scopes


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
    assert (in_regency.scope, AccessLog.objects.count()) == ("KK Mawar", 3)


def test_access_log_rows_survive_user_rename(world):
    user = f.UserFactory(username="pengurus-lama", role=Role.OFFICER, group=world.group_a1)
    entry = f.AccessLogFactory(user=user)
    user.username = "pengurus-baru"
    user.save()

    entry.refresh_from_db()
    assert entry.username == "pengurus-lama"
