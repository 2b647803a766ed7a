"""An aspiration about protection of women and children names no one: the form says so and
points to a case of assistance, and a NIK or phone number in it is refused."""

import uuid

import pytest
from django.urls import reverse

from aspirations.models import Aspiration
from aspirations.topics import PROTECTION_SLUG
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def protection():
    return f.TopicFactory(slug=PROTECTION_SLUG, name="Perlindungan perempuan dan anak")


def _data(world, topic, **overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "title": "Rumah aman di desa",
        "description": "Belum ada tempat aman untuk korban kekerasan.",
        "topic": topic.pk,
        "village": world.village_a1.pk,
        "channel": "face_to_face",
        "raised_on": "2024-08-17",
        "benefits_women": "on",
    }
    data.update(overrides)
    return data


def test_form_says_no_personal_identifiers_and_links_to_a_case(officer, protection):
    response = officer.get(reverse("aspirations:create"))

    assert "jangan siapa yang mengalami kekerasan" in response.text
    assert "Jangan tulis nama, umur, alamat, NIK atau nomor HP di sini" in response.text
    assert f'<a href="{reverse("assistance:create")}">Untuk mendampingi seseorang' in response.text


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("description", "Ibu korban bisa dihubungi di 0812-3456-7890."),
        ("description", "HP +62 813 1111 2222"),
        ("title", "Kasus anak NIK 9471024506880007"),
    ],
)
def test_protection_with_phone_or_nik_refused_nothing_saved(
    officer, world, protection, field, text
):
    response = officer.post(
        reverse("aspirations:create"), _data(world, protection, **{field: text})
    )

    assert response.status_code == 200
    assert "Hapus NIK atau nomor HP" in response.text
    assert Aspiration.objects.count() == 0


def test_protection_with_an_amount_saved(officer, world, protection):
    response = officer.post(
        reverse("aspirations:create"),
        _data(world, protection, description="Anggaran rumah aman Rp 150.000.000 dan 2 petugas."),
    )

    assert response.status_code == 302
    assert Aspiration.objects.count() == 1


def test_other_topic_with_phone_saved(officer, world):
    topic = f.TopicFactory()

    response = officer.post(
        reverse("aspirations:create"),
        _data(world, topic, description="Hubungi kepala dusun 0812-3456-7890."),
    )

    assert response.status_code == 302


def test_protection_edit_with_phone_refused(officer, world, protection):
    aspiration = f.AspirationFactory(group=world.group_a1, topic=protection)

    response = officer.post(
        reverse("aspirations:edit", args=[aspiration.pk]),
        _data(world, protection, description="Telp 081234567890"),
    )

    assert response.status_code == 200
    assert "Hapus NIK atau nomor HP" in response.text
    aspiration.refresh_from_db()
    assert aspiration.description == "Jalan rusak sepanjang 300 meter."
