"""The members kind of import: its columns, how a row is read, which member it is
(NIK, else phone, else folded name + birth year + group), and what writing it changes.

The template's headers are Indonesian (``COLUMNS``); the headers of this product's own
members export (``members.views.EXPORT_COLUMNS``, in Indonesian and English) are accepted
too, so an exported file imports back unchanged. A blank cell leaves the stored value as
it is; flags left blank are unknown (``False`` for a new member).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import values as v
from imports.readers import header_key
from kk_portal.formats import yes_no
from members.models import Member, Sex
from members.text import check_birth_date, fold_name


@dataclass(frozen=True)
class Column:
    """One column: ``key`` is its field, ``header`` the template's header, ``aliases`` the
    other headers accepted, ``parse(value, context)`` reads a cell, ``about`` and
    ``allowed`` explain it on the template's explanation sheet, ``example`` fills its one
    example row."""

    key: str
    header: str
    aliases: tuple
    parse: object
    about: object
    allowed: object
    example: object


SEX_CODES = {
    **{
        v.choice_key(word): Sex.FEMALE
        for word in ("F", "P", "perempuan", "wanita", "female", "pr", "W")
    },
    **{
        v.choice_key(word): Sex.MALE
        for word in ("M", "L", "laki-laki", "lakilaki", "pria", "male", "lk")
    },
}
SEX_ALLOWED = "P, Perempuan, Wanita, F; L, Laki-laki, Pria, M"
POSITION_CODES = {
    v.choice_key(word): code
    for code, words in {
        Member.Position.CHAIR: ("chair", "ketua", "chair (ketua)", "ketua kelompok"),
        Member.Position.SECRETARY: (
            "secretary",
            "sekretaris",
            "secretary (sekretaris)",
            "sekretaris kelompok",
        ),
        Member.Position.TREASURER: (
            "treasurer",
            "bendahara",
            "treasurer (bendahara)",
            "bendahara kelompok",
        ),
        Member.Position.MEMBER: ("member", "anggota", "member (anggota)", "anggota kelompok"),
    }.items()
    for word in words
}
POSITION_ALLOWED = "anggota, ketua, sekretaris, bendahara"
FLAG_ALLOWED = (
    "Ya, Tidak (Yes/No, Y/N, 1/0); kosong: anggota baru dicatat tidak, anggota lama tetap"
)


def _date(value, context):
    return v.parse_date(value, context["date_format"], context["epoch"])


def _birth_date(value, context):
    # The form's rule for the year, and no birth after today (members.text).
    return check_birth_date(_date(value, context), timezone.localdate())


DATE_ALLOWED = gettext_lazy("the format chosen at upload (dd/mm/yyyy by default) or 2024-08-17")


COLUMNS = (
    Column(
        "full_name",
        "nama",
        ("nama lengkap", "full name", "name", "nama depan"),
        lambda value, _c: v.parse_name(value),
        gettext_lazy("Name as the person writes it, with titles (Hj., dr., S.Pd.). Required."),
        gettext_lazy("text"),
        "Hj. Nurhayati Daeng Ngai, S.Pd.",
    ),
    Column(
        "last_name",
        "nama_belakang",
        ("last name", "surname"),
        lambda value, _c: v.parse_name(value),
        gettext_lazy("Optional: added after the name. Leave blank for a single name."),
        gettext_lazy("text"),
        "",
    ),
    Column(
        "sex",
        "jenis_kelamin",
        ("jk", "sex", "gender", "l/p"),
        lambda value, _c: v.parse_choice(value, SEX_CODES, SEX_ALLOWED),
        gettext_lazy("Required for a new member."),
        SEX_ALLOWED,
        "P",
    ),
    Column(
        "birth_year",
        "tahun_lahir",
        ("birth year",),
        lambda value, _c: v.parse_year(value),
        gettext_lazy("Year of birth, four digits."),
        "1900–",
        1979,
    ),
    Column(
        "birth_date",
        "tanggal_lahir",
        ("birth date", "tgl lahir"),
        _birth_date,
        gettext_lazy("Date of birth."),
        DATE_ALLOWED,
        "17/08/1979",
    ),
    Column(
        "nik",
        "nik",
        ("no nik", "nomor induk kependudukan"),
        lambda value, _c: v.parse_nik(value),
        gettext_lazy("16 digits, in a column formatted as Text. Blank, 0 or - for no NIK yet."),
        gettext_lazy("16 digits"),
        "9471024506880007",
    ),
    Column(
        "phone",
        "hp",
        ("no hp", "nomor hp", "telepon", "phone", "telp", "whatsapp", "wa"),
        lambda value, _c: v.parse_phone(value),
        gettext_lazy("Indonesian number: 0812…, 62812… or +62 812…."),
        "0812-3456-7890",
        "081234567890",
    ),
    Column(
        "group",
        "kelompok",
        ("group", "nama kelompok"),
        lambda value, _c: v.text_value(value) or None,
        gettext_lazy(
            "The group's name. Required when importing into a regency; otherwise blank or "
            "the chosen group."
        ),
        gettext_lazy("a group of your area"),
        "",
    ),
    Column(
        "address",
        "alamat",
        ("address",),
        lambda value, _c: v.parse_text(value, 200),
        gettext_lazy("Address, at most 200 characters."),
        gettext_lazy("text"),
        "RT 003 / RW 001",
    ),
    Column(
        "position",
        "jabatan",
        ("position",),
        lambda value, _c: v.parse_choice(value, POSITION_CODES, POSITION_ALLOWED),
        gettext_lazy(
            "Blank or anggota. Officers' positions are recorded as officer terms on the "
            "group's page."
        ),
        POSITION_ALLOWED,
        "anggota",
    ),
    Column(
        "is_poor",
        "miskin",
        ("poor",),
        lambda value, _c: v.parse_flag(value),
        gettext_lazy("Poor household."),
        FLAG_ALLOWED,
        "Ya",
    ),
    Column(
        "has_disability",
        "disabilitas",
        ("penyandang disabilitas", "has a disability", "disability"),
        lambda value, _c: v.parse_flag(value),
        gettext_lazy("Has a disability."),
        FLAG_ALLOWED,
        "Tidak",
    ),
    Column(
        "joined_on",
        "tanggal_bergabung",
        ("joined on", "tgl bergabung"),
        _date,
        gettext_lazy("Day the member joined the group."),
        DATE_ALLOWED,
        "01/03/2015",
    ),
    Column(
        "left_on",
        "tanggal_keluar",
        ("left on", "tgl keluar"),
        _date,
        gettext_lazy("Day the member left the group (blank while a member)."),
        DATE_ALLOWED,
        "",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
#: The NIK column of the kinds that match a row to a member without writing the member
#: (attendance, public roles, cases of assistance).
MATCHING_NIK = Column(
    "nik",
    "nik",
    ("no nik",),
    lambda value, _c: v.parse_nik(value),
    gettext_lazy("16 digits, if known: a row with a NIK matches exactly one member."),
    gettext_lazy("16 digits"),
    "",
)
#: ``readers.header_key`` of every accepted header → the column's key.
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}
#: The fields written to ``Member`` and how their JSON form is read back.
DATE_FIELDS = ("birth_date", "joined_on", "left_on")
FIELDS = (
    "full_name",
    "sex",
    "birth_year",
    "birth_date",
    "nik",
    "phone",
    "address",
    "position",
    "is_poor",
    "has_disability",
    "joined_on",
    "left_on",
)
SHEET = "Anggota"
#: The sheet of the members export in English (in Indonesian it is ``SHEET``).
SHEET_ALIASES = ("Members",)


def error(headers, columns, key, raw, message):
    """One error of a row: ``{"column", "value", "message"}``; the column as the file's
    header ``headers[key]`` writes it, else the template's header from ``columns``."""
    return {
        "column": headers.get(key, columns[key].header),
        "value": v.text_value(raw),
        "message": message,
    }


