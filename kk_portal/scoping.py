"""Role scoping: the one mechanism that decides which rows a user may see.

Every list, detail, export and dashboard starts from ``Model.objects.visible_to(user)``.
Rows outside a user's scope are simply absent, so detail views answer 404 for them exactly
as for a row that does not exist (DESIGN.md, "Who may see what"). Who may *change* rows is
narrower; each QuerySet declares it beside its scope, in ``write_rules``, and
``kk_portal.permissions`` evaluates it.
"""

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The five kinds of user of DESIGN.md."""

    OFFICER = "officer", _("group officer")
    FACILITATOR = "facilitator", _("field facilitator")
    PROGRAMME = "programme", _("programme staff")
    DPRD = "dprd", _("DPRD staff")
    ADMIN = "admin", _("administrator")


class ScopedQuerySet(models.QuerySet):
    """A QuerySet that knows which of its rows each role may see.

    Subclasses declare lookups from their model to the scoping objects:

    - ``group_path``: to the ``ConstituentGroup`` (officers see their own group's rows);
    - ``regency_path``: to the ``Regency`` (facilitators see their regency's rows);
    - ``programme_sees_all``: programme staff see every row (False for personal data);
    - ``dprd_q(representative)``: a ``Q`` of the rows a representative's staff may see,
      or ``None`` for none.

    ``officer_q(group)`` may be overridden where officers see more than their group's rows.
    ``write_rules`` maps an action (``"change"``, ``"manage"`` …) to the
    ``kk_portal.permissions.Rule`` of who may do it to these rows.
    """

    group_path = None
    regency_path = None
    programme_sees_all = True
    write_rules = {}

    def officer_q(self, group_id):
        if self.group_path is None:
            return None
        return Q(**{self.group_path: group_id})

    def facilitator_q(self, regency_id):
        if self.regency_path is None:
            return None
        return Q(**{self.regency_path: regency_id})

    def dprd_q(self, representative_id):
        return None

    def scope_q(self, user):
        """The ``Q`` of rows ``user`` may see; ``Q()`` for all rows, ``None`` for none."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        if user.is_superuser or user.role == Role.ADMIN:
            return Q()
        if user.role == Role.PROGRAMME:
            return Q() if self.programme_sees_all else None
        if user.role == Role.OFFICER and user.group_id:
            return self.officer_q(user.group_id)
        if user.role == Role.FACILITATOR and user.regency_id:
            return self.facilitator_q(user.regency_id)
        if user.role == Role.DPRD and user.representative_id:
            return self.dprd_q(user.representative_id)
        return None

    def visible_to(self, user):
        """Rows ``user`` may see (an empty QuerySet for anonymous or unscoped users)."""
        q = self.scope_q(user)
        if q is None:
            return self.none()
        return self.filter(q) if q else self.all()


class ReferenceQuerySet(ScopedQuerySet):
    """Reference data (the Kemendagri places): every signed-in, active user reads every row.

    Declare ``write_rules`` to say in which of these rows a user may *do* something, such as
    hold a Musrenbang forum.
    """

    def scope_q(self, user):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return None
        return Q()


def get_visible_or_404(queryset_or_model, user, **lookup):
    """Fetch one row visible to ``user``; raises ``Http404`` for a row outside the scope.

    Outsiders get the same 404 as for a row that does not exist (DESIGN.md).
    """
    queryset = getattr(queryset_or_model, "_default_manager", queryset_or_model)
    try:
        return get_object_or_404(queryset.visible_to(user), **lookup)
    except (ValueError, TypeError):
        raise Http404 from None
