"""The aspiration list's export: the list's scope and filters exactly, numbers and codes kept."""

import pytest

from tests import factories as f
from tests.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.usefixtures("english")


ASPIRATIONS = "/aspirations/export/"


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


def test_aspiration_list_offers_export_with_its_filters(facilitator, world):
    f.AspirationFactory(group=world.group_a1)
    response = facilitator.get("/aspirations/", {"channel": "letter"})
    assert "/aspirations/export/?channel=letter&amp;format=csv" in response.text