def parse_row(record, *, headers, context, groups):
    """Read one row ``record`` (``{column key: cell}``) into ``(values, errors)``.

    ``values`` holds the fields given (JSON values: dates as ISO text) and ``group_id``;
    ``errors`` a list of ``{"column", "value", "message"}``. ``groups`` is
    ``(target_group_id or None, {folded group name: [ids]})`` of the groups the user
    imports into. ``headers`` maps a key to the header as the file writes it.
    """
    values, errors = {}, []
    for key, raw in record.items():
        try:
            parsed = BY_KEY[key].parse(raw, context)
        except ValidationError as refusal:
            errors.append(error(headers, BY_KEY, key, raw, " ".join(refusal.messages)))
            continue
        if parsed is not None:
            values[key] = parsed
    last = values.pop("last_name", None)
    if last and values.get("full_name"):
        values["full_name"] = f"{values['full_name']} {last}"
    if not values.get("full_name") and not any(
        e["column"] == headers.get("full_name") for e in errors
    ):
        errors.append(error(headers, BY_KEY, "full_name", None, _("The name is required.")))
    birth_date = values.get("birth_date")
    if birth_date:
        if values.get("birth_year") not in (None, birth_date.year):
            errors.append(
                error(
                    headers,
                    BY_KEY,
                    "birth_year",
                    record.get("birth_year"),
                    _("The birth year differs from the birth date's year."),
                )
            )
        values["birth_year"] = birth_date.year
    if (
        values.get("joined_on")
        and values.get("left_on")
        and values["left_on"] < values["joined_on"]
    ):
        errors.append(
            error(
                headers,
                BY_KEY,
                "left_on",
                record.get("left_on"),
                _("A member cannot leave before joining."),
            )
        )
    named = values.pop("group", None)
    values["group_id"], problem = group_of(named, groups)
    if problem:
        errors.append(error(headers, BY_KEY, "group", named, problem))
    return {key: _json(value) for key, value in values.items()}, errors


