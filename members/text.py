"""Parsing and normalising what people type about a person: names, phone numbers, NIK, the
year and day of birth."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Apostrophe-like characters people paste: ASCII, curly (U+2019, U+2018), modifier letter
# (U+02BC), backtick, acute accent. All are dropped for search, so "Ma’ruf" finds "Ma'ruf".
_APOSTROPHES = "'\u2019\u2018\u02bc`\u00b4"


def clean_name(raw):
    """Trim a name and fold runs of white space, keeping titles and punctuation as typed.

    ``"  Hj. Nurhayati  Daeng Ngai, S.Pd. "`` gives ``"Hj. Nurhayati Daeng Ngai, S.Pd."``.
    Curly apostrophes become ASCII ``'`` so the same name is stored one way.
    """
    name = " ".join((raw or "").split())
    for char in _APOSTROPHES[1:]:
        name = name.replace(char, "'")
    return name


def fold_name(raw):
    """Search key for a name: lower case, accents and apostrophes removed, spaces folded.

    ``"Ma’ruf Letsoin"``, ``"Ma'ruf letsoin"`` and ``"Maruf Letsoin"`` all give
    ``"maruf letsoin"``.
    """
    text = unicodedata.normalize("NFKD", raw or "")
    text = "".join(c for c in text if not unicodedata.combining(c) and c not in _APOSTROPHES)
    return " ".join(text.casefold().split())


def normalise_phone(raw):
    """Normalise an Indonesian phone number to ``+62…`` digits.

    Accepts ``0812-3456-7890``, ``+62 812 3456 7890``, ``6281234567890``, ``(0812) 3456 7890``
    and ``812 3456 7890``. Returns ``""`` for blank input. Raises ``ValidationError`` with an
    Indonesian message for anything else. Lengths: 8 to 13 digits after the country code
    (Permenkominfo numbering plan: mobile numbers are 10-13 digits with the leading 0).
    """
    text = (raw or "").strip()
    if not text:
        return ""
    if re.search(r"[^0-9+\-\s().]", text):
        raise ValidationError(_("A phone number holds only digits, spaces, + and -."))
    digits = re.sub(r"\D", "", text)
    if text.startswith("+") and not digits.startswith("62"):
        raise ValidationError(_("Only Indonesian numbers (+62) can be stored."))
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    elif digits.startswith("8"):
        national = digits
    else:
        raise ValidationError(_("Write the number as 0812… or +62 812…."))
    national = national.lstrip("0")
    if not 8 <= len(national) <= 13:
        raise ValidationError(_("This phone number has too few or too many digits."))
    return "+62" + national


# Values people put in a NIK cell when the person has none yet: stored as no NIK, never matched.
_NIK_PLACEHOLDERS = {"", "0", "-", "--", "belum ada", "tidak ada", "n/a", "na"}


def normalise_nik(raw):
    """Return a 16-digit NIK as text, or ``None`` for blank and placeholder values.

    Spaces, dots and dashes people paste are removed; a number that a spreadsheet turned
    into ``9.47102450688e+15`` is refused because its last digits are lost. Raises
    ``ValidationError`` with an Indonesian message when the result is not 16 digits.
    """
    text = str(raw or "").strip()
    if text.lower() in _NIK_PLACEHOLDERS:
        return None
    if "e+" in text.lower():
        raise ValidationError(
            _("This NIK was changed into a number by a spreadsheet; type it again as text.")
        )
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit():
        raise ValidationError(_("A NIK holds only digits."))
    if len(digits) != 16:
        raise ValidationError(
            _("A NIK has 16 digits; this one has %(count)d.") % {"count": len(digits)}
        )
    return digits


#: No member is older than this: a year before it is a typing error (members' form, import).
EARLIEST_BIRTH_YEAR = 1900


def check_birth_year(year, today):
    """``year`` (an ``int`` or ``None``) unchanged when it lies from 1900 to ``today``'s year
    (a ``date``, the group's local day); raises ``ValidationError`` saying the range."""
    if year is not None and not EARLIEST_BIRTH_YEAR <= year <= today.year:
        raise ValidationError(
            _("Write a birth year between %(first)d and %(last)d.")
            % {"first": EARLIEST_BIRTH_YEAR, "last": today.year}
        )
    return year


def check_birth_date(day, today):
    """``day`` (a ``date`` or ``None``) unchanged when its year passes ``check_birth_year``
    and it is not after ``today``; raises ``ValidationError`` otherwise."""
    if day is None:
        return None
    check_birth_year(day.year, today)
    if day > today:
        raise ValidationError(_("The birth date is in the future."))
    return day
