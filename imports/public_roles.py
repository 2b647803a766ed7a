"""The public roles kind of import: the public roles members hold or held (a seat in the
village council, RT head, a posyandu cadre, a candidacy …), one a row, into one group or a
regency whose rows name their group.

A row names the person (``nama``, and where known ``nik``, ``hp``, ``tahun_lahir``) and is
matched to a member of the row's group as a members row is (``members.Matcher``: NIK, else
phone and name, else folded name and birth year, a blank year matching any; placeholders
never match). A row that
two members could be is held for the uploader to choose; a row that matches no member is
an error on its row: an import of roles never creates a member. The role's cells follow
the form's rules (``PublicRole.clean``) and are written by ``members.services.
public_role_add``. A role already stored for the same member, kind and start date is
unchanged (its other cells are not compared), so importing a sheet twice records each
role once.

The headers of this product's own public-role export (``members.views.ROLE_COLUMNS``, in
Indonesian and English) are accepted too, and its values read (choices by their labels,
dates as it writes them); its column of the member's sex is ignored. So an exported file
imports back unchanged."""

import datetime
from itertools import batched

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from imports import members
from imports import values as v
from imports.errors import ImportChanged
from imports.models import ImportRow
from imports.readers import header_key
from members.models import Member, PublicRole, PublicRoleKind
from members.services import public_role_add

SHEET = "Peran"
#: The sheet of the public-role export (its title, in Indonesian and English).
SHEET_ALIASES = ("Peran publik", "Public roles")
Column = members.Column
ROWS_ABOUT = gettext_lazy(
    "One row is one public role of one member. The person is matched to a member of the "
    "group by NIK, else by phone number and name, else by name and birth year; a row "
    "matching no member is an error (register the member first). A role already recorded "
    "for the same member, role and start date is unchanged. Delete the example row before "
    "importing."
)

KIND_CODES = {
    v.choice_key(word): code
    for code, words in {
        PublicRoleKind.RT_HEAD: ("rt_head", "RT head", "ketua RT", "ketua rukun tetangga"),
        PublicRoleKind.RW_HEAD: ("rw_head", "RW head", "ketua RW", "ketua rukun warga"),
        PublicRoleKind.VILLAGE_HEAD: ("village_head", "village head", "kepala desa", "kades"),
        PublicRoleKind.BPD: (
            "bpd",
            "village council (BPD)",
            "village council",
            "anggota BPD",
            "badan permusyawaratan desa",
        ),
        PublicRoleKind.LPM: ("lpm", "village institution: LPM", "lembaga desa: LPM"),
        PublicRoleKind.PKK: ("pkk", "village institution: PKK", "lembaga desa: PKK"),
        PublicRoleKind.POSYANDU: (
            "posyandu",
            "village institution: posyandu cadre",
            "lembaga desa: kader posyandu",
            "kader posyandu",
        ),
        PublicRoleKind.CANDIDATE_DPRD: (
            "candidate_dprd",
            "candidate for DPRD",
            "calon anggota DPRD",
            "caleg DPRD",
        ),
        PublicRoleKind.CANDIDATE_DPR: (
            "candidate_dpr",
            "candidate for DPR",
            "calon anggota DPR",
            "caleg DPR",
        ),
        PublicRoleKind.OTHER: ("other", "lainnya", "lain lain"),
    }.items()
    for word in words
}
KIND_ALLOWED = (
    "ketua RT, ketua RW, kepala desa, anggota BPD, LPM, PKK, kader posyandu, "
    "caleg DPRD, caleg DPR, lainnya"
)
RESULT_CODES = {
    v.choice_key(word): code
    for code, words in {
        # The export's label of a role that is no candidacy.
        PublicRole.Result.NONE: ("not applicable", "tidak berlaku"),
        PublicRole.Result.PENDING: ("pending", "not yet known", "belum diketahui", "belum"),
        PublicRole.Result.ELECTED: ("elected", "terpilih"),
        PublicRole.Result.NOT_ELECTED: ("not_elected", "not elected", "tidak terpilih"),
    }.items()
    for word in words
}
RESULT_ALLOWED = "belum diketahui, terpilih, tidak terpilih"


def _date(value, context):
    return v.parse_date(value, context["date_format"], context["epoch"])


def _election_year(value, _context):
    if value is None:
        return None
    text = v.text_value(value)
    if not text.isdigit():
        raise ValidationError(_("Write an election year such as 2024."))
    return int(text)


