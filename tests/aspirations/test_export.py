"""The aspiration list's export: the list's scope and filters exactly, numbers and codes kept."""

import datetime
from decimal import Decimal

import pytest

from aspirations.models import BudgetOutcome, FundSource
from aspirations.stages import Stage
from tests import factories as f
from tests.helpers import csv_rows, xlsx_book, xlsx_rows

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


def _exact(value):
    """A money cell as read back (a float) to the ``Decimal`` of its shortest digits."""
    return Decimal(repr(value)) if isinstance(value, float) else value


def test_aspiration_export_carries_the_latest_budget_and_every_outcome(facilitator, world):
    budgeted = f.AspirationFactory(group=world.group_a1, channel="letter")
    f.BudgetOutcomeFactory(aspiration=budgeted, fiscal_year=2025, amount=Decimal("250000000.00"))
    f.BudgetOutcomeFactory(
        aspiration=budgeted,
        source=FundSource.APBD_KABKOTA,
        fiscal_year=2026,
        amount=Decimal("617666666.66"),
        realised_amount=Decimal("600000000.50"),
        realised_on=datetime.date(2026, 9, 30),
    )
    bare = f.AspirationFactory(group=world.group_a1, channel="letter")
    f.AspirationFactory(group=world.group_a1, channel="phone")  # filtered out

    book = xlsx_book(facilitator.get(ASPIRATIONS, {"channel": "letter"}))

    sheet = [[_exact(c.value) for c in row] for row in book.worksheets[0].iter_rows()]
    header = sheet[0]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in sheet[1:]}
    latest = BudgetOutcome.objects.filter(aspiration=budgeted).order_by("fiscal_year").last()
    assert sorted(by_id) == sorted([budgeted.pk, bare.pk])
    assert {name: by_id[budgeted.pk][name] for name in header[-6:]} == {
        "Budget outcomes": BudgetOutcome.objects.filter(aspiration=budgeted).count(),
        "Latest budget: fiscal year": latest.fiscal_year,
        "Latest budget: source": latest.get_source_display(),
        "Latest budget: amount (Rp)": latest.amount,
        "Latest budget: realised (Rp)": latest.realised_amount,
        "Latest budget: realised on": datetime.datetime(2026, 9, 30),
    }
    assert [by_id[bare.pk][name] for name in header[-6:]] == [0, None, None, None, None, None]

    outcomes = [[_exact(c.value) for c in row] for row in book["Budget outcomes"].iter_rows()]
    assert [row[:2] + row[4:8] for row in outcomes[1:]] == [
        [
            o.aspiration_id,
            o.aspiration.title,
            o.fiscal_year,
            o.get_source_display(),
            o.amount,
            o.realised_amount,
        ]
        for o in BudgetOutcome.objects.order_by("fiscal_year")
    ]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Channel"] == "letter"
    assert about["Exported at"].endswith(" WITA")


def test_aspiration_export_csv_has_the_latest_budget(facilitator, world):
    budgeted = f.AspirationFactory(group=world.group_a1)
    f.BudgetOutcomeFactory(aspiration=budgeted, amount=Decimal("617666666.66"))

    rows = csv_rows(facilitator.get(ASPIRATIONS, {"format": "csv"}))

    assert rows[1][-6:] == ["1", "2025", "APBDes (village budget)", "617666666.66", "", ""]


def test_aspiration_export_comes_in_the_list_order_and_says_it(facilitator, world):
    for title in ("Sumur bor", "Balai warga", "Kartu BPJS"):
        f.AspirationFactory(group=world.group_a1, title=title)
    params = {"sort": "title"}

    page = facilitator.get("/aspirations/", params)
    book = xlsx_book(facilitator.get(ASPIRATIONS, params))

    listed = [a.title for a in page.context["page_obj"]]
    exported = [row[1] for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert listed == exported == ["Balai warga", "Kartu BPJS", "Sumur bor"]
    about = {row[0]: row[1] for row in book.worksheets[-1].iter_rows(values_only=True)}
    assert about["Sorted by"] == "Title (ascending)"


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("en", ["letter", "budgeted (APBDes/APBD)", "", "yes", "no", "not filled"]),
        ("id", ["surat", "dianggarkan (APBDes/APBD)", "", "ya", "tidak", "tidak diisi"]),
    ],
)
def test_aspiration_export_labels_in_the_users_language(facilitator, world, language, labels):
    f.AspirationFactory(
        group=world.group_a1,
        channel="letter",
        stage=Stage.BUDGETED,
        benefits_women=True,
        benefits_men=False,
        urusan=None,
    )
    facilitator.cookies["django_language"] = language

    for rows in (
        csv_rows(facilitator.get(ASPIRATIONS, {"format": "csv"})),
        [[c.value or "" for c in row] for row in xlsx_rows(facilitator.get(ASPIRATIONS))],
    ):
        row = dict(zip(rows[0], rows[1], strict=True))
        assert [row[name] for name in _labelled(language)] == labels


def _labelled(language):
    """The headers of the channel, stage, stopped-at, two beneficiary and urusan columns."""
    if language == "en":
        names = ["Channel", "Stage", "Stopped at", "Benefits women", "Benefits men"]
        return [*names, "Urusan code"]
    names = ["Cara disampaikan", "Tahap", "Berhenti di tahap", "Bermanfaat bagi perempuan"]
    return [*names, "Bermanfaat bagi laki-laki", "Kode urusan"]
