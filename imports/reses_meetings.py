"""The reses meetings kind of import: the meetings held in one regency, one a row, each
naming its village, representative, reses period, date (``tanggal``), time (``jam``) and
venue, and optionally its organising group.

The date and time are the local date and time of the village's regency (WITA, or WIT in
Kota Ambon; ``kk_portal.zones.local_datetime``), read from date and time cells, Excel
serial numbers (by the workbook's date system) or text (``values.parse_date`` in the file's
declared format, ``values.parse_time``). Villages, representatives and groups are those the
uploader may organise reses for (``"organise_reses"`` of ``Village`` and
``Representative``) and write for (``"change"`` of ``ConstituentGroup``) in the job's
regency; each meeting passes ``ResesMeeting.clean`` (term, district). A meeting already
stored for the same representative, village and start is unchanged, so importing a sheet
twice creates each meeting once."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.models import ConstituentGroup, Village
from imports import members
from imports import values as v
from imports.errors import ImportChanged
from imports.models import ImportRow
from imports.readers import header_key
from kk_portal.permissions import writable
from kk_portal.zones import local_datetime, zone_label
from members.text import fold_name
from reses.models import Representative, ResesMeeting

SHEET = "Reses"
Column = members.Column
ROWS_ABOUT = gettext_lazy(
    "One row is one meeting held. A row is matched to a stored meeting by representative, "
    "village, date and time: a meeting already stored is unchanged. Delete the example row "
    "before importing."
)


def _date(value, context):
    return v.parse_date(value, context["date_format"], context["epoch"])


def _text(length):
    return lambda value, _c: v.parse_text(value, length)


COLUMNS = (
    Column(
        "village",
        "desa",
        ("kelurahan", "desa/kelurahan", "village"),
        _text(100),
        gettext_lazy("The village (desa or kelurahan) where the meeting was held."),
        gettext_lazy("a village of the regency"),
        "Desa Tanjung Luar",
    ),
    Column(
        "subdistrict",
        "kecamatan",
        ("subdistrict",),
        _text(100),
        gettext_lazy("Only needed when two villages of the regency have the same name."),
        gettext_lazy("a subdistrict of the regency"),
        "",
    ),
    Column(
        "representative",
        "wakil",
        ("anggota dprd", "nama wakil", "representative"),
        _text(150),
        gettext_lazy("The representative's full name, as registered."),
        gettext_lazy("a representative whose district covers the village"),
        "Hj. Andi Rahmawati",
    ),
    Column(
        "reses_period",
        "masa_reses",
        ("reses", "periode", "reses period"),
        _text(60),
        gettext_lazy("The reses period."),
        gettext_lazy("text, at most 60 characters"),
        "Reses I 2024",
    ),
    Column(
        "day",
        "tanggal",
        ("tgl", "date"),
        _date,
        gettext_lazy(
            "The day of the meeting: a date cell, or text in the date format chosen at upload."
        ),
        gettext_lazy("a date cell, or 17/08/2024 in the declared format"),
        "17/08/2024",
    ),
    Column(
        "time",
        "jam",
        ("waktu", "jam mulai", "time"),
        lambda value, _c: v.parse_time(value),
        gettext_lazy("The time it started, local time of the village (WITA or WIT)."),
        gettext_lazy("a time cell, or 09:30 or 9.30"),
        "09:30",
    ),
    Column(
        "venue",
        "tempat",
        ("lokasi", "venue"),
        _text(200),
        gettext_lazy("Where it was held."),
        gettext_lazy("text, at most 200 characters"),
        "Balai desa",
    ),
    Column(
        "group",
        "kelompok",
        ("kk", "kelompok konstituen", "group"),
        _text(200),
        gettext_lazy("The organising group, if any."),
        gettext_lazy("a group of the regency"),
        "KK Mawar",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}
REQUIRED = ("village", "representative", "reses_period", "day", "time", "venue")
#: The column of each ``ResesMeeting.clean`` error.
FIELD_COLUMNS = {"starts_at": "day", "village": "village", "representative": "representative"}


def parse_row(record, *, headers, context):
    """``(values, errors)`` of one row: the parsed cells (``day`` and ``time`` as ISO
    text, for JSON) and the errors of cells that could not be read or are missing."""
    values, errors = {}, []
    for key, raw in record.items():
        try:
            parsed = BY_KEY[key].parse(raw, context)
        except ValidationError as error:
            errors.append(members.error(headers, BY_KEY, key, raw, " ".join(error.messages)))
            continue
        if parsed is not None:
            is_time = isinstance(parsed, datetime.date | datetime.time)
            values[key] = parsed.isoformat() if is_time else parsed
    # What the preview names the row by, as typed; a row that passes gets its local start.
    values["summary"] = " · ".join(
        v.text_value(record[key])
        for key in ("village", "representative", "reses_period")
        if record.get(key) is not None
    )
    for key in REQUIRED:
        if key not in values and not any(e["column"] == headers.get(key) for e in errors):
            errors.append(members.error(headers, BY_KEY, key, None, _("This column is required.")))
    return values, errors


class Preview:
    """What each row does in ``job.regency`` for the uploader; ``chunk`` gives the
    ``ImportRow`` rows of a chunk of ``(number, record)``."""

    def __init__(self, job, group_ids):
        self.job = job
        user = job.created_by
        villages = writable(user, "organise_reses", Village).filter(
            subdistrict__regency=job.regency_id
        )
        self.villages = {}
        for village in villages.select_related("subdistrict__regency"):
            self.villages.setdefault(fold_name(village.name), []).append(village)
        self.representatives = {}
        for representative in writable(user, "organise_reses", Representative).select_related(
            "district"
        ):
            self.representatives.setdefault(fold_name(representative.full_name), []).append(
                representative
            )
        self.groups = {}
        for group in ConstituentGroup.objects.filter(pk__in=group_ids):
            self.groups.setdefault(fold_name(group.name), []).append(group)
        self.seen = {}

    def meeting(self, values):
        """``(ResesMeeting unsaved, errors)`` of a row's ``values``; errors are
        ``(column key, message)``."""
        errors = []
        village = self._one(self.villages, values, "village", errors)
        representative = self._one(self.representatives, values, "representative", errors)
        group = None
        if values.get("group"):
            group = self._one(self.groups, values, "group", errors)
        if errors:
            return None, errors
        starts_at = local_datetime(
            datetime.date.fromisoformat(values["day"]),
            datetime.time.fromisoformat(values["time"]),
            village.subdistrict.regency.time_zone,
        )
        meeting = ResesMeeting(
            representative=representative,
            village=village,
            organising_group=group,
            reses_period=values["reses_period"],
            venue=values["venue"],
            starts_at=starts_at,
            created_by=self.job.created_by,
        )
        try:
            meeting.clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.append((FIELD_COLUMNS.get(field, "day"), " ".join(messages)))
        return meeting, errors

    def _one(self, found, values, key, errors):
        matches = found.get(fold_name(values[key]), [])
        if key == "village" and len(matches) > 1 and values.get("subdistrict"):
            wanted = fold_name(values["subdistrict"])
            matches = [m for m in matches if fold_name(m.subdistrict.name) == wanted]
        if len(matches) == 1:
            return matches[0]
        if matches:
            message = {
                "village": _(
                    "%(count)d villages of the regency have this name: add the kecamatan."
                ),
                "representative": _("%(count)d representatives have this name."),
                "group": _("%(count)d groups of the regency have this name."),
            }[key] % {"count": len(matches)}
        else:
            message = {
                "village": _("No village of this name in the regency where you organise reses."),
                "representative": _("No representative of this name whose reses you organise."),
                "group": _("No group of this name in the regency that you write for."),
            }[key]
        errors.append((key, message))
        return None

    def chunk(self, chunk, *, headers, context):
        parsed = [
            (number, *parse_row(record, headers=headers, context=context))
            for number, record in chunk
        ]
        return ImportRow.of_chunk(self.job, parsed, self._decide)

    def _decide(self, row):
        meeting, problems = self.meeting(row.values)
        for key, message in problems:
            row.errors.append(members.error({}, BY_KEY, key, row.values.get(key), message))
        if problems:
            return
        key = (meeting.representative_id, meeting.village_id, meeting.starts_at)
        if key in self.seen:
            row.errors.append(
                members.error(
                    {},
                    BY_KEY,
                    "day",
                    row.values["day"],
                    _("The same meeting as row %(row)d.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = row.number
        # ``starts_at`` is in the village's zone (``local_datetime``): its clock is local.
        row.values["summary"] = (
            f"{meeting.starts_at:%d/%m/%Y %H.%M} {zone_label(meeting.time_zone)} · "
            f"{meeting.village} · {meeting.representative}"
        )
        row.action = (
            ImportRow.Action.UNCHANGED if _stored(meeting).exists() else ImportRow.Action.CREATE
        )


def _stored(meeting):
    return ResesMeeting.objects.filter(
        representative=meeting.representative_id,
        village=meeting.village_id,
        starts_at=meeting.starts_at,
    )


def confirm(job, group_ids):
    """Create the meetings of ``job``'s previewed rows (inside the caller's transaction,
    with the regency's row locked), each matched and checked again: a meeting stored since
    the preview is unchanged. Returns the counts; raises ``ImportChanged`` when a row no
    longer passes (a village, representative or group out of reach, or
    ``ResesMeeting.clean`` refusing it)."""
    preview = Preview(job, group_ids)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for row in job.rows.order_by("number"):
        meeting, problems = preview.meeting(row.values)
        if problems:
            raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
        if _stored(meeting).exists():
            counts["unchanged"] += 1
            continue
        meeting.save()
        counts["created"] += 1
    return counts
