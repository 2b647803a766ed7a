"""The attendance kinds of import: who was at one activity (``ActivityList``) or at one
reses meeting (``MeetingList``), matched to members of the groups whose members may be
listed there (NIK, else phone and name, else folded name and, when given, birth year). A
row that could be several members is held for the uploader to choose; a row that matches no
member is a guest, which needs a sex. People already on the list are unchanged, so
importing a sheet twice adds nobody twice."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import Activity
from activities.services import attendance_add_guest, attendance_add_members
from imports import members
from imports.errors import ImportChanged
from imports.models import ImportJob, ImportRow
from imports.readers import header_key
from members.models import Member
from members.text import fold_name
from reses.models import ResesMeeting
from reses.services import (
    reses_attendance_add_guest,
    reses_attendance_add_members,
    reses_attendance_groups,
)

SHEET = "Kehadiran"
COLUMNS = (
    members.BY_KEY["full_name"],
    members.MATCHING_NIK,
    members.BY_KEY["phone"],
    members.BY_KEY["birth_year"],
    members.Column(
        "sex",
        "jenis_kelamin",
        ("jk", "sex"),
        members.BY_KEY["sex"].parse,
        gettext_lazy("Needed for a guest (a person who is not a member)."),
        members.SEX_ALLOWED,
        "P",
    ),
    members.BY_KEY["is_poor"],
    members.BY_KEY["has_disability"],
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}


def parse_row(record, *, headers, context):
    """``(values, errors)`` of one row, as ``members.parse_row`` without a group."""
    values, errors = {}, []
    for key, raw in record.items():
        try:
            parsed = BY_KEY[key].parse(raw, context)
        except ValidationError as error:
            errors.append(members.error(headers, BY_KEY, key, raw, " ".join(error.messages)))
            continue
        if parsed is not None:
            values[key] = parsed
    if not values.get("full_name") and not errors:
        errors.append(members.error(headers, BY_KEY, "full_name", None, _("The name is required.")))
    return values, errors


class ActivityList:
    """The attendance list of ``job.activity``: members of the groups taking part
    (``activities.services``)."""

    outsider = gettext_lazy("This NIK is not a member of a group taking part.")
    no_sex = gettext_lazy(
        "Not a member of a group taking part: give the sex to list them as a guest."
    )

    def __init__(self, job):
        self.job, self.place = job, job.activity

    def groups(self):
        return set(self.place.groups.values_list("pk", flat=True))

    def listed(self):
        return self.place.attendance.values_list("member_id", "name_folded")

    def lock(self):
        Activity.objects.select_for_update().get(pk=self.place.pk)

    def add_members(self, found):
        return attendance_add_members(self.place, members=found)

    def add_guest(self, values):
        attendance_add_guest(
            self.place,
            full_name=values["full_name"],
            sex=values["sex"],
            is_poor=bool(values.get("is_poor")),
            has_disability=bool(values.get("has_disability")),
        )


class MeetingList:
    """The attendance list of the reses meeting ``job.meeting``: members of the groups of
    its village and of its organising group (``reses.services``), recorded by the
    uploader."""

    outsider = gettext_lazy(
        "This NIK is not a member of a group of the meeting's village or its organising group."
    )
    no_sex = gettext_lazy(
        "Not a member of a group of the meeting's village or its organising group: give the "
        "sex to list them as a guest."
    )

    def __init__(self, job):
        self.job, self.place = job, job.meeting

    def groups(self):
        return reses_attendance_groups(self.place)

    def listed(self):
        return self.place.attendees.values_list("member_id", "name_folded")

    def lock(self):
        ResesMeeting.objects.select_for_update().get(pk=self.place.pk)

    def add_members(self, found):
        return reses_attendance_add_members(
            self.place, members=found, recorded_by=self.job.created_by
        )

    def add_guest(self, values):
        reses_attendance_add_guest(
            self.place,
            full_name=values["full_name"],
            sex=values["sex"],
            is_poor=bool(values.get("is_poor")),
            has_disability=bool(values.get("has_disability")),
            recorded_by=self.job.created_by,
        )


#: The list each attendance kind of ``ImportJob`` writes to.
LISTS = {ImportJob.Kind.ATTENDANCE: ActivityList, ImportJob.Kind.RESES_ATTENDANCE: MeetingList}


class Preview:
    """What each row of an attendance sheet does for the job's list (``LISTS``); ``chunk``
    gives the ``ImportRow`` rows of a chunk of ``(number, record)``."""

    def __init__(self, job):
        self.job = job
        self.list = LISTS[job.kind](job)
        self.taking_part = self.list.groups()
        listed = self.list.listed()
        self.listed_members = set()
        self.listed_guests = set()
        for member_id, folded in listed:
            if member_id:
                self.listed_members.add(member_id)
            else:
                self.listed_guests.add(folded)
        self.seen = {}

    def load(self, rows):
        niks = {values["nik"] for values in rows if values.get("nik")}
        phones = {values["phone"] for values in rows if values.get("phone")}
        names = {fold_name(values.get("full_name", "")) for values in rows} - {""}
        self.by_nik = {m.nik: m for m in Member.objects.filter(nik__in=niks)}
        live = Member.objects.filter(group_id__in=self.taking_part, anonymised_at__isnull=True)
        self.by_phone, self.by_name = {}, {}
        for member in live.filter(phone__in=phones):
            self.by_phone.setdefault(member.phone, []).append(member)
        for member in live.filter(name_folded__in=names):
            self.by_name.setdefault(member.name_folded, []).append(member)

    def match(self, values):
        """``(action, member, candidates, matched_by, error)``: ``action`` is ``"member"``,
        ``"guest"``, ``"ambiguous"`` or ``"error"``."""
        nik, phone = values.get("nik"), values.get("phone")
        folded = fold_name(values.get("full_name", ""))
        if nik and nik in self.by_nik:
            member = self.by_nik[nik]
            if member.group_id not in self.taking_part:
                return "error", None, [], "", ("nik", str(self.list.outsider))
            return "member", member, [], "nik", None
        if phone:
            named = [m for m in self.by_phone.get(phone, []) if m.name_folded == folded]
            if len(named) == 1:
                return "member", named[0], [], "phone", None
        year = values.get("birth_year")
        alike = [
            m
            for m in self.by_name.get(folded, [])
            if (year is None or m.birth_year in (None, year)) and not (nik and m.nik)
        ]
        # A name whose member has another phone than the row's may be someone else of
        # that name: the uploader chooses, as between two members of one name.
        contradicted = phone and any(m.phone and m.phone != phone for m in alike)
        if len(alike) == 1 and not contradicted:
            return "member", alike[0], [], "name", None
        if alike:
            return "ambiguous", None, alike, "name", None
        return "guest", None, [], "", None

    def chunk(self, chunk, *, headers, context):
        parsed = [
            (number, *parse_row(record, headers=headers, context=context))
            for number, record in chunk
        ]
        self.load([values for _n, values, _e in parsed])
        records = dict(chunk)
        return ImportRow.of_chunk(
            self.job, parsed, lambda row: self._decide(row, records[row.number], headers)
        )

    def _decide(self, row, record, headers):
        """Set ``row``'s action and member; an error quotes the cell of ``record`` as
        typed."""
        values = row.values
        action, member, candidates, row.matched_by, problem = self.match(values)
        if action == "error":
            key, message = problem
            row.errors.append(members.error(headers, BY_KEY, key, record.get(key), message))
            return
        if action == "ambiguous":
            row.action = ImportRow.Action.AMBIGUOUS
            row.candidates = [members.candidate(m) for m in candidates]
            return
        key = ("member", member.pk) if member else ("guest", fold_name(values["full_name"]))
        if key in self.seen:
            row.errors.append(
                members.error(
                    headers,
                    BY_KEY,
                    "full_name",
                    record.get("full_name"),
                    _("The same person as row %(row)d.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = row.number
        if member is not None:
            row.member = member
            listed = member.pk in self.listed_members
        else:
            if not values.get("sex"):
                row.errors.append(
                    members.error(headers, BY_KEY, "sex", record.get("sex"), str(self.list.no_sex))
                )
                return
            listed = key[1] in self.listed_guests
        row.action = ImportRow.Action.UNCHANGED if listed else ImportRow.Action.CREATE


def confirm(job):
    """Write the attendance of ``job``'s previewed rows (inside the caller's transaction):
    the activity's or meeting's row is locked, then each row is matched again; members and
    guests are added through the list's service functions (``LISTS``). Returns the counts;
    raises ``ImportChanged`` when a row no longer does what the preview showed or the list
    refuses attendance (not held yet)."""
    LISTS[job.kind](job).lock()
    preview = Preview(job)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    add, guests = [], []
    rows = list(job.rows.order_by("number"))
    preview.load([row.values for row in rows])
    for row in rows:
        if row.resolution == "skip":
            counts["skipped"] += 1
            continue
        if row.resolution == "new":
            action, member = "guest", None
        elif row.resolution:
            member = Member.objects.filter(
                pk=int(row.resolution), group_id__in=preview.taking_part
            ).first()
            if member is None:
                raise ImportChanged(
                    _("Row %(row)d: the chosen member is gone") % {"row": row.number}
                )
            action = "member"
        else:
            action, member, _c, _by, _problem = preview.match(row.values)
        if action == "member":
            if member.pk in preview.listed_members or member in add:
                counts["unchanged"] += 1
            else:
                add.append(member)
        elif action == "guest" and row.values.get("sex"):
            if fold_name(row.values["full_name"]) in preview.listed_guests:
                counts["unchanged"] += 1
            else:
                guests.append(row.values)
        else:
            raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
    try:
        if add:
            counts["created"] += preview.list.add_members(add)
        for values in guests:
            preview.list.add_guest(values)
            counts["created"] += 1
    except ValidationError as error:
        raise ImportChanged(" ".join(error.messages)) from None
    return counts
