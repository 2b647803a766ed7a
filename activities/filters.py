"""Filters of the activity, attendance, budget-access and practice lists (django-filter), over the
rows the user sees."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from activities.models import (
    Activity,
    ActivityKind,
    ActivityTopic,
    Attendance,
    BudgetAccess,
    BudgetPurpose,
    BudgetSource,
    ReplicatedPractice,
)
from groups.models import ConstituentGroup, region_by_code, region_choices, region_q
from kk_portal.forms import DateInput, YearFilter, date_range_form
from members.models import Sex

_REGENCY = "group__village__subdistrict__regency"


class _RegionMixin:
    def filter_region(self, queryset, name, value):
        # An unknown region code gives an empty list rather than an error page.
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region, _REGENCY))

    def _offer(self, user):
        if user.group_id:
            # An officer has one group: the filter would only show it.
            del self.filters["group"]
        else:
            self.filters["group"].queryset = ConstituentGroup.objects.visible_to(user)
        self.form.fields["region"].widget = forms.Select(choices=region_choices(user))


class ActivityFilter(_RegionMixin, django_filters.FilterSet):
    """Kind, topic, a group taking part, the host's region and a date range (``start``,
    ``end``: the activity's date; an end before the start is a field error)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=ActivityKind.choices)
    topic = django_filters.ChoiceFilter(label=_("Topic"), choices=ActivityTopic.choices)
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none(), method="filter_group"
    )
    region = django_filters.CharFilter(label=_("Region"), method="filter_region")
    start = django_filters.DateFilter(
        label=_("From"), field_name="held_on", lookup_expr="gte", widget=DateInput
    )
    end = django_filters.DateFilter(
        label=_("Until"), field_name="held_on", lookup_expr="lte", widget=DateInput
    )

    class Meta:
        model = Activity
        fields = []
        form = date_range_form("start", "end")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(user)

    def filter_group(self, queryset, name, value):
        taking_part = Activity.groups.through.objects.filter(constituentgroup=value)
        return queryset.filter(Q(group=value) | Q(pk__in=taking_part.values("activity")))


class AttendanceFilter(django_filters.FilterSet):
    """The activity's kind, topic, host region and date range (``start``, ``end``, as
    ``ActivityFilter``), and the person's sex, poverty and disability: the dashboard's
    people counts drill down here."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="activity__kind", choices=ActivityKind.choices
    )
    topic = django_filters.ChoiceFilter(
        label=_("Topic"), field_name="activity__topic", choices=ActivityTopic.choices
    )
    region = django_filters.CharFilter(label=_("Region"), method="filter_region")
    start = django_filters.DateFilter(
        label=_("From"), field_name="activity__held_on", lookup_expr="gte", widget=DateInput
    )
    end = django_filters.DateFilter(
        label=_("Until"), field_name="activity__held_on", lookup_expr="lte", widget=DateInput
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    #: One activity's list, which its export logs as the export's filter.
    activity = django_filters.NumberFilter(widget=forms.HiddenInput)
    poor = django_filters.BooleanFilter(label=_("Poor"), field_name="is_poor")
    disability = django_filters.BooleanFilter(
        label=_("Has a disability"), field_name="has_disability"
    )

    class Meta:
        model = Attendance
        fields = []
        form = date_range_form("start", "end")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["region"].widget = forms.Select(choices=region_choices(user))

    def filter_region(self, queryset, name, value):
        # An unknown region code gives an empty list rather than an error page.
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region, f"activity__{_REGENCY}"))


class BudgetAccessFilter(_RegionMixin, django_filters.FilterSet):
    """Source, purpose, year, group and region."""

    source = django_filters.ChoiceFilter(label=_("Source"), choices=BudgetSource.choices)
    purpose = django_filters.ChoiceFilter(label=_("Purpose"), choices=BudgetPurpose.choices)
    year = YearFilter(label=_("Year"))
    year_min = YearFilter(label=_("From year"), field_name="year", lookup_expr="gte")
    year_max = YearFilter(label=_("Until year"), field_name="year", lookup_expr="lte")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none()
    )
    region = django_filters.CharFilter(label=_("Region"), method="filter_region")

    class Meta:
        model = BudgetAccess
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._offer(user)


class PracticeFilter(django_filters.FilterSet):
    """Name (words in it), the group that started it or took it up, the starting group's
    region, the start year range, and ``taken_up`` (only practices some group took up)."""

    q = django_filters.CharFilter(label=_("Practice"), field_name="name", lookup_expr="icontains")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none(), method="filter_group"
    )
    region = django_filters.CharFilter(label=_("Region"), method="filter_region")
    year_min = YearFilter(label=_("From year"), field_name="started_on__year", lookup_expr="gte")
    year_max = YearFilter(label=_("Until year"), field_name="started_on__year", lookup_expr="lte")
    taken_up = django_filters.BooleanFilter(
        label=_("Taken up by other groups"), method="filter_taken_up"
    )

    class Meta:
        model = ReplicatedPractice
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["group"].queryset = ConstituentGroup.objects.visible_to(user)
        self.form.fields["region"].widget = forms.Select(choices=region_choices(user))

    def filter_group(self, queryset, name, value):
        return queryset.filter(Q(group=value) | Q(adoptions__group=value)).distinct()

    def filter_region(self, queryset, name, value):
        # An unknown region code gives an empty list rather than an error page.
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region, _REGENCY))

    def filter_taken_up(self, queryset, name, value):
        return queryset.filter(adoptions__isnull=not value).distinct()
