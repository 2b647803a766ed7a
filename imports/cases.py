"""The assistance cases kind of import: the cases one group's officers kept in a notebook
or spreadsheet, one a row, opened through ``assistance.services.case_open`` into the job's
group.

A row names the person helped — a member of the group, matched as the members kind matches
(NIK, else phone and name, else folded name and birth year; a row that could be several
members is held for the uploader to choose), or someone who is not a member (then the sex
is needed) —, what is needed (``kebutuhan``), the day the case was opened, who gave consent
and when, and optionally the village the person lives in (the group's village when blank)
and the officers handling it (``assistance.services.handler_candidates``; blank: as
``case_open`` decides for the uploader). A case already stored for the same person, kind
and opening day is unchanged, so a sheet imported twice opens each case once.

Safety (``assistance/README.md``): a row without consent is an error quoting the service's
rule (``CONSENT_RULE``), never an anonymous count; a case of violence is never imported — its
row is an error that keeps none of the row's cells but the need, so neither the preview
nor an administrator looking at the job sees who it is about; it is to be recorded by hand
through the case form, where its handlers are named. A row whose need is blank or not
understood is kept the same way, since it may be such a case under another word. The
preview of a row is a trial of ``case_open`` rolled back, so the service's own checks give
the row's errors. The uploaded file is deleted once the preview is built, and the rows once
the import is written or refused (``imports.services``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assistance.models import KIND_OF_NEED, AssistanceCase, ConsentBy, Kind, Need
from assistance.services import CONSENT_RULE, age_group_for, case_open, handler_candidates
from groups.models import Village
from imports import members
from imports import values as v
from imports.errors import ImportChanged
from imports.models import ImportRow
from imports.readers import header_key
from members.models import Member
from members.text import fold_name

SHEET = "Kasus"
Column = members.Column
ROWS_ABOUT = gettext_lazy(
    "One row is one case of assistance of the group chosen at upload. A row is matched to a "
    "member by NIK, else by phone number and name, else by name and birth year; a stored "
    "case of the same person, kind of need and opening day is unchanged. Cases of violence "
    "are not imported: record them by hand on the case form. Delete the example row before "
    "importing."
)
#: The words accepted for each need: its code, its label in both languages and the words
#: the groups' notebooks use.
NEED_WORDS = {
    Need.KTP: ("ktp", "e-ktp", "ektp", "kartu tanda penduduk"),
    Need.KK: ("kk", "kartu keluarga"),
    Need.BIRTH_CERTIFICATE: ("birth_certificate", "akta", "akta kelahiran", "akte kelahiran"),
    Need.RASTRA_BPNT: ("rastra_bpnt", "rastra", "bpnt", "rastra/bpnt", "bantuan beras"),
    Need.PKH: ("pkh", "program keluarga harapan"),
    Need.BPJS_KIS: ("bpjs_kis", "bpjs", "kis", "bpjs/kis", "bpjs kesehatan"),
    Need.BACK_TO_SCHOOL: ("back_to_school", "sekolah", "kembali sekolah", "anak kembali sekolah"),
    Need.VIOLENCE_WOMAN: (
        "violence_woman",
        "kekerasan",
        "kdrt",
        "kekerasan terhadap perempuan",
        "kekerasan perempuan",
    ),
    Need.VIOLENCE_CHILD: ("violence_child", "kekerasan terhadap anak", "kekerasan anak"),
    Need.OTHER: ("other", "lainnya", "lain-lain"),
}
NEED_ALLOWED = (
    "KTP, KK, akta kelahiran, Rastra/BPNT, PKH, BPJS/KIS, sekolah, lainnya "
    "(kasus kekerasan tidak diimpor)"
)
CONSENT_WORDS = {
    ConsentBy.PERSON: ("person", "ya", "sendiri", "yang dibantu", "orang yang dibantu"),
    ConsentBy.GUARDIAN: ("guardian", "wali", "orang tua", "orang tua/wali", "orangtua"),
}
CONSENT_ALLOWED = "sendiri, wali (orang tua/wali)"
#: A blank or refused consent cell: the row is an error (``CONSENT_RULE``).
NO_CONSENT_WORDS = ("tidak", "tdk", "no", "belum", "-")
VIOLENCE_REFUSED = gettext_lazy(
    "A case of violence is not imported from a spreadsheet: record it by hand on the case "
    "form (Cases of assistance → Open a case), where its handling officers are named, so that only "
    "they and the regency's facilitator see it. Remove this row from the file."
)


def _codes(words):
    return {v.choice_key(word): code for code, found in words.items() for word in found}


NEED_CODES = _codes(NEED_WORDS)
CONSENT_CODES = _codes(CONSENT_WORDS)


def _date(value, context):
    return v.parse_date(value, context["date_format"], context["epoch"])


def _need(value, _context):
    if value is None:
        return None
    code = NEED_CODES.get(v.choice_key(value)) or {
        v.choice_key(need.label): need for need in Need
    }.get(v.choice_key(value))
    if code is None:
        raise ValidationError(_("Allowed values: %(allowed)s.") % {"allowed": NEED_ALLOWED})
    return code


def _consent(value, _context):
    if value is None or v.choice_key(value) in NO_CONSENT_WORDS:
        return None
    return v.parse_choice(value, CONSENT_CODES, CONSENT_ALLOWED)


COLUMNS = (
    Column(
        "group",
        "kelompok",
        ("group", "nama kelompok"),
        members.BY_KEY["group"].parse,
        gettext_lazy("Blank, or the name of the group chosen at upload."),
        gettext_lazy("the group chosen at upload"),
        "",
    ),
    members.BY_KEY["full_name"],
    members.MATCHING_NIK,
    members.BY_KEY["phone"],
    members.BY_KEY["birth_year"],
    Column(
        "sex",
        "jenis_kelamin",
        ("jk", "sex"),
        members.BY_KEY["sex"].parse,
        gettext_lazy("Needed for a person who is not a member of the group."),
        members.SEX_ALLOWED,
        "P",
    ),
    members.BY_KEY["is_poor"],
    members.BY_KEY["has_disability"],
    Column(
        "village",
        "desa",
        ("kelurahan", "desa/kelurahan", "village"),
        lambda value, _c: v.parse_text(value, 100),
        gettext_lazy("Where the person lives; blank: the group's village."),
        gettext_lazy("a village of the group's subdistrict"),
        "",
    ),
    Column(
        "need",
        "kebutuhan",
        ("jenis kasus", "need"),
        _need,
        gettext_lazy("What the person needs."),
        NEED_ALLOWED,
        "KTP",
    ),
    Column(
        "opened_on",
        "tanggal_dibuka",
        ("tanggal", "tgl", "opened on"),
        _date,
        gettext_lazy("The day the case was opened."),
        members.DATE_ALLOWED,
        "17/08/2024",
    ),
    Column(
        "consent_by",
        "persetujuan",
        ("consent", "persetujuan dari"),
        _consent,
        gettext_lazy(
            "Who agreed that the group records the case: the person, or a parent or guardian. "
            "Required."
        ),
        CONSENT_ALLOWED,
        "sendiri",
    ),
    Column(
        "consent_given_on",
        "tanggal_persetujuan",
        ("consent given on",),
        _date,
        gettext_lazy("The day consent was given. Required."),
        members.DATE_ALLOWED,
        "17/08/2024",
    ),
    Column(
        "handlers",
        "pendamping",
        ("pengurus pendamping", "handlers"),
        lambda value, _c: v.parse_text(value, 500),
        gettext_lazy(
            "The group's officers handling the case, by account or name, separated by commas; "
            "blank: as the case form decides (an officer who imports handles it)."
        ),
        gettext_lazy("active officers of the group"),
        "",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}
#: The column of each field ``case_open`` refuses.
FIELD_COLUMNS = {
    "need": "need",
    "opened_on": "opened_on",
    "person_village": "village",
    "member": "full_name",
    "person_name": "full_name",
    "person_sex": "sex",
    "person_phone": "phone",
    "consent_given_on": "consent_given_on",
    "consent_by": "consent_by",
    "handlers": "handlers",
}


def parse_row(record, *, headers, context):
    """``(values, errors)`` of one row (dates as ISO text). A row whose need is not one of
    the needs imported — a case of violence, but also a blank need or words not understood,
    which may be one — keeps no value and one error, on the need, quoting only that cell."""
    raw = record.get("need")
    try:
        need = _need(raw, context)
    except ValidationError as refusal:
        return {}, [members.error(headers, BY_KEY, "need", raw, " ".join(refusal.messages))]
    if need is None:
        return {}, [members.error(headers, BY_KEY, "need", None, _("This column is required."))]
    if KIND_OF_NEED[need] == Kind.VIOLENCE:
        return {}, [members.error(headers, BY_KEY, "need", raw, str(VIOLENCE_REFUSED))]
    values, errors = {}, []
    for key, raw in record.items():
        try:
            parsed = BY_KEY[key].parse(raw, context)
        except ValidationError as error:
            errors.append(members.error(headers, BY_KEY, key, raw, " ".join(error.messages)))
            continue
        if parsed is not None:
            values[key] = parsed.isoformat() if isinstance(parsed, datetime.date) else parsed
    failed = {e["column"] for e in errors}
    for key, message in (
        ("full_name", _("The name is required.")),
        ("opened_on", _("This column is required.")),
        ("consent_by", str(CONSENT_RULE)),
        ("consent_given_on", str(CONSENT_RULE)),
    ):
        if key not in values and headers.get(key, BY_KEY[key].header) not in failed:
            errors.append(members.error(headers, BY_KEY, key, record.get(key), message))
    return values, errors


class Preview:
    """What each row does in ``job.group`` for the uploader, who imports into the groups
    ``group_ids`` (``imports.services.import_groups``: out of them, every row is an error);
    ``chunk`` gives the ``ImportRow`` rows of a chunk of ``(number, record)``."""

    def __init__(self, job, group_ids):
        self.job, self.group = job, job.group
        self.in_scope = job.group_id in group_ids
        self.matcher = members.Matcher([self.group.pk])
        self.villages = {}
        for village in Village.objects.filter(subdistrict=self.group.village.subdistrict_id):
            self.villages.setdefault(fold_name(village.name), []).append(village)
        self.handlers = {}
        for user in handler_candidates(self.group):
            for name in {user.username.casefold(), fold_name(user.get_full_name())} - {""}:
                self.handlers.setdefault(name, []).append(user)
        self.seen = {}

    def chunk(self, chunk, *, headers, context):
        parsed = []
        for number, record in chunk:
            values, errors = parse_row(record, headers=headers, context=context)
            if values:
                values["group_id"] = self.group.pk
            parsed.append((number, values, errors))
        self.matcher.load(parsed)
        records = dict(chunk)
        return ImportRow.of_chunk(
            self.job, parsed, lambda row: self._decide(row, records[row.number], headers)
        )

    def resolve(self, values):
        """``(village, handlers, errors)`` of a row's ``values``; errors are ``(column key,
        message)``."""
        errors = []
        village = self.group.village
        if values.get("village"):
            found = self.villages.get(fold_name(values["village"]), [])
            if len(found) == 1:
                village = found[0]
            else:
                errors.append(("village", _("Choose a village in the group's subdistrict.")))
        handlers = []
        for name in (values.get("handlers") or "").replace(";", ",").split(","):
            if not name.strip():
                continue
            found = self.handlers.get(name.strip().casefold(), []) or self.handlers.get(
                fold_name(name), []
            )
            if len(found) == 1:
                handlers.append(found[0])
            else:
                errors.append(
                    (
                        "handlers",
                        _("%(name)s is not one active officer of the group.")
                        % {"name": name.strip()},
                    )
                )
        return village, handlers, errors

    def arguments(self, values, member, village, handlers):
        """The keyword arguments of ``case_open`` for a row (``member`` ``None``: a person
        who is not a member)."""
        opened_on = datetime.date.fromisoformat(values["opened_on"])
        arguments = {
            "group": self.group,
            "actor": self.job.created_by,
            "need": values["need"],
            "opened_on": opened_on,
            "person_village": village,
            "consent_given_on": datetime.date.fromisoformat(values["consent_given_on"]),
            "consent_by": values["consent_by"],
            "member": member,
            "handlers": handlers,
        }
        if member is None:
            arguments.update(
                person_name=values["full_name"],
                person_sex=values.get("sex", ""),
                person_phone=values.get("phone", ""),
                person_age_group=age_group_for(values.get("birth_year"), opened_on),
                person_is_poor=bool(values.get("is_poor")),
                person_has_disability=bool(values.get("has_disability")),
            )
        return arguments

    def _decide(self, row, record, headers):
        values = row.values
        if not self.in_scope:
            row.errors.append(
                members.error(
                    headers, BY_KEY, "full_name", None, _("You do not import into this group.")
                )
            )
            return
        if values.get("group") and fold_name(values["group"]) != fold_name(self.group.name):
            row.errors.append(
                members.error(
                    headers,
                    BY_KEY,
                    "group",
                    record.get("group"),
                    _("This is not the group chosen for this import."),
                )
            )
            return
        action, member, candidates, row.matched_by, problems = self.matcher.match(values)
        if action == "error":
            for key, message in problems:
                row.errors.append(members.error(headers, BY_KEY, key, record.get(key), message))
            return
        if action == "ambiguous":
            row.action = ImportRow.Action.AMBIGUOUS
            row.candidates = [members.candidate(m) for m in candidates]
            return
        key = _key(values, member)
        if key in self.seen:
            row.errors.append(
                members.error(
                    headers,
                    BY_KEY,
                    "need",
                    record.get("need"),
                    _("The same case as row %(row)d.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = row.number
        row.member = member
        if _stored(self.group, values, member).exists():
            row.action = ImportRow.Action.UNCHANGED
            return
        village, handlers, problems = self.resolve(values)
        try:
            if not problems:
                # Written and rolled back: the service's own checks refuse the row, or not.
                with transaction.atomic():
                    case_open(**self.arguments(values, member, village, handlers))
                    transaction.set_rollback(True)
        except ValidationError as refusal:
            problems = [
                (FIELD_COLUMNS.get(field, "need"), " ".join(messages))
                for field, messages in refusal.message_dict.items()
            ]
        for column, message in problems:
            row.errors.append(members.error(headers, BY_KEY, column, record.get(column), message))
        if not problems:
            row.action = ImportRow.Action.CREATE


def _key(values, member):
    person = ("member", member.pk) if member else ("person", fold_name(values["full_name"]))
    return (*person, KIND_OF_NEED[Need(values["need"])], values["opened_on"])


def _stored(group, values, member):
    """The stored cases of ``group`` a row matches: the same person (the member, or a
    non-member of the same folded name), kind and opening day. Matched over all the group's
    cases, not only those the uploader sees, so that a case stored is never opened twice."""
    cases = AssistanceCase.objects.filter(
        group=group,
        kind=KIND_OF_NEED[Need(values["need"])],
        opened_on=values["opened_on"],
    )
    if member is not None:
        return cases.filter(member=member)
    return cases.filter(member__isnull=True, person_name_folded=fold_name(values["full_name"]))


def written(values):
    """``[(label, text)]`` of what a new case's row writes, from its JSON ``values``."""

    def label(key):
        return str(capfirst(AssistanceCase._meta.get_field(key).verbose_name))

    def day(key):
        return date_format(datetime.date.fromisoformat(values[key]), "j F Y")

    found = [
        (label("need"), str(Need(values["need"]).label)),
        (label("opened_on"), day("opened_on")),
        (label("consent_by"), str(ConsentBy(values["consent_by"]).label)),
        (label("consent_given_on"), day("consent_given_on")),
        (label("handlers"), values.get("handlers", "")),
    ]
    return [(name, text) for name, text in found if text]


