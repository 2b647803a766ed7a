"""Edits kept by django-simple-history, as a page shows them: who, when, old and new.

Used by the member page and the case page, for those who may see the record; each
history record is compared with the one before it through ``diff_against``.
"""

import datetime
from dataclasses import dataclass, field
from itertools import pairwise

from django.db import models
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

#: Fields never shown in a change list: bookkeeping, not what people typed.
HIDDEN_FIELDS = {"created_at", "updated_at", "created_by", "recorded_by", "submission_token"}


@dataclass
class Edit:
    """One saved edit: ``when`` (aware datetime), ``user`` (or ``None``: a command or the
    demo), ``created`` (the record's creation), ``first_known`` (the first edit of a record
    made before its history was kept, whose earlier values are unknown) and ``changes``:
    ``(label, old, new)`` text."""

    when: datetime.datetime
    user: object
    created: bool = False
    first_known: bool = False
    changes: list = field(default_factory=list)


def shown(model_field, value):
    """``value`` of ``model_field`` as people read it: the choice's label, a date as
    ``17 Agustus 2024``, yes/no, a related row's name, ``–`` for nothing."""
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(value, "j F Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return str(value)


def record_edits(instance, *, hidden=()):
    """The edits of ``instance`` (a model with ``history = HistoricalRecords()``), oldest
    first, as a list of ``Edit``: the first record is the creation, each later one lists
    the fields that changed from the record before (``diff_against``), leaving out
    ``HIDDEN_FIELDS`` and ``hidden``; records that changed none of the shown fields are left
    out. One query, plus one per changed foreign key."""
    records = list(
        instance.history.select_related("history_user").order_by("history_date", "history_id")
    )
    if not records:
        return []
    excluded = HIDDEN_FIELDS | set(hidden)
    order = {f.name: index for index, f in enumerate(instance._meta.fields)}
    first = records[0]
    created = first.history_type == "+"
    edits = [Edit(first.history_date, first.history_user, created=created, first_known=not created)]
    for older, newer in pairwise(records):
        delta = newer.diff_against(older, excluded_fields=excluded, foreign_keys_are_objs=True)
        changes = []
        for change in sorted(delta.changes, key=lambda c: order.get(c.field, 0)):
            model_field = instance._meta.get_field(change.field)
            changes.append(
                (
                    capfirst(str(model_field.verbose_name)),
                    shown(model_field, change.old),
                    shown(model_field, change.new),
                )
            )
        if changes:
            edits.append(Edit(newer.history_date, newer.history_user, changes=changes))
    return edits
