"""Parsing one spreadsheet cell, with the rules the forms use: names, NIK and phones by
``members.text``, Rupiah by ``aspirations.money.parse_rupiah``. Each parser takes the cell's
value as the reader gives it (text, ``int``, ``float``, ``datetime``, ``None`` for blank)
and returns the Python value, ``None`` for blank, or raises ``ValidationError`` with a
message in the active language."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

from members.text import check_birth_year, clean_name, normalise_nik, normalise_phone

#: The declared date formats (``ImportJob.DateFormat``) as ``strptime`` patterns; ``-`` and
#: ``.`` are read as ``/``. ISO dates (2024-08-17, what this product's CSV exports write)
#: are read in every format, since no other format begins with four digits.
DATE_PATTERNS = {"dmy": "%d/%m/%Y", "mdy": "%m/%d/%Y", "ymd": "%Y/%m/%d"}
DATE_EXAMPLES = {"dmy": "17/08/2024", "mdy": "08/17/2024", "ymd": "2024-08-17"}
#: Flags as people write them, Indonesian and English; blank is not stated (``None``).
YES = {"ya", "y", "yes", "true", "benar", "1", "iya"}
NO = {"tidak", "tdk", "no", "n", "false", "salah", "0", "bukan", "tak"}


def text_value(value):
    """A cell as text, trimmed; numbers as Excel shows them (``3`` not ``3.0``), a date
    cell as its day (``2024-08-17``, with the time only when it has one)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime) and value.time() == datetime.time():
        value = value.date()
    return " ".join(str(value).split())


def parse_text(value, max_length):
    """Free text of at most ``max_length`` characters; blank gives ``None``."""
    text = text_value(value)
    if len(text) > max_length:
        raise ValidationError(
            _("At most %(count)d characters; this has %(length)d.")
            % {"count": max_length, "length": len(text)}
        )
    return text or None


def parse_name(value):
    """A person's name as typed (``members.text.clean_name``: titles, commas and single names
    kept, trimmed)."""
    name = clean_name(text_value(value))
    if len(name) > 150:
        raise ValidationError(_("A name has at most 150 characters."))
    return name or None


def parse_nik(value):
    """A NIK: 16 digits of text, ``None`` for blank and placeholders (0, -). A cell that
    holds a number is refused: a spreadsheet keeps only 15 digits of it, so the last digit
    may already be lost, and it is never rounded or stored."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == 0:
            return None
        raise ValidationError(
            _(
                "The NIK arrived as a number, which spreadsheets round: format the column "
                "as Text and type the 16 digits again."
            )
        )
    return normalise_nik(text_value(value))


def parse_phone(value):
    """A phone number stored as ``+62…`` (``members.text.normalise_phone``); a number cell
    (whose leading 0 a spreadsheet dropped) is read as its digits."""
    if isinstance(value, float) and not value.is_integer():
        raise ValidationError(_("Write the number as 0812… or +62 812…."))
    return normalise_phone(text_value(value)) or None


def parse_date(value, date_format, epoch=CALENDAR_WINDOWS_1900):
    """A ``date`` from a date cell (``datetime``), an Excel serial number (converted by the
    workbook's date system ``epoch``, 1900 or 1904), ISO text, or text in the file's one
    declared ``date_format`` (``"dmy"``, ``"mdy"``, ``"ymd"``)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's last date is 31/12/9999
            raise ValidationError(_("This number is not a date."))
        return from_excel(value, epoch).date()
    text = text_value(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        pattern = "%Y-%m-%d"
    else:
        text = re.sub(r"[-.]", "/", text)
        pattern = DATE_PATTERNS[date_format]
    try:
        return datetime.datetime.strptime(text, pattern).date()
    except ValueError:
        raise ValidationError(
            _("Not a date in the file's format %(format)s (for example %(example)s).")
            % {"format": pattern.replace("%", "").lower(), "example": DATE_EXAMPLES[date_format]}
        ) from None


def parse_time(value):
    """A time of day (``datetime.time``, to the minute) from a time cell (openpyxl gives a
    ``time``, or a ``datetime`` on Excel's day 0), a fraction of a day (0.3958333 is 09:30,
    rounded to the nearest minute: Excel stores times as fractions of 24 hours), or text
    ``09:30``, ``9:30``, ``9.30`` or ``09.30`` (hour 0–23, minutes 00–59). Raises
    ``ValidationError`` quoting the cell for anything else; blank gives ``None``."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.time()
    if isinstance(value, datetime.time):
        return value.replace(second=0, microsecond=0)
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)
        if minutes < 24 * 60:
            return datetime.time(minutes // 60, minutes % 60)
    text = text_value(value) if isinstance(value, str) else ""
    match = re.fullmatch(r"(\d{1,2})[:.](\d{2})", text)
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return datetime.time(int(match[1]), int(match[2]))
    raise ValidationError(
        _("'%(value)s' is not a time of day: write it as 09:30 or 9.30 (hours 0–23).")
        % {"value": text_value(value)}
    )


def parse_year(value):
    """A birth year from 1900 to this year (``members.text.check_birth_year``); raises
    ``ValidationError`` with the range for anything else."""
    if value is None:
        return None
    text = text_value(value)
    # Text that is no year is refused as a year out of range: the message gives the range.
    year = int(text) if text.isdigit() else 0
    return check_birth_year(year, timezone.localdate())


def parse_flag(value):
    """``True``/``False`` from Ya/Tidak, Yes/No, Y/N, 1/0 (and a real boolean cell); blank is
    ``None`` (unknown); anything else is refused with the values allowed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    word = text_value(value).casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValidationError(_("Write Ya or Tidak (also Yes/No, Y/N, 1/0), or leave it blank."))


def choice_key(text):
    """A choice as compared: case, surrounding spaces and ``-`` ignored ("Laki-laki", " laki
    laki ", "LAKI-LAKI" are one)."""
    return " ".join(re.sub(r"[-_]", " ", text_value(text)).casefold().split())


def parse_choice(value, accepted, allowed):
    """The stored code of a choice; ``accepted`` maps ``choice_key`` of each code, label
    and synonym to its code; ``allowed`` is the text listing them for the error."""
    if value is None:
        return None
    code = accepted.get(choice_key(value))
    if code is None:
        raise ValidationError(_("Allowed values: %(allowed)s.") % {"allowed": allowed})
    return code
