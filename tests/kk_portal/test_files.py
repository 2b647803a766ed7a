"""Stored files (``kk_portal/files.py``) on the local disk and on a storage that is not a file
system, as S3 is (``MEDIA_STORAGE``; Django's ``InMemoryStorage`` stands in for it): each is
served through ``storage.open``; one whose bytes are gone answers a page that says so, not a
server error, and the loss is logged."""

import io
import logging
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from aspirations.models import Attachment
from tests import factories as f

MISSING = "This file was saved, but it is no longer on the server."


@pytest.fixture(
    autouse=True,
    params=["FileSystemStorage", "InMemoryStorage"],
    ids=["disk", "not a file system"],
)
def storage(request, settings, english):
    """Uploads on the local disk, or in a storage without ``.path`` (no file system)."""
    backend = f"django.core.files.storage.{request.param}"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": backend}}
    return request.param


def _gone(stored):
    """Remove the bytes of ``stored`` (a ``FieldFile``) from its storage, keeping its row."""
    stored.storage.delete(stored.name)
    return stored.name


def _attachment(world):
    return f.AttachmentFactory(aspiration=f.AspirationFactory(group=world.group_a1))


def _document(world, officer):
    case = f.AssistanceCaseFactory(group=world.group_a1, handlers=[officer.user])
    return f.CaseDocumentFactory(case=case)


def _decree(world):
    world.group_a1.decree_scan.save("sk.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return world.group_a1


@pytest.mark.parametrize(
    ("make", "url_name", "stored"),
    [
        (lambda world, officer: _attachment(world), "aspirations:attachment", "file"),
        (lambda world, officer: _document(world, officer), "assistance:document", "file"),
        (lambda world, officer: _decree(world), "groups:decree", "decree_scan"),
    ],
)
def test_a_stored_file_missing_on_disk_answers_a_page_saying_so(
    officer, world, caplog, make, url_name, stored
):
    row = make(world, officer)
    name = _gone(getattr(row, stored))

    with caplog.at_level(logging.ERROR, logger="kk_portal.files"):
        response = officer.get(reverse(url_name, args=[row.pk]))

    assert response.status_code == 404
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "<h1>File missing</h1>" in response.text
    assert MISSING in response.text
    assert [r.getMessage() for r in caplog.records] == [
        f"Stored file missing: {name} (asked for at {reverse(url_name, args=[row.pk])})"
    ]


def test_a_stored_file_is_served_from_its_storage(officer, world, storage):
    attachment = _attachment(world)

    response = officer.get(reverse("aspirations:attachment", args=[attachment.pk]))

    assert attachment.file.storage.__class__.__name__ == storage
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
    assert response["Content-Disposition"].startswith("attachment;")


def _served_image(client, url_name, pk):
    """The image that ``client`` downloads from ``url_name`` (a PIL ``Image``)."""
    response = client.get(reverse(url_name, args=[pk]))
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_photo_uploaded_to_the_storage_is_resized_and_served_with_its_thumbnail(
    officer, world, storage
):
    photo = io.BytesIO()
    Image.new("RGB", (2000, 1500), (200, 120, 40)).save(photo, "PNG")
    form = {
        "submission_token": str(uuid.uuid4()),
        "title": "Sumur bor",
        "description": "Air bersih untuk dusun dua.",
        "topic": f.TopicFactory().pk,
        "village": world.village_a1.pk,
        "channel": "letter",
        "raised_on": "2024-08-17",
        "files": [SimpleUploadedFile("sumur.png", photo.getvalue(), "image/png")],
    }

    officer.post(reverse("aspirations:create"), form)
    attachment = Attachment.objects.get()
    photo_served = _served_image(officer, "aspirations:attachment", attachment.pk)
    thumbnail_served = _served_image(officer, "aspirations:attachment_thumbnail", attachment.pk)

    assert attachment.file.storage.exists(attachment.file.name)
    assert (photo_served.format, max(photo_served.size)) == ("JPEG", 1600)
    assert (thumbnail_served.format, max(thumbnail_served.size)) == ("JPEG", 240)
