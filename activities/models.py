"""The groups' own work: capacity-building activities with per-person attendance, the
budget the groups obtain and the practices they replicate.

Attendance is personal data like members' (DESIGN.md, "Who may see what"): the groups'
officers and their regency's facilitators see it, programme and DPRD staff see aggregates
only. Counts by sex, poverty and disability are always counted from ``Attendance`` rows, so
they are never typed twice.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aspirations.models import MONEY
from groups.models import Village
from kk_portal.permissions import GROUP_WRITERS, Rule
from kk_portal.scoping import Role, ScopedQuerySet
from members.models import Sex
from members.text import fold_name

#: The first day an activity or budget can be recorded for (the programme began in 2014);
#: the forms and the import check it.
EARLIEST = datetime.date(2000, 1, 1)


class ActivityKind(models.TextChoices):
    DISCUSSION = "discussion", _("discussion")
    TRAINING = "training", _("training")
    STUDY_VISIT = "study_visit", _("comparative study visit")
    OTHER = "other", _("other")


class ActivityTopic(models.TextChoices):
    """The topics of the seed article's capacity building; ``OTHER`` takes free text."""

    WOMENS_RIGHTS = "womens_rights", _("women's rights")
    HUMAN_RIGHTS = "human_rights", _("human rights")
    ORGANISING = "organising", _("organising")
    CASE_HANDLING = "case_handling", _("case handling")
    PUBLIC_SERVICES = "public_services", _("public services")
    VILLAGE_PLANNING = "village_planning", _("village planning and budgeting")
    OTHER = "other", _("other topic")


class ActivityQuerySet(ScopedQuerySet):
    """Officers see the activities their group hosts or takes part in; facilitators those
    hosted in their regency; programme and DPRD staff none (aggregates on the dashboard)."""

    regency_path = "group__village__subdistrict__regency"
    programme_sees_all = False
    write_rules = {
        #: "change": edit the activity and record its attendance: the host group's writers.
        "change": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.OFFICER: lambda user: Q(group=user.group_id)},
        ),
    }

    def officer_q(self, group_id):
        taking_part = Activity.groups.through.objects.filter(constituentgroup=group_id)
        return Q(group=group_id) | Q(pk__in=taking_part.values("activity"))


class Activity(models.Model):
    """A discussion, training or study visit held by ``group`` (the host) on ``held_on``
    (the host group's local date), with ``groups`` taking part (the host among them)."""

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="hosted_activities",
        verbose_name=_("host group"),
    )
    groups = models.ManyToManyField(
        "groups.ConstituentGroup",
        related_name="activities",
        verbose_name=_("groups taking part"),
        blank=True,
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ActivityKind.choices)
    topic = models.CharField(_("topic"), max_length=20, choices=ActivityTopic.choices)
    topic_text = models.CharField(
        _("topic in words"),
        max_length=200,
        blank=True,
        help_text=_("What was discussed, in a few words."),
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=150)
    resource_person = models.CharField(
        _("facilitator or resource person"), max_length=150, blank=True
    )
    organiser = models.CharField(_("organiser"), max_length=150, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["held_on"], name="activity_held_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(topic__in=ActivityTopic.values), name="activity_topic_valid"
            ),
            models.CheckConstraint(
                condition=~Q(topic="other") | ~Q(topic_text=""),
                name="activity_other_topic_in_words",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.topic_label} ({self.held_on:%d/%m/%Y})"

    def get_absolute_url(self):
        return reverse("activities:detail", args=[self.pk])

    @property
    def topic_label(self):
        """The topic as shown: the free text for "other", else the list's label."""
        if self.topic == ActivityTopic.OTHER:
            return self.topic_text
        return self.get_topic_display()


class AttendanceQuerySet(ScopedQuerySet):
    """Who attended is personal data: as the activity, without programme and DPRD staff."""

    regency_path = "activity__group__village__subdistrict__regency"
    programme_sees_all = False
    write_rules = {
        #: "change": remove an attendance row: the writers of the activity.
        "change": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.OFFICER: lambda user: Q(activity__group=user.group_id)},
        ),
    }

    def officer_q(self, group_id):
        seen = Activity.objects.filter(Activity.objects.none().officer_q(group_id))
        return Q(activity__in=seen.values("pk"))

    def by_name(self):
        """These rows in order of name: the member's, or the non-member's."""
        return self.order_by(
            Coalesce(NullIf("name_folded", Value("")), "member__name_folded"), "pk"
        )

    def counts(self):
        """``{"total", "women", "men", "poor", "disability"}`` of these rows, one query."""
        return self.aggregate(
            total=models.Count("pk"),
            women=models.Count("pk", filter=Q(sex=Sex.FEMALE)),
            men=models.Count("pk", filter=Q(sex=Sex.MALE)),
            poor=models.Count("pk", filter=Q(is_poor=True)),
            disability=models.Count("pk", filter=Q(has_disability=True)),
        )


class Attendance(models.Model):
    """One person at one activity: a ``member`` of a group taking part, or a non-member
    with a ``full_name``. Sex, poverty and disability are copied from the member when the
    attendance is recorded (``activities.services.attendance_add_members``), so the counts
    of past activities stay as they were. A person is listed once per activity (unique
    member, or unique folded name among the non-members)."""

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("activity")
    )
    member = models.ForeignKey(
        "members.Member",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendance",
        verbose_name=_("member"),
    )
    # Non-members only: a member's name is read from the member, so anonymising them
    # removes it here too.
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    name_folded = models.CharField(max_length=150, editable=False, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    is_poor = models.BooleanField(_("poor"), default=False)
    has_disability = models.BooleanField(_("has a disability"), default=False)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["name_folded", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "member"],
                condition=Q(member__isnull=False),
                name="attendance_member_once",
            ),
            models.UniqueConstraint(
                fields=["activity", "name_folded"],
                condition=Q(member__isnull=True),
                name="attendance_guest_once",
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | ~Q(name_folded=""),
                name="attendance_guest_has_name",
            ),
            models.CheckConstraint(condition=Q(sex__in=["F", "M"]), name="attendance_sex_valid"),
        ]

    def __str__(self):
        return str(self.member) if self.member_id else self.full_name

    def save(self, *args, **kwargs):
        # The folded name is what "listed once" compares: it must follow the name.
        self.name_folded = fold_name(self.full_name)
        super().save(*args, **kwargs)


