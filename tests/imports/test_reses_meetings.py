"""Importing the reses meetings held in a regency (``imports/reses_meetings.py``): the date
and the time of each meeting from date and time cells, serial numbers of either date system,
or text, stored as the local time of the village's zone."""

import datetime
import io
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from imports.models import ImportJob
from imports.values import parse_time
from reses.models import ResesMeeting
from tests import factories as f
from tests.imports.helpers import actions, confirm

HEADER = ["desa", "wakil", "masa_reses", "tanggal", "jam", "tempat"]
#: 17 August 2024 as an Excel serial: in the 1900 date system and in the 1904 one.
SERIAL_1900, SERIAL_1904 = 45521, 45521 - 1462
#: 09:30 as Excel stores it: a fraction of a day.
HALF_PAST_NINE = 9.5 / 24


def workbook(rows, *, epoch_1904=False, formats=()):
    """An XLSX upload of ``rows`` on the sheet ``Reses``; ``formats`` maps ``(row, column)``
    (1-based, the header is row 1) to a number format, so a number shows as a date or time."""
    book = Workbook()
    if epoch_1904:
        book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Reses"
    for row in rows:
        sheet.append(row)
    for (row, column), number_format in dict(formats).items():
        sheet.cell(row=row, column=column).number_format = number_format
    stream = io.BytesIO()
    book.save(stream)
    return SimpleUploadedFile("reses.xlsx", stream.getvalue())


def upload_meetings(client, regency, upload_file):
    data = {
        "kind": "reses_meetings",
        "regency": regency.pk,
        "file": upload_file,
        "date_format": "dmy",
        "consent": "on",
    }
    response = client.post(reverse("imports:upload"), data)
    assert response.status_code == 302, response.context["form"].errors
    return ImportJob.objects.order_by("-pk").first()


@pytest.fixture
def second(world):
    """A second representative of the world's district (it covers village A1)."""
    return f.RepresentativeFactory(district=world.district, full_name="Yakobus Lende")


def stored(zone):
    """``[(representative, local start)]`` of the stored meetings, local in ``zone``."""
    return sorted(
        (m.representative.full_name, m.starts_at.astimezone(zoneinfo.ZoneInfo(zone)))
        for m in ResesMeeting.objects.select_related("representative")
    )


@pytest.mark.parametrize(
    ("epoch_1904", "serial"), [(False, SERIAL_1900), (True, SERIAL_1904)], ids=["1900", "1904"]
)
def test_a_date_cell_and_a_date_typed_as_text_both_store_half_past_nine_local(
    facilitator, world, second, epoch_1904, serial
):
    rows = [
        HEADER,
        ["Desa Alfa Satu", "Hj. Andi Rahmawati", "Reses II 2024", serial, HALF_PAST_NINE, "Balai"],
        ["Desa Alfa Satu", "Yakobus Lende", "Reses II 2024", "17/08/2024", "09:30", "Balai"],
    ]
    upload_file = workbook(
        rows, epoch_1904=epoch_1904, formats={(2, 4): "dd/mm/yyyy", (2, 5): "hh:mm"}
    )

    job = upload_meetings(facilitator, world.regency_a, upload_file)
    preview = actions(job)
    done = confirm(facilitator, job)

    assert preview == [(2, "create"), (3, "create")]
    assert (done.status, done.created) == (ImportJob.Status.DONE, 2)
    half_past_nine = datetime.datetime(
        2024, 8, 17, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar")
    )
    assert stored("Asia/Makassar") == [
        ("Hj. Andi Rahmawati", half_past_nine),
        ("Yakobus Lende", half_past_nine),
    ]
    assert ResesMeeting.objects.first().starts_at == datetime.datetime(
        2024, 8, 17, 1, 30, tzinfo=datetime.UTC
    )


@pytest.mark.parametrize(
    ("epoch_1904", "serial"), [(False, SERIAL_1900), (True, SERIAL_1904)], ids=["1900", "1904"]
)
def test_a_serial_number_without_a_date_format_is_read_by_the_workbooks_date_system(
    facilitator, world, epoch_1904, serial
):
    rows = [
        HEADER,
        ["Desa Alfa Satu", "Hj. Andi Rahmawati", "Reses II 2024", serial, "9.30", "Balai"],
    ]

    job = upload_meetings(facilitator, world.regency_a, workbook(rows, epoch_1904=epoch_1904))

    assert job.rows.get().values["day"] == "2024-08-17"
    assert job.rows.get().values["time"] == "09:30:00"


