"""The activities kind of import: the discussions, trainings and study visits a group held
(``activities.models.Activity``), one a row: the host group (``kelompok``, per row when
importing into a regency), kind (``jenis``), topic (``topik``, with ``topik_lain`` in words
for "other"), date (``tanggal``, a date cell, an Excel serial or text in the file's declared
format), place and, optionally, the resource person, the organiser and the other groups of
the regency taking part (``kelompok_lain``, names separated by ``;``).

``Activity`` has no title: an activity is known by its host group, day, kind and topic (the
topic in words folded for "other"), so a row matching a stored activity on these is
unchanged and importing a sheet twice creates each activity once. A stored activity is
never changed by an import. Activities are written through
``activities.services.activity_create``.

``Records`` is the part shared with ``imports.budget_access``: a sheet of rows that belong
to one group each, read into JSON values, matched by a natural key and created through a
service function.

The headers of this product's own activity export (``activities.views.EXPORT_COLUMNS``, in
Indonesian and English), its sheet title and its values are accepted too, and its regency
and attendance counts ignored, so an exported file imports back unchanged. That export
writes the topic "other" as its words in the topic column, with no ``topik_lain`` column:
in a file without that column, a topic that is no topic of the list is "other" in those
words."""

import dataclasses
import datetime
import functools

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.models import EARLIEST, Activity, ActivityKind, ActivityTopic
from activities.services import activity_create
from groups.models import ConstituentGroup
from imports import members
from imports import values as v
from imports.aspirations import choices_accepted
from imports.errors import ImportChanged
from imports.models import ImportRow
from imports.readers import header_key
from members.text import fold_name

SHEET = "Kegiatan"
#: The sheet of the activity export in English (in Indonesian it is ``SHEET``).
SHEET_ALIASES = ("Activities",)
Column = members.Column
ROWS_ABOUT = gettext_lazy(
    "One row is one activity. A row is matched to a stored activity of its group by date, "
    "kind and topic: an activity already stored is unchanged (the import does not change "
    "it). Delete the example row before importing."
)
KIND_SYNONYMS = {
    ActivityKind.DISCUSSION: ("diskusi", "diskusi kampung"),
    ActivityKind.TRAINING: ("pelatihan", "training"),
    ActivityKind.STUDY_VISIT: ("studi banding", "kunjungan belajar"),
    ActivityKind.OTHER: ("lainnya", "lain lain"),
}
KIND_ALLOWED = "diskusi, pelatihan, studi banding, lainnya"
TOPIC_SYNONYMS = {
    ActivityTopic.WOMENS_RIGHTS: ("hak perempuan", "hak hak perempuan"),
    ActivityTopic.HUMAN_RIGHTS: ("ham", "hak asasi manusia"),
    ActivityTopic.ORGANISING: ("pengorganisasian", "organisasi"),
    ActivityTopic.CASE_HANDLING: ("penanganan kasus", "pendampingan kasus"),
    ActivityTopic.PUBLIC_SERVICES: ("layanan publik", "pelayanan publik"),
    ActivityTopic.VILLAGE_PLANNING: ("perencanaan desa", "perencanaan dan anggaran desa"),
    ActivityTopic.OTHER: ("lainnya", "topik lain"),
}
TOPIC_ALLOWED = (
    "hak perempuan, HAM, pengorganisasian, penanganan kasus, layanan publik, "
    "perencanaan desa, lainnya"
)


def text(length):
    """The parser of a free-text column of at most ``length`` characters."""
    return lambda value, _c: v.parse_text(value, length)


def choice(choices, synonyms, allowed):
    """The parser of a choice column: its code by code, label (Indonesian or English) of
    ``choices`` or a word of ``synonyms`` (``{code: words}``); ``allowed`` lists them in the
    error. The labels are looked up on first use, once the translations are loaded."""

    @functools.cache
    def accepted():
        words = {v.choice_key(w): code for code, ws in synonyms.items() for w in ws}
        return {**choices_accepted(choices), **words}

    return lambda value, _c: v.parse_choice(value, accepted(), allowed)


def _date(value, context):
    day = v.parse_date(value, context["date_format"], context["epoch"])
    if day is not None and day < EARLIEST:
        raise ValidationError(_("Write a date from 2000 on."))
    return day


