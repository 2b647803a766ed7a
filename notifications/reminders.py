"""Who gets which reminder today: what ``manage.py send_reminders`` queues each day.

``due_reminders(now)`` lists ``Reminder(user_id, kind, key, object_id)`` tuples, one per
recipient and thing to tell, leaving out users who switched reminders off and reminders
already in ``Delivery``. Each date is the recipient's, or the meeting's or case's, in its
zone (``kk_portal.zones``):

- the weekly digest: officers and facilitators with an aspiration they see
  (``Aspiration.objects.visible_to``) waiting longer than ``STALE_ASPIRATION_DAYS``
  (``AspirationQuerySet.waiting``, the home page's rule), keyed by ISO week (``2026-W49``),
  so the first daily run of a week sends it;
- a reses meeting 3 days ahead (the meeting's local date): officers, facilitators and DPRD
  staff who see it (``ResesMeeting.objects.visible_to``), keyed by the meeting;
- a case's follow-up due today or in the last ``FOLLOW_UP_CATCH_UP_DAYS`` days (a missed
  run catches up): the officers named on the case as its handlers, keyed by case and date,
  so a new follow-up date is told again.

Responses recorded at a reses are told at once, not here (``notifications.receivers``).
"""

import datetime
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from aspirations.models import Aspiration
from assistance.models import AssistanceCase
from kk_portal.scoping import Role
from kk_portal.zones import local_date
from notifications.models import Channel, Delivery, Kind, Preference
from reses.models import ResesMeeting

#: Who gets the weekly digest, and the reminder of a reses meeting in their scope.
DIGEST_ROLES = (Role.OFFICER, Role.FACILITATOR)
MEETING_ROLES = (Role.OFFICER, Role.FACILITATOR, Role.DPRD)
#: Days before the meeting's local date on which it is announced.
MEETING_NOTICE_DAYS = 3
#: A follow-up date this many days past is still told when no run told it yet.
FOLLOW_UP_CATCH_UP_DAYS = 7


class Reminder(NamedTuple):
    """One message to queue: the recipient's id, a ``Kind``, the ``Delivery.key`` and the
    row it is about (``None`` for a digest)."""

    user_id: int
    kind: str
    key: str
    object_id: int | None


def iso_week(day):
    """``"2026-W49"``: the ISO year and week of ``day``, a digest's period."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def recipients(roles):
    """Active users of ``roles`` who have not switched reminders off, with their places."""
    switched_off = Preference.objects.filter(channel=Channel.OFF).values("user")
    return (
        get_user_model()
        .objects.filter(is_active=True, role__in=roles)
        .exclude(pk__in=switched_off)
        .select_related(
            "group__village__subdistrict__regency__province",
            "regency__province",
            "representative__district__regency__province",
        )
        .order_by("pk")
    )


def _digests(now):
    for user in recipients(DIGEST_ROLES):
        today = local_date(now, user)
        if Aspiration.objects.visible_to(user).waiting(today).exists():
            yield Reminder(user.pk, Kind.DIGEST, iso_week(today), None)


def _meetings(now):
    soon = ResesMeeting.objects.filter(
        starts_at__gte=now + datetime.timedelta(days=MEETING_NOTICE_DAYS - 1),
        starts_at__lt=now + datetime.timedelta(days=MEETING_NOTICE_DAYS + 1),
    ).select_related("village__subdistrict__regency__province")
    due = [
        meeting.pk
        for meeting in soon
        if local_date(meeting.starts_at, meeting)
        == local_date(now, meeting) + datetime.timedelta(days=MEETING_NOTICE_DAYS)
    ]
    if not due:
        return
    for user in recipients(MEETING_ROLES):
        for pk in (
            ResesMeeting.objects.visible_to(user).filter(pk__in=due).values_list("pk", flat=True)
        ):
            yield Reminder(user.pk, Kind.MEETING, f"meeting:{pk}", pk)


def _follow_ups(now):
    server_day = timezone.localdate(now)
    cases = (
        AssistanceCase.objects.open()
        .filter(
            follow_up_on__gt=server_day - datetime.timedelta(days=FOLLOW_UP_CATCH_UP_DAYS + 1),
            follow_up_on__lte=server_day + datetime.timedelta(days=1),
        )
        .select_related("group__village__subdistrict__regency__province")
        .prefetch_related("handlers")
    )
    handlers = {user.pk for user in recipients((Role.OFFICER,))}
    for case in cases:
        today = local_date(now, case.group)
        if (
            not today - datetime.timedelta(days=FOLLOW_UP_CATCH_UP_DAYS)
            <= case.follow_up_on
            <= today
        ):
            continue
        for user in case.handlers.all():
            if user.pk in handlers:
                key = f"case:{case.pk}:{case.follow_up_on.isoformat()}"
                yield Reminder(user.pk, Kind.FOLLOW_UP, key, case.pk)


def due_reminders(now=None):
    """The ``Reminder`` list to queue at ``now`` (an aware datetime, default now): digests,
    meetings, follow-ups, without those already sent (``Delivery``)."""
    now = now or timezone.now()
    found = [*_digests(now), *_meetings(now), *_follow_ups(now)]
    if not found:
        return []
    sent = set(
        Delivery.objects.filter(
            Q(key__in={reminder.key for reminder in found}),
            user__in={reminder.user_id for reminder in found},
        ).values_list("user", "kind", "key")
    )
    return [r for r in found if (r.user_id, r.kind, r.key) not in sent]
