"""Stored files (attachments, photos, case documents, decree scans) served to the users who
may see them."""

import logging

from django.http import FileResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def stored_file_response(request, stored, **options):
    """A ``FileResponse`` of ``stored`` (a ``FieldFile`` that has a name), with ``options``
    (``content_type``, ``as_attachment``, ``filename``) passed on.

    A file whose row exists but whose bytes are gone from the storage (a restore without the
    media, a disk cleaned by hand) answers 404 with ``file_missing.html`` — it says that the
    file is lost and whom to tell — rather than a server error, and logs an error naming the
    file and the page, for the administrator who restores it.
    """
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        logger.error("Stored file missing: %s (asked for at %s)", stored.name, request.path)
        return render(request, "file_missing.html", status=404)
    return FileResponse(handle, **options)
