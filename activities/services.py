"""Writes of activities, their attendance, the budget groups obtain and the practices they
replicate: each checks its rule, then writes in one transaction."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from activities.models import (
    Activity,
    Attendance,
    BudgetAccess,
    PracticeAdoption,
    ReplicatedPractice,
)
from kk_portal.zones import today_in
from members.text import clean_name, fold_name


def activity_create(group, *, fields, groups=(), actor=None, submission_token=None):
    """Record an activity hosted by ``group``: ``fields`` are the model's own fields
    (``kind``, ``topic``, ``topic_text``, ``held_on``, ``place``, ``resource_person``,
    ``organiser``), ``groups`` the other groups taking part (the host always takes part).
    Returns the ``Activity``."""
    with transaction.atomic():
        activity = Activity.objects.create(
            group=group, created_by=actor, submission_token=submission_token, **fields
        )
        activity.groups.set({group, *groups})
    return activity


def activity_update(activity, *, fields, groups=()):
    """Change an activity's fields and the groups taking part (the host stays among them).
    Raises ``ValidationError`` when a group that is left out still has members on the
    attendance list."""
    keep = {activity.group_id, *(g.pk for g in groups)}
    listed = activity.attendance.filter(member__isnull=False).exclude(member__group__in=keep)
    if listed.exists():
        raise ValidationError(
            _("Members of a group you removed are on the attendance list; remove them first.")
        )
    with transaction.atomic():
        for name, value in fields.items():
            setattr(activity, name, value)
        activity.save()
        activity.groups.set(keep)
    return activity


def _check_held(activity):
    if activity.held_on > today_in(activity.group.regency):
        raise ValidationError(_("The activity has not taken place yet."))


def attendance_add_members(activity, *, members):
    """List ``members`` (members of groups taking part, not left) as present; members
    already listed are skipped, so a repeated submission adds nobody twice. Sex, poverty
    and disability are copied from each member. Returns the number added.

    Raises ``ValidationError`` for an activity still in the future (its host group's date)
    or a member of a group not taking part."""
    _check_held(activity)
    taking_part = set(activity.groups.values_list("pk", flat=True))
    if any(member.group_id not in taking_part for member in members):
        raise ValidationError(_("Only members of the groups taking part can be listed."))
    with transaction.atomic():
        listed = set(activity.attendance.values_list("member", flat=True))
        new = [
            Attendance(
                activity=activity,
                member=member,
                sex=member.sex,
                is_poor=member.is_poor,
                has_disability=member.has_disability,
            )
            for member in members
            if member.pk not in listed
        ]
        Attendance.objects.bulk_create(new)
    return len(new)


def attendance_add_guest(activity, *, full_name, sex, is_poor=False, has_disability=False):
    """List a non-member as present. Returns the ``Attendance``; raises
    ``ValidationError`` for a future activity, an empty name, or a non-member of the same
    name (``members.text.fold_name``) already listed."""
    _check_held(activity)
    name = clean_name(full_name)
    if not fold_name(name):
        raise ValidationError(_("Write the person's name."))
    try:
        with transaction.atomic():
            return Attendance.objects.create(
                activity=activity,
                full_name=name,
                sex=sex,
                is_poor=is_poor,
                has_disability=has_disability,
            )
    except IntegrityError:
        raise ValidationError(_("This person is already on the attendance list.")) from None


def attendance_remove(row):
    """Take one person off an activity's attendance list."""
    row.delete()


def budget_access_add(group, *, fields, submission_token=None):
    """Record money ``group`` obtained; ``fields`` are ``BudgetAccess``'s own fields
    (``source``, ``amount`` in Rupiah, ``year``, ``purpose``, ``description``, ``women``,
    ``men``). Returns the ``BudgetAccess``; raises ``ValidationError`` for an amount not
    above zero or a year outside 2000–2100."""
    row = BudgetAccess(group=group, submission_token=submission_token, **fields)
    row.full_clean(exclude=["group", "submission_token"])
    with transaction.atomic():
        row.save()
    return row


def practice_record(group, *, name, started_on, description="", submission_token=None):
    """Record a practice ``group`` started on ``started_on`` (a ``date``, the group's
    local day). Returns the ``ReplicatedPractice``; raises ``ValidationError`` for an empty
    name or a start after today (the group's zone)."""
    practice = ReplicatedPractice(
        group=group,
        name=" ".join(name.split()),
        description=description.strip(),
        started_on=started_on,
        submission_token=submission_token,
    )
    if started_on > today_in(group.regency):
        raise ValidationError({"started_on": _("The practice cannot start after today.")})
    practice.full_clean(exclude=["group", "submission_token"])
    with transaction.atomic():
        practice.save()
    return practice


def practice_adopt(practice, *, group, adopted_on, submission_token=None):
    """Record that ``group`` took up ``practice`` on ``adopted_on`` (a ``date``). Returns
    the ``PracticeAdoption``; raises ``ValidationError`` (keyed by field) when ``group``
    started the practice or took it up already, or the date is before the practice started
    or after today (the group's zone)."""
    if group.pk == practice.group_id:
        raise ValidationError({"group": _("This group started the practice.")})
    if adopted_on < practice.started_on:
        raise ValidationError(
            {
                "adopted_on": _("The practice started on %(day)s; write that day or later.")
                % {"day": practice.started_on.strftime("%d/%m/%Y")}
            }
        )
    if adopted_on > today_in(group.regency):
        raise ValidationError({"adopted_on": _("Write a day up to today.")})
    try:
        with transaction.atomic():
            return PracticeAdoption.objects.create(
                practice=practice,
                group=group,
                adopted_on=adopted_on,
                submission_token=submission_token,
            )
    except IntegrityError:
        if (
            submission_token
            and PracticeAdoption.objects.filter(submission_token=submission_token).exists()
        ):
            raise
        raise ValidationError(
            {"group": _("This group has already taken up the practice.")}
        ) from None
