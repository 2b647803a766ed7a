"""Failed sign-ins limited per account and per address, with django-axes.

``settings.LOGIN_FAILURES_PER_ACCOUNT`` (5) failed sign-ins to one user name, or
``settings.LOGIN_FAILURES_PER_ADDRESS`` (20) from one address, within
``settings.LOGIN_LOCKOUT_MINUTES`` (15) lock that account or address for as long; the sign-in
page then says when to retry and who can unlock it. The address limit is higher because the
phones of a whole village may reach the site through one carrier address.

A facilitator unlocks the officers of their regency (the ``"unlock"`` rule of
``kk_portal.models.UserQuerySet``, ``kk_portal.accounts.account_unlock``); an administrator
any account there too, or any address in the admin (django-axes' "access attempts").
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from kk_portal.formats import format_time_in_zone
from kk_portal.zones import DEFAULT_ZONE


class AccountAndAddressHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one.

    Axes compares one failure count, the largest over ``AXES_LOCKOUT_PARAMETERS``
    (``["username", "ip_address"]``), with ``AXES_FAILURE_LIMIT`` (the account limit). The
    address's count is shifted down by the difference of the two limits, so that it reaches
    the account limit exactly at ``LOGIN_FAILURES_PER_ADDRESS`` failures.
    """

    def reset_user_attempts(self, request, credentials=None):
        """After a successful sign-in, forget the failures of that user name only. Axes
        would also forget every failure from the address, whatever the name: an attacker
        signing in to their own account between guesses would then clear the count of the
        account they are guessing."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count

    def get_failures(self, request, credentials=None):
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        shift = settings.LOGIN_FAILURES_PER_ADDRESS - settings.LOGIN_FAILURES_PER_ACCOUNT
        return max(by_account, by_address - shift)


def client_address(request):
    """The client's IP address: the connection's, or with ``settings.TRUSTED_PROXIES`` = n
    proxies in front, the n-th address from the right of ``X-Forwarded-For`` (the one the
    outermost trusted proxy saw; addresses left of it are the client's own claim)."""
    if settings.TRUSTED_PROXIES:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= settings.TRUSTED_PROXIES:
            return forwarded[-settings.TRUSTED_PROXIES]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (HTTP 429): locked since when, until when (in
    WITA, the default zone: the visitor is not signed in) and who can unlock it."""
    retry_at = timezone.now() + settings.AXES_COOLOFF_TIME
    return render(
        request,
        "registration/locked_out.html",
        {
            "retry_at": format_time_in_zone(retry_at, DEFAULT_ZONE),
            "minutes": settings.LOGIN_LOCKOUT_MINUTES,
            "account_limit": settings.LOGIN_FAILURES_PER_ACCOUNT,
            "address_limit": settings.LOGIN_FAILURES_PER_ADDRESS,
        },
        status=429,
    )


def locked_usernames(usernames):
    """The set of ``usernames`` locked now by their own failed sign-ins (not by their
    address): those with ``LOGIN_FAILURES_PER_ACCOUNT`` failures within the lockout time.
    One query."""
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(username__in=list(usernames), attempt_time__gte=since)
        .values("username")
        .annotate(total=Sum("failures_since_start"))
        .filter(total__gte=settings.LOGIN_FAILURES_PER_ACCOUNT)
    )
    return {row["username"] for row in rows}
