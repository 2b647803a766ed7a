"""Attachments: accepted types in any case, per-file messages, scoped downloads, and no
"saved" message while a file is missing."""

import io
import struct
import uuid
import zlib

import pillow_heif
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from aspirations.attachments import check_upload
from aspirations.models import Aspiration, Attachment
from tests import factories as f


def _image(fmt, size=(2400, 1800)):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    if fmt == "HEIF":
        pillow_heif.from_pillow(image).save(buffer, format="HEIF", quality=50)
    else:
        image.save(buffer, fmt)
    return buffer.getvalue()


def _data(world, topic, files):
    return {
        "submission_token": str(uuid.uuid4()),
        "title": "Sumur bor",
        "description": "Air bersih untuk dusun dua.",
        "topic": topic.pk,
        "village": world.village_a1.pk,
        "channel": "letter",
        "raised_on": "2024-08-17",
        "files": files,
    }


def test_attachments_png_heic_pdf_accepted_in_any_case(officer, world, topic):
    files = [
        SimpleUploadedFile("FOTO.PNG", _image("PNG"), "image/png"),
        SimpleUploadedFile("IMG_0012.HEIC", _image("HEIF"), "image/heic"),
        SimpleUploadedFile("surat.pdf", b"%PDF-1.4\n1 0 obj\n%%EOF\n", "application/pdf"),
        SimpleUploadedFile("poster.webp", _image("WEBP", (400, 300)), "image/webp"),
    ]

    response = officer.post(reverse("aspirations:create"), _data(world, topic, files), follow=True)

    aspiration = Aspiration.objects.get()
    names = sorted(a.original_name for a in aspiration.attachments.all())
    assert names == ["FOTO.PNG", "IMG_0012.HEIC", "poster.webp", "surat.pdf"]
    assert "4 attachments" in response.text or "4 lampiran" in response.text


def test_attachments_photo_kept_at_web_size_with_thumbnail(officer, world, topic):
    files = [SimpleUploadedFile("besar.JPG", _image("JPEG", (4000, 3000)), "image/jpeg")]

    officer.post(reverse("aspirations:create"), _data(world, topic, files))

    attachment = Attachment.objects.get()
    with Image.open(attachment.file.open("rb")) as stored:
        assert max(stored.size) == 1600
    with Image.open(attachment.thumbnail.open("rb")) as thumb:
        assert max(thumb.size) == 240
    assert attachment.content_type == "image/jpeg"


def test_attachments_15mb_jpg_rejected_with_own_message_fields_kept(officer, world, topic):
    big = SimpleUploadedFile(
        "BESAR.jpg", b"\xff\xd8\xff" + b"\0" * (15 * 1024 * 1024), "image/jpeg"
    )
    files = [SimpleUploadedFile("FOTO.PNG", _image("PNG", (50, 50)), "image/png"), big]

    response = officer.post(reverse("aspirations:create"), _data(world, topic, files))

    assert response.status_code == 200
    assert Aspiration.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert response.context["form"].errors["files"] == [
        "BESAR.jpg lebih besar dari 10 MB (15,0 MB)."
    ]
    assert 'value="Sumur bor"' in response.text
    assert "Air bersih untuk dusun dua." in response.text
    assert list(response.context["messages"]) == []
    assert "Belum ada yang disimpan" in response.text
    assert "Pilih berkasnya lagi." in response.text


def test_attachments_each_rejected_file_gets_its_own_message(officer, world, topic):
    files = [
        SimpleUploadedFile("catatan.docx", b"PK\x03\x04", "application/msword"),
        SimpleUploadedFile("palsu.jpg", b"not an image", "image/jpeg"),
        SimpleUploadedFile("palsu.pdf", b"hello", "application/pdf"),
    ]

    response = officer.post(reverse("aspirations:create"), _data(world, topic, files))

    errors = response.context["form"].errors["files"]
    assert len(errors) == 3
    assert [e.split(" ")[0].rstrip(":") for e in errors] == [
        "catatan.docx",
        "palsu.jpg",
        "palsu.pdf",
    ]
    assert Aspiration.objects.count() == 0


def test_attachments_added_when_editing(officer, world, topic):
    aspiration = f.AspirationFactory(group=world.group_a1, topic=topic)
    data = _data(world, topic, [SimpleUploadedFile("surat.PDF", b"%PDF-1.7\n", "application/pdf")])
    del data["submission_token"]

    officer.post(reverse("aspirations:edit", args=[aspiration.pk]), data)

    assert [a.original_name for a in aspiration.attachments.all()] == ["surat.PDF"]


def test_attachment_download_serves_the_photo_as_jpeg(officer, world, topic):
    files = [SimpleUploadedFile("foto.png", _image("PNG", (100, 80)), "image/png")]
    officer.post(reverse("aspirations:create"), _data(world, topic, files))
    attachment = Attachment.objects.get()

    for name in ("aspirations:attachment", "aspirations:attachment_thumbnail"):
        response = officer.get(reverse(name, args=[attachment.pk]))

        assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"


def test_attachment_pdf_served_as_download(officer, world):
    attachment = f.AttachmentFactory(aspiration=f.AspirationFactory(group=world.group_a1))

    response = officer.get(reverse("aspirations:attachment", args=[attachment.pk]))

    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"


def test_attachment_detail_page_links_through_scoped_view(officer, world):
    attachment = f.AttachmentFactory(aspiration=f.AspirationFactory(group=world.group_a1))

    response = officer.get(reverse("aspirations:detail", args=[attachment.aspiration_id]))

    assert f'href="/aspirations/attachments/{attachment.pk}/"' in response.text
    assert "/media/" not in response.text


def _png_declaring(width, height):
    """A valid 1-bit grey PNG of ``width`` × ``height`` px, all black: a few KB that would
    decode to ``width × height`` pixels."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_attachments_photo_over_40_megapixels_refused_before_decoding():
    data = _png_declaring(13_300, 13_300)
    assert len(data) < 100_000

    with pytest.raises(ValidationError) as refused:
        check_upload(SimpleUploadedFile("peta.png", data, "image/png"))

    assert refused.value.messages == [
        "peta.png terlalu besar: 13300 × 13300 piksel, paling banyak 40 megapiksel."
    ]


def test_attachments_photo_of_40_megapixels_accepted():
    check_upload(SimpleUploadedFile("peta.png", _png_declaring(8000, 5000), "image/png"))