def test_a_meeting_in_kota_ambon_is_half_past_nine_wit(facilitator_b, world):
    district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1")
    f.DistrictVillageFactory(district=district, village=world.village_b1)
    f.RepresentativeFactory(district=district, full_name="Welhelmina Latuny")
    rows = [
        HEADER,
        ["Negeri Beta", "Welhelmina Latuny", "Reses II 2024", "17/08/2024", "09:30", "Baileo"],
    ]

    confirm(facilitator_b, upload_meetings(facilitator_b, world.regency_b, workbook(rows)))

    meeting = ResesMeeting.objects.get()
    assert meeting.starts_at == datetime.datetime(2024, 8, 17, 0, 30, tzinfo=datetime.UTC)
    assert stored("Asia/Jayapura") == [
        (
            "Welhelmina Latuny",
            datetime.datetime(2024, 8, 17, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Jayapura")),
        )
    ]


def test_importing_the_meetings_twice_creates_each_once(facilitator, world):
    rows = [
        HEADER,
        ["Desa Alfa Satu", "Hj. Andi Rahmawati", "Reses II 2024", "17/08/2024", "09:30", "Balai"],
    ]

    first = confirm(facilitator, upload_meetings(facilitator, world.regency_a, workbook(rows)))
    again = confirm(facilitator, upload_meetings(facilitator, world.regency_a, workbook(rows)))

    assert (first.created, again.created, again.unchanged) == (1, 0, 1)
    assert ResesMeeting.objects.count() == 1


def test_a_time_that_is_no_time_is_an_error_quoting_the_cell_and_nothing_is_written(
    facilitator, world
):
    rows = [
        HEADER,
        ["Desa Alfa Satu", "Hj. Andi Rahmawati", "Reses II 2024", "17/08/2024", "09:30", "Balai"],
        ["Desa Alfa Satu", "Hj. Andi Rahmawati", "Reses II 2024", "18/08/2024", "pagi", "Balai"],
        ["Desa Alfa Dua", "Hj. Andi Rahmawati", "Reses II 2024", "19/08/2024", "10:00", "Balai"],
    ]

    job = upload_meetings(facilitator, world.regency_a, workbook(rows))
    page = facilitator.get(job.get_absolute_url()).text
    confirm(facilitator, job)

    assert actions(job) == [(2, "create"), (3, "error"), (4, "error")]
    assert "kolom jam, nilai 'pagi': &#x27;pagi&#x27; bukan jam: tulis seperti 09:30" in page
    assert "Desa Alfa Dua tidak termasuk ALFA 1, daerah pemilihan Hj. Andi Rahmawati." in page
    assert "Desa Alfa Dua · Hj. Andi Rahmawati · Reses II 2024" in page
    assert ResesMeeting.objects.count() == 0


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (datetime.time(9, 30), datetime.time(9, 30)),
        (datetime.datetime(1899, 12, 30, 9, 30), datetime.time(9, 30)),
        (HALF_PAST_NINE, datetime.time(9, 30)),
        (0.3958, datetime.time(9, 30)),  # rounded to the minute
        ("09:30", datetime.time(9, 30)),
        ("9.30", datetime.time(9, 30)),
        ("9:05", datetime.time(9, 5)),
        (None, None),
    ],
)
def test_a_time_is_read_from_a_time_cell_a_fraction_of_a_day_or_text(cell, expected):
    assert parse_time(cell) == expected


@pytest.mark.parametrize("cell", ["pagi", "9:75", "25:00", "9", 1.5, "09:30:15"])
def test_anything_else_is_refused_with_the_cell_quoted(cell):
    with pytest.raises(ValidationError) as refused:
        parse_time(cell)

    assert refused.value.messages == [
        f"'{cell}' bukan jam: tulis seperti 09:30 atau 9.30 (jam 0–23)."
    ]