GROUP = Column(
    "group",
    "kelompok",
    ("kk", "kelompok konstituen", "group"),
    text(200),
    gettext_lazy(
        "The group, as registered. Required when importing into a regency; when importing "
        "into one group it may be blank."
    ),
    gettext_lazy("a group of the regency that you write for"),
    "KK Mawar",
)
COLUMNS = (
    dataclasses.replace(GROUP, aliases=(*GROUP.aliases, "kelompok penyelenggara", "host group")),
    Column(
        "kind",
        "jenis",
        ("jenis kegiatan", "kind"),
        choice(ActivityKind.choices, KIND_SYNONYMS, KIND_ALLOWED),
        gettext_lazy("The kind of activity."),
        KIND_ALLOWED,
        "diskusi",
    ),
    Column(
        "topic",
        "topik",
        ("tema", "topic"),
        choice(ActivityTopic.choices, TOPIC_SYNONYMS, TOPIC_ALLOWED),
        gettext_lazy('The topic; for "lainnya" write the topic in words in topik_lain.'),
        TOPIC_ALLOWED,
        "hak perempuan",
    ),
    Column(
        "topic_text",
        "topik_lain",
        ("topik dalam kata", "topic in words"),
        text(200),
        gettext_lazy('What was discussed, in a few words (required for the topic "lainnya").'),
        gettext_lazy("text, at most 200 characters"),
        "",
    ),
    Column(
        "held_on",
        "tanggal",
        ("tgl", "date"),
        _date,
        gettext_lazy("The day it was held: a date cell, or text in the date format chosen."),
        gettext_lazy("a date from 2000 on, e.g. 17/08/2024 in the declared format"),
        "08/03/2025",
    ),
    Column(
        "place",
        "tempat",
        ("lokasi", "place"),
        text(150),
        gettext_lazy("Where it was held."),
        gettext_lazy("text, at most 150 characters"),
        "Balai desa",
    ),
    Column(
        "resource_person",
        "narasumber",
        (
            "fasilitator",
            "resource person",
            "fasilitator atau narasumber",
            "facilitator or resource person",
        ),
        text(150),
        gettext_lazy("The facilitator or resource person, if any."),
        gettext_lazy("text, at most 150 characters"),
        "Ibu Nurhayati",
    ),
    Column(
        "organiser",
        "penyelenggara",
        ("organiser",),
        text(150),
        gettext_lazy("Who organised it, if not the group."),
        gettext_lazy("text, at most 150 characters"),
        "",
    ),
    Column(
        "other_groups",
        "kelompok_lain",
        ("kelompok peserta", "other groups"),
        text(1000),
        gettext_lazy("Other groups of the regency taking part, separated by ;."),
        gettext_lazy("names of groups of the regency, separated by ;"),
        "",
    ),
)


class Records:
    """A kind whose rows each belong to one group: ``COLUMNS`` and ``REQUIRED`` (column
    key → message when blank), ``key(group, values)`` the natural key of a record,
    ``stored(group)`` the keys stored for a group, ``create(group, values, user)`` writes one
    through the service function, ``check(group, values)`` gives ``[(column key,
    message)]`` of a row's rules beyond its cells, ``summary(group, values)`` what the
    preview names the row by. ``groups`` is ``services._targets``' ``(ids, (target,
    by_name))``."""

    COLUMNS = ()
    REQUIRED = {}

    def __init__(self, job, groups):
        self.job = job
        self.group_ids, self.targets = groups
        self.by_key = {column.key: column for column in self.COLUMNS}
        self.groups = {
            g.pk: g
            for g in ConstituentGroup.objects.filter(pk__in=self.group_ids).select_related(
                "village__subdistrict__regency"
            )
        }
        self.keys = {}
        self.seen = {}

    def parse(self, record, headers, context):
        """``(values, errors)`` of one row: the parsed cells as JSON (dates as ISO text,
        amounts as text) with ``group_id``, and the errors quoting the cells as typed."""
        values, errors = {}, []
        for key, raw in record.items():
            try:
                parsed = self.by_key[key].parse(raw, context)
            except ValidationError as refusal:
                errors.append(
                    members.error(headers, self.by_key, key, raw, " ".join(refusal.messages))
                )
                continue
            if parsed is not None:
                values[key] = parsed
        for key, message in self.REQUIRED.items():
            if key not in values and not any(e["column"] == headers.get(key) for e in errors):
                errors.append(members.error(headers, self.by_key, key, None, str(message)))
        # What the preview names the row by, as typed; a row that passes gets ``summary()``.
        values["summary"] = " · ".join(
            v.text_value(record[key]) for key in self.SUMMARY if record.get(key) is not None
        )
        named = values.pop("group", None)
        values["group_id"], problem = members.group_of(named, self.targets)
        if problem:
            errors.append(members.error(headers, self.by_key, "group", named, problem))
        return {k: _json(value) for k, value in values.items()}, errors

    def chunk(self, chunk, *, headers, context):
        parsed = [(number, *self.parse(record, headers, context)) for number, record in chunk]
        return ImportRow.of_chunk(self.job, parsed, self._decide)

    def _stored_keys(self, group):
        if group.pk not in self.keys:
            self.keys[group.pk] = set(self.stored(group))
        return self.keys[group.pk]

    def _decide(self, row):
        group = self.groups[row.values["group_id"]]
        for key, message in self.check(group, row.values):
            row.errors.append(members.error({}, self.by_key, key, row.values.get(key), message))
        if row.errors:
            return
        key = self.key(group, row.values)
        if key in self.seen:
            row.errors.append(
                members.error(
                    {},
                    self.by_key,
                    self.REPEATED_COLUMN,
                    row.values.get(self.REPEATED_COLUMN),
                    _("The same record as row %(row)d.") % {"row": self.seen[key]},
                )
            )
            return
        self.seen[key] = row.number
        row.values["summary"] = self.summary(group, row.values)
        stored = key in self._stored_keys(group)
        row.action = ImportRow.Action.UNCHANGED if stored else ImportRow.Action.CREATE

    def confirm(self):
        """Create the records of the job's previewed rows (inside the caller's transaction,
        with the regency's row locked), each checked and matched again: a record stored
        since the preview is unchanged. Returns the counts; raises ``ImportChanged`` when a
        row no longer passes (its group out of reach, or a rule refusing it)."""
        counts = {"created": 0, "updated": 0, "unchanged": 0, "skipped": 0}
        for row in self.job.rows.order_by("number"):
            group = self.groups.get(row.values.get("group_id"))
            if group is None or self.check(group, row.values):
                raise ImportChanged(_("Row %(row)d now matches differently") % {"row": row.number})
            key = self.key(group, row.values)
            if key in self._stored_keys(group):
                counts["unchanged"] += 1
                continue
            try:
                self.create(group, row.values, self.job.created_by)
            except ValidationError as refusal:
                raise ImportChanged(
                    _("Row %(row)d: %(reason)s")
                    % {"row": row.number, "reason": " ".join(refusal.messages)}
                ) from refusal
            self.keys[group.pk].add(key)
            counts["created"] += 1
        return counts


