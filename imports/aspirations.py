"""The aspirations kind of import: aspirations with their current stage and the day each
stage was reached, written through ``aspirations.services`` (``aspiration_create``, then
``aspiration_move`` stage after stage in rank order), so the timeline, the funnel's
furthest rank and the dashboards' summaries are what recording them by hand gives.

A row names its group (or the import's group), title, topic, channel, date raised and,
optionally, village (the group's own when blank), beneficiaries, stage and dates. The
timeline is built from one date column per forward stage (``tanggal_<stage>``): every
stage up to the current one whose date is given is recorded, in rank order (skipping a
stage is allowed, as on the detail page); ``tanggal_tahap`` is the current stage's date
when its own column is blank, and the date of closing (not accommodated, withdrawn). The
preview writes each row inside a transaction that is rolled back, so ``check_move``'s date
rules and the budget checks are the ones that refuse a row, and say why on it.

Matching: an aspiration is the stored one of the same group, folded title
(``members.text.fold_name``) and date raised. Importing a file twice creates nothing the
second time: a row at the stored stage is unchanged, a row ahead of it is an update that
records the missing moves, a row behind it (or at the other rank-5 stage) is an error;
other columns of a matched row are not compared (the aspiration's page edits them).
The headers of the aspiration list's export (``aspirations.views.EXPORT_COLUMNS``) are
accepted, so an exported file imports back unchanged.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from aspirations.models import (
    Aspiration,
    Beneficiary,
    BudgetOutcome,
    Channel,
    FundSource,
    MusrenbangForum,
    Topic,
)
from aspirations.money import parse_rupiah
from aspirations.services import (
    aspiration_create,
    aspiration_move,
    aspiration_move_at_new_forum,
    check_raised_on,
)
from aspirations.stages import CLOSED, FORWARD, RANK, Stage
from aspirations.topics import TOPICS
from dashboards import summaries
from groups.models import ConstituentGroup, Village
from imports import members
from imports import values as v
from imports.errors import ImportChanged
from imports.models import ImportRow
from imports.readers import header_key
from kk_portal.formats import format_rupiah
from members.text import fold_name

SHEET = "Aspirasi"
#: The sheet of the aspiration list export in English (in Indonesian it is ``SHEET``).
SHEET_ALIASES = ("Aspirations",)
#: The template's explanation of how rows are matched (``imports.workbook``).
ROWS_ABOUT = gettext_lazy(
    "A row is matched to a stored aspiration by group, title and date raised. A row at the "
    "stored stage changes nothing; a row at a later stage records the stages after the "
    "stored one. Every stage with a date is recorded in order: a date may not be before "
    "the previous stage's, nor in the future. Delete the example row before importing."
)
Column = members.Column


def _date(value, context):
    return v.parse_date(value, context["date_format"], context["epoch"])


def _text(max_length):
    return lambda value, _c: v.parse_text(value, max_length)


def _raw(value, _context):
    return v.text_value(value) or None


def _year(value, _context):
    text = v.text_value(value)
    if not text:
        return None
    if not text.isdigit():
        raise ValidationError(_("Write the fiscal year in four digits, for example 2025."))
    return int(text)


def _money(value, _context):
    """An amount as the cell holds it: read by ``parse_rupiah`` only when the budgeted or
    realised stage is written (``_details``), so a row matching a stored aspiration ignores
    it; the export's CSV writes amounts as ``1500000.00``, which people do not type."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return v.text_value(value) or None


def _flag(value, _context):
    return v.parse_flag(value)


