"""Stored files whose bytes are gone (``kk_portal/files.py``): every download answers a
page that says so, not a server error, and the loss is logged."""

import logging
import os

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")

MISSING = "This file was saved, but it is no longer on the server."


def _gone(stored):
    """Remove the bytes of ``stored`` (a ``FieldFile``) from the disk, keeping its row."""
    os.remove(stored.path)
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


def test_a_stored_file_on_disk_is_still_served(officer, world):
    attachment = _attachment(world)

    response = officer.get(reverse("aspirations:attachment", args=[attachment.pk]))

    assert b"".join(response.streaming_content) == b"%PDF-1.4\n%%EOF\n"