COLUMNS = (
    members.BY_KEY["full_name"],
    members.MATCHING_NIK,
    members.BY_KEY["phone"],
    Column(
        "birth_year",
        "tahun_lahir",
        ("birth year",),
        members.BY_KEY["birth_year"].parse,
        gettext_lazy("Year of birth, as recorded for the member: it tells two namesakes apart."),
        "1900–",
        1979,
    ),
    members.BY_KEY["group"],
    Column(
        "kind",
        "peran",
        ("peran publik", "jenis peran", "jenis", "role", "kind"),
        lambda value, _c: v.parse_choice(value, KIND_CODES, KIND_ALLOWED),
        gettext_lazy("The public role. Required."),
        KIND_ALLOWED,
        "anggota BPD",
    ),
    Column(
        "description",
        "keterangan",
        ("deskripsi", "uraian", "description"),
        lambda value, _c: v.parse_text(value, 150),
        gettext_lazy("For example RT 003, or the name of the institution."),
        gettext_lazy("text, at most 150 characters"),
        "BPD Desa Tanjung Luar",
    ),
    Column(
        "party",
        "partai",
        ("party",),
        lambda value, _c: v.parse_text(value, 80),
        gettext_lazy("The candidate's party: required for a candidacy, blank otherwise."),
        gettext_lazy("text, at most 80 characters"),
        "",
    ),
    Column(
        "election_year",
        "tahun_pemilu",
        ("election year", "pemilu"),
        _election_year,
        gettext_lazy("The election year: required for a candidacy, blank otherwise."),
        "1999–2100",
        "",
    ),
    Column(
        "result",
        "hasil",
        ("result", "hasil pemilu"),
        lambda value, _c: v.parse_choice(value, RESULT_CODES, RESULT_ALLOWED),
        gettext_lazy("The election result of a candidacy; blank otherwise."),
        RESULT_ALLOWED,
        "",
    ),
    Column(
        "started_on",
        "tanggal_mulai",
        ("mulai", "mulai pada", "started on", "tgl mulai"),
        _date,
        gettext_lazy("The day the role started (for a candidacy, the day it was registered)."),
        members.DATE_ALLOWED,
        "01/06/2020",
    ),
    Column(
        "ended_on",
        "tanggal_selesai",
        ("selesai", "berakhir pada", "ended on", "tgl selesai"),
        _date,
        gettext_lazy("The day the role ended (blank while it is held)."),
        members.DATE_ALLOWED,
        "",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}
#: ``PublicRole``'s own fields, as ``public_role_add`` takes them.
FIELDS = ("kind", "description", "party", "election_year", "result", "started_on", "ended_on")
DATE_FIELDS = ("started_on", "ended_on")
REQUIRED = ("full_name", "kind", "started_on")


def parse_row(record, *, headers, context, groups):
    """``(values, errors)`` of one row ``record`` (``{column key: cell}``): the parsed cells
    (dates as ISO text, for JSON) with the row's ``group_id`` (``members.group_of`` among
    ``groups``, as ``members.parse_row`` takes them), and the errors of cells that could
    not be read or are missing, each quoting the cell as typed."""
    values, errors = {}, []
    for key, raw in record.items():
        try:
            parsed = BY_KEY[key].parse(raw, context)
        except ValidationError as error:
            errors.append(members.error(headers, BY_KEY, key, raw, " ".join(error.messages)))
            continue
        if parsed is not None:
            values[key] = parsed.isoformat() if isinstance(parsed, datetime.date) else parsed
    for key in REQUIRED:
        if key not in values and not any(e["column"] == headers.get(key) for e in errors):
            errors.append(members.error(headers, BY_KEY, key, None, _("This column is required.")))
    named = values.pop("group", None)
    values["group_id"], problem = members.group_of(named, groups)
    if problem:
        errors.append(members.error(headers, BY_KEY, "group", named, problem))
    return values, errors


def fields_of(values):
    """The ``PublicRole`` fields of a row's JSON ``values`` (ISO dates back to ``date``;
    blank text as ``""``)."""
    fields = {key: values.get(key) for key in FIELDS}
    for key in ("description", "party", "result"):
        fields[key] = fields[key] or ""
    for key in DATE_FIELDS:
        if fields[key]:
            fields[key] = datetime.date.fromisoformat(fields[key])
    return fields


def role_errors(values):
    """``[(column key, message)]`` of ``PublicRole.clean`` and the field checks for the
    row's JSON ``values``, without a member; the cells the role does not keep (a party
    outside a candidacy, which ``clean`` clears) leave ``values``, so the preview shows
    what is written."""
    role = PublicRole(**fields_of(values))
    try:
        role.full_clean(exclude=["member", "submission_token"])
    except ValidationError as error:
        return [
            (key if key in BY_KEY else "kind", " ".join(messages))
            for key, messages in error.message_dict.items()
        ]
    for key in ("party", "election_year", "result"):
        if getattr(role, key) in (None, ""):
            values.pop(key, None)
    return []


def _stored(member_id, fields):
    return PublicRole.objects.filter(
        member=member_id, kind=fields["kind"], started_on=fields["started_on"]
    ).exists()


def written(values):
    """``[(label, text)]`` of what a row writes: the role's kind, description, party,
    election year, result and dates, as the preview shows them (labels, 17 Agustus
    2024)."""
    fields = fields_of(values)
    found = []
    for key in FIELDS:
        value = fields[key]
        if value in (None, ""):
            continue
        field = PublicRole._meta.get_field(key)
        if isinstance(value, datetime.date):
            text = date_format(value, "j F Y")
        elif field.choices:
            text = str(capfirst(dict(field.flatchoices).get(value, value)))
        else:
            text = str(value)
        found.append((str(capfirst(field.verbose_name)), text))
    return found


class Preview:
    """What each row does for the job's group or regency: ``group_ids`` are the groups the
    uploader imports into, ``targets`` the groups rows may name (``members.parse_row``'s
    ``groups``); ``chunk`` gives the ``ImportRow`` rows of a chunk of ``(number,
    record)``."""

    def __init__(self, job, group_ids, targets):
        self.job, self.targets = job, targets
        self.matcher = members.Matcher(group_ids, any_year=True)
        self.seen = {}

    def chunk(self, chunk, *, headers, context):
        parsed = [
            (number, *parse_row(record, headers=headers, context=context, groups=self.targets))
            for number, record in chunk
        ]
        self.matcher.load(parsed)
        records = dict(chunk)
        return ImportRow.of_chunk(
            self.job, parsed, lambda row: self._decide(row, records[row.number], headers)
        )

    def _decide(self, row, record, headers):
        """Set ``row``'s action, member and candidates; an error quotes the cell of
        ``record`` as typed."""
        problems = role_errors(row.values)
        fields = fields_of(row.values)
        action, member, candidates, row.matched_by, matching = self.matcher.match(row.values)
        problems += matching
        if action == "create":
            problems.append(
                (
                    "full_name",
                    _(
                        "No member matches: a public role is recorded only for a member of "
                        "the group. Register the member first."
                    ),
                )
            )
        for key, message in problems:
            row.errors.append(members.error(headers, BY_KEY, key, record.get(key), message))
        if problems:
            return
        if action == "ambiguous":
            row.action = ImportRow.Action.AMBIGUOUS
            row.candidates = [members.candidate(m) for m in candidates]
            return
        key = (member.pk, fields["kind"], fields["started_on"])
        if key in self.seen:
            message = _("The same role as row %(row)d.") % {"row": self.seen[key]}
            row.errors.append(members.error(headers, BY_KEY, "kind", record.get("kind"), message))
            return
        self.seen[key] = row.number
        row.member = member
        stored = _stored(member.pk, fields)
        row.action = ImportRow.Action.UNCHANGED if stored else ImportRow.Action.CREATE


def confirm(job, group_ids):
    """Record the roles of ``job``'s previewed rows through ``public_role_add`` (inside
    the caller's transaction, with the regency's row locked), each row matched again, or
    its chosen member taken: a role stored since the preview, or by an earlier row, is
    unchanged. Returns the counts; raises ``ImportChanged`` when a row no longer matches
    one member of its group or its role is refused."""
    matcher = members.Matcher(group_ids, any_year=True)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    for chunk in batched(job.rows.order_by("number").iterator(chunk_size=1000), 1000):
        matcher.load([(row.number, row.values, []) for row in chunk])
        for row in chunk:
            changed = ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
            if row.resolution == "skip":
                counts["skipped"] += 1
                continue
            if row.resolution:
                member = Member.objects.filter(
                    pk=int(row.resolution),
                    group_id=row.values["group_id"],
                    group_id__in=group_ids,
                    anonymised_at__isnull=True,
                ).first()
            else:
                action, member, _c, _by, problems = matcher.match(row.values)
                if action != "match" or problems:
                    member = None
            if member is None:
                raise changed
            fields = fields_of(row.values)
            if _stored(member.pk, fields):
                counts["unchanged"] += 1
                continue
            try:
                public_role_add(member, fields=fields)
            except ValidationError:
                raise changed from None
            counts["created"] += 1
    return counts
