"""An aspiration entered on the phone without signal and sent later as a draft, with its
photo: the create view answers JSON, one aspiration per submission token."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from aspirations.models import Aspiration
from tests.aspirations.test_views import _data

JSON = {"accept": "application/json"}


def _photo():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1200), (30, 110, 160)).save(buffer, "JPEG")
    return SimpleUploadedFile("sumur.jpg", buffer.getvalue(), "image/jpeg")


def test_aspiration_draft_with_photo_sent_twice_makes_one(officer, world, topic):
    data = _data(world, topic)

    first = officer.post(reverse("aspirations:create"), {**data, "files": _photo()}, headers=JSON)
    again = officer.post(reverse("aspirations:create"), {**data, "files": _photo()}, headers=JSON)

    aspiration = Aspiration.objects.get()
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["url"] == again.json()["url"] == aspiration.get_absolute_url()
    assert aspiration.attachments.count() == 1


def test_aspiration_draft_refused_answers_the_message_beside_the_field(officer, world, topic):
    response = officer.post(
        reverse("aspirations:create"), _data(world, topic, title=""), headers=JSON
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"title": ["Bidang ini tidak boleh kosong."]}
    assert Aspiration.objects.count() == 0
