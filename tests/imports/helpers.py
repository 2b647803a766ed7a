"""Files and uploads for the import tests."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from imports.models import ImportJob


def csv_file(lines, *, name="anggota.csv", bom=False, delimiter=","):
    """A CSV upload of ``lines`` (lists of cells), UTF-8, CRLF, with a BOM when asked."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(lines)
    text = out.getvalue()
    data = ("\ufeff" if bom else "").encode() + text.encode()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def xlsx_file(
    rows,
    *,
    sheet="Anggota",
    name="anggota.xlsx",
    extra_sheets=(),
    epoch_1904=False,
    text_columns=(),
):
    """An XLSX upload with ``rows`` (lists of cell values) on ``sheet``; ``text_columns``
    are 0-based columns whose cells are written as text cells."""
    book = Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    data = book.active
    data.title = sheet
    for row in rows:
        data.append(row)
    for title in extra_sheets:
        book.create_sheet(title).append(["catatan"])
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile(
        name,
        stream.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def upload(client, upload_file, *, group=None, regency=None, date_format="dmy", kind="members"):
    """Upload ``upload_file`` (the tests run tasks at once, so the preview is built) and
    return the job."""
    data = {"kind": kind, "file": upload_file, "date_format": date_format, "consent": "on"}
    if group is not None:
        data["group"] = group.pk
    if regency is not None:
        data["regency"] = regency.pk
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.order_by("-pk").first()


def confirm(client, job):
    """Confirm ``job``'s preview and return it, written."""
    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    return job


def actions(job):
    """``[(row number, action)]`` of the job's preview."""
    return list(job.rows.order_by("number").values_list("number", "action"))