def group_of(named, groups):
    """``(group id or None, error message or None)`` of a row naming the group ``named``
    (text, ``None`` for blank); ``groups`` as ``parse_row`` takes it. A group outside the
    area imported into (another regency's, or one the user does not write for) is not
    found."""
    target, by_name = groups
    if named is None:
        return target, None if target is not None else _("Name the row's group.")
    found = by_name.get(fold_name(named), [])
    if target is not None and target not in found:
        return target, _("This is not the group chosen for this import.")
    if not found:
        return None, _("No group of this name in the area you import into.")
    if len(found) > 1:
        return (target or found[0]), _("Several groups of your area have this name.")
    return (target if target is not None else found[0]), None


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def from_json(values):
    """The ``Member`` field values of a row's JSON ``values`` (ISO dates back to ``date``)."""
    fields = {key: values[key] for key in FIELDS if key in values}
    for key in DATE_FIELDS:
        if key in fields:
            fields[key] = datetime.date.fromisoformat(fields[key])
    return fields


def label(key):
    """The label of ``Member`` field ``key`` as the preview shows it ("Miskin")."""
    return str(capfirst(Member._meta.get_field(key).verbose_name))


def shown(key, value):
    """``Member`` field ``key``'s ``value`` as the preview shows it: a choice by its label
    ("Perempuan", not ``F``), a date as 17 Agustus 2024, a flag as Ya/Tidak; ``""`` for
    blank."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return capfirst(yes_no(value))
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    field = Member._meta.get_field(key)
    if field.choices:
        return str(capfirst(dict(field.flatchoices).get(value, value)))
    return str(value)


def written(values, group_names):
    """``[(label, text)]`` of what the row's JSON ``values`` write to a new member, in the
    order of the template's columns; ``group_names`` is ``{group id: name}``."""
    fields = from_json(values)
    found = [(label(key), shown(key, fields[key])) for key in FIELDS if key in fields]
    if values.get("group_id") in group_names:
        found.append((label("group"), group_names[values["group_id"]]))
    return [(name, text) for name, text in found if text]


def candidate(member):
    """What the preview shows of a member a row could be (JSON)."""
    return {
        "id": member.pk,
        "name": member.full_name,
        "birth_year": member.birth_year,
        "phone": member.phone,
        "nik": bool(member.nik),
        # Enough to tell two people of one name apart, not the whole number.
        "nik_end": member.nik[-4:] if member.nik else "",
    }


