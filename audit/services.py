"""Writing the access log: the only code that adds ``AccessLog`` rows.

Called by the views that show a confidential case or export personal data, inside the
request that does it, so that a logged row and the data shown go together; and by the
receivers of Django's and django-axes' sign-in signals (``audit.signals``).
"""

from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from audit.models import AccessLog, Action
from kk_portal.lockout import client_address
from kk_portal.scoping import Role

#: List parameters that carry free text (a name or phone searched): logged as ``*``.
FREE_TEXT_FILTERS = ("q",)
#: Parameters that do not change which rows an export holds.
IGNORED_PARAMETERS = ("page", "format")


def filters_text(query, applied=None):
    """The filters of ``query`` (a ``QueryDict``) as the log keeps them.

    ``?kind=violence&q=Maria&page=2`` gives ``"kind=violence&q=*"``: a searched name or
    phone is personal data itself, so only the fact of a search is kept; empty values,
    the page and the format are left out, and so is any key not in ``applied`` (the names
    of the filters a ``FilterSet`` has) when it is given. Cut to the column's 500 characters.
    """
    pairs = []
    for key, values in sorted(query.lists()):
        if key in IGNORED_PARAMETERS or (applied is not None and key not in applied):
            continue
        for value in values:
            if value == "":
                continue
            pairs.append((key, "*" if key in FREE_TEXT_FILTERS else value))
    return urlencode(pairs, safe="*")[:500]


def scope_of(user):
    """``(group, regency, label)`` of the data ``user`` works on: an officer's group (and
    its regency), a facilitator's regency, or nothing and "all regions" for others."""
    if user.role == Role.OFFICER and user.group_id and not user.is_superuser:
        return user.group, user.group.regency, str(user.group)
    if user.role == Role.FACILITATOR and user.regency_id and not user.is_superuser:
        return None, user.regency, str(user.regency)
    return None, None, _("All regions")


#: The name the access log keeps for anonymisations made by the retention command.
RETENTION_USERNAME = "anonymise_departed"


def access_log_add(
    *,
    user,
    action,
    group=None,
    regency=None,
    object_id=None,
    rows=None,
    scope="",
    filters="",
    reason="",
    username=None,
    address=None,
):
    """Add one ``AccessLog`` row: ``user`` did ``action`` (an ``audit.models.Action``) now.

    ``group``/``regency`` are those of the data (they decide who reads the row);
    ``object_id`` the record viewed; ``rows`` the number of rows exported; ``scope`` and
    ``filters`` describe an export (see ``scope_of`` and ``filters_text``); ``reason`` why
    (an anonymisation). ``user`` is ``None`` for a failed sign-in to a user name no account
    has (``username`` then says what was typed) and for the retention command (logged by
    the name ``RETENTION_USERNAME``). ``address`` is the client's IP address. Returns the
    row.
    """
    if user is None:
        username, role = username or RETENTION_USERNAME, ""
    else:
        username = user.get_username()
        role = "admin" if user.is_superuser else user.role
    return AccessLog.objects.create(
        user=user,
        username=username[:150],
        role=role,
        action=action,
        group=group,
        regency=regency if regency is not None else getattr(group, "regency", None),
        object_id=object_id,
        rows=rows,
        scope=scope[:300],
        filters=filters,
        reason=reason[:300],
        address=address,
    )


def log_member_data(request, member, file_format):
    """Log that the request's user exported ``member``'s personal data for her, as
    ``file_format`` (``"json"`` or ``"pdf"``). Returns the ``AccessLog`` row."""
    return access_log_add(
        user=request.user,
        action=Action.MEMBER_DATA,
        group=member.group,
        object_id=member.pk,
        scope=str(member.group),
        filters=f"format={file_format}",
    )


def log_member_anonymised(user, member, reason):
    """Log that ``user`` (``None``: the retention command) anonymised ``member`` for
    ``reason`` (text). Returns the ``AccessLog`` row."""
    return access_log_add(
        user=user,
        action=Action.MEMBER_ANONYMISE,
        group=member.group,
        object_id=member.pk,
        scope=str(member.group),
        reason=reason,
    )


def log_export(request, action, rows, *, filterset):
    """Log an export of ``rows`` rows by the request's user, with their scope and the
    filters ``filterset`` (the bound ``django_filters.FilterSet`` of the export) applied —
    not other parameters of the request, which changed nothing. Returns the ``AccessLog``
    row."""
    filters = filters_text(filterset.data, applied=filterset.filters)
    group, regency, label = scope_of(request.user)
    return access_log_add(
        user=request.user,
        action=action,
        group=group,
        regency=regency,
        rows=rows,
        scope=label,
        filters=filters,
    )


def log_case_access(request, case, action):
    """Log that the request's user saw the confidential ``case`` (``action``: a view, a
    print, a document). Returns the ``AccessLog`` row."""
    return access_log_add(
        user=request.user,
        action=action,
        group=case.group,
        regency=case.group.regency,
        object_id=case.pk,
        scope=str(case.group),
    )


def log_case_data(request, case, file_format):
    """Log that the request's user exported the data of the person helped in ``case`` (not
    a member) for her, as ``file_format`` (``"json"`` or ``"pdf"``), whether the case is
    confidential or not. Returns the ``AccessLog`` row."""
    return access_log_add(
        user=request.user,
        action=Action.CASE_DATA,
        group=case.group,
        regency=case.group.regency,
        object_id=case.pk,
        scope=str(case.group),
        filters=f"format={file_format}",
    )


def _typed_username(credentials_or_name):
    """A user name as typed, safe to store: NUL and other control characters removed (they
    break PostgreSQL text and the log's page)."""
    name = credentials_or_name or ""
    return "".join(ch for ch in str(name) if ch.isprintable())[:150]


def log_sign_in(request, user, action):
    """Log ``action`` (an ``audit.models.SIGN_IN_ACTIONS`` one) of ``user`` through
    ``request``, with the user's scope (the facilitators of their group's regency, or of
    their own regency, read the row) and the client's address. Returns the ``AccessLog``
    row."""
    group, regency, label = scope_of(user)
    return access_log_add(
        user=user,
        action=action,
        group=group,
        regency=regency,
        scope=label,
        address=client_address(request) if request is not None else None,
    )


def log_sign_in_refused(request, username, action):
    """Log a failed sign-in or a lockout (``Action.SIGN_IN_FAILED``, ``Action.LOCKED_OUT``)
    for the user name typed: under its account's scope when one has it (its facilitators
    read the row), else for administrators only. Returns the ``AccessLog`` row."""
    typed = _typed_username(username)
    user = get_user_model()._default_manager.filter(username=typed).first() if typed else None
    if user is not None:
        return log_sign_in(request, user, action)
    return access_log_add(
        user=None,
        username=typed,
        action=action,
        address=client_address(request) if request is not None else None,
    )
