"""Write functions for cases of assistance: the only code that changes a case's state.

Each function checks its rule, then writes the case and its ``CaseStep`` in one transaction,
with the case row locked (``_lock``). Errors are ``ValidationError`` with English gettext
messages saying what to fix, keyed by the form field they concern where there is one. Who
may call them is decided before, by the ``write_rules`` of ``AssistanceCaseQuerySet``
(``kk_portal.permissions``).

Rules:

- Dates are real-world dates in the group's time zone (WITA, or WIT in Kota Ambon): not in
  the future there, not before the case was opened, and a case is not opened before 2014,
  when the programme's first groups were formed (BaKTI article in ``../shared/seed/``).
- Consent: a person is recorded only with their consent, or their guardian's, dated. Without
  it, and after it is withdrawn, the case keeps only its kind, month and village
  (``case_withdraw_consent``); its steps, documents and edit history go.
- A case of violence is confidential and has at least one handling officer of its group; a
  confidential case stays confidential whatever its need becomes.
- A closed case takes no step until it is reopened (``case_reopen``), with a reason.
"""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspirations.attachments import store_upload
from assistance.models import (
    KIND_OF_NEED,
    AgeGroup,
    AssistanceCase,
    CaseDocument,
    CaseStep,
    ConsentBy,
    Kind,
    Need,
    Outcome,
    Service,
    Status,
    StepKind,
)
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from members.text import clean_name, fold_name, normalise_phone

#: No case is opened before the programme's first groups were formed, in 2014.
OPENED_ON_FLOOR = datetime.date(2014, 1, 1)
#: A follow-up is planned at most this many days ahead.
FOLLOW_UP_MAX_DAYS = 366
#: The consent rule, as the pages that record a person without this form quote it (the
#: spreadsheet import of cases refuses a row without consent with these words).
CONSENT_RULE = gettext_lazy(
    "A person is recorded only with their consent, or a parent's or guardian's, dated."
)
#: Fields of the person, kept only with consent.
PERSON_FIELDS = (
    "person_name",
    "person_sex",
    "person_age_group",
    "person_phone",
    "person_is_poor",
    "person_has_disability",
)
#: Fields ``case_update`` may change.
EDITABLE_FIELDS = (*PERSON_FIELDS, "person_village", "need", "description")
#: Outcomes a case may be closed with.
CLOSING_OUTCOMES = (Outcome.OBTAINED, Outcome.REFUSED, Outcome.REFERRED, Outcome.STOPPED)


def age_group_for(birth_year, on):
    """The ``AgeGroup`` of someone born in ``birth_year`` (an ``int`` or ``None``) on the
    date ``on``; ``NOT_FILLED`` when the year is unknown or gives no plausible age."""
    if birth_year is None:
        return AgeGroup.NOT_FILLED
    age = on.year - birth_year
    for group, low, high in (
        (AgeGroup.UNDER_18, 0, 17),
        (AgeGroup.AGE_18_29, 18, 29),
        (AgeGroup.AGE_30_44, 30, 44),
        (AgeGroup.AGE_45_59, 45, 59),
        (AgeGroup.AGE_60_PLUS, 60, 130),
    ):
        if low <= age <= high:
            return group
    return AgeGroup.NOT_FILLED


def handler_candidates(group):
    """The accounts that may handle a case of ``group``: its active officers."""
    return (
        get_user_model()
        .objects.filter(role=Role.OFFICER, group=group, is_active=True)
        .order_by("first_name", "username")
    )


def _check_not_future(group, value, field, message):
    if value is not None and value > today_in(group):
        raise ValidationError({field: message})


def _check_opened_on(group, opened_on):
    if opened_on is None:
        raise ValidationError({"opened_on": _("Enter the date the case was opened.")})
    _check_not_future(group, opened_on, "opened_on", _("The date cannot be in the future."))
    if opened_on < OPENED_ON_FLOOR:
        raise ValidationError(
            {
                "opened_on": _(
                    "The date cannot be before %(date)s, when the programme's first groups "
                    "were formed."
                )
                % {"date": date_format(OPENED_ON_FLOOR, "j F Y")}
            }
        )


