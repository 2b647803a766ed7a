"""Users of KK Portal and the scope each one works in."""

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kk_portal.permissions import Rule, acting_role
from kk_portal.scoping import Role, ScopedQuerySet
from kk_portal.zones import DEFAULT_ZONE


def _officers_with_group(user):
    return Q(role=Role.OFFICER, group__isnull=False)


class UserQuerySet(ScopedQuerySet):
    """Accounts a user may see (DESIGN.md, "user accounts"): a facilitator the officers of
    their regency's groups, administrators every account; no one else any."""

    programme_sees_all = False
    write_rules = {
        # Create, deactivate and give a new password to officer accounts, without e-mail.
        "manage": Rule(
            Role.FACILITATOR,
            Role.ADMIN,
            where={Role.FACILITATOR: _officers_with_group, Role.ADMIN: _officers_with_group},
        ),
        # Lift a lockout after failed sign-ins (``kk_portal.lockout``): a facilitator the
        # officers of their regency, an administrator any account.
        "unlock": Rule(
            Role.FACILITATOR, Role.ADMIN, where={Role.FACILITATOR: _officers_with_group}
        ),
    }

    def officer_q(self, group_id):
        return None

    def facilitator_q(self, regency_id):
        return Q(role=Role.OFFICER, group__village__subdistrict__regency=regency_id)


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    """Django's user manager with the scoped ``UserQuerySet``."""


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

    phone = models.CharField(
        _("mobile phone"),
        max_length=16,
        blank=True,
        help_text=_("For reminders by SMS or WhatsApp; written as +62…."),
    )

    objects = UserManager()

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
    def second_factor_required(self):
        """Whether the user must sign in with a TOTP code after the password: programme
        staff and administrators, who see every region (DESIGN.md, "Who may see what").
        Others may turn it on from their account page; once on, it is asked of them too
        (``kk_portal.second_factor``)."""
        return acting_role(self) in {Role.PROGRAMME, Role.ADMIN}

    @property
    def time_zone(self):
        """IANA zone the user works in: their group's or regency's, else WITA (the default)."""
        if self.group_id:
            return self.group.time_zone
        if self.regency_id:
            return self.regency.time_zone
        if self.representative_id and self.representative.district.regency_id:
            return self.representative.district.regency.time_zone
        return DEFAULT_ZONE
