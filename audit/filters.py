"""Filters of the access log page."""

import django_filters
from django.utils.translation import gettext_lazy as _

from audit.models import AccessLog, Action
from kk_portal.forms import DateInput, date_range_form


class AccessLogFilter(django_filters.FilterSet):
    """What was done, by which account (user name), and a date range (inclusive, in the
    reader's zone)."""

    action = django_filters.ChoiceFilter(label=_("What"), choices=Action.choices)
    username = django_filters.CharFilter(
        label=_("User name"), field_name="username", lookup_expr="iexact"
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("Until (inclusive)"), field_name="at", lookup_expr="date__lte", widget=DateInput
    )

    class Meta:
        model = AccessLog
        fields = []
        form = date_range_form("date_from", "date_to")
