"""Rupiah as people write it: the one parser for forms and imports, and its form field.

Indonesian (id-ID) writing rules: a dot groups thousands, a comma starts the decimals, an
optional ``Rp`` prefix and a ``,-`` or ``,00`` ending are common
(``tests/aspirations/test_money.py``).
``"617.666.666,66"`` → ``Decimal("617666666.66")``; ``"Rp 1.500.000"``, ``"1500000"`` →
``Decimal("1500000")``; ``"1.500"`` → ``Decimal("1500")``. Everything else is refused with a
message that shows the expected format; amounts are never floats.
"""

import re
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from aspirations.models import MONEY

#: Digits before the decimal comma that fit ``MONEY`` (20 digits, 2 decimals).
MAX_WHOLE_DIGITS = MONEY["max_digits"] - MONEY["decimal_places"]

FORMAT_HINT = _("Write the amount in figures, for example 1.500.000 or 617.666.666,66.")

_PREFIX = re.compile(r"^(rp\.?|idr)\s*", re.IGNORECASE)
_GROUPED = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]+$")


def _refuse(message, code):
    raise ValidationError(message, code=code)


def parse_rupiah(value):
    """Parse one amount in Rupiah; return a ``Decimal`` with at most 2 decimals, or ``None``.

    ``value`` is text as typed (or read from a sheet cell), an ``int``, a ``Decimal`` or a
    ``float`` from a spreadsheet cell. Blank text and ``None`` give ``None`` (the caller
    decides whether an amount is required). Raises ``ValidationError`` (codes ``negative``,
    ``format``, ``decimals``, ``too_large``) whose message says what to write instead.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        _refuse(FORMAT_HINT, "format")
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
        return _checked(amount)
    text = str(value).replace("\u00a0", " ").strip()
    if not text:
        return None
    if text.endswith(",-"):
        # "Rp 1.500.000,-" is the customary way of writing whole Rupiah.
        text = text[:-2].rstrip()
    if "-" in text:
        _refuse(_("The amount cannot be negative."), "negative")
    text = _PREFIX.sub("", text)
    if text.count(",") > 1:
        _refuse(
            _("Use one comma only, before the decimals (for example 617.666.666,66)."),
            "format",
        )
    whole, _comma, decimals = text.partition(",")
    if _comma and not decimals:
        _refuse(FORMAT_HINT, "format")
    if decimals and not _PLAIN.match(decimals):
        _refuse(FORMAT_HINT, "format")
    if len(decimals) > MONEY["decimal_places"]:
        _refuse(_("Rupiah amounts have at most 2 decimals (sen)."), "decimals")
    if _GROUPED.match(whole):
        whole = whole.replace(".", "")
    elif not _PLAIN.match(whole):
        if "." in whole and re.fullmatch(r"[0-9.]+", whole):
            _refuse(
                _(
                    "Group thousands with dots in threes (1.500.000); "
                    "write decimals after a comma (1.500.000,50)."
                ),
                "format",
            )
        _refuse(FORMAT_HINT, "format")
    try:
        amount = Decimal(f"{whole}.{decimals or '0'}")
    except InvalidOperation:  # pragma: no cover - the patterns above admit digits only
        _refuse(FORMAT_HINT, "format")
    return _checked(amount)


def _checked(amount):
    """Refuse negative, fractional-sen and oversized amounts; quantize to 2 decimals."""
    if not amount.is_finite():
        _refuse(FORMAT_HINT, "format")
    if amount < 0:
        _refuse(_("The amount cannot be negative."), "negative")
    # Before quantizing: an amount of more than 26 digits does not fit the decimal
    # context's 28 digits with its 2 decimals, and quantize raises InvalidOperation.
    if amount >= Decimal(10) ** MAX_WHOLE_DIGITS:
        _refuse(_("This amount is too large."), "too_large")
    if amount != amount.quantize(Decimal("0.01")):
        _refuse(_("Rupiah amounts have at most 2 decimals (sen)."), "decimals")
    return amount.quantize(Decimal("0.01"))


def format_rupiah_input(amount):
    """``Decimal("617666666.66")`` → ``"617.666.666,66"``: the value put back into a form."""
    if amount is None or amount == "":
        return ""
    amount = Decimal(amount).quantize(Decimal("0.01"))
    whole, cents = divmod(amount, 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return text


class MoneyField(forms.CharField):
    """A Rupiah amount typed the Indonesian way; cleans to ``Decimal`` (or ``None``).

    Accepts what ``parse_rupiah`` accepts; errors say what to write instead. The input is a
    text box with a numeric keyboard on phones.
    """

    default_error_messages = {"required": _("Enter the amount in Rupiah.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", _("For example 1.500.000 or 617.666.666,66."))
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "decimal", "autocomplete": "off", "maxlength": "40"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, Decimal | int):
            return format_rupiah_input(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        return parse_rupiah(text)

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