#: The date column of each forward stage after ``recorded`` (recorded is the date raised).
STAGE_DATE_HEADERS = {
    Stage.CONVEYED: "tanggal_disampaikan",
    Stage.MUSRENBANG_DESA: "tanggal_musrenbang_desa",
    Stage.MUSRENBANG_KECAMATAN: "tanggal_musrenbang_kecamatan",
    Stage.MUSRENBANG_KABKOTA: "tanggal_musrenbang_kabkota",
    Stage.POKIR: "tanggal_pokir",
    Stage.PLANNED: "tanggal_direncanakan",
    Stage.BUDGETED: "tanggal_dianggarkan",
    Stage.REALISED: "tanggal_terealisasi",
}
#: Each beneficiary's column and the export's headers for it (Indonesian, English).
BENEFIT_HEADERS = {
    Beneficiary.WOMEN: ("manfaat_perempuan", "bermanfaat bagi perempuan", "benefits women"),
    Beneficiary.MEN: ("manfaat_laki_laki", "bermanfaat bagi laki-laki", "benefits men"),
    Beneficiary.POOR: ("manfaat_miskin", "bermanfaat bagi warga miskin", "benefits the poor"),
    Beneficiary.DISABILITY: (
        "manfaat_disabilitas",
        "bermanfaat bagi penyandang disabilitas",
        "benefits people with disability",
    ),
}
DATE_ALLOWED = members.DATE_ALLOWED

COLUMNS = (
    members.BY_KEY["group"],
    Column(
        "title",
        "judul",
        ("title", "judul aspirasi"),
        _text(200),
        gettext_lazy("What is asked, at most 200 characters. Required."),
        gettext_lazy("text"),
        "Perbaikan jalan dusun Oelnasi",
    ),
    Column(
        "description",
        "uraian",
        ("description", "deskripsi"),
        _text(5000),
        gettext_lazy("Optional details."),
        gettext_lazy("text"),
        "Jalan rusak sepanjang 2 km.",
    ),
    Column(
        "village_code",
        "kode_desa",
        ("village code", "kode desa/kelurahan"),
        _raw,
        gettext_lazy("Kemendagri code of the village concerned; or write its name in desa."),
        "73.08.01.2001",
        "",
    ),
    Column(
        "village",
        "desa",
        ("village", "desa/kelurahan", "kelurahan"),
        _raw,
        gettext_lazy(
            "Name of the village concerned, in the group's subdistrict. Blank: the group's "
            "own village."
        ),
        gettext_lazy("a village of the group's subdistrict"),
        "",
    ),
    Column(
        "topic",
        "topik",
        ("topic",),
        _raw,
        gettext_lazy("The topic, by its name or code (see the list below). Required."),
        gettext_lazy("a topic of the list below"),
        "village-infrastructure",
    ),
    Column(
        "channel",
        "saluran",
        ("channel", "cara disampaikan"),
        _raw,
        gettext_lazy("How the aspiration was raised. Required."),
        ", ".join(Channel.values),
        "face_to_face",
    ),
    Column(
        "raised_on",
        "tanggal_diusulkan",
        ("raised on", "tanggal diusulkan"),
        _date,
        gettext_lazy("Day the aspiration was raised. Required."),
        DATE_ALLOWED,
        "02/01/2024",
    ),
    *(
        Column(
            b.flag,
            BENEFIT_HEADERS[b][0],
            BENEFIT_HEADERS[b][1:],
            _flag,
            gettext_lazy("Whom it benefits."),
            members.FLAG_ALLOWED,
            "Ya" if b == Beneficiary.POOR else "",
        )
        for b in Beneficiary
    ),
    Column(
        "stage",
        "tahap",
        ("stage",),
        _raw,
        gettext_lazy(
            "The current stage, by its name or code (see the list below). Blank: recorded."
        ),
        gettext_lazy("a stage of the list below"),
        "conveyed",
    ),
    *(
        Column(
            f"date_{stage.value}",
            header,
            (f"tanggal {stage.value}",),
            _date,
            gettext_lazy("Day this stage was reached, if it was."),
            DATE_ALLOWED,
            "15/02/2024" if stage == Stage.CONVEYED else "",
        )
        for stage, header in STAGE_DATE_HEADERS.items()
    ),
    Column(
        "stage_on",
        "tanggal_tahap",
        ("stage changed on", "tanggal tahap berubah"),
        _date,
        gettext_lazy(
            "Day the current stage was reached, when its own date column is blank; the day "
            "of closing for not accommodated and withdrawn."
        ),
        DATE_ALLOWED,
        "",
    ),
    Column(
        "reason",
        "alasan",
        ("reason",),
        _text(2000),
        gettext_lazy("Why it was not accommodated (required for that stage)."),
        gettext_lazy("text"),
        "",
    ),
    Column(
        "amount",
        "anggaran",
        ("latest budget: amount (rp)", "anggaran terakhir: jumlah (rp)", "jumlah anggaran"),
        _money,
        gettext_lazy("Amount budgeted in Rupiah, for the stage budgeted or realised."),
        "1.500.000; 617.666.666,66",
        "",
    ),
    Column(
        "fiscal_year",
        "tahun_anggaran",
        ("latest budget: fiscal year", "anggaran terakhir: tahun anggaran", "fiscal year"),
        _year,
        gettext_lazy("Fiscal year of the budget."),
        "2000–2100",
        "",
    ),
    Column(
        "fund_source",
        "sumber_dana",
        ("latest budget: source", "anggaran terakhir: sumber dana", "source of funds"),
        _raw,
        gettext_lazy("Source of funds of the budget."),
        ", ".join(FundSource.values),
        "",
    ),
    Column(
        "realised_amount",
        "realisasi",
        ("latest budget: realised (rp)", "anggaran terakhir: terealisasi (rp)"),
        _money,
        gettext_lazy("Amount realised in Rupiah, for the stage realised (optional)."),
        "1.500.000",
        "",
    ),
)
BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(text): column.key for column in COLUMNS for text in (column.header, *column.aliases)
}
#: The error key of ``aspirations.services`` → the column of the row it concerns (``None``:
#: the date column of the stage being written).
SERVICE_KEYS = {
    "to": "stage",
    "raised_on": "raised_on",
    "amount": "amount",
    "fiscal_year": "fiscal_year",
    "fund_source": "fund_source",
    "realised_amount": "realised_amount",
    "reason": "reason",
}


