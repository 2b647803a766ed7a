"""Every sign-in, failed sign-in and lockout goes into the access log.

Connected in ``AuditConfig.ready()`` to Django's ``user_logged_in`` and ``user_login_failed``
(which every sign-in page, the admin's included, sends through ``authenticate()``) and to
django-axes' ``user_locked_out`` (``kk_portal.lockout``). A sign-in refused because the
account is locked is both a failed sign-in and a lockout.
"""

from audit.models import Action
from audit.services import log_sign_in, log_sign_in_refused


def on_signed_in(sender, request, user, **kwargs):
    """``user_logged_in``: log ``Action.SIGN_IN``."""
    log_sign_in(request, user, Action.SIGN_IN)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """``user_login_failed``: log ``Action.SIGN_IN_FAILED`` for the user name typed."""
    log_sign_in_refused(request, credentials.get("username"), Action.SIGN_IN_FAILED)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    """django-axes' ``user_locked_out``: log ``Action.LOCKED_OUT`` for the user name."""
    log_sign_in_refused(request, username, Action.LOCKED_OUT)
