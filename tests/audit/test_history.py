"""Edit histories as the member page shows them (``audit.history``): who changed what,
when, old and new values; deleted with the personal data when consent is withdrawn."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from members.models import Member
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


def test_member_made_before_history_first_edit_shows_old_and_new(officer, world):
    # bulk_create writes no history: the member stands as one made before it was kept.
    [member] = Member.objects.bulk_create(
        [f.MemberFactory.build(group=world.group_a1, address="RT 003", nik=None)]
    )
    baseline = importlib.import_module("members.migrations.0003_member_history_baseline")
    baseline.add_baselines(apps, None)

    officer.post(
        reverse("members:edit", args=[member.pk]),
        _member_form(member, address="RT 004", consent="on"),
    )
    page = officer.get(reverse("members:detail", args=[member.pk])).text

    assert "Alamat: “RT 003” → “RT 004”" in page
    assert "nilai sebelumnya tidak tersimpan" not in page


def test_member_anonymised_history_keeps_no_old_values(officer, member):
    officer.post(reverse("members:edit", args=[member.pk]), _member_form(member, consent="on"))
    officer.post(
        reverse("members:anonymise", args=[member.pk]),
        {"reason": "Persetujuan ditarik", "confirm": "on"},
    )

    page = officer.get(reverse("members:detail", args=[member.pk])).text

    assert "Yohana" not in page
    assert "6281234567890" not in page
    assert "9471024506880007" not in page
