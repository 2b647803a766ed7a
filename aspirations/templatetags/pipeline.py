"""Template tags of the aspiration's way: the timeline and the move actions.

Both partials (``aspirations/_timeline.html``, ``aspirations/_move_actions.html``) fetch
what they show here in a fixed number of queries, whatever the number of events.
"""

import datetime
import itertools

from django import template
from django.utils.formats import date_format

from aspirations import services
from aspirations.models import Aspiration, Beneficiary
from aspirations.stages import ResesResponse
from aspirations.topics import PROTECTION_SLUG

register = template.Library()

#: The aspiration's own fields whose edits are shown on the timeline (django-simple-history).
EDITED_FIELDS = (
    "title",
    "description",
    "village",
    "topic",
    "urusan",
    "channel",
    "raised_on",
    *(beneficiary.flag for beneficiary in Beneficiary),
    "addressed_to",
    "representative",
    "is_public",
)
_FOREIGN_KEYS = {"village", "topic", "urusan", "representative"}


@register.simple_tag
def timeline_events(aspiration):
    """The events of ``aspiration`` in date order, with what each shows (three queries).

    Each event gets ``response_label`` (the reses response, if any).
    """
    events = list(
        aspiration.events.select_related(
            "recorded_by",
            "reses_meeting__representative",
            "reses_meeting__village",
            "musrenbang_forum__village",
            "musrenbang_forum__subdistrict",
            "musrenbang_forum__regency",
            "implementing_urusan",
        ).prefetch_related("attachments")
    )
    labels = dict(ResesResponse.choices)
    for event in events:
        event.response_label = labels.get(event.response, "")
    return events


@register.simple_tag
def budget_outcomes(aspiration):
    """The money ``aspiration`` brought: its ``BudgetOutcome`` rows by fiscal year (one query)."""
    return list(aspiration.budget_outcomes.select_related("implementing_urusan"))


@register.simple_tag
def field_edits(aspiration):
    """Edits of the aspiration's own fields, oldest first (one query).

    A list of ``{"when", "user", "changes"}``; ``changes`` is a list of ``(field label,
    old, new)`` in the order of ``EDITED_FIELDS``, from django-simple-history's
    ``diff_against``; ``old``/``new`` are ``None`` for related rows (shown by name only) and
    dates are text in the detail page's "j F Y" format (29 November 2026), both sides alike.
    Saves that changed only the stage (moves) are left out: the events show those.
    """
    records = list(aspiration.history.select_related("history_user").order_by("history_date"))
    labels = {name: Aspiration._meta.get_field(name).verbose_name for name in EDITED_FIELDS}
    edits = []
    for previous, record in itertools.pairwise(records):
        delta = record.diff_against(previous, included_fields=EDITED_FIELDS)
        changes = [
            (labels[change.field], None, None)
            if change.field in _FOREIGN_KEYS
            else (labels[change.field], _shown(change.old), _shown(change.new))
            for change in sorted(delta.changes, key=lambda c: EDITED_FIELDS.index(c.field))
        ]
        if changes:
            edits.append(
                {"when": record.history_date, "user": record.history_user, "changes": changes}
            )
    return edits


def _shown(value):
    """A changed value as the change log shows it: dates as "j F Y", the rest unchanged."""
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    return value


@register.simple_tag
def move_actions(aspiration, user):
    """Which steps ``aspiration``'s way allows ``user`` now: a move (the stages of
    ``services.targets_for``, and the usual next ones, ``services.next_steps``, one button
    each), a correction, a carry-over, and showing or hiding it on the public tracker
    (never for the protection topic unless it is to be hidden). Whether the user may move
    (``{% can "move" aspiration %}``) or change it (``"change"``) is checked by the page."""
    return {
        "can_move": bool(services.targets_for(aspiration, user)),
        "next_steps": services.next_steps(aspiration, user),
        "can_correct": bool(services.correction_targets(aspiration)),
        "can_carry_over": services.can_carry_over(aspiration),
        "can_publish": aspiration.is_public or aspiration.topic.slug != PROTECTION_SLUG,
    }
