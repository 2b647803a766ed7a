"""Each user's choice of how reminders reach them, and the log of what was sent.

A reminder goes to a user once per period: ``Delivery`` has one row per user, kind and key
(the ISO week of a digest, the meeting, the response's event, the case and its follow-up
date), under a unique constraint, so a second run of ``send_reminders`` or a second worker
sends nothing again (``notifications/tasks.py``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kk_portal.scoping import ScopedQuerySet


class Channel(models.TextChoices):
    """How a user's reminders reach them."""

    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    OFF = "off", _("no reminders")


#: Channels that go through the SMS gateway (``notifications.gateways``), to ``User.phone``.
PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


class Kind(models.TextChoices):
    """What a reminder is about (DESIGN.md, "Reach")."""

    DIGEST = "digest", _("weekly digest of waiting aspirations")
    MEETING = "meeting", _("reses meeting in 3 days")
    RESPONSE = "response", _("reses response recorded")
    FOLLOW_UP = "follow_up", _("case follow-up due")


class OwnRowsQuerySet(ScopedQuerySet):
    """Each user sees their own rows; administrators every row (``ScopedQuerySet``)."""

    programme_sees_all = False

    def scope_q(self, user):
        q = super().scope_q(user)
        if q == Q():
            return q
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        return Q(user=user.pk)


class Preference(models.Model):
    """How ``user`` wants reminders: a ``Channel`` and a language. A user without a row
    gets them by e-mail in Indonesian (``preference_for``)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    channel = models.CharField(
        _("send reminders by"), max_length=10, choices=Channel.choices, default=Channel.EMAIL
    )
    language = models.CharField(
        _("language of the reminders"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = OwnRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="preference_known_channel"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_channel_display()}"


def preference_for(user):
    """``user``'s ``Preference``, unsaved with the defaults (e-mail, Indonesian) if none."""
    try:
        return user.notification_preference
    except Preference.DoesNotExist:
        return Preference(user=user)


class Delivery(models.Model):
    """One reminder sent to one user: what (``kind``, ``key``), how (``channel``, the
    address or number), the text and when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_deliveries",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    key = models.CharField(
        _("period or object"),
        max_length=40,
        help_text=_("The ISO week of a digest, or the meeting, event or case and date."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("sent to"), max_length=254)
    text = models.TextField(_("text"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    objects = OwnRowsQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification sent")
        verbose_name_plural = _("notifications sent")
        ordering = ["-sent_at", "-pk"]
        constraints = [
            # Once per period: a second run or a second worker cannot send it again.
            models.UniqueConstraint(fields=["user", "kind", "key"], name="delivery_once"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.key} → {self.user}"
