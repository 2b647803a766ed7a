"""API tokens: one secret per other system a user connects, kept only as its SHA-256."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kk_portal.permissions import Rule
from kk_portal.scoping import Role, ScopedQuerySet

#: The start of every secret, so that a leaked one is recognisable in logs and code.
SECRET_PREFIX = "kk_"


def secret_hash(secret):
    """The hex SHA-256 of a token's secret (64 characters), the only form stored.

    A random secret of 256 bits needs no salt or slow hash: nothing can be guessed from it.
    """
    return hashlib.sha256(secret.encode()).hexdigest()


class ApiTokenQuerySet(ScopedQuerySet):
    """A user sees and revokes their own tokens; administrators see and revoke all."""

    write_rules = {
        "revoke": Rule(Role.OFFICER, Role.FACILITATOR, Role.PROGRAMME, Role.DPRD, Role.ADMIN),
    }

    def scope_q(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        if user.is_superuser or user.role == Role.ADMIN:
            return Q()
        return Q(user=user.pk)

    def active(self):
        """Tokens not revoked."""
        return self.filter(revoked__isnull=True)


class ApiToken(models.Model):
    """A token a user made for another system; its requests act as that user
    (``Authorization: Bearer <secret>``), with exactly the user's read scope."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(_("key hash (SHA-256)"), max_length=64, unique=True, editable=False)
    #: The first characters of the secret, shown in the list to tell tokens apart.
    prefix = models.CharField(_("starts with"), max_length=12, editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked__isnull=True) | Q(revoked__gte=models.F("created")),
                name="api_token_revoked_after_created",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
