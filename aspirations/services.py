"""Write functions for aspirations: the only code that changes an aspiration's stage.

Each function checks its rule, then writes the timeline event and the current stage in one
transaction (DESIGN.md, "The aspiration's way"). *Who* may move is the ``"change"`` write
rule of ``Aspiration`` (``kk_portal.permissions``), checked by the views; *which* move is
allowed is ``allowed_targets``/``check_move`` here. Errors are ``ValidationError`` with
English gettext messages saying what to fix, keyed by the form field they concern where
there is one.

Decisions:

- Dates: an event's ``occurred_on`` is a date in the group's time zone (WITA, or WIT in Kota
  Ambon); it may not be in the future there, nor before the aspiration's last move
  (``stage_changed_on``), so the timeline reads in order.
- Corrections (``aspiration_correct``) set the stage back (or reopen a closed aspiration) and
  recompute ``furthest_rank`` honestly: a correction says the later record was wrong, so the
  furthest rank becomes the corrected stage's; budget rows and realisations above it are
  removed. The original events stay on the timeline next to the correction and its reason.
- Carry-over (``aspiration_carry_over``) creates a new aspiration for next year's cycle with
  ``carried_over_from`` pointing to the old one, which stays closed with its history.
- Each move stores the date of the step before it on its timeline (``link_steps``), so
  that the dashboard's median days between stages read one column instead of a window
  over timelines (issue 14).
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aspirations.models import (
    FORUM_AREAS,
    STEP_KINDS,
    STEP_ORDER,
    Aspiration,
    AspirationEvent,
    Beneficiary,
    BudgetOutcome,
    EventKind,
    MusrenbangForum,
)
from aspirations.signals import (
    aspiration_response_recorded,
    aspirations_changed,
    aspirations_will_change,
)
from aspirations.stages import CLOSED, FORWARD, RANK, RESPONSE_STAGES, ResesResponse, Stage
from aspirations.topics import PROTECTION_SLUG
from kk_portal.permissions import acting_role, writable
from kk_portal.scoping import Role
from kk_portal.zones import local_date, today_in


def _will_change(pk):
    aspirations_will_change.send(sender=Aspiration, ids=[pk])


def _changed(pk):
    aspirations_changed.send(sender=Aspiration, ids=[pk])


#: Fields copied from a not-accommodated aspiration to its carried-over successor.
CARRY_OVER_FIELDS = (
    "group",
    "village",
    "title",
    "description",
    "topic",
    "urusan",
    "channel",
    *(beneficiary.flag for beneficiary in Beneficiary),
    "addressed_to",
    "representative",
    "is_public",
)


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
        aspiration = _create_recorded(
            group=group, recorded_by=actor, submission_token=submission_token, **fields
        )
        AspirationEvent.objects.create(
            aspiration=aspiration,
            kind=EventKind.CREATED,
            to_stage=Stage.RECORDED,
            occurred_on=aspiration.raised_on,
            recorded_by=actor,
        )
        _changed(aspiration.pk)
    return aspiration, True


def _create_recorded(**fields):
    """A new ``Aspiration`` at stage ``recorded`` since its ``raised_on``, rank 1."""
    return Aspiration.objects.create(
        stage=Stage.RECORDED, stage_changed_on=fields["raised_on"], furthest_rank=1, **fields
    )


#: No aspiration is raised before the programme's first constituent groups were formed, in
#: 2014 (BaKTI article in ``../shared/seed/``; ``seed_demo``'s 2014 cohort). An earlier date
#: is a typing slip such as 1900 or 2104.
RAISED_ON_FLOOR = datetime.date(2014, 1, 1)


def check_raised_on(group, raised_on, *, aspiration=None):
    """Raise ``ValidationError({"raised_on": …})`` unless ``raised_on`` (a ``date``) is a
    plausible date raised for an aspiration of ``group``.

    Refused: a date after today in the group's zone (WITA, or WIT in Kota Ambon), a date
    before ``RAISED_ON_FLOOR`` and, for an existing ``aspiration``, a date after its first
    move (its earliest event other than the ``CREATED`` one), so that its timeline reads in
    order.
    """
    if raised_on is None:
        return
    if raised_on > today_in(group):
        raise ValidationError({"raised_on": _("The date raised cannot be in the future.")})
    if raised_on < RAISED_ON_FLOOR:
        raise ValidationError(
            {
                "raised_on": _(
                    "The date raised cannot be before %(date)s, when the programme's first "
                    "groups were formed."
                )
                % {"date": date_format(RAISED_ON_FLOOR, "j F Y")}
            }
        )
    if aspiration is not None and aspiration.pk is not None:
        first_move = (
            aspiration.events.exclude(kind=EventKind.CREATED)
            .order_by("occurred_on")
            .values_list("occurred_on", flat=True)
            .first()
        )
        if first_move is not None and raised_on > first_move:
            raise ValidationError(
                {
                    "raised_on": _(
                        "The date raised cannot be after the aspiration's first step on its "
                        "way (%(date)s)."
                    )
                    % {"date": date_format(first_move, "j F Y")}
                }
            )


def aspiration_update(aspiration, *, actor, **fields):
    """Save edited ``fields`` (``Aspiration`` field names → values) of ``aspiration``.

    ``raised_on`` is checked by ``check_raised_on``; when it changes, the ``CREATED`` event
    moves to the new date, and so does ``stage_changed_on`` while the aspiration is still
    at ``recorded`` (the creation is then its last change of stage). The stage itself never
    changes here (``aspiration_move``). ``actor`` is recorded as the history's user.
    Raises ``ValidationError`` keyed by field and writes nothing when refused. Returns
    ``aspiration``, saved.
    """
    if "stage" in fields:
        raise ValueError("aspiration_update does not change the stage; use aspiration_move.")
    with transaction.atomic():
        locked = Aspiration.objects.select_for_update().get(pk=aspiration.pk)
        # Topic, urusan, channel, village, date raised and beneficiaries are dimensions of
        # the figures derived from aspirations (aspirations.signals).
        _will_change(locked.pk)
        raised_on = fields.get("raised_on", locked.raised_on)
        check_raised_on(aspiration.group, raised_on, aspiration=locked)
        for name, value in fields.items():
            setattr(aspiration, name, value)
        if raised_on != locked.raised_on:
            locked.events.filter(kind=EventKind.CREATED).update(occurred_on=raised_on)
            link_steps(locked.pk)
            if locked.stage == Stage.RECORDED:
                aspiration.stage_changed_on = raised_on
        aspiration._history_user = actor
        aspiration.save()
        _changed(locked.pk)
    return aspiration


def allowed_targets(aspiration):
    """The stages ``aspiration`` may move to now, in rank order (a tuple of ``Stage``).

    Forward moves may skip stages (the village track goes Musrenbang desa → planned →
    budgeted); the two rank-5 stages do not move into each other; an open aspiration may be
    closed as not accommodated or withdrawn; a realised or closed one does not move.
    """
    current = Stage(aspiration.stage)
    if current in CLOSED or current == Stage.REALISED:
        return ()
    forward = tuple(s for s in FORWARD if RANK[s] > RANK[current])
    return (*forward, *CLOSED)


#: The steps DPRD staff record themselves: conveyed to the representative (at a reses or
#: otherwise) and taken into the representative's Pokir (DESIGN.md, "The aspiration's way";
#: issue 13). Reses responses go through the meeting's follow-up.
DPRD_STAGES = (Stage.CONVEYED, Stage.POKIR)


def targets_for(aspiration, user):
    """The stages ``user`` may move ``aspiration`` to now: ``allowed_targets``, narrowed to
    ``DPRD_STAGES`` for DPRD staff (a tuple of ``Stage``, in rank order). Whether the user
    may move this aspiration at all is its ``"move"`` write rule (``kk_portal.permissions``)."""
    targets = allowed_targets(aspiration)
    if acting_role(user) == Role.DPRD:
        return tuple(stage for stage in targets if stage in DPRD_STAGES)
    return targets


def next_steps(aspiration, user=None):
    """The usual next steps of ``aspiration``: the allowed forward stages of the next rank
    that has one (both rank-5 stages after Musrenbang kecamatan), in rank order; ``()``
    for a realised or closed aspiration. With ``user``, among the stages that user may
    record (``targets_for``: DPRD staff get conveyed, then Pokir). The detail page offers
    each as one button."""
    targets = allowed_targets(aspiration) if user is None else targets_for(aspiration, user)
    forward = [stage for stage in targets if stage in RANK]
    if not forward:
        return ()
    nearest = RANK[forward[0]]
    return tuple(stage for stage in forward if RANK[stage] == nearest)


def check_move(aspiration, to, *, occurred_on=None, reses_meeting=None, musrenbang_forum=None):
    """Raise ``ValidationError`` unless ``aspiration`` may move to stage ``to``.

    Rules: see ``allowed_targets``. Moving back is a correction (``aspiration_correct``),
    not a move. With the move's details, also the sense of its date (``occurred_on``, a
    ``date``) and forum, each error keyed by the field to fix:

    - not after today in the zone of the aspiration's village (its regency's, WITA or WIT);
    - a move at a ``reses_meeting`` not before the meeting's day (in the meeting's zone);
    - a move at a ``musrenbang_forum`` not before the day the forum was held (so a forum
      recorded with its move cannot be in the future either);
    - ``realised`` not before 1 January of the latest budget's fiscal year;
    - ``musrenbang_kecamatan`` needs its ``musrenbang_forum`` (the subdistrict's forum is
      where the step happens; DESIGN.md, "The aspiration's way").
    """
    current = Stage(aspiration.stage)
    try:
        to = Stage(to)
    except ValueError:
        raise ValidationError({"to": _("Choose a stage from the list.")}) from None
    if to in allowed_targets(aspiration):
        _check_move_details(aspiration, to, occurred_on, reses_meeting, musrenbang_forum)
        return
    if current in CLOSED or current == Stage.REALISED:
        raise ValidationError(
            {"to": _("This aspiration is closed; it can no longer move. Record a correction.")}
        )
    raise ValidationError(
        {
            "to": _(
                "An aspiration only moves forward: from “%(current)s” it cannot go to "
                "“%(to)s”. Record a correction with a reason instead."
            )
            % {"current": current.label, "to": to.label}
        }
    )


def _check_move_details(aspiration, to, occurred_on, reses_meeting, musrenbang_forum):
    """The date and forum checks of ``check_move`` for an allowed move to ``to``."""
    errors = {}
    if to == Stage.MUSRENBANG_KECAMATAN and musrenbang_forum is None:
        errors["musrenbang_forum"] = _(
            "A move to Musrenbang kecamatan needs the forum where it was discussed."
        )
    if occurred_on is not None:
        if occurred_on > today_in(aspiration.village.subdistrict.regency):
            errors["occurred_on"] = _("The date cannot be in the future.")
        elif reses_meeting is not None and occurred_on < local_date(
            reses_meeting.starts_at, reses_meeting.village.subdistrict.regency
        ):
            errors["occurred_on"] = _("The date cannot be before the reses meeting (%(date)s).") % {
                "date": date_format(
                    local_date(reses_meeting.starts_at, reses_meeting.village.subdistrict.regency),
                    "j F Y",
                )
            }
        elif (
            musrenbang_forum is not None
            and musrenbang_forum.held_on
            and occurred_on < musrenbang_forum.held_on
        ):
            errors["occurred_on"] = _(
                "The date cannot be before the Musrenbang forum was held (%(date)s)."
            ) % {"date": date_format(musrenbang_forum.held_on, "j F Y")}
        elif to == Stage.REALISED:
            budget = aspiration.budget_outcomes.order_by("-fiscal_year", "-pk").first()
            if budget is not None and occurred_on < datetime.date(budget.fiscal_year, 1, 1):
                errors["occurred_on"] = _(
                    "The realisation cannot be dated before the budget's fiscal year "
                    "%(year)s begins."
                ) % {"year": budget.fiscal_year}
    if errors:
        raise ValidationError(errors)


def _lock(aspiration):
    """Re-read ``aspiration`` locked for update (with its group's regency, for the zone).

    Call inside ``transaction.atomic()``: the row the checks read is the row then changed.
    """
    return (
        Aspiration.objects.select_for_update()
        .select_related("group__village__subdistrict__regency", "village__subdistrict__regency")
        .get(pk=aspiration.pk)
    )


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value


def _check_date(aspiration, occurred_on, *, not_before=None, before_message=None):
    """Refuse a missing date, a date in the future (group's zone), one before the
    aspiration's ``raised_on`` (nothing happens to it before it exists) or one before
    ``not_before``."""
    if occurred_on is None:
        raise ValidationError({"occurred_on": _("Enter the date on which it happened.")})
    if occurred_on > today_in(aspiration.group):
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    if occurred_on < aspiration.raised_on:
        raise ValidationError(
            {
                "occurred_on": _("The date cannot be before the aspiration was raised (%(date)s).")
                % {"date": date_format(aspiration.raised_on, "j F Y")}
            }
        )
    if not_before is not None and occurred_on < not_before:
        message = before_message or _(
            "The date cannot be before the last change of stage (%(date)s)."
        )
        raise ValidationError({"occurred_on": message % {"date": date_format(not_before, "j F Y")}})


def _check_budget(amount, fiscal_year, fund_source, raised_on):
    """The budget fields of a move to budgeted; a budget of a fiscal year before the year
    the aspiration was raised (``raised_on``, a date) cannot be its outcome."""
    errors = {}
    if amount is None:
        errors["amount"] = _("A budgeted aspiration needs the amount in Rupiah.")
    elif amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if fiscal_year is None:
        errors["fiscal_year"] = _("Enter the fiscal year of the budget.")
    elif not 2000 <= fiscal_year <= 2100:
        errors["fiscal_year"] = _("Enter a fiscal year between 2000 and 2100.")
    elif fiscal_year < raised_on.year:
        errors["fiscal_year"] = _(
            "The fiscal year cannot be before the aspiration was raised (%(year)s)."
        ) % {"year": raised_on.year}
    if not fund_source:
        errors["fund_source"] = _("Choose the source of funds.")
    if errors:
        raise ValidationError(errors)


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
    implementing_agency="",
    realised_amount=None,
    evidence="",
    response="",
):
    """Move ``aspiration`` to stage ``to``, writing the event and the stage in one transaction.

    ``occurred_on`` is the real-world ``date`` in the group's zone: not in the future, not
    before the last move. Moving to ``budgeted`` needs ``amount`` (Rupiah, ``Decimal``),
    ``fiscal_year`` and ``fund_source`` and writes a ``BudgetOutcome``; moving to
    ``realised`` records ``realised_on`` (= ``occurred_on``), ``realised_amount`` and
    ``evidence`` on the latest budget outcome, which may not be dated after the
    realisation; ``not_accommodated`` needs a ``reason`` and keeps the stage where it
    stopped. ``implementing_agency`` (a name) goes to the budget outcome; ``response`` is
    the reses response that caused the move (set by ``aspiration_record_response``).
    Raises ``ValidationError`` (keyed by field) and writes nothing when refused.
    Returns the ``AspirationEvent``; ``aspiration`` is refreshed.
    """
    occurred_on = _as_date(occurred_on)
    with transaction.atomic():
        locked = _lock(aspiration)
        # Told before the change and after it (aspirations.signals); the lock above makes
        # the row read here the row changed below.
        _will_change(locked.pk)
        check_move(
            locked,
            to,
            occurred_on=occurred_on,
            reses_meeting=reses_meeting,
            musrenbang_forum=musrenbang_forum,
        )
        to = Stage(to)
        _check_date(
            locked,
            occurred_on,
            not_before=locked.stage_changed_on,
            before_message=(
                _("The realisation cannot be dated before the budget (%(date)s).")
                if locked.stage == Stage.BUDGETED
                else None
            ),
        )
        if to == Stage.BUDGETED:
            _check_budget(amount, fiscal_year, fund_source, locked.raised_on)
        if to == Stage.NOT_ACCOMMODATED and not reason.strip():
            raise ValidationError({"reason": _("Say why it was not accommodated.")})
        budget = None
        if to == Stage.REALISED:
            budget = locked.budget_outcomes.order_by("-fiscal_year", "-pk").first()
            if realised_amount is not None and realised_amount < 0:
                raise ValidationError({"realised_amount": _("The amount cannot be negative.")})
            if realised_amount is not None and budget is None:
                raise ValidationError(
                    {
                        "realised_amount": _(
                            "No budget is recorded for this aspiration: record the budget "
                            "first, or leave the amount realised empty."
                        )
                    }
                )
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
            document_reference=document_reference or evidence,
            amount=amount if to == Stage.BUDGETED else None,
            fiscal_year=fiscal_year if to == Stage.BUDGETED else None,
            fund_source=fund_source if to == Stage.BUDGETED else "",
            implementing_urusan=implementing_urusan if to == Stage.BUDGETED else None,
            response=response,
        )
        link_steps(locked.pk)
        if to == Stage.BUDGETED:
            BudgetOutcome.objects.create(
                aspiration=locked,
                source=fund_source,
                fiscal_year=fiscal_year,
                amount=amount,
                implementing_urusan=implementing_urusan,
                implementing_agency=implementing_agency,
            )
        if budget is not None:
            budget.realised_on = occurred_on
            budget.realised_amount = realised_amount
            budget.evidence = evidence or document_reference
            budget.save(update_fields=["realised_on", "realised_amount", "evidence"])
        if to in CLOSED:
            locked.stopped_at = locked.stage
        else:
            locked.furthest_rank = max(locked.furthest_rank, RANK[to])
        locked.stage = to
        locked.stage_changed_on = occurred_on
        _save_stage(locked)
        _changed(locked.pk)
    aspiration.refresh_from_db()
    return event


#: The level of the Musrenbang forum where each Musrenbang stage happens.
FORUM_LEVELS = {
    Stage.MUSRENBANG_DESA: MusrenbangForum.Level.DESA,
    Stage.MUSRENBANG_KECAMATAN: MusrenbangForum.Level.KECAMATAN,
    Stage.MUSRENBANG_KABKOTA: MusrenbangForum.Level.KABKOTA,
}
#: What the person recording a move types about a new forum; the rest follows the move.
NEW_FORUM_FIELDS = ("held_on", "fiscal_year", "attendance_female", "attendance_male")


def new_forum_for(aspiration, to, user):
    """An unsaved ``MusrenbangForum`` where ``aspiration``'s move to the Musrenbang stage
    ``to`` happened: the stage's level (``FORUM_LEVELS``) in the aspiration's village
    (desa), its subdistrict (kecamatan) or its regency (kabupaten/kota), as
    ``MusrenbangForumForm`` places them. ``None`` when ``to`` is no Musrenbang stage or
    ``user`` may not hold a forum of that level there (the ``"hold_musrenbang"`` write rule
    of the place, ``models.FORUM_AREAS``; one query)."""
    level = FORUM_LEVELS.get(to)
    if level is None:
        return None
    village = aspiration.village
    subdistrict = village.subdistrict
    area = {
        MusrenbangForum.Level.DESA: village,
        MusrenbangForum.Level.KECAMATAN: subdistrict,
        MusrenbangForum.Level.KABKOTA: subdistrict.regency,
    }[level]
    if not writable(user, "hold_musrenbang", FORUM_AREAS[level]).filter(pk=area.pk).exists():
        return None
    return MusrenbangForum(
        level=level,
        village=village if level == MusrenbangForum.Level.DESA else None,
        subdistrict=subdistrict if level != MusrenbangForum.Level.KABKOTA else None,
        regency=subdistrict.regency,
    )


def aspiration_move_at_new_forum(aspiration, *, to, actor, forum, **move):
    """Record a new Musrenbang forum and ``aspiration``'s move to the Musrenbang stage
    ``to`` at it, in one transaction: a refused move leaves no forum behind.

    ``forum`` is a dict of the forum's ``NEW_FORUM_FIELDS``: ``held_on`` (a ``date``),
    ``fiscal_year`` (planned for), ``attendance_female`` and ``attendance_male`` (counts,
    0 when left out); its level and place come from ``new_forum_for``. ``move`` holds the
    other keyword arguments of ``aspiration_move`` (``occurred_on``, ``note`` …). Raises
    ``ValidationError`` and writes nothing when refused: ``musrenbang_forum`` when
    ``actor`` may not hold that forum there, ``forum_<field>`` for a field of the forum,
    otherwise as ``aspiration_move``. Returns the move's ``AspirationEvent``, whose
    ``musrenbang_forum`` is the new forum.
    """
    unknown = set(forum) - set(NEW_FORUM_FIELDS)
    if unknown:
        raise TypeError(f"Not a field of a new forum: {sorted(unknown)}.")
    new = new_forum_for(aspiration, to, actor)
    if new is None:
        raise ValidationError(
            {
                "musrenbang_forum": _(
                    "You cannot record a forum of this level here: choose one from the list."
                )
            }
        )
    for name, value in forum.items():
        setattr(new, name, 0 if value is None and name.startswith("attendance") else value)
    # Its recorder may edit it later (the forum's "edit" rule), as for one made on its page.
    new.created_by = actor
    try:
        new.full_clean(exclude=["submission_token"])
    except ValidationError as error:
        raise ValidationError(
            {
                "musrenbang_forum" if name == NON_FIELD_ERRORS else f"forum_{name}": messages
                for name, messages in error.message_dict.items()
            }
        ) from None
    with transaction.atomic():
        new.save()
        return aspiration_move(aspiration, to=to, actor=actor, musrenbang_forum=new, **move)


def link_steps(aspiration_id):
    """Store on each ``MOVE`` event of the aspiration ``aspiration_id`` the date of the step
    before it on its timeline (``AspirationEvent.previous_on``): of its ``STEP_KINDS``
    events in ``STEP_ORDER``, the ``occurred_on`` of the one before, ``None`` for the first.

    Every write that adds a step or changes a step's date calls it, in its transaction:
    ``aspiration_move`` (a move dated before later moves, allowed after a correction, is
    also the new step before the next one) and ``aspiration_update`` (a new date raised
    moves the ``CREATED`` event). One query reads the steps and one ``UPDATE`` per date
    writes the moves whose step before changed (usually the new move alone).
    """
    steps = AspirationEvent.objects.filter(aspiration_id=aspiration_id, kind__in=STEP_KINDS)
    changed = {}
    before = None
    for pk, kind, occurred_on, stored in steps.order_by(*STEP_ORDER).values_list(
        "pk", "kind", "occurred_on", "previous_on"
    ):
        if kind == EventKind.MOVE and stored != before:
            changed.setdefault(before, []).append(pk)
        before = occurred_on
    for previous_on, pks in changed.items():
        AspirationEvent.objects.filter(pk__in=pks).update(previous_on=previous_on)


def _save_stage(aspiration):
    """Save the stage fields. The event is their history, so no django-simple-history row."""
    aspiration.skip_history_when_saving = True
    aspiration.save(
        update_fields=["stage", "stage_changed_on", "furthest_rank", "stopped_at", "updated_at"]
    )


@dataclass
class BulkMoveResult:
    """What ``aspirations_move_bulk`` did: ``moved``, the aspirations moved (refreshed, by
    title); ``refused``, ``(aspiration, reason)`` pairs for the rows that could not move,
    each reason the sentence ``check_move``/``aspiration_move`` gave; ``ignored``, how many
    of the ids given were not the user's to move (outside ``writable(actor, "move", …)``
    or missing: never named, as the user may not see them)."""

    moved: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    ignored: int = 0


def aspirations_move_bulk(aspirations, *, to, actor, occurred_on, document_reference, note=""):
    """Move each of ``aspirations`` (rows or ids) to stage ``to`` through ``aspiration_move``,
    all with the one ``occurred_on`` (a ``date`` in each group's zone), ``document_reference``
    (e.g. the Pokir document's number) and ``note``, in one transaction; returns a
    ``BulkMoveResult``.

    Only rows ``actor`` may ``"move"`` (``kk_portal.permissions.writable``) are touched: any
    other id (a tampered form) is counted in ``ignored`` and left alone. A row moves only
    to a stage among ``targets_for(row, actor)``.

    The valid rows move and the others are reported, rather than all or nothing: each
    aspiration has its own timeline, and the document is true for every row it lists. A row
    another person already moved past ``to``, a closed one, or one whose last move is dated
    after ``occurred_on`` (``check_move``'s rules) says nothing against the others; refusing
    the whole batch would make the user find it, untick it and send again. The refused
    rows come back by title with the reason, so none is skipped silently. An unexpected
    error (not a ``ValidationError``) still undoes the whole batch. A stage that needs more
    than a date and a document (a forum, a budget, a reason) is refused on every row, by
    ``aspiration_move``'s own checks. Raises ``ValueError`` for a ``to`` that is no
    ``Stage`` or an id that is no number.
    """
    wanted = {row.pk if isinstance(row, Aspiration) else int(row) for row in aspirations}
    rows = list(
        writable(actor, "move", Aspiration)
        .filter(pk__in=wanted)
        .select_related("village__subdistrict__regency")
        .order_by("title", "pk")
    )
    result = BulkMoveResult(ignored=len(wanted) - len(rows))
    to = Stage(to)
    with transaction.atomic():
        for row in rows:
            try:
                if to not in targets_for(row, actor):
                    check_move(row, to)
                    raise ValidationError(
                        {"to": _("Your role does not record this step: %(to)s.") % {"to": to.label}}
                    )
                # aspiration_move's own atomic block is a savepoint here: a refused row
                # leaves nothing behind and the batch goes on.
                aspiration_move(
                    row,
                    to=to,
                    actor=actor,
                    occurred_on=occurred_on,
                    document_reference=document_reference,
                    note=note,
                )
            except ValidationError as error:
                result.refused.append((row, " ".join(error.messages)))
            else:
                result.moved.append(row)
    return result


def correction_targets(aspiration):
    """Stages a correction may set ``aspiration`` back to, in rank order.

    Any forward stage below the current one, or the other stage of the same rank (Pokir ↔
    Musrenbang kabupaten/kota); for a closed aspiration, any forward stage up to the stage
    where it stopped (reopening it).
    """
    current = Stage(aspiration.stage)
    if current in CLOSED:
        ceiling = RANK.get(Stage(aspiration.stopped_at), 1) if aspiration.stopped_at else 1
        return tuple(s for s in FORWARD if RANK[s] <= ceiling)
    return tuple(s for s in FORWARD if RANK[s] <= RANK[current] and s != current)


def aspiration_correct(aspiration, *, to, actor, occurred_on, reason, note=""):
    """Set ``aspiration`` back to stage ``to`` with a ``CORRECTION`` event and its reason.

    ``to`` must be one of ``correction_targets``; ``reason`` is required. ``occurred_on``
    dates the correction; ``stage_changed_on`` goes back to when ``to`` was last reached
    (or the correction's date if never). ``furthest_rank``
    becomes the rank of ``to`` (the later record was wrong; see the module docstring);
    budget outcomes are removed below ``budgeted`` and realisations below ``realised`` — the
    original events keep their amounts on the timeline. Raises ``ValidationError`` and
    writes nothing when refused. Returns the event.
    """
    occurred_on = _as_date(occurred_on)
    with transaction.atomic():
        locked = _lock(aspiration)
        _will_change(locked.pk)
        try:
            to = Stage(to)
        except ValueError:
            raise ValidationError({"to": _("Choose a stage from the list.")}) from None
        if to not in correction_targets(locked):
            raise ValidationError(
                {
                    "to": _("“%(to)s” is not a stage this aspiration can be corrected to.")
                    % {"to": to.label}
                }
            )
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the stage is corrected.")})
        _check_date(locked, occurred_on, not_before=locked.raised_on)
        # The aspiration has really been at ``to`` since it last reached it (the later
        # record was wrong), so "days waiting" and the next move's earliest date count from
        # there; a stage never reached before counts from the correction.
        reached_on = (
            locked.events.filter(
                to_stage=to, kind__in=[EventKind.CREATED, EventKind.MOVE, EventKind.CARRY_OVER]
            )
            .order_by("-occurred_on", "-recorded_at", "-pk")
            .values_list("occurred_on", flat=True)
            .first()
        )
        event = AspirationEvent.objects.create(
            aspiration=locked,
            kind=EventKind.CORRECTION,
            from_stage=locked.stage,
            to_stage=to,
            occurred_on=occurred_on,
            recorded_by=actor,
            note=note,
            reason=reason,
        )
        if RANK[to] < RANK[Stage.BUDGETED]:
            locked.budget_outcomes.all().delete()
        elif RANK[to] < RANK[Stage.REALISED]:
            locked.budget_outcomes.update(realised_on=None, realised_amount=None, evidence="")
        locked.stage = to
        locked.stopped_at = ""
        locked.furthest_rank = RANK[to]
        locked.stage_changed_on = reached_on or occurred_on
        _save_stage(locked)
        _changed(locked.pk)
    aspiration.refresh_from_db()
    return event


def aspiration_delete(aspiration, *, actor):
    """Delete ``aspiration`` with its timeline, budget outcomes and attachments' rows (an
    administrator removing a duplicate or spam). ``actor`` is recorded as the history's
    user. Sends ``aspirations_will_change`` first, in the same transaction, so that figures
    derived from it leave with it."""
    with transaction.atomic():
        locked = _lock(aspiration)
        _will_change(locked.pk)
        locked._history_user = actor
        locked.delete()


def aspiration_set_public(aspiration, *, public, actor):
    """Show (``public=True``) or hide ``aspiration`` on the public tracker
    (``AspirationQuerySet.public``). The page asks the officer to confirm first; the change
    is kept in the aspiration's history. Raises ``ValidationError`` when asked to publish an
    aspiration about protection of women and children, which the tracker never shows.
    Returns ``aspiration``, saved."""
    if public and aspiration.topic.slug == PROTECTION_SLUG:
        raise ValidationError(
            _("Aspirations about protection of women and children are never made public.")
        )
    with transaction.atomic():
        locked = _lock(aspiration)
        locked.is_public = public
        locked._history_user = actor
        locked.save(update_fields=["is_public", "updated_at"])
    aspiration.refresh_from_db()
    return aspiration


def aspiration_link_duplicate(aspiration, *, same_as, actor, occurred_on=None):
    """Record that ``aspiration`` is the same need as ``same_as``: ``same_as`` (or the record
    it is itself a duplicate of) counts in the funnel and the money, ``aspiration`` stays on
    the list and records the extra channel (``AspirationQuerySet.counted``).

    Both must concern the same village. A note on ``aspiration``'s timeline, dated
    ``occurred_on`` (default: today in the group's zone, WITA or WIT), says which record it
    joins. Records that were duplicates of ``aspiration`` follow it to the one that counts.
    Raises ``ValidationError`` for an aspiration linked to itself or another village.
    Returns ``aspiration``, saved.
    """
    with transaction.atomic():
        locked = _lock(aspiration)
        target = same_as.duplicate_of or same_as
        if target.pk == locked.pk:
            raise ValidationError(_("An aspiration cannot be a duplicate of itself."))
        if target.village_id != locked.village_id:
            raise ValidationError(_("Only an aspiration of the same village can be the same need."))
        moved = [locked.pk, *locked.duplicates.values_list("pk", flat=True)]
        for pk in moved:
            _will_change(pk)
        Aspiration.objects.filter(pk__in=moved).update(duplicate_of=target)
        AspirationEvent.objects.create(
            aspiration=locked,
            kind=EventKind.NOTE,
            from_stage=locked.stage,
            to_stage=locked.stage,
            occurred_on=occurred_on or today_in(locked.group),
            recorded_by=actor,
            note=_("Same need as “%(title)s” (no. %(pk)s), raised again through %(channel)s.")
            % {"title": target.title, "pk": target.pk, "channel": locked.get_channel_display()},
        )
        for pk in moved:
            _changed(pk)
    aspiration.refresh_from_db()
    return aspiration


def aspiration_unlink_duplicate(aspiration, *, actor, occurred_on=None):
    """Undo ``aspiration_link_duplicate``: ``aspiration`` counts on its own again, with a
    note on its timeline (dated ``occurred_on``, default today in the group's zone).
    Returns ``aspiration``, saved; nothing changes for one that is not linked."""
    with transaction.atomic():
        locked = _lock(aspiration)
        if locked.duplicate_of_id is None:
            return aspiration
        _will_change(locked.pk)
        Aspiration.objects.filter(pk=locked.pk).update(duplicate_of=None)
        AspirationEvent.objects.create(
            aspiration=locked,
            kind=EventKind.NOTE,
            from_stage=locked.stage,
            to_stage=locked.stage,
            occurred_on=occurred_on or today_in(locked.group),
            recorded_by=actor,
            note=_("Counted on its own again: not the same need as no. %(pk)s.")
            % {"pk": locked.duplicate_of_id},
        )
        _changed(locked.pk)
    aspiration.refresh_from_db()
    return aspiration


def can_carry_over(aspiration):
    """Whether ``aspiration`` may be brought into next year's cycle (not accommodated, once)."""
    return aspiration.stage == Stage.NOT_ACCOMMODATED and not aspiration.carried_over_to.exists()


def aspiration_carry_over(aspiration, *, actor, occurred_on, note=""):
    """Bring a not-accommodated aspiration into next year's cycle as a new aspiration.

    The new aspiration copies ``CARRY_OVER_FIELDS``, starts at ``recorded`` on
    ``occurred_on`` with ``carried_over_from`` = the old one; both get a ``CARRY_OVER``
    event, and the old one keeps its stage and history. Refused (``ValidationError``) unless
    the old one is not accommodated and not yet carried over. Returns the new aspiration.
    """
    occurred_on = _as_date(occurred_on)
    with transaction.atomic():
        locked = _lock(aspiration)
        if not can_carry_over(locked):
            raise ValidationError(
                _("Only a not accommodated aspiration can be carried over, and only once.")
            )
        _check_date(locked, occurred_on, not_before=locked.stage_changed_on)
        successor = _create_recorded(
            **{name: getattr(locked, name) for name in CARRY_OVER_FIELDS},
            raised_on=occurred_on,
            carried_over_from=locked,
            recorded_by=actor,
        )
        AspirationEvent.objects.create(
            aspiration=locked,
            kind=EventKind.CARRY_OVER,
            from_stage=locked.stage,
            to_stage=locked.stage,
            occurred_on=occurred_on,
            recorded_by=actor,
            note=note,
        )
        AspirationEvent.objects.create(
            aspiration=successor,
            kind=EventKind.CARRY_OVER,
            to_stage=Stage.RECORDED,
            occurred_on=occurred_on,
            recorded_by=actor,
            note=note,
        )
        _changed(successor.pk)
    return successor


def response_target(aspiration, response):
    """The stage a reses response moves ``aspiration`` to, or ``None`` when it implies none.

    DESIGN.md: "taken into Pokir" → Pokir; "forwarded to an agency" → conveyed (if not
    already further); "answered on the spot" and "not taken up" move nothing. A response
    never moves an aspiration back or out of a closed stage.
    """
    implied = RESPONSE_STAGES.get(response)
    if implied is not None and implied in allowed_targets(aspiration):
        return implied
    return None


def aspiration_record_response(
    aspiration, *, response, actor, occurred_on, reses_meeting=None, note=""
):
    """Record a representative's reses response on ``aspiration``'s timeline.

    ``response`` is a ``ResesResponse`` value. Where it implies a stage
    (``response_target``) this is an ``aspiration_move`` with ``reses_meeting`` set;
    otherwise a ``RESPONSE`` event that keeps the stage. ``occurred_on`` follows the move
    rules (group's zone, not in the future). Sends ``aspiration_response_recorded`` in the
    same transaction. Raises ``ValidationError``; returns the event.
    """
    if response not in ResesResponse.values:
        raise ValidationError({"response": _("Choose a response from the list.")})
    target = response_target(aspiration, response)
    with transaction.atomic():
        if target is not None:
            event = aspiration_move(
                aspiration,
                to=target,
                actor=actor,
                occurred_on=occurred_on,
                note=note,
                reses_meeting=reses_meeting,
                response=response,
            )
        else:
            occurred_on = _as_date(occurred_on)
            locked = _lock(aspiration)
            _check_date(locked, occurred_on)
            event = AspirationEvent.objects.create(
                aspiration=locked,
                kind=EventKind.RESPONSE,
                from_stage=locked.stage,
                to_stage=locked.stage,
                occurred_on=occurred_on,
                recorded_by=actor,
                note=note,
                reses_meeting=reses_meeting,
                response=response,
            )
        aspiration_response_recorded.send(
            sender=Aspiration, aspiration_id=aspiration.pk, event_id=event.pk
        )
    return event
