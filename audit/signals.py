"""Every sign-in, failed sign-in, lockout and backup code used goes into the access log.

Connected in ``AuditConfig.ready()`` to Django's ``user_logged_in`` and ``user_login_failed``
(which every sign-in page, the admin's included, sends through ``authenticate()``), to
django-axes' ``user_locked_out`` (``kk_portal.lockout``) and to
``kk_portal.signals.backup_code_used`` (``kk_portal.second_factor``). A sign-in refused because the
account is locked is both a failed sign-in and a lockout.
"""

from django.dispatch import receiver

from audit.models import Action
from audit.services import log_sign_in, log_sign_in_refused
from kk_portal.signals import backup_code_used


def on_signed_in(sender, request, user, **kwargs):
    """``user_logged_in``: log ``Action.SIGN_IN``."""
    log_sign_in(request, user, Action.SIGN_IN)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    """``user_login_failed``: log ``Action.SIGN_IN_FAILED`` for the user name typed."""
    log_sign_in_refused(request, credentials.get("username"), Action.SIGN_IN_FAILED)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    """django-axes' ``user_locked_out``: log ``Action.LOCKED_OUT`` for the user name."""
    log_sign_in_refused(request, username, Action.LOCKED_OUT)


@receiver(backup_code_used, dispatch_uid="audit_backup_code")
def on_backup_code_used(sender, request, user, **kwargs):
    """``kk_portal.signals.backup_code_used``: log ``Action.BACKUP_CODE``."""
    log_sign_in(request, user, Action.BACKUP_CODE)
