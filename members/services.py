"""Writes that keep a rule of members' officer terms and public roles."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.models import Member, OfficerTerm, PublicRole


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
