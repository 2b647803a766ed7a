"""Home page: each role lands where its work is (issue 3).

An officer lands on their group: member counts, the latest aspirations and those that
wait (not moved for ``settings.STALE_ASPIRATION_DAYS`` days). A facilitator lands on the
groups of their regency. Programme and DPRD staff see the latest aspirations they may read.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone

from aspirations.models import Aspiration
from groups.models import ConstituentGroup
from kk_portal.scoping import Role
from members.models import Member, Sex

#: How many rows each home list shows.
LATEST = 5
WAITING = 10


def _count_per_group(queryset):
    """Subquery counting ``queryset``'s rows of the outer group (0 when none)."""
    counted = (
        queryset.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def member_counts(members):
    """``{"total", "women", "poor_women"}`` of the active members in ``members``."""
    women = Q(sex=Sex.FEMALE)
    return members.active().aggregate(
        total=Count("pk"),
        women=Count("pk", filter=women),
        poor_women=Count("pk", filter=women & Q(is_poor=True)),
    )


@login_required
def home(request):
    """The signed-in user's start page."""
    user = request.user
    context = {"stale_days": settings.STALE_ASPIRATION_DAYS}
    aspirations = Aspiration.objects.visible_to(user).select_related("village", "group")
    if user.role == Role.OFFICER and user.group_id:
        group = user.group
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(group.time_zone))
        waiting = aspirations.waiting(today).order_by("stage_changed_on", "pk")
        context.update(
            group=group,
            counts=member_counts(Member.objects.visible_to(user)),
            latest=aspirations[:LATEST],
            waiting=waiting[:WAITING],
            waiting_count=waiting.count(),
        )
        return render(request, "home.html", context)
    if user.role == Role.FACILITATOR and user.regency_id:
        today = timezone.localdate(timezone=zoneinfo.ZoneInfo(user.regency.time_zone))
        active = Member.objects.active()
        women = active.filter(sex=Sex.FEMALE)
        groups = (
            ConstituentGroup.objects.visible_to(user)
            .select_related("village")
            .annotate(
                members_total=_count_per_group(active),
                members_women=_count_per_group(women),
                members_poor_women=_count_per_group(women.filter(is_poor=True)),
                aspirations_total=_count_per_group(Aspiration.objects.all()),
                aspirations_waiting=_count_per_group(Aspiration.objects.waiting(today)),
            )
        )
        context.update(regency=user.regency, groups=groups)
        return render(request, "home.html", context)
    context.update(latest=aspirations[:LATEST])
    return render(request, "home.html", context)
