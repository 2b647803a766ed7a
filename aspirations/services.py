"""Write functions for aspirations: the only code that changes an aspiration's stage.

Each function checks its rule, then writes the timeline event and the current stage in one
transaction (DESIGN.md, "The aspiration's way").
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aspirations.models import Aspiration, AspirationEvent, EventKind
from aspirations.stages import CLOSED, RANK, Stage


def aspiration_create(*, group, actor, submission_token=None, **fields):
    """Create an aspiration at stage ``recorded`` with its first timeline event.

    ``fields`` are ``Aspiration`` fields (``village``, ``title``, ``topic``, ``channel``,
    ``raised_on`` …). A repeated ``submission_token`` (a double tap on "Simpan") returns the
    aspiration already created instead of a second one. Returns ``(aspiration, created)``.
    """
    if submission_token is not None:
        existing = Aspiration.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    with transaction.atomic():
        if fields.get("urusan") is None and fields.get("topic") is not None:
            fields["urusan"] = fields["topic"].default_urusan
        aspiration = Aspiration.objects.create(
            group=group,
            recorded_by=actor,
            stage=Stage.RECORDED,
            stage_changed_on=fields["raised_on"],
            furthest_rank=1,
            submission_token=submission_token,
            **fields,
        )
        AspirationEvent.objects.create(
            aspiration=aspiration,
            kind=EventKind.CREATED,
            to_stage=Stage.RECORDED,
            occurred_on=aspiration.raised_on,
            recorded_by=actor,
        )
    return aspiration, True


def check_move(aspiration, to):
    """Raise ``ValidationError`` (Indonesian message) unless ``aspiration`` may move to ``to``.

    Rules (DESIGN.md): forward moves may skip stages; moving back is a correction, not a
    move; a closed or realised aspiration does not move; the two rank-5 stages do not move
    into each other.
    """
    current = Stage(aspiration.stage)
    to = Stage(to)
    if current in CLOSED or current == Stage.REALISED:
        raise ValidationError(_("This aspiration is closed; it can no longer move."))
    if to in CLOSED:
        return
    if RANK[to] <= RANK[current]:
        raise ValidationError(
            _(
                "An aspiration only moves forward: from “%(current)s” it cannot go to “%(to)s”. "
                "Record a correction with a reason instead."
            )
            % {"current": current.label, "to": to.label}
        )


def aspiration_move(
    aspiration,
    *,
    to,
    actor,
    occurred_on,
    note="",
    reason="",
    reses_meeting=None,
    musrenbang_forum=None,
    document_reference="",
    amount=None,
    fiscal_year=None,
    fund_source="",
    implementing_urusan=None,
):
    """Move ``aspiration`` to stage ``to`` and write the event, in one transaction.

    ``occurred_on`` is the real-world date (a ``date`` in the group's zone); it may not be in
    the future. ``amount`` is Rupiah (``Decimal``). Raises ``ValidationError`` with an
    Indonesian message for a forbidden move. Returns the ``AspirationEvent``.
    """
    check_move(aspiration, to)
    today = timezone.localdate()
    if isinstance(occurred_on, datetime.datetime):
        occurred_on = occurred_on.date()
    if occurred_on > today:
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    with transaction.atomic():
        locked = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
        check_move(locked, to)
        event = AspirationEvent.objects.create(
            aspiration=locked,
            kind=EventKind.MOVE,
            from_stage=locked.stage,
            to_stage=to,
            occurred_on=occurred_on,
            recorded_by=actor,
            note=note,
            reason=reason,
            reses_meeting=reses_meeting,
            musrenbang_forum=musrenbang_forum,
            document_reference=document_reference,
            amount=amount,
            fiscal_year=fiscal_year,
            fund_source=fund_source,
            implementing_urusan=implementing_urusan,
        )
        if to in CLOSED:
            locked.stopped_at = locked.stage
        else:
            locked.furthest_rank = max(locked.furthest_rank, RANK[Stage(to)])
        locked.stage = to
        locked.stage_changed_on = occurred_on
        locked.save(
            update_fields=["stage", "stage_changed_on", "furthest_rank", "stopped_at", "updated_at"]
        )
    aspiration.refresh_from_db()
    return event
