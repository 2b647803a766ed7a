"""Rupiah as people type it (``aspirations.money``)."""

from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation

from aspirations.money import MoneyField, format_rupiah_input, parse_rupiah


class _AmountForm(forms.Form):
    amount = MoneyField()
    optional = MoneyField(required=False)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("617.666.666,66", Decimal("617666666.66")),
        ("Rp 1.500.000", Decimal("1500000")),
        ("Rp1.500.000", Decimal("1500000")),
        ("rp. 1.500.000", Decimal("1500000")),
        ("1500000", Decimal("1500000")),
        ("1.500", Decimal("1500")),
        ("1.500.000,00", Decimal("1500000.00")),
        ("Rp 1.500.000,-", Decimal("1500000")),
        ("  2.000,5 ", Decimal("2000.50")),
        ("0", Decimal("0")),
        ("999.999.999.999.999.999,99", Decimal("999999999999999999.99")),
        ("3.600.000.000.000.000", Decimal("3600000000000000")),
    ],
)
def test_parse_rupiah_accepts_indonesian_writing(typed, expected):
    amount = parse_rupiah(typed)

    assert amount == expected
    assert isinstance(amount, Decimal)


def test_parse_rupiah_keeps_sen_exactly():
    assert str(parse_rupiah("617.666.666,66")) == "617666666.66"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,5 juta", "Write the amount in figures, for example 1.500.000 or 617.666.666,66."),
        ("-1.500.000", "The amount cannot be negative."),
        ("Rp -5.000", "The amount cannot be negative."),
        ("lima ratus ribu", "Write the amount in figures"),
        ("1,500,000", "Use one comma only, before the decimals"),
        ("1.50.000", "Group thousands with dots in threes (1.500.000)"),
        ("1500000.50", "Group thousands with dots in threes"),
        ("1.500,505", "Rupiah amounts have at most 2 decimals (sen)."),
        ("1.500,", "Write the amount in figures"),
        ("1 500 000", "Write the amount in figures"),
        ("1.000.000.000.000.000.000", "This amount is too large."),
        # Past the decimal context's 28 digits with the 2 decimals (27 digits typed).
        ("1" * 27, "This amount is too large."),
        ("9" * 40, "This amount is too large."),
        ("1e6", "Write the amount in figures"),
    ],
)
def test_parse_rupiah_refuses_with_hint(typed, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            parse_rupiah(typed)
        # The message is lazy: read it while English is still active.
        assert message in caught.value.messages[0]


@pytest.mark.parametrize("blank", [None, "", "   "])
def test_parse_rupiah_blank_is_none(blank):
    assert parse_rupiah(blank) is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [(1500000, Decimal("1500000")), (617666666.66, Decimal("617666666.66"))],
)
def test_parse_rupiah_reads_sheet_numbers(cell, expected):
    assert parse_rupiah(cell) == expected


def test_parse_rupiah_refuses_float_with_fractional_sen():
    with pytest.raises(ValidationError):
        parse_rupiah(1.005)


def test_format_rupiah_input_round_trips():
    assert format_rupiah_input(Decimal("617666666.66")) == "617.666.666,66"
    assert parse_rupiah(format_rupiah_input(Decimal("1500000"))) == Decimal("1500000")


def test_money_field_cleans_to_decimal():
    form = _AmountForm(data={"amount": "Rp 617.666.666,66", "optional": ""})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"amount": Decimal("617666666.66"), "optional": None}


def test_money_field_required_when_empty():
    with translation.override("en"):
        form = _AmountForm(data={"amount": ""})

        assert form.errors["amount"] == ["Enter the amount in Rupiah."]


def test_money_field_keeps_typed_value_on_error():
    with translation.override("en"):
        form = _AmountForm(data={"amount": "1,5 juta"})
        html = form.as_div()

    assert not form.is_valid()
    assert 'value="1,5 juta"' in html
    assert "for example 1.500.000 or 617.666.666,66" in html


def test_money_field_shows_initial_in_indonesian_format():
    form = _AmountForm(initial={"amount": Decimal("617666666.66")})

    assert 'value="617.666.666,66"' in form.as_div()
    assert 'inputmode="decimal"' in form.as_div()
