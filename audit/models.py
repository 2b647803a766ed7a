"""The access log: who saw a confidential case, who downloaded personal data, and every
sign-in, failed sign-in and lockout (``audit.signals``).

Rows are only ever added (``audit.services.access_log_add``), in the request that showed or
exported the data; nothing in the product changes or deletes them (the admin is read only).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kk_portal.scoping import ScopedQuerySet


class Action(models.TextChoices):
    CASE_VIEW = "case_view", _("viewed a confidential case")
    CASE_PRINT = "case_print", _("printed a confidential case")
    CASE_DOCUMENT = "case_document", _("opened a document of a confidential case")
    CASE_EXPORT = "case_export", _("exported cases of assistance")
    MEMBER_EXPORT = "member_export", _("exported members")
    ATTENDANCE_EXPORT = "attend_export", _("exported an attendance list")
    MEMBER_DATA = "member_data", _("exported a member's personal data for them")
    CASE_DATA = "case_data", _("exported an assisted person's data for them")
    MEMBER_ANONYMISE = "member_anon", _("anonymised a member")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("failed to sign in")
    LOCKED_OUT = "locked_out", _("was locked out after failed sign-ins")
    BACKUP_CODE = "backup_code", _("signed in with a backup code")


#: The actions whose ``object_id`` is a case of assistance, and those whose is a member.
CASE_ACTIONS = (Action.CASE_VIEW, Action.CASE_PRINT, Action.CASE_DOCUMENT, Action.CASE_DATA)
MEMBER_ACTIONS = (Action.MEMBER_DATA, Action.MEMBER_ANONYMISE)
#: The actions about signing in, as opposed to seeing or exporting data.
SIGN_IN_ACTIONS = (Action.SIGN_IN, Action.SIGN_IN_FAILED, Action.LOCKED_OUT, Action.BACKUP_CODE)


class AccessLogQuerySet(ScopedQuerySet):
    """Facilitators read their regency's rows, administrators all; nobody else any."""

    regency_path = "regency"
    programme_sees_all = False

    def officer_q(self, group_id):
        return None

    def data_access(self):
        """The rows of views and exports of personal data (no sign-ins)."""
        return self.exclude(action__in=SIGN_IN_ACTIONS)

    def sign_ins(self):
        """The rows of sign-ins, failed sign-ins and lockouts."""
        return self.filter(action__in=SIGN_IN_ACTIONS)


class AccessLog(models.Model):
    """One view of a confidential case, one export of personal data, or one sign-in, failed
    sign-in or lockout.

    ``user`` did ``action`` at ``at`` (stored in UTC, shown in the reader's zone). The
    ``regency`` (and ``group``, where one) of the data decides who may read the row; for an
    export, ``scope`` says in words what the user's scope was, ``filters`` the list's
    filters (free-text searches masked) and ``rows`` how many rows the file held. ``object_id``
    is the case's id for a view, the member's for a member's data or anonymisation, whose
    ``reason`` is kept here. ``username`` and ``role`` are copied so the row keeps its
    meaning if the account changes. For a sign-in, ``address`` is the client's IP address;
    a failed sign-in keeps the user name as typed, with ``user`` empty when no account has
    it.
    """

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("user name"), max_length=150)
    role = models.CharField(_("role"), max_length=12)
    action = models.CharField(_("what"), max_length=16, choices=Action.choices)
    object_id = models.PositiveBigIntegerField(_("record"), null=True, blank=True)
    group = models.ForeignKey(
        "groups.ConstituentGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
    )
    regency = models.ForeignKey(
        "groups.Regency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency"),
    )
    scope = models.CharField(_("scope"), max_length=300, blank=True)
    filters = models.CharField(_("filters"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    # Why a member was anonymised: kept here, since the member's row keeps nothing of her.
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-pk"]
        indexes = [
            # The facilitator's log page: their regency, newest first.
            models.Index(fields=["regency", "-at"], name="access_log_regency_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=Action.values), name="access_log_action_valid"
            )
        ]

    def __str__(self):
        return f"{self.username} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"

    @property
    def case_pk(self):
        """The id of the case of assistance the entry is about, or ``None``."""
        return self.object_id if self.action in CASE_ACTIONS else None

    @property
    def member_pk(self):
        """The id of the member the entry is about, or ``None``."""
        return self.object_id if self.action in MEMBER_ACTIONS else None
