"""What an account may change, and the facilitator's management of officer accounts.

Reading follows ``kk_portal.scoping`` (``visible_to``). Writing group data (members,
aspirations, attachments) is narrower (DESIGN.md, "Who may see what"): officers write for
their own group, facilitators for the groups of their regency, administrators for all;
programme and DPRD staff only read. Officer accounts are created, deactivated and given a
new password by the facilitator of the group's regency, or by an administrator,
without e-mail.
"""

from django.contrib.auth import get_user_model

from kk_portal.scoping import Role


def _groups():
    """All ``ConstituentGroup`` rows, reached through ``User.group`` (the core imports no app)."""
    return get_user_model()._meta.get_field("group").related_model.objects.all()


#: Roles that write a group's members, aspirations and attachments.
WRITING_ROLES = (Role.OFFICER, Role.FACILITATOR, Role.ADMIN)


def groups_writable_by(user):
    """QuerySet of the ``ConstituentGroup`` rows ``user`` may write data for.

    Empty for anonymous users, programme staff and DPRD staff.
    """
    if not getattr(user, "is_authenticated", False):
        return _groups().none()
    if not (user.is_superuser or user.role in WRITING_ROLES):
        return _groups().none()
    return _groups().visible_to(user)


def can_manage_officers(user):
    """True for an active facilitator with a regency, and for an active administrator
    (role admin or superuser), who sees and manages everything (DESIGN.md, roles)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.role == Role.ADMIN:
        return True
    return user.role == Role.FACILITATOR and user.regency_id is not None


def officers_managed_by(user):
    """QuerySet of the officer accounts ``user`` manages: officers of the groups ``user``
    sees (a facilitator's regency; every group for an administrator).

    Empty unless ``can_manage_officers(user)``.
    """
    users = get_user_model().objects.select_related("group")
    if not can_manage_officers(user):
        return users.none()
    return users.filter(role=Role.OFFICER, group__in=_groups().visible_to(user)).order_by(
        "group__name", "username"
    )


def officer_set_active(*, officer, active):
    """Activate or deactivate an officer account; a deactivated account cannot sign in and
    its open sessions stop working at their next request (Django's ``ModelBackend``)."""
    officer.is_active = active
    officer.save(update_fields=["is_active"])
    return officer