def _check_handlers(group, handlers, *, confidential):
    handlers = list(handlers)
    allowed = set(handler_candidates(group).values_list("pk", flat=True))
    if any(user.pk not in allowed for user in handlers):
        raise ValidationError(
            {"handlers": _("Handling officers must be active officers of the case's group.")}
        )
    if confidential and not handlers:
        raise ValidationError(
            {"handlers": _("A confidential case needs at least one handling officer.")}
        )
    return handlers


def _person_from_member(member, opened_on):
    return {
        "person_name": "",
        "person_phone": "",
        "person_sex": member.sex,
        "person_age_group": age_group_for(member.birth_year, opened_on),
        "person_is_poor": member.is_poor,
        "person_has_disability": member.has_disability,
    }


def _clean_person(person):
    """The person's fields as stored: the name as typed (trimmed), the phone as +62…."""
    person = dict(person)
    if "person_name" in person:
        person["person_name"] = clean_name(person["person_name"])
    if "person_phone" in person:
        try:
            person["person_phone"] = normalise_phone(person["person_phone"])
        except ValidationError as error:
            raise ValidationError({"person_phone": error.messages}) from None
    return person


def case_open(
    *,
    group,
    actor,
    need,
    opened_on,
    person_village,
    consent_given_on=None,
    consent_by="",
    member=None,
    description="",
    confidential=False,
    handlers=(),
    submission_token=None,
    **person,
):
    """Open a case of ``group`` for a ``member`` of it or a person entered for the case.

    ``person`` holds the ``PERSON_FIELDS`` of someone who is not a member (a name and sex
    are needed); for a member they are taken from the member. ``need`` is a ``Need`` (the
    kind follows); ``person_village`` must lie in the group's subdistrict. With
    ``consent_given_on`` (a date, not in the future) and ``consent_by`` the case is
    recorded in full with its first step; without consent only an anonymous count is kept:
    kind, month (``opened_on`` becomes the month's first day) and village, closed at once.
    A case of violence is confidential and needs ``handlers`` (active officers of the
    group; an officer who opens it is one). A repeated ``submission_token`` returns the case
    already made. Raises ``ValidationError``; returns ``(case, created)``.
    """
    if submission_token is not None:
        existing = AssistanceCase.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing, False
    try:
        kind = KIND_OF_NEED[Need(need)]
    except ValueError:
        raise ValidationError({"need": _("Choose what is needed from the list.")}) from None
    _check_opened_on(group, opened_on)
    if person_village is None or person_village.subdistrict_id != group.village.subdistrict_id:
        raise ValidationError({"person_village": _("Choose a village in the group's subdistrict.")})
    if member is not None and member.group_id != group.pk:
        raise ValidationError({"member": _("Choose a member of the case's group.")})
    confidential = bool(confidential) or kind == Kind.VIOLENCE
    anonymous = consent_given_on is None
    handlers = list(handlers)
    if (
        getattr(actor, "role", None) == Role.OFFICER
        and actor.group_id == group.pk
        and actor not in handlers
        and (confidential or not handlers)
    ):
        handlers.append(actor)
    # An anonymous count names no one, so it needs no one to handle it.
    handlers = _check_handlers(group, handlers, confidential=confidential and not anonymous)
    fields = {
        "group": group,
        "kind": kind,
        "need": need,
        "confidential": confidential,
        "person_village": person_village,
        "recorded_by": actor,
        "submission_token": submission_token,
    }
    if anonymous:
        month = opened_on.replace(day=1)
        fields.update(
            opened_on=month,
            status=Status.CLOSED,
            closed_on=month,
            anonymised_at=timezone.now(),
        )
    else:
        _check_not_future(
            group,
            consent_given_on,
            "consent_given_on",
            _("The date of consent cannot be in the future."),
        )
        if consent_by not in ConsentBy.values:
            raise ValidationError({"consent_by": _("Say who gave consent.")})
        if member is not None:
            person = _person_from_member(member, opened_on)
        else:
            person = _clean_person(person)
            if not person.get("person_name"):
                raise ValidationError({"person_name": _("Enter the name of the person helped.")})
            if not person.get("person_sex"):
                raise ValidationError({"person_sex": _("Choose the sex of the person helped.")})
        fields.update(
            person,
            member=member,
            person_name_folded=fold_name(person.get("person_name", "")),
            description=description.strip(),
            opened_on=opened_on,
            consent_given_on=consent_given_on,
            consent_by=consent_by,
        )
    with transaction.atomic():
        case = AssistanceCase(**fields)
        case._history_user = actor
        case.save()
        case.handlers.set(handlers)
        if not anonymous:
            CaseStep.objects.create(
                case=case, kind=StepKind.OPENED, occurred_on=opened_on, recorded_by=actor
            )
    return case, True