def _json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


class Preview(Records):
    """What each activities row does for the job's uploader, and its confirm."""

    COLUMNS = COLUMNS
    REQUIRED = {
        "kind": gettext_lazy("The kind is required."),
        "topic": gettext_lazy("The topic is required."),
        "held_on": gettext_lazy("The date is required."),
        "place": gettext_lazy("The place is required."),
    }
    REPEATED_COLUMN = "held_on"
    SUMMARY = ("held_on", "kind", "topic", "group")

    def __init__(self, job, groups):
        super().__init__(job, groups)
        self.regency_groups = {}
        for group in ConstituentGroup.objects.filter(village__subdistrict__regency=job.regency_id):
            self.regency_groups.setdefault(fold_name(group.name), []).append(group)

    def parse(self, record, headers, context):
        if "topic" in record and "topic_text" not in headers:
            try:
                self.by_key["topic"].parse(record["topic"], context)
            except ValidationError:
                # The export's "other" topic: its words stand in the topic column.
                record = {**record, "topic": ActivityTopic.OTHER, "topic_text": record["topic"]}
        return super().parse(record, headers, context)

    def key(self, group, values):
        return (
            values["held_on"],
            values["kind"],
            values["topic"],
            fold_name(values.get("topic_text", "")),
        )

    def stored(self, group):
        for day, kind, topic, words in Activity.objects.filter(group=group).values_list(
            "held_on", "kind", "topic", "topic_text"
        ):
            yield (day.isoformat(), kind, topic, fold_name(words))

    def _others(self, group, values):
        """``(groups, error)``: the other groups taking part named in ``values``."""
        others = []
        for name in (values.get("other_groups") or "").split(";"):
            if not name.strip():
                continue
            found = self.regency_groups.get(fold_name(name), [])
            if len(found) != 1:
                message = _("No single group of the regency is named '%(name)s'.")
                return [], message % {"name": name.strip()}
            if found[0].pk != group.pk:
                others.append(found[0])
        return others, None

    def check(self, group, values):
        problems = []
        if values.get("topic") == ActivityTopic.OTHER and not values.get("topic_text"):
            problems.append(("topic_text", _("Write the topic in words.")))
        _others, problem = self._others(group, values)
        if problem:
            problems.append(("other_groups", problem))
        return problems

    def summary(self, group, values):
        day = datetime.date.fromisoformat(values["held_on"])
        topic = values.get("topic_text") or str(ActivityTopic(values["topic"]).label)
        return f"{day:%d/%m/%Y} · {ActivityKind(values['kind']).label}: {topic} · {group.name}"

    def create(self, group, values, user):
        fields = {
            "kind": values["kind"],
            "topic": values["topic"],
            "topic_text": values.get("topic_text", ""),
            "held_on": datetime.date.fromisoformat(values["held_on"]),
            "place": values["place"],
            "resource_person": values.get("resource_person", ""),
            "organiser": values.get("organiser", ""),
        }
        others, _problem = self._others(group, values)
        return activity_create(group, fields=fields, groups=others, actor=user)


BY_KEY = {column.key: column for column in COLUMNS}
HEADERS = {
    header_key(header): column.key
    for column in COLUMNS
    for header in (column.header, *column.aliases)
}


def confirm(job, groups):
    """Create the activities of ``job``'s previewed rows (``Records.confirm``)."""
    return Preview(job, groups).confirm()
