"""Filters of the group list (django-filter), over the groups the user sees."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from groups.models import ConstituentGroup, region_by_code, region_choices, region_q
from kk_portal.forms import YearFilter


class GroupFilter(django_filters.FilterSet):
    """``?q=`` name or village, ``?region=`` province or regency code, status, cohort."""

    q = django_filters.CharFilter(label=_("Name or village"), method="filter_text")
    region = django_filters.CharFilter(label=_("Region"), method="filter_region")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ConstituentGroup.Status.choices)
    cohort_year = YearFilter(label=_("Cohort year"))

    class Meta:
        model = ConstituentGroup
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search group and village names"),
                "aria-label": _("Search group and village names"),
            }
        )
        self.form.fields["region"].widget = forms.Select(choices=region_choices(user))

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(village__name__icontains=value))

    def filter_region(self, queryset, name, value):
        # An unknown region code gives an empty list rather than an error page.
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region))
