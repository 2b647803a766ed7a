"""Photos and documents attached to aspirations: what is accepted, and how it is stored.

Accepted: JPEG, PNG, WebP, HEIC/HEIF and PDF, up to 10 MB each, whatever the case
of the extension. Photos are re-encoded as a JPEG at web size with a small thumbnail, which
also drops their EXIF data (location); PDFs are kept as sent. Files are served only through
the scoped view ``aspirations:attachment`` — never from a public media URL.
"""

import io
import os
import uuid

import pillow_heif
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from aspirations.models import Attachment

pillow_heif.register_heif_opener()

#: Largest file accepted, in bytes (10 MB).
MAX_BYTES = 10 * 1024 * 1024
#: Longest side of a stored photo, and of its thumbnail, in pixels; JPEG quality of each.
#: Thumbnails are shown at 160 × 120 CSS px; 240 px stays sharp on common phone screens
#: and keeps a page of eight thumbnails well inside the 150 KB page budget.
WEB_SIZE = 1600
THUMB_SIZE = 240
WEB_QUALITY = 80
THUMB_QUALITY = 70
PHOTO_EXTENSIONS = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}
DOCUMENT_EXTENSIONS = {".pdf"}
#: Most pixels a photo may have (40 megapixels, above any phone camera). Checked from the
#: header before decoding: a small file can declare a huge image (a 21 KB PNG of
#: 13,300 × 13,300 px decodes to 0.5 GB).
MAX_PIXELS = 40_000_000
#: What the file picker offers (the server checks again).
ACCEPT = ",".join(sorted(PHOTO_EXTENSIONS | DOCUMENT_EXTENSIONS)) + ",image/*,application/pdf"


def check_upload(upload):
    """Raise ``ValidationError`` with a message naming ``upload`` if it may not be stored.

    Checks the size, the extension (any case) and that the content really is an image or
    a PDF, so that a renamed file is refused here rather than failing later.
    """
    name = upload.name
    extension = os.path.splitext(name)[1].lower()
    if upload.size > MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than 10 MB (%(size)s MB).")
            % {"name": name, "size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
        )
    if extension not in PHOTO_EXTENSIONS | DOCUMENT_EXTENSIONS:
        raise ValidationError(
            _("%(name)s: only JPEG, PNG, WebP, HEIC photos and PDF documents can be attached.")
            % {"name": name}
        )
    upload.seek(0)
    if extension in DOCUMENT_EXTENSIONS:
        if upload.read(5) != b"%PDF-":
            raise ValidationError(_("%(name)s is not a readable PDF.") % {"name": name})
    else:
        try:
            with _open_photo(upload) as image:
                image.verify()
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            ValueError,
            SyntaxError,
        ):
            raise ValidationError(_("%(name)s is not a readable photo.") % {"name": name}) from None
    upload.seek(0)


class TooManyPixels(ValidationError):
    """A photo whose header declares more than ``MAX_PIXELS`` pixels."""


def _open_photo(upload):
    """``Image.open(upload)`` (header only, nothing decoded), refusing an image of more than
    ``MAX_PIXELS`` pixels with ``TooManyPixels`` naming the upload."""
    image = Image.open(upload)
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise TooManyPixels(
            _("%(name)s is too large: %(width)s × %(height)s pixels, at most 40 megapixels.")
            % {"name": upload.name, "width": width, "height": height}
        )
    return image


def _jpeg(image, longest_side, quality):
    copy = image.copy()
    copy.thumbnail((longest_side, longest_side))
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
    return buffer.getvalue()


def store_upload(instance, upload):
    """Fill ``instance``'s ``file``, ``thumbnail``, ``original_name``, ``content_type`` and
    ``size`` from one checked ``upload`` (call ``check_upload`` first); does not save the row.

    A photo is turned upright, reduced to ``WEB_SIZE`` px and kept as JPEG with a
    ``THUMB_SIZE`` px thumbnail; a PDF is stored as sent. Stored names are random, so
    nothing about the upload's name reaches the disk.
    """
    extension = os.path.splitext(upload.name)[1].lower()
    stem = uuid.uuid4().hex
    instance.original_name = os.path.basename(upload.name)[:255]
    upload.seek(0)
    if extension in DOCUMENT_EXTENSIONS:
        data = upload.read()
        instance.content_type = "application/pdf"
        instance.file.save(f"{stem}.pdf", ContentFile(data), save=False)
    else:
        with _open_photo(upload) as opened:
            image = ImageOps.exif_transpose(opened).convert("RGB")
        data = _jpeg(image, WEB_SIZE, WEB_QUALITY)
        instance.content_type = "image/jpeg"
        instance.file.save(f"{stem}.jpg", ContentFile(data), save=False)
        instance.thumbnail.save(
            f"{stem}-thumb.jpg", ContentFile(_jpeg(image, THUMB_SIZE, THUMB_QUALITY)), save=False
        )
    instance.size = len(data)


def attachment_store(*, aspiration, upload, actor):
    """Store one checked ``upload`` for ``aspiration`` (``store_upload``); returns the
    ``Attachment``."""
    attachment = Attachment(aspiration=aspiration, uploaded_by=actor)
    store_upload(attachment, upload)
    attachment.save()
    return attachment


def is_photo(attachment):
    """True for an attachment stored as a photo (it has a thumbnail)."""
    return bool(attachment.thumbnail)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several photos or documents in one input, checked by ``check_upload``; each rejected
    file gets its own message naming it (the aspiration and case forms)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = [u for u in (data if isinstance(data, (list, tuple)) else [data]) if u]
        errors = []
        for upload in uploads:
            try:
                check_upload(upload)
            except forms.ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise forms.ValidationError(errors)
        return uploads
