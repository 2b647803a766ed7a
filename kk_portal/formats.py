"""How amounts, dates and times are shown to people (DESIGN.md, "Quality").

Amounts: ``Rp 1.500.000`` (dot for thousands, comma for decimals, decimals only when not
zero). Dates: ``17 Agustus 2024`` in Indonesian. Times: ``09.00 WIT`` in the zone of the place.
"""

from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kk_portal.zones import zone_label, zone_of

#: Label of the bucket for missing or invalid values, the same in a chart, its table, the
#: list it links to and the export (an urusan not set, an age not filled in, a stop not
#: recorded); ``NOT_FILLED_KEY`` is its value in links and filters.
NOT_FILLED = gettext_lazy("not filled")
NOT_FILLED_KEY = "none"


def format_rupiah(amount):
    """``Decimal('1500000')`` → ``"Rp 1.500.000"``; ``617666666.66`` → ``"Rp 617.666.666,66"``.

    ``None`` gives ``"–"``. Negative amounts keep their sign: ``"-Rp 5.000"``.
    """
    if amount is None or amount == "":
        return "–"
    value = Decimal(amount)
    sign = "-" if value < 0 else ""
    value = abs(value).quantize(Decimal("0.01"))
    whole, cents = divmod(value, 1)
    text = f"{int(whole):,}".replace(",", ".")
    if cents:
        text += "," + f"{cents:.2f}"[2:]
    return f"{sign}Rp {text}"


def yes_no(flag):
    """ "yes" or "no" in the active language, as lists and exports write a flag."""
    return _("yes") if flag else _("no")


def format_number(value):
    """Whole number with Indonesian thousands dots: ``1234`` → ``"1.234"`` (for people only)."""
    if value is None:
        return "–"
    return f"{int(value):,}".replace(",", ".")


def format_time_in_zone(value, tz_name):
    """An aware datetime as ``17 Agustus 2024 09.00 WIT`` in zone ``tz_name`` (IANA name).

    The label follows the active language's date format; the zone label is WIB/WITA/WIT.
    """
    if value is None:
        return "–"
    local = timezone.localtime(value, zone_of(str(tz_name)))
    date_text = formats.date_format(local, "j F Y")
    return _("%(date)s %(time)s %(zone)s") % {
        "date": date_text,
        "time": local.strftime("%H.%M"),
        "zone": zone_label(tz_name),
    }
