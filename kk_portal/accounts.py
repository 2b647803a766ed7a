"""Officer accounts: a facilitator (or an administrator) creates them, deactivates them when
the person leaves office and sets a new password when one is forgotten, without e-mail.

Who may manage which accounts is the ``"manage"`` write rule of ``kk_portal.models.
UserQuerySet`` (``kk_portal.permissions``): facilitators the officers of their regency's
groups, administrators every officer; ``"unlock"`` who may lift a lockout after failed
sign-ins (``kk_portal.lockout``).
"""

from axes.utils import reset


def officer_set_active(*, officer, active):
    """Activate or deactivate an officer account; a deactivated account cannot sign in and
    its open sessions stop working at their next request (Django's ``ModelBackend``)."""
    officer.is_active = active
    officer.save(update_fields=["is_active"])
    return officer


def account_unlock(*, user):
    """Lift the lockout of ``user``'s account after failed sign-ins: its failed attempts are
    forgotten, so the next sign-in is checked afresh. Returns the number of attempt records
    removed (0 when the account was not locked). A lockout of an address stays until it
    expires or an administrator removes it in the admin."""
    return reset(username=user.get_username())
