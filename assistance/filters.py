"""Filters of the case list and its export (django-filter), within what the user sees."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from assistance.models import AssistanceCase, Kind, Outcome, Status
from groups.models import ConstituentGroup
from kk_portal.forms import DateInput, date_range_form

_YES_NO = [("yes", _("yes")), ("no", _("no"))]


class CaseFilter(django_filters.FilterSet):
    """``?q=`` name of the person helped, kind, status, outcome, a follow-up that is
    overdue on ``today``, an ``opened_on`` range and, for those who see several groups,
    group.

    Filters only narrow ``AssistanceCase.objects.visible_to(user)``: the group choices are
    the groups the user sees, so a tampered id is a form error (the view answers 404), and
    ``?kind=violence`` lists only the confidential cases the user is in the circle of.
    """

    q = django_filters.CharFilter(label=_("Name"), method="filter_name")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    outcome = django_filters.ChoiceFilter(
        label=_("Outcome"),
        choices=[(o.value or "none", o.label) for o in Outcome],
        method="filter_outcome",
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Follow-up overdue"), choices=[("yes", _("yes"))], method="filter_overdue"
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none()
    )
    opened_from = django_filters.DateFilter(
        label=_("Opened from"), field_name="opened_on", lookup_expr="gte", widget=DateInput
    )
    opened_to = django_filters.DateFilter(
        label=_("Opened until (inclusive)"),
        field_name="opened_on",
        lookup_expr="lte",
        widget=DateInput,
    )

    class Meta:
        model = AssistanceCase
        fields = []
        form = date_range_form("opened_from", "opened_to")

    def __init__(self, *args, user, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        if user.group_id and not user.is_superuser:
            del self.filters["group"]
        else:
            self.filters["group"].queryset = ConstituentGroup.objects.visible_to(user)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search the names of people helped"),
                "aria-label": _("Search the names of people helped"),
            }
        )

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_outcome(self, queryset, name, value):
        return queryset.filter(outcome="" if value == "none" else value)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.today)