class BudgetSource(models.TextChoices):
    APBDES = "apbdes", _("village budget (APBDes)")
    APBD = "apbd", _("regional budget (APBD)")
    CSR = "csr", _("company (CSR)")
    OTHER = "other", _("other")


class BudgetPurpose(models.TextChoices):
    ECONOMIC = "economic", _("economic activity")
    NATURAL_FARMING = "natural_farming", _("natural farming")
    SAVINGS = "savings", _("savings and loans")
    OTHER = "other", _("other")


class BudgetAccessQuerySet(ScopedQuerySet):
    """Money a group obtained is no personal data: every role sees it as it sees groups."""

    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    write_rules = {"change": GROUP_WRITERS}

    def dprd_q(self, representative_id):
        return Q(group__village__in=Village.objects.represented_by(representative_id))


class BudgetAccess(models.Model):
    """Money ``group`` obtained in ``year`` from ``source`` for ``purpose``: ``amount`` in
    Rupiah (typed through ``aspirations.money.MoneyField``), benefiting ``women`` and ``men``
    (people)."""

    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="budget_access",
        verbose_name=_("group"),
    )
    source = models.CharField(_("source"), max_length=8, choices=BudgetSource.choices)
    amount = models.DecimalField(_("amount (Rupiah)"), **MONEY)
    year = models.PositiveSmallIntegerField(_("year"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=BudgetPurpose.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    women = models.PositiveIntegerField(_("women benefiting"), default=0)
    men = models.PositiveIntegerField(_("men benefiting"), default=0)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = BudgetAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("budget access")
        verbose_name_plural = _("budget access")
        ordering = ["-year", "-pk"]
        indexes = [
            # The budget-access list's sorts (``activities.views.BUDGET_SORT_KEYS``).
            models.Index(fields=["year", "id"], name="budget_sort_year"),
            models.Index(fields=["amount", "id"], name="budget_sort_amount"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_access_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="budget_access_year"
            ),
            models.CheckConstraint(
                condition=Q(source__in=BudgetSource.values), name="budget_access_source_valid"
            ),
            models.CheckConstraint(
                condition=Q(purpose__in=BudgetPurpose.values),
                name="budget_access_purpose_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_source_display()} {self.year}: {self.group}"

    @property
    def beneficiaries(self):
        return self.women + self.men


class ReplicatedPracticeQuerySet(ScopedQuerySet):
    """A practice is no personal data: it is seen as the group that started it is, and by
    the officers and facilitators of the groups that took it up."""

    group_path = "group"
    regency_path = "group__village__subdistrict__regency"
    write_rules = {
        #: "change": edit the practice: the writers of the group that started it.
        "change": Rule(
            Role.OFFICER,
            Role.FACILITATOR,
            Role.ADMIN,
            where={
                Role.OFFICER: lambda user: Q(group=user.group_id),
                Role.FACILITATOR: lambda user: Q(
                    group__village__subdistrict__regency=user.regency_id
                ),
            },
        ),
    }

    def officer_q(self, group_id):
        return Q(group=group_id) | Q(pk__in=_adopted_by(Q(group=group_id)))

    def facilitator_q(self, regency_id):
        return Q(group__village__subdistrict__regency=regency_id) | Q(
            pk__in=_adopted_by(Q(group__village__subdistrict__regency=regency_id))
        )

    def dprd_q(self, representative_id):
        return Q(group__village__in=Village.objects.represented_by(representative_id))


def _adopted_by(condition):
    return PracticeAdoption.objects.filter(condition).values("practice")


class ReplicatedPractice(models.Model):
    """A practice ``group`` started on ``started_on`` (its local date) — natural farming, a
    savings and loans circle, a village health post practice — that other groups take up
    (``PracticeAdoption``)."""

    name = models.CharField(_("practice"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="started_practices",
        verbose_name=_("group that started it"),
    )
    started_on = models.DateField(_("started on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ReplicatedPracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("replicated practice")
        verbose_name_plural = _("replicated practices")
        ordering = ["-started_on", "-pk"]
        indexes = [
            # The practice list's sorts (``activities.views.PRACTICE_SORT_KEYS``).
            models.Index(fields=["started_on", "id"], name="practice_sort_started"),
            models.Index(fields=["name", "id"], name="practice_sort_name"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("activities:practice_detail", args=[self.pk])


class PracticeAdoption(models.Model):
    """``group`` took up ``practice`` on ``adopted_on`` (its local date, not before the
    practice started: ``activities.services.practice_adopt``); once per group."""

    practice = models.ForeignKey(
        ReplicatedPractice,
        on_delete=models.CASCADE,
        related_name="adoptions",
        verbose_name=_("practice"),
    )
    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        related_name="adopted_practices",
        verbose_name=_("group that took it up"),
    )
    adopted_on = models.DateField(_("taken up on"))
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("practice taken up")
        verbose_name_plural = _("practices taken up")
        ordering = ["adopted_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "group"], name="practice_adopted_once"),
        ]

    def __str__(self):
        return f"{self.practice}: {self.group}"