class Matcher:
    """Matches rows to members, a chunk at a time (three queries a chunk).

    ``groups`` are the ids of the groups the user imports into (members of other groups are
    never matched, and a NIK held outside them is an error on its row); ``seen`` remembers
    each key of the file's earlier rows, so a person written twice is an error on the second
    row rather than two members. With ``any_year`` a row without a birth year matches by
    name whatever year is stored (as attendance does): a kind that never creates a member
    (public roles) loses nothing by it, and its sheets seldom give the year.
    """

    def __init__(self, groups, *, any_year=False):
        self.groups = set(groups)
        self.any_year = any_year
        self.seen = {}

    def load(self, rows):
        """Fetch the members ``rows`` (``[(number, values, errors)]``) could be."""
        niks = {values["nik"] for _n, values, _e in rows if values.get("nik")}
        phones = {values["phone"] for _n, values, _e in rows if values.get("phone")}
        names = {fold_name(values.get("full_name", "")) for _n, values, _e in rows} - {""}
        self.by_nik = {m.nik: m for m in Member.objects.filter(nik__in=niks)}
        live = Member.objects.filter(group_id__in=self.groups, anonymised_at__isnull=True)
        self.by_phone, self.by_name = {}, {}
        for member in live.filter(phone__in=phones):
            self.by_phone.setdefault(member.phone, []).append(member)
        for member in live.filter(name_folded__in=names):
            self.by_name.setdefault(member.name_folded, []).append(member)

    def match(self, values):
        """``(action, member, candidates, matched_by, errors)`` of one row's ``values``
        against the loaded members; ``errors`` are ``(key, message)``."""
        nik, phone, group = values.get("nik"), values.get("phone"), values.get("group_id")
        folded = fold_name(values.get("full_name", ""))
        if nik and nik in self.by_nik:
            member = self.by_nik[nik]
            if member.group_id not in self.groups:
                return (
                    "error",
                    None,
                    [],
                    "",
                    [("nik", _("A member with this NIK is already registered."))],
                )
            if member.group_id != group:
                return (
                    "error",
                    None,
                    [],
                    "",
                    [
                        (
                            "nik",
                            _("This NIK belongs to a member of another group: %(group)s.")
                            % {"group": member.group},
                        )
                    ],
                )
            return "match", member, [], "nik", []

        def same_person_possible(member):
            return member.group_id == group and not (nik and member.nik)

        if phone:
            shared = [m for m in self.by_phone.get(phone, []) if same_person_possible(m)]
            named = [m for m in shared if m.name_folded == folded]
            if len(named) == 1:
                return "match", named[0], [], "phone", []
            if named or shared:
                return "ambiguous", None, named or shared, "phone", []
        year = values.get("birth_year")
        alike = [
            m
            for m in self.by_name.get(folded, [])
            if same_person_possible(m)
            and (m.birth_year == year or (self.any_year and year is None))
        ]
        if len(alike) == 1:
            return "match", alike[0], [], "name", []
        if alike:
            return "ambiguous", None, alike, "name", []
        return "create", None, [], "", []

    def repeated(self, number, values):
        """The earlier row of the file with the same NIK, phone and name, or name, birth
        year and group, or ``None``; remembers this row's keys."""
        folded = fold_name(values.get("full_name", ""))
        keys = [("name", folded, values.get("birth_year"), values.get("group_id"))]
        if values.get("nik"):
            keys = [("nik", values["nik"])]
        elif values.get("phone"):
            keys.append(("phone", values["phone"], folded))
        for key in keys:
            if key in self.seen:
                return self.seen[key]
        for key in keys:
            self.seen[key] = number
        return None


def changes(member, fields):
    """``[{"field", "old", "new"}]`` of the ``fields`` (``from_json``) that differ from
    ``member``'s stored values, as the preview shows them (``label``, ``shown``: "Miskin",
    "Tidak" → "Ya"), in the uploader's language."""
    found = []
    for key, new in fields.items():
        old = getattr(member, key)
        if old != new:
            found.append({"field": label(key), "old": shown(key, old), "new": shown(key, new)})
    return found


def check_fields(member, fields):
    """``(key, message)`` errors of writing ``fields`` to ``member`` (``None`` for a new
    one): a position other than an ordinary member's changes only through officer terms
    (``members.services.officer_term_start``), a new member needs a sex, and the leaving
    day is not before the joining day."""
    errors = []
    position = fields.get("position")
    current = member.position if member else Member.Position.MEMBER
    if position is not None and position != current:
        errors.append(
            (
                "position",
                _("Officers' positions are recorded as officer terms on the group's page."),
            )
        )
    if member is None and not fields.get("sex"):
        errors.append(("sex", _("The sex is required for a new member.")))
    joined = fields.get("joined_on", member.joined_on if member else None)
    left = fields.get("left_on", member.left_on if member else None)
    if joined and left and left < joined:
        errors.append(("left_on", _("A member cannot leave before joining.")))
    return errors