def choices_accepted(choices):
    """``{choice_key: code}`` of ``choices``' codes and their labels in Indonesian and
    English (the export writes labels in the user's language)."""
    accepted = {}
    for language in ("en", "id"):
        with override(language):
            for code, label in choices:
                accepted[v.choice_key(str(label))] = code
    for code, _label in choices:
        accepted[v.choice_key(code)] = code
    return accepted


def topics_accepted():
    """``{choice_key: topic id}`` of every topic's slug, name and English gloss (its
    synonym in ``aspirations.topics.TOPICS``)."""
    gloss = {spec.slug: spec.gloss for spec in TOPICS}
    accepted = {}
    for pk, slug, name in Topic.objects.values_list("pk", "slug", "name"):
        for word in (slug, name, gloss.get(slug, "")):
            if word:
                accepted.setdefault(v.choice_key(word), pk)
    return accepted


def instructions():
    """Rows added to the template's ``Petunjuk`` sheet: the stages (code and name, in rank
    order, with the date column of each) and the topics (code and name)."""
    rows = [[], [_("Stages"), _("Code"), _("Date column")]]
    for stage in (*FORWARD, *CLOSED):
        header = STAGE_DATE_HEADERS.get(stage)
        if stage == Stage.RECORDED:
            header = BY_KEY["raised_on"].header
        rows.append([str(stage.label), stage.value, header or BY_KEY["stage_on"].header])
    rows.append([])
    rows.append([_("Topics"), _("Code"), ""])
    for slug, name in Topic.objects.order_by("order", "name").values_list("slug", "name"):
        rows.append([name, slug, ""])
    return rows


