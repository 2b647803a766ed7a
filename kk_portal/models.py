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