def confirm(job, group_ids):
    """Open the cases of ``job``'s previewed rows through ``case_open`` (inside the caller's
    transaction, with the regency's row locked), each matched and checked again: a case
    stored since the preview is unchanged. Returns the counts; raises ``ImportChanged``
    when a row no longer passes."""
    preview = Preview(job, group_ids)
    if not preview.in_scope:
        raise ImportChanged(_("You no longer import into this group"))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    rows = list(job.rows.order_by("number"))
    preview.matcher.load([(row.number, row.values, []) for row in rows])
    for row in rows:
        changed = ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
        if row.resolution == "skip":
            counts["skipped"] += 1
            continue
        if row.resolution == "new":
            member = None
        elif row.resolution:
            member = Member.objects.filter(
                pk=int(row.resolution), group=job.group_id, anonymised_at__isnull=True
            ).first()
            if member is None:
                raise ImportChanged(
                    _("Row %(row)d: the chosen member is gone") % {"row": row.number}
                )
        else:
            action, member, _c, _by, _problems = preview.matcher.match(row.values)
            if action not in ("match", "create"):
                raise changed
        if _stored(job.group, row.values, member).exists():
            counts["unchanged"] += 1
            continue
        village, handlers, problems = preview.resolve(row.values)
        if problems:
            raise changed
        try:
            case_open(**preview.arguments(row.values, member, village, handlers))
        except ValidationError as error:
            raise ImportChanged(
                _("Row %(row)d: %(error)s") % {"row": row.number, "error": " ".join(error.messages)}
            ) from None
        counts["created"] += 1
    return counts
