"""The member list's export: NIK and phones as text, the list's scope and filters exactly."""

import csv
import io

import openpyxl
import pytest

from tests import factories as f


@pytest.fixture(autouse=True)
def english(settings):
    """Pages in English, the source language, so labels compare as written in the code."""
    settings.LANGUAGE_CODE = "en"


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