class Preview:
    """Reads and decides the rows of an aspirations sheet for ``job``; ``groups`` is
    ``services._targets``' ``(ids, (target, by_name))``. ``chunk`` gives the
    ``ImportRow`` rows of a chunk of ``(number, record)``."""

    def __init__(self, job, groups):
        self.job = job
        self.group_ids, self.targets = groups
        self.stages = choices_accepted(Stage.choices)
        self.channels = choices_accepted(Channel.choices)
        self.sources = choices_accepted(FundSource.choices)
        self.topics = topics_accepted()
        self.groups = {
            g.pk: g
            for g in ConstituentGroup.objects.filter(pk__in=self.group_ids).select_related(
                "village__subdistrict__regency"
            )
        }
        villages = Village.objects.filter(subdistrict__regency=job.regency_id)
        self.village_by_code = {}
        self.villages_by_name = {}
        for pk, code, name, subdistrict in villages.values_list(
            "pk", "code", "name", "subdistrict"
        ):
            self.village_by_code[code] = (pk, subdistrict)
            self.villages_by_name.setdefault(fold_name(name), []).append((pk, subdistrict))
        self.seen = {}

    def parse(self, record, headers, context):
        """``(values, errors)`` of one row; ``values`` JSON (dates ISO, amounts as the cells
        hold them, ``moves`` planned by ``_plan``)."""
        values, errors = {}, []

        def refuse(key, raw, message):
            errors.append(members.error(headers, BY_KEY, key, raw, message))

        for key, raw in record.items():
            try:
                parsed = BY_KEY[key].parse(raw, context)
            except ValidationError as refusal:
                refuse(key, raw, " ".join(refusal.messages))
                continue
            if parsed is not None:
                values[key] = parsed
        for key, accepted in (
            ("stage", self.stages),
            ("channel", self.channels),
            ("fund_source", self.sources),
        ):
            if key in values:
                allowed = ", ".join(dict.fromkeys(accepted.values()))
                try:
                    values[key] = v.parse_choice(values[key], accepted, allowed)
                except ValidationError as refusal:
                    refuse(key, record.get(key), " ".join(refusal.messages))
                    del values[key]
        if "topic" in values:
            topic = self.topics.get(v.choice_key(values["topic"]))
            if topic is None:
                refuse(
                    "topic",
                    record.get("topic"),
                    _("No topic of this name or code; the template's Petunjuk sheet lists them."),
                )
            values["topic_id"] = topic
            del values["topic"]
        for key, message in (
            ("title", _("The title is required.")),
            ("topic_id", _("The topic is required.")),
            ("channel", _("The channel is required.")),
            ("raised_on", _("The date raised is required.")),
        ):
            column = "topic" if key == "topic_id" else key
            if values.get(key) is None and not any(
                e["column"] == headers.get(column, BY_KEY[column].header) for e in errors
            ):
                refuse(column, None, message)
        group_id, problem = members.group_of(values.pop("group", None), self.targets)
        if problem:
            refuse("group", record.get("group"), problem)
        values["group_id"] = group_id
        group = self.groups.get(group_id)
        if group is not None:
            self._village(values, record, group, refuse)
        values.setdefault("stage", Stage.RECORDED.value)
        self._plan(values, record, refuse)
        return {
            key: value.isoformat() if isinstance(value, datetime.date) else value
            for key, value in values.items()
        }, errors

    def _village(self, values, record, group, refuse):
        code, name = values.pop("village_code", None), values.pop("village", None)
        if code:
            found = [self.village_by_code[code]] if code in self.village_by_code else []
            key, raw = "village_code", code
        elif name:
            found = self.villages_by_name.get(fold_name(name), [])
            key, raw = "village", name
        else:
            values["village_id"] = group.village_id
            return
        here = [pk for pk, subdistrict in found if subdistrict == group.village.subdistrict_id]
        if len(here) == 1:
            values["village_id"] = here[0]
        elif len(here) > 1:
            refuse(key, raw, _("Several villages of the group's subdistrict have this name."))
        else:
            refuse(key, raw, _("No village of this name or code in the group's subdistrict."))

    def _plan(self, values, record, refuse):
        """Put in ``values["moves"]`` the ``[stage, ISO date, column key]`` to write after
        creation, in rank order, ending at the row's stage; refuse a date of a stage after
        it, and a stage without a date."""
        target = Stage(values["stage"])
        dates = {
            stage: values.pop(f"date_{stage.value}")
            for stage in STAGE_DATE_HEADERS
            if f"date_{stage.value}" in values
        }
        stage_on = values.pop("stage_on", None)
        limit = RANK.get(target, 8)
        moves = []
        for stage, day in dates.items():
            beyond = RANK[stage] > limit or (
                target in RANK and RANK[stage] == limit and stage != target
            )
            if beyond and target not in CLOSED:
                refuse(
                    f"date_{stage.value}",
                    record.get(f"date_{stage.value}"),
                    _("This stage comes after the row's stage (%(stage)s).")
                    % {"stage": target.label},
                )
            else:
                moves.append([stage.value, day.isoformat(), f"date_{stage.value}"])
        if target != Stage.RECORDED:
            if target in CLOSED or target not in dates:
                if stage_on is None:
                    refuse(
                        "stage_on",
                        None,
                        _("Give the day the stage %(stage)s was reached.")
                        % {"stage": target.label},
                    )
                else:
                    moves.append([target.value, stage_on.isoformat(), "stage_on"])
        values["moves"] = moves

    def load(self, rows):
        """Fetch the stored aspirations the parsed ``rows`` (``values``) could be."""
        dates = {values["raised_on"] for values in rows if values.get("raised_on")}
        self.stored = {}
        for aspiration in Aspiration.objects.filter(
            group_id__in=self.group_ids, raised_on__in=dates
        ).only("pk", "group_id", "title", "raised_on", "stage", "stage_changed_on"):
            key = (aspiration.group_id, fold_name(aspiration.title), aspiration.raised_on)
            self.stored.setdefault(key, []).append(aspiration)

    def match(self, values):
        """``(stored aspiration or None, error message or None)`` of a row's ``values``."""
        key = (
            values["group_id"],
            fold_name(values["title"]),
            datetime.date.fromisoformat(values["raised_on"]),
        )
        found = self.stored.get(key, [])
        if len(found) > 1:
            return None, _("Several stored aspirations of this group have this title and date.")
        return (found[0] if found else None), None

    def chunk(self, chunk, *, headers, context):
        parsed = [(number, *self.parse(record, headers, context)) for number, record in chunk]
        self.load([values for _n, values, errors in parsed if not errors])
        records = dict(chunk)
        return ImportRow.of_chunk(
            self.job, parsed, lambda row: self._decide(row, records[row.number], headers)
        )

    def _decide(self, row, record, headers):
        """Set ``row``'s action (and changes), or its errors quoting the cells of
        ``record`` as typed (the tahap cell "Disampaikan", not the code ``conveyed``)."""
        values = row.values
        key = (values["group_id"], fold_name(values["title"]), values["raised_on"])
        if key in self.seen:
            row.errors.append(
                members.error(
                    headers,
                    BY_KEY,
                    "title",
                    record.get("title"),
                    _("The same aspiration as row %(row)d.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = row.number
        stored, problem = self.match(values)
        try:
            if problem:
                raise ValidationError({"title": problem})
            moves = missing_moves(stored, values)
            if stored is not None and not moves:
                row.action = ImportRow.Action.UNCHANGED
                return
            # Written and rolled back: the services' own checks refuse the row, or not.
            old = Stage(stored.stage).label if stored is not None else None
            with transaction.atomic(), summaries.deferred(rolled_back=True):
                write(values, stored, moves, actor=self.job.created_by)
                transaction.set_rollback(True)
        except ValidationError as refusal:
            row.errors.extend(row_errors(refusal, headers, record))
            return
        if stored is None:
            row.action = ImportRow.Action.CREATE
        else:
            row.action = ImportRow.Action.UPDATE
            row.changes = [
                {
                    "field": _label(Aspiration, "stage"),
                    "old": str(old),
                    "new": f"{Stage(stage).label} ({date_format(_day(day), 'j F Y')})",
                }
                for stage, day, _column in moves
            ]


def _label(model, key):
    return str(capfirst(model._meta.get_field(key).verbose_name))


def written(values, names):
    """``[(label, text)]`` of what a new aspiration's row writes, from its JSON ``values``:
    the aspiration's fields, each stage with the day it was reached, and the budget;
    ``names`` is ``{"groups": …, "villages": …, "topics": …}``, each ``{id: name}``."""
    found = [
        (_label(Aspiration, "title"), values.get("title", "")),
        (_label(Aspiration, "group"), names["groups"].get(values.get("group_id"), "")),
        (_label(Aspiration, "village"), names["villages"].get(values.get("village_id"), "")),
        (_label(Aspiration, "topic"), names["topics"].get(values.get("topic_id"), "")),
        (_label(Aspiration, "channel"), _choice(Channel, values.get("channel"))),
        (_label(Aspiration, "raised_on"), _shown_day(values.get("raised_on"))),
        (
            _("Benefits"),
            ", ".join(str(b.label) for b in Beneficiary if values.get(b.flag)),
        ),
        (_label(Aspiration, "description"), Truncator(values.get("description", "")).chars(80)),
    ]
    found += [(capfirst(Stage(stage).label), _shown_day(day)) for stage, day, _c in values["moves"]]
    if any(Stage(move[0]) == Stage.BUDGETED for move in values["moves"]):
        found += [
            (_label(BudgetOutcome, "amount"), _shown_amount(values.get("amount"))),
            (_label(BudgetOutcome, "fiscal_year"), str(values.get("fiscal_year") or "")),
            (_label(BudgetOutcome, "source"), _choice(FundSource, values.get("fund_source"))),
        ]
    if any(Stage(move[0]) == Stage.REALISED for move in values["moves"]):
        found.append(
            (_label(BudgetOutcome, "realised_amount"), _shown_amount(values.get("realised_amount")))
        )
    if values.get("reason"):
        found.append((_("Reason"), Truncator(values["reason"]).chars(80)))
    return [(name, text) for name, text in found if text]


def _choice(choices, code):
    return str(capfirst(choices(code).label)) if code in choices.values else ""


def _shown_day(value):
    return date_format(_day(value), "j F Y") if value else ""


def _shown_amount(value):
    try:
        return format_rupiah(parse_rupiah(value)) if value is not None else ""
    except ValidationError:
        return v.text_value(value)


def _day(value):
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def row_errors(refusal, headers, record):
    """The row's ``{"column", "value", "message"}`` errors of a ``ValidationError`` from
    ``aspirations.services`` (keyed by its field: mapped to the row's column; a date or
    forum error to the ``column`` attribute ``write`` gives it, the move's date column),
    each quoting that column's cell of ``record`` as typed."""
    found = []
    fallback = getattr(refusal, "column", "title")
    items = (
        refusal.message_dict.items()
        if hasattr(refusal, "error_dict")
        else [(None, refusal.messages)]
    )
    for field, messages in items:
        key = SERVICE_KEYS.get(field, fallback)
        for message in messages:
            found.append(members.error(headers, BY_KEY, key, record.get(key), message))
    return found


def missing_moves(stored, values):
    """The ``[stage, ISO date, column]`` moves of ``values`` still to write: all for a new
    aspiration (``stored`` ``None``), those after ``stored``'s stage for a stored one. Raises
    ``ValidationError`` when the row is behind the stored stage or beside it."""
    moves = values["moves"]
    if stored is None:
        return moves
    current, target = Stage(stored.stage), Stage(values["stage"])
    if target == current:
        return []
    shown = {
        "stage": current.label,
        "date": date_format(stored.stage_changed_on, "j F Y"),
        "row": target.label,
    }
    if current in CLOSED or current == Stage.REALISED:
        raise ValidationError(
            {
                "to": _(
                    "The stored aspiration is closed at %(stage)s since %(date)s; this row says "
                    "%(row)s. An import does not reopen it: record a correction on its page."
                )
                % shown
            }
        )
    later = [
        move for move in moves if Stage(move[0]) in CLOSED or RANK[Stage(move[0])] > RANK[current]
    ]
    if target not in CLOSED and RANK[target] <= RANK[current]:
        raise ValidationError(
            {
                "to": _(
                    "The stored aspiration is already at %(stage)s (since %(date)s); this row "
                    "says %(row)s. An import only records later stages: record a correction "
                    "on its page to go back."
                )
                % shown
            }
        )
    return later


def write(values, stored, moves, *, actor):
    """Create the aspiration of ``values`` (unless ``stored``) and record ``moves`` in
    order through ``aspirations.services``; returns the aspiration. Raises
    ``ValidationError`` (with ``column``, the move's date column) when a service refuses;
    the caller's transaction then holds a partial write to roll back."""
    aspiration = stored
    if aspiration is None:
        fields = {
            "village_id": values["village_id"],
            "title": values["title"],
            "description": values.get("description", ""),
            "topic": Topic.objects.get(pk=values["topic_id"]),
            "channel": values["channel"],
            "raised_on": datetime.date.fromisoformat(values["raised_on"]),
            **{b.flag: bool(values.get(b.flag)) for b in Beneficiary},
        }
        group = ConstituentGroup.objects.get(pk=values["group_id"])
        check_raised_on(group, fields["raised_on"])
        aspiration, _created = aspiration_create(group=group, actor=actor, **fields)
    for stage, day, column in moves:
        stage, day = Stage(stage), _day(day)
        try:
            move = {"to": stage, "actor": actor, "occurred_on": day, **_details(values, stage)}
            if stage == Stage.MUSRENBANG_KECAMATAN:
                _move_at_forum(aspiration, day, move)
            else:
                aspiration_move(aspiration, **move)
        except ValidationError as refusal:
            refused = _prefixed(refusal, stage)
            refused.column = column
            raise refused from None
    return aspiration


def _prefixed(refusal, stage):
    """``refusal`` with each message starting with the stage it concerns."""
    prefix = f"{Stage(stage).label}: "
    if hasattr(refusal, "error_dict"):
        return ValidationError(
            {
                field: [prefix + m for m in messages]
                for field, messages in refusal.message_dict.items()
            }
        )
    return ValidationError([prefix + m for m in refusal.messages])


def _amount(values, key):
    try:
        return parse_rupiah(values.get(key))
    except ValidationError as refusal:
        raise ValidationError({key: refusal.messages}) from None


def _details(values, stage):
    """The keyword arguments of ``aspiration_move`` for the move to ``stage`` besides its
    date: the budget (amounts through ``parse_rupiah``), the amount realised, the reason."""
    if stage == Stage.BUDGETED:
        return {
            "amount": _amount(values, "amount"),
            "fiscal_year": values.get("fiscal_year"),
            "fund_source": values.get("fund_source", ""),
        }
    if stage == Stage.REALISED:
        return {"realised_amount": _amount(values, "realised_amount")}
    if stage == Stage.NOT_ACCOMMODATED:
        return {"reason": values.get("reason", "")}
    return {}


def _move_at_forum(aspiration, day, move):
    """A move to Musrenbang kecamatan needs its forum: the subdistrict's forum held that
    day when one is recorded, otherwise a new one held that day for the next fiscal year
    (``aspiration_move_at_new_forum``, which checks the uploader may hold it)."""
    village = Village.objects.select_related("subdistrict").get(pk=aspiration.village_id)
    forum = (
        MusrenbangForum.objects.filter(
            level=MusrenbangForum.Level.KECAMATAN,
            subdistrict=village.subdistrict_id,
            held_on=day,
        )
        .order_by("pk")
        .first()
    )
    if forum is not None:
        aspiration_move(aspiration, musrenbang_forum=forum, **move)
    else:
        aspiration_move_at_new_forum(
            aspiration, forum={"held_on": day, "fiscal_year": day.year + 1}, **move
        )


def confirm(job, groups):
    """Write ``job``'s previewed rows (inside the caller's transaction, the regency's row
    locked): each row is matched again and must do what the preview showed. Returns the
    counts; raises ``ImportChanged`` naming the row otherwise."""
    preview = Preview(job, groups)
    counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
    rows = list(job.rows.order_by("number"))
    preview.load([row.values for row in rows])
    with summaries.deferred():
        _confirm_rows(preview, rows, job, counts)
    return counts


def _confirm_rows(preview, rows, job, counts):
    for row in rows:
        stored, problem = preview.match(row.values)
        try:
            if problem:
                raise ValidationError(problem)
            moves = missing_moves(stored, row.values)
            action = (
                ImportRow.Action.CREATE
                if stored is None
                else (ImportRow.Action.UPDATE if moves else ImportRow.Action.UNCHANGED)
            )
            if action != row.action:
                raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
            if action != ImportRow.Action.UNCHANGED:
                aspiration = write(row.values, stored, moves, actor=job.created_by)
                if stored is None:
                    preview.stored[
                        (aspiration.group_id, fold_name(aspiration.title), aspiration.raised_on)
                    ] = [aspiration]
        except ValidationError as refusal:
            raise ImportChanged(
                _("Row %(row)d: %(error)s") % {"row": row.number, "error": refusal.messages[0]}
            ) from None
        counts[{"create": "created", "update": "updated", "unchanged": "unchanged"}[action]] += 1