def _lock(case):
    """Re-read ``case`` locked for update (with its group's regency, for the zone).

    Call inside ``transaction.atomic()``: the row the checks read is the row then changed.
    """
    return (
        AssistanceCase.objects.select_for_update()
        .select_related("group__village__subdistrict__regency")
        .get(pk=case.pk)
    )


def _check_recordable(case, *, closed_ok=False):
    if case.is_anonymous:
        raise ValidationError(_("This case is anonymous: nothing more is recorded on it."))
    if not closed_ok and case.status == Status.CLOSED:
        raise ValidationError(_("This case is closed: reopen it first."))


def _check_date(case, occurred_on, field="occurred_on"):
    """Refuse a missing date, one in the future (group's zone) or before the case opened."""
    if occurred_on is None:
        raise ValidationError({field: _("Enter the date on which it happened.")})
    _check_not_future(case.group, occurred_on, field, _("The date cannot be in the future."))
    if occurred_on < case.opened_on:
        raise ValidationError(
            {
                field: _("The date cannot be before the case was opened (%(date)s).")
                % {"date": date_format(case.opened_on, "j F Y")}
            }
        )


def _check_service(service, *, required=True):
    if not service:
        if required:
            raise ValidationError({"service": _("Choose the service reached.")})
        return ""
    if service not in Service.values:
        raise ValidationError({"service": _("Choose the service reached from the list.")})
    return service


def _check_follow_up(occurred_on, follow_up_on, *, required):
    if follow_up_on is None:
        if required:
            raise ValidationError({"follow_up_on": _("Enter the date to follow the case up.")})
        return
    if occurred_on is not None and follow_up_on < occurred_on:
        raise ValidationError(
            {"follow_up_on": _("The follow-up cannot be before the date of this step.")}
        )
    if occurred_on is not None and (follow_up_on - occurred_on).days > FOLLOW_UP_MAX_DAYS:
        raise ValidationError({"follow_up_on": _("Plan the follow-up within a year.")})


def _write_step(case, kind, *, actor, occurred_on, **fields):
    return CaseStep.objects.create(
        case=case, kind=kind, occurred_on=occurred_on, recorded_by=actor, **fields
    )


def _save(case, actor, *names):
    # The edit history names the actor also outside a request (commands, the demo).
    case._history_user = actor
    case.save(update_fields=[*names, "updated_at"])


def _progress_step(case, kind, *, actor, occurred_on, service, note):
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        service = _check_service(service)
        step = _write_step(
            locked, kind, actor=actor, occurred_on=occurred_on, service=service, note=note.strip()
        )
    case.refresh_from_db()
    return step


def case_accompany(case, *, actor, occurred_on, service, note=""):
    """Record that the person was accompanied to ``service`` (a ``Service``) on
    ``occurred_on``. Raises ``ValidationError``; returns the ``CaseStep``."""
    return _progress_step(
        case, StepKind.ACCOMPANIED, actor=actor, occurred_on=occurred_on, service=service, note=note
    )


def case_submit(case, *, actor, occurred_on, service, note=""):
    """Record that the document or application was submitted to ``service`` on
    ``occurred_on``. Raises ``ValidationError``; returns the ``CaseStep``."""
    return _progress_step(
        case, StepKind.SUBMITTED, actor=actor, occurred_on=occurred_on, service=service, note=note
    )


