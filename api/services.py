"""Making, revoking and checking API tokens."""

import secrets

from django.db import transaction
from django.utils import timezone

from api.models import SECRET_PREFIX, ApiToken, secret_hash

#: Characters of the secret kept in clear (``SECRET_PREFIX`` and a few more) to tell tokens apart.
PREFIX_LENGTH = 8


def api_token_create(user, *, name):
    """Make a token for ``user`` named ``name``; returns ``(token, secret)``.

    The secret (``kk_`` and 43 URL-safe characters, 256 random bits) is returned only here:
    the database keeps its SHA-256 (``secret_hash``), so the page shows it once.
    """
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, key_hash=secret_hash(secret), prefix=secret[:PREFIX_LENGTH]
        )
    return token, secret


def api_token_revoke(token):
    """Revoke ``token`` now (its requests answer 401 from then on); revoking again keeps the
    first time."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked__isnull=True).update(revoked=timezone.now())
        token.refresh_from_db(fields=["revoked"])


def api_token_authenticate(secret):
    """The active ``ApiToken`` whose secret is ``secret``, its user active, with
    ``last_used`` set to now; ``None`` for an unknown, revoked or deactivated one."""
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=secret_hash(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    token.last_used = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used=token.last_used)
    return token
