"""Write permissions: the one place that answers "may this user do this to this row".

Reading is ``kk_portal.scoping``: ``Model.objects.visible_to(user)``. Writing is narrower
(DESIGN.md, "Who may see what") and is declared beside the read scope, on each model's
``ScopedQuerySet``, as ``write_rules``: a dict from an action name to a ``Rule``::

    class MemberQuerySet(ScopedQuerySet):
        group_path = "group"
        write_rules = {"change": GROUP_WRITERS}

A ``Rule`` names the roles that may do the action. Each of them may do it to the rows it
sees, narrowed for some roles by ``where``; everyone else may not. Rules need no import of
other apps: ``where`` receives the user and returns a ``Q`` over the model's own fields and
relations. This module knows no model; it only evaluates the rules:

- ``can(user, action, target)``: ``target`` is a row (may ``user`` do ``action`` to it?) or a
  model class (may ``user`` do ``action`` at all, e.g. create one?); ``True``/``False``;
- ``writable(user, action, model_or_queryset)``: the rows ``user`` may do ``action`` to, a
  QuerySet (empty for none);
- ``get_writable_or_404(model_or_queryset, user, action, *, readers_get=404, **lookup)``:
  the one row of ``lookup`` for an edit view; ``Http404`` when the row is missing or outside
  the user's read scope, and, for a row the user sees but may not change, ``Http404`` too
  or ``PermissionDenied`` (403) with ``readers_get=403``;
- templates: ``{% load kk %}{% can "change" aspiration as may_change %}`` (``kk_portal.
  templatetags.kk``).

The action ``"view"`` needs no declaration: it is the read scope itself (``can(user, "view",
Member)`` is true for the roles that see members' rows).
"""

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Q
from django.http import Http404

from kk_portal.scoping import Role, get_visible_or_404


def acting_role(user):
    """The role a user acts in: ``Role.ADMIN`` for a superuser whatever their role field,
    else their role; ``None`` for anonymous and deactivated users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return Role.ADMIN if user.is_superuser else user.role


class Rule:
    """Who may do one action to the rows of one model.

    ``roles`` are ``Role`` values; each may act on the rows it sees (``visible_to``).
    ``where`` maps some of those roles to a callable ``where[role](user) -> Q`` that narrows
    the rows further, e.g. ``{Role.OFFICER: lambda user: Q(level__in=…)}``.
    """

    def __init__(self, *roles, where=None):
        self.roles = frozenset(roles)
        self.where = dict(where or {})
        unknown = set(self.where) - self.roles
        if unknown:
            raise ImproperlyConfigured(f"Rule narrows roles it does not allow: {unknown}.")

    def q(self, queryset, user):
        """The ``Q`` of the rows of ``queryset`` that ``user`` may act on: ``Q()`` for all of
        them, ``None`` for none."""
        role = acting_role(user)
        if role not in self.roles:
            return None
        scope = queryset.scope_q(user)
        if scope is None:
            return None
        narrow = self.where.get(role)
        return scope & narrow(user) if narrow else scope

    def __repr__(self):
        return f"Rule({', '.join(sorted(self.roles))})"


#: Rows of a group (the group itself, its members, aspirations and their attachments) are
#: written by its officers, the facilitators of its regency and administrators; programme
#: and DPRD staff only read them (DESIGN.md, "Who may see what").
GROUP_WRITERS = Rule(Role.OFFICER, Role.FACILITATOR, Role.ADMIN)
#: The read scope as a rule: the built-in action ``"view"``.
VIEW = Rule(*Role.values)


def _queryset(model_or_queryset):
    if isinstance(model_or_queryset, str):
        model_or_queryset = apps.get_model(model_or_queryset)
    return getattr(model_or_queryset, "_default_manager", model_or_queryset).all()


def rule_for(queryset, action):
    """The ``Rule`` ``queryset``'s model declares for ``action``; raises
    ``ImproperlyConfigured`` saying where to declare a missing one."""
    if action == "view":
        return VIEW
    rules = getattr(queryset, "write_rules", None) or {}
    if action not in rules:
        model = queryset.model
        raise ImproperlyConfigured(
            f"{model._meta.label} has no write rule {action!r}: declare it in "
            f"write_rules of its QuerySet ({type(queryset).__name__}); see CONTRIBUTING.md."
        )
    return rules[action]


def writable(user, action, model_or_queryset):
    """The rows of ``model_or_queryset`` (a model, a QuerySet or an ``"app.Model"`` label)
    that ``user`` may do ``action`` to: a QuerySet, empty when none."""
    queryset = _queryset(model_or_queryset)
    q = rule_for(queryset, action).q(queryset, user)
    if q is None:
        return queryset.none()
    return queryset.filter(q) if q else queryset


def can(user, action, target):
    """Whether ``user`` may do ``action`` to ``target``.

    ``target`` is a saved row (one query at most: none when the role decides alone), or a
    model class or ``"app.Model"`` label: may the user do ``action`` to some rows of it, or
    create one (the role and its scope object decide, no query).
    """
    if isinstance(target, str) or isinstance(target, type):
        queryset = _queryset(target)
        return rule_for(queryset, action).q(queryset, user) is not None
    queryset = _queryset(type(target))
    q = rule_for(queryset, action).q(queryset, user)
    if q is None:
        return False
    if q == Q():
        return True
    return queryset.filter(q, pk=target.pk).exists()


def get_writable_or_404(model_or_queryset, user, action, *, readers_get=404, **lookup):
    """The row of ``model_or_queryset`` matching ``lookup`` that ``user`` may do ``action``
    to, for an edit or action view.

    Raises ``Http404`` when no such row exists or the user may not see it (DESIGN.md:
    outsiders get the same 404 as for a missing row). For a row the user sees but may not
    change: ``Http404`` as well, or ``PermissionDenied`` (403, "your role does not allow
    this") with ``readers_get=403``. One query when the row may be changed.
    """
    queryset = _queryset(model_or_queryset)
    try:
        return writable(user, action, queryset).get(**lookup)
    except queryset.model.DoesNotExist:
        if readers_get == 403:
            get_visible_or_404(queryset, user, **lookup)
            raise PermissionDenied from None
        raise Http404 from None
    except (ValueError, TypeError):
        raise Http404 from None