def case_refer(case, *, actor, occurred_on, service, contact, follow_up_on, note=""):
    """Record the referral of the case to ``service`` on ``occurred_on``, with the
    ``contact`` there (name and phone, as typed) and the date to follow it up
    (``follow_up_on``, within a year), which becomes the case's next follow-up.
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        service = _check_service(service)
        if not contact.strip():
            raise ValidationError({"contact": _("Enter the contact at the service.")})
        _check_follow_up(occurred_on, follow_up_on, required=True)
        step = _write_step(
            locked,
            StepKind.REFERRED,
            actor=actor,
            occurred_on=occurred_on,
            service=service,
            contact=contact.strip(),
            follow_up_on=follow_up_on,
            note=note.strip(),
        )
        locked.follow_up_on = follow_up_on
        _save(locked, actor, "follow_up_on")
    case.refresh_from_db()
    return step


def case_follow_up(case, *, actor, occurred_on, note, next_follow_up_on=None, service=""):
    """Record a follow-up of the case on ``occurred_on`` (``note`` says what was learnt)
    and set the next follow-up date (``None``: none planned).
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        service = _check_service(service, required=False)
        if not note.strip():
            raise ValidationError({"note": _("Say what the follow-up found.")})
        _check_follow_up(occurred_on, next_follow_up_on, required=False)
        step = _write_step(
            locked,
            StepKind.FOLLOWED_UP,
            actor=actor,
            occurred_on=occurred_on,
            service=service,
            follow_up_on=next_follow_up_on,
            note=note.strip(),
        )
        locked.follow_up_on = next_follow_up_on
        _save(locked, actor, "follow_up_on")
    case.refresh_from_db()
    return step


def case_obtain(case, *, actor, occurred_on, service, note=""):
    """Record that what was needed was obtained from ``service`` on ``occurred_on`` (the
    card, the document, the place at school); the case's outcome becomes ``obtained``.
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        service = _check_service(service)
        step = _write_step(
            locked,
            StepKind.OBTAINED,
            actor=actor,
            occurred_on=occurred_on,
            service=service,
            outcome=Outcome.OBTAINED,
            note=note.strip(),
        )
        locked.outcome = Outcome.OBTAINED
        _save(locked, actor, "outcome")
    case.refresh_from_db()
    return step


def case_refuse(case, *, actor, occurred_on, service, reason):
    """Record that ``service`` refused on ``occurred_on``, and why (``reason``); the case's
    outcome becomes ``refused`` and it stays open (the group may try again).
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        service = _check_service(service)
        if not reason.strip():
            raise ValidationError({"note": _("Say why it was refused.")})
        step = _write_step(
            locked,
            StepKind.REFUSED,
            actor=actor,
            occurred_on=occurred_on,
            service=service,
            outcome=Outcome.REFUSED,
            note=reason.strip(),
        )
        locked.outcome = Outcome.REFUSED
        _save(locked, actor, "outcome")
    case.refresh_from_db()
    return step


def case_close(case, *, actor, occurred_on, outcome="", note=""):
    """Close the case on ``occurred_on`` with ``outcome`` (one of ``CLOSING_OUTCOMES``;
    blank keeps the outcome already recorded, if any); no follow-up stays planned.
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked)
        _check_date(locked, occurred_on)
        outcome = outcome or locked.outcome
        if outcome not in CLOSING_OUTCOMES:
            raise ValidationError({"outcome": _("Choose the outcome of the case.")})
        step = _write_step(
            locked,
            StepKind.CLOSED,
            actor=actor,
            occurred_on=occurred_on,
            outcome=outcome,
            note=note.strip(),
        )
        locked.status = Status.CLOSED
        locked.closed_on = occurred_on
        locked.outcome = outcome
        locked.follow_up_on = None
        _save(locked, actor, "status", "closed_on", "outcome", "follow_up_on")
    case.refresh_from_db()
    return step


def case_reopen(case, *, actor, occurred_on, reason):
    """Reopen a closed case on ``occurred_on`` (not before it was closed), saying why; its
    outcome is cleared. Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked, closed_ok=True)
        if locked.status != Status.CLOSED:
            raise ValidationError(_("Only a closed case can be reopened."))
        _check_date(locked, occurred_on)
        if occurred_on < locked.closed_on:
            raise ValidationError(
                {"occurred_on": _("The date cannot be before the case was closed.")}
            )
        if not reason.strip():
            raise ValidationError({"note": _("Say why the case is reopened.")})
        step = _write_step(
            locked, StepKind.REOPENED, actor=actor, occurred_on=occurred_on, note=reason.strip()
        )
        locked.status = Status.OPEN
        locked.closed_on = None
        locked.outcome = Outcome.NONE
        _save(locked, actor, "status", "closed_on", "outcome")
    case.refresh_from_db()
    return step


