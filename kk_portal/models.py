"""Users of KK Portal and the scope each one works in."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kk_portal.scoping import Role


class User(AbstractUser):
    """A person who signs in, with one role and the object that scopes it.

    An officer belongs to one ``ConstituentGroup``, a facilitator to one ``Regency``, DPRD
    staff to one ``Representative``; programme staff and administrators need none.
    """

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.OFFICER)
    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("group"),
    )
    regency = models.ForeignKey(
        "groups.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facilitators",
        verbose_name=_("regency"),
    )
    representative = models.ForeignKey(
        "reses.Representative",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("representative"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.OFFICER) | Q(group__isnull=False) | Q(is_superuser=True),
                name="user_officer_has_group",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.FACILITATOR) | Q(regency__isnull=False),
                name="user_facilitator_has_regency",
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.DPRD) | Q(representative__isnull=False),
                name="user_dprd_has_representative",
            ),
        ]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    def clean(self):
        super().clean()
        needs = {
            Role.OFFICER: ("group", _("An officer must belong to a group.")),
            Role.FACILITATOR: ("regency", _("A facilitator must have a regency.")),
            Role.DPRD: ("representative", _("DPRD staff must work for a representative.")),
        }
        if self.role in needs and not self.is_superuser:
            field, message = needs[self.role]
            if getattr(self, f"{field}_id") is None:
                raise ValidationError({field: message})

    @property
    def time_zone(self):
        """IANA zone the user works in: their group's or regency's, else WITA (the default)."""
        if self.group_id:
            return self.group.time_zone
        if self.regency_id:
            return self.regency.time_zone
        if self.representative_id and self.representative.district.regency_id:
            return self.representative.district.regency.time_zone
        return "Asia/Makassar"


def aspiration_summary_columns():
    """Names of the count columns of ``AspirationSummary``, in order: the funnel steps, the
    two closing stages, the beneficiaries (``benefit_<key>``, ``none`` = no one named) and
    the closed rows by stop (``stop_<closing stage>_<stopped-at stage or none>``).

    ``kk_portal.summaries.COLUMNS`` gives each its condition (``kk_portal.dashboards``)."""
    from aspirations.stages import CLOSED, FORWARD, FUNNEL_STEPS

    names = [key for key, _label, _rank in FUNNEL_STEPS]
    names += [stage.value for stage in CLOSED]
    names += [f"benefit_{key}" for key in ("women", "men", "poor", "disability", "none")]
    names += [
        f"stop_{stage.value}_{stopped}"
        for stage in CLOSED
        for stopped in [*(s.value for s in FORWARD), "none"]
    ]
    return names


class AspirationSummary(models.Model):
    """Counts of aspirations per cell, kept in step by ``kk_portal.summaries`` (issue 6).

    A cell is a ``grain`` (which dimensions it keeps) and its key: the regency of the
    village concerned (``0`` = all regencies), topic, urusan (``0`` = none, or all), channel
    (``""`` = all) and the year raised (``0`` = all years). Grains: ``region`` (regency ×
    topic × urusan × year: funnel, topic, urusan, beneficiaries and regions), ``region_all``
    (the same over all years), ``channel`` (topic × urusan × channel × year over the whole
    country) and ``region_channel`` (regency × topic × channel × year). Two million
    aspirations fit in about 270,000 cells, and a national dashboard without a period reads
    the 500 of ``channel`` plus the 5,000 of ``region_all``.
    """

    grain = models.CharField(max_length=14)
    regency_id = models.IntegerField()
    topic_id = models.IntegerField()
    urusan_id = models.IntegerField()
    channel = models.CharField(max_length=14)
    year = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "regency_id", "topic_id", "urusan_id", "channel", "year"],
                name="aspiration_summary_cell",
            )
        ]

    def __str__(self):
        return f"{self.grain} {self.regency_id}/{self.topic_id}/{self.urusan_id}/{self.channel}"


for _column in aspiration_summary_columns():
    AspirationSummary.add_to_class(_column, models.IntegerField(default=0))


class MoneySummary(models.Model):
    """Budget outcomes per regency (of the aspiration's village), topic and fiscal year:
    Rupiah budgeted and realised, and how many outcomes; kept by ``kk_portal.summaries``.

    ``fiscal_year`` 0 holds all years. Not by source of funds: the dashboard does not cut
    by it, and without it 360,000 outcomes fit in about 40,000 cells (5,000 for all
    years)."""

    regency_id = models.IntegerField()
    topic_id = models.IntegerField()
    fiscal_year = models.SmallIntegerField()
    budgeted = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    realised = models.DecimalField(max_digits=24, decimal_places=2, default=0)
    outcomes = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["regency_id", "topic_id", "fiscal_year"], name="money_summary_cell"
            )
        ]

    def __str__(self):
        return f"{self.regency_id}/{self.topic_id}/{self.fiscal_year}"
