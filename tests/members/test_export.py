"""The member list's export: NIK and phones as text, the list's scope and filters exactly."""

import pytest

from tests import factories as f
from tests.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.usefixtures("english")


MEMBERS = "/members/export/"


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