def case_set_handlers(case, *, actor, handlers, occurred_on):
    """Name the officers who handle the case (active officers of its group; at least one
    for a confidential case). The step's note lists them by account.
    Raises ``ValidationError``; returns the ``CaseStep``."""
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked, closed_ok=True)
        _check_date(locked, occurred_on)
        handlers = _check_handlers(locked.group, handlers, confidential=locked.confidential)
        locked.handlers.set(handlers)
        step = _write_step(
            locked,
            StepKind.HANDLERS,
            actor=actor,
            occurred_on=occurred_on,
            note=", ".join(sorted(str(user) for user in handlers)),
        )
    case.refresh_from_db()
    return step


def case_update(case, *, actor, **fields):
    """Change the case's own fields (``EDITABLE_FIELDS``); the edit history keeps who
    changed what. A need of violence makes the case confidential (it then needs a handling
    officer); a confidential case stays confidential. A member's case takes the person's
    details from the member. Raises ``ValidationError``; returns the case."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked, closed_ok=True)
        if locked.member_id:
            for name in PERSON_FIELDS:
                fields.pop(name, None)
        fields = _clean_person(fields)
        if "need" in fields:
            try:
                fields["kind"] = KIND_OF_NEED[Need(fields["need"])]
            except ValueError:
                raise ValidationError({"need": _("Choose what is needed from the list.")}) from None
            if fields["kind"] == Kind.VIOLENCE:
                fields["confidential"] = True
                _check_handlers(locked.group, locked.handlers.all(), confidential=True)
        village = fields.get("person_village")
        if village is not None and village.subdistrict_id != locked.group.village.subdistrict_id:
            raise ValidationError(
                {"person_village": _("Choose a village in the group's subdistrict.")}
            )
        if not locked.member_id and "person_name" in fields and not fields["person_name"]:
            raise ValidationError({"person_name": _("Enter the name of the person helped.")})
        if "description" in fields:
            fields["description"] = fields["description"].strip()
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.person_name_folded = fold_name(locked.person_name)
        locked._history_user = actor
        locked.save()
    case.refresh_from_db()
    return case


def case_withdraw_consent(case, *, actor, occurred_on):
    """The person (or guardian) withdrew consent on ``occurred_on``: anonymise the case.

    Kept: group, kind, need, village, the month opened, the outcome and the handling
    officers (so the case still counts and its handlers see it was anonymised). Removed:
    the person's details and the member link, the description, every step and document
    (files included) and the edit history; one ``ANONYMISED`` step records the withdrawal.
    The case is closed. Raises ``ValidationError``; returns the ``CaseStep``.
    """
    with transaction.atomic():
        locked = _lock(case)
        _check_recordable(locked, closed_ok=True)
        _check_date(locked, occurred_on)
        for document in locked.documents.all():
            document.file.delete(save=False)
            if document.thumbnail:
                document.thumbnail.delete(save=False)
        locked.documents.all().delete()
        locked.steps.all().delete()
        # The edit history holds the old names and texts: it goes with them.
        locked.history.all().delete()
        month = locked.opened_on.replace(day=1)
        locked.member = None
        locked.person_name = ""
        locked.person_name_folded = ""
        locked.person_sex = ""
        locked.person_age_group = AgeGroup.NOT_FILLED
        locked.person_phone = ""
        locked.person_is_poor = False
        locked.person_has_disability = False
        locked.description = ""
        locked.opened_on = month
        locked.status = Status.CLOSED
        locked.closed_on = month
        locked.follow_up_on = None
        locked.consent_given_on = None
        locked.consent_by = ""
        locked.anonymised_at = timezone.now()
        locked._history_user = actor
        locked.save()
        step = _write_step(locked, StepKind.ANONYMISED, actor=actor, occurred_on=occurred_on)
    case.refresh_from_db()
    return step


def case_document_add(case, *, actor, upload, step=None):
    """Keep one checked ``upload`` (``aspirations.attachments.check_upload``) with
    ``case``, optionally tied to one of its ``step``s. Raises ``ValidationError`` on an
    anonymous case; returns the ``CaseDocument``."""
    _check_recordable(case, closed_ok=True)
    if step is not None and step.case_id != case.pk:
        raise ValidationError(_("The step belongs to another case."))
    document = CaseDocument(case=case, step=step, uploaded_by=actor)
    store_upload(document, upload)
    document.save()
    return document
