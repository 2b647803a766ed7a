"""Writes that keep a rule of members: anonymisation (on request and after the retention
period), officer terms and public roles."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import log_member_anonymised
from members.models import Member, OfficerTerm, PublicRole


def member_anonymise(member, *, user, reason):
    """Erase ``member``'s personal data at her request or on withdrawn consent
    (``Member.anonymise``; UU PDP 27/2022 art. 8 and 9), by ``user``, and keep ``reason``
    (text) in the access log, not in the member's row. Returns the ``AccessLog`` row.

    Raises ``ValidationError`` when the member is already anonymised or no reason is given.
    """
    reason = (reason or "").strip()
    if member.is_anonymised:
        raise ValidationError(_("This member has already been anonymised."))
    if not reason:
        raise ValidationError(_("Write why the member's data is erased."))
    with transaction.atomic():
        member.anonymise()
        return log_member_anonymised(user, member, reason)


#: Members read at once by ``members_anonymise_departed``.
RETENTION_BATCH = 500


def members_anonymise_departed(today, *, days=None, dry_run=False):
    """Anonymise the members who left more than ``days`` days (default
    ``settings.MEMBER_RETENTION_DAYS``) before the ``date`` ``today`` and are not yet
    anonymised; each is written to the access log with the retention period as the reason.
    Returns how many members were (or, with ``dry_run``, would be) anonymised; running it
    again the same day finds none.

    The retention rule of UU PDP 27/2022: processing ends when the retention period is
    reached (Pasal 42(1)(a)), and data no longer needed for its purpose is erased (Pasal
    43(1)(a)) or, its retention over, destroyed (Pasal 44(1)(a)). The member's
    sex, poverty, disability, position and dates stay, so past years' counts stay right.
    """
    days = settings.MEMBER_RETENTION_DAYS if days is None else days
    cutoff = today - datetime.timedelta(days=days)
    departed = Member.objects.filter(left_on__lt=cutoff, anonymised_at__isnull=True)
    if dry_run:
        return departed.count()
    reason = _("Retention period ended: left more than %(days)d days ago.") % {"days": days}
    # The ids first: rows are written while the list is read, which an open cursor on
    # SQLite would not survive.
    pks = list(departed.values_list("pk", flat=True))
    rows = Member.objects.select_related("group__village__subdistrict__regency")
    for start in range(0, len(pks), RETENTION_BATCH):
        for member in rows.filter(pk__in=pks[start : start + RETENTION_BATCH]):
            with transaction.atomic():
                member.anonymise()
                log_member_anonymised(None, member, reason)
    return len(pks)


def officer_term_start(group, *, member, position, started_on):
    """Make ``member`` the group's ``position`` (an ``OfficerTerm.Position``) from the date
    ``started_on``: the open term of that position ends the day before (or on the day when
    it started that day), and the member's ``position`` follows. Returns the new
    ``OfficerTerm``.

    Raises ``ValidationError`` when the member is not in ``group`` or the open term started
    after ``started_on`` (terms of one position do not overlap).
    """
    if member.group_id != group.pk:
        raise ValidationError(_("The officer must be a member of the group."))
    with transaction.atomic():
        current = (
            OfficerTerm.objects.select_for_update()
            .filter(group=group, position=position, ended_on__isnull=True)
            .first()
        )
        if current is not None:
            if current.started_on > started_on:
                raise ValidationError(
                    _("The current term began on %(day)s, after this start.")
                    % {"day": current.started_on.isoformat()}
                )
            current.ended_on = max(current.started_on, started_on - datetime.timedelta(days=1))
            current.save(update_fields=["ended_on"])
            if current.member_id != member.pk:
                Member.objects.filter(pk=current.member_id, position=position).update(
                    position=Member.Position.MEMBER
                )
        term = OfficerTerm.objects.create(
            group=group, member=member, position=position, started_on=started_on
        )
        Member.objects.filter(pk=member.pk).update(position=position)
    return term


def officer_term_end(term, *, ended_on):
    """End the open ``term`` on the date ``ended_on``; the member becomes an ordinary member
    again. Raises ``ValidationError`` for an end before the start or a term already ended."""
    if term.ended_on is not None:
        raise ValidationError(_("This term has already ended."))
    if ended_on < term.started_on:
        raise ValidationError(_("The end date is before the start date."))
    with transaction.atomic():
        term.ended_on = ended_on
        term.save(update_fields=["ended_on"])
        Member.objects.filter(pk=term.member_id, position=term.position).update(
            position=Member.Position.MEMBER
        )
    return term


def public_role_add(member, *, fields, submission_token=None):
    """Record a public role of ``member``; ``fields`` are ``PublicRole``'s own fields
    (``kind``, ``description``, ``party``, ``election_year``, ``result``, ``started_on``,
    ``ended_on``). Returns the ``PublicRole``; raises ``ValidationError`` for an end before
    the start or a candidacy without party or election year."""
    role = PublicRole(member=member, submission_token=submission_token, **fields)
    role.full_clean(exclude=["member", "submission_token"])
    with transaction.atomic():
        role.save()
    return role
