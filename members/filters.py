"""Filters of the member list (django-filter), scoped to what the user may see."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from groups.models import ConstituentGroup, region_by_code, region_choices, region_q
from kk_portal.formats import NOT_FILLED, NOT_FILLED_KEY
from kk_portal.forms import YearFilter
from members.models import AGE_BUCKETS, Member, PublicRole, PublicRoleKind, Sex

_YES_NO = [("yes", _("yes")), ("no", _("no"))]


class MemberFilter(django_filters.FilterSet):
    """``?q=`` search of names, villages and phone numbers (``MemberQuerySet.search``), sex,
    poverty,
    disability, position, still active and, for a facilitator, group.

    The group choices are the groups the user sees, so a tampered id is a form error and
    never widens the list.
    """

    q = django_filters.CharFilter(label=_("Name or phone"), method="filter_name")
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none()
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices)
    is_poor = django_filters.ChoiceFilter(label=_("Poor"), choices=_YES_NO, method="filter_flag")
    has_disability = django_filters.ChoiceFilter(
        label=_("Has a disability"), choices=_YES_NO, method="filter_flag"
    )
    position = django_filters.ChoiceFilter(label=_("Position"), choices=Member.Position.choices)
    active = django_filters.ChoiceFilter(
        label=_("Still active"), choices=_YES_NO, method="filter_active"
    )
    # Drill-down from the dashboard: members in their group on a day (the period's end).
    active_on = django_filters.DateFilter(label=_("In the group on"), method="filter_active_on")
    # Age buckets, "not filled" included, as on the dashboard.
    age = django_filters.ChoiceFilter(
        label=_("Age"),
        choices=[(key, label) for key, label, _low, _high in AGE_BUCKETS]
        + [(NOT_FILLED_KEY, NOT_FILLED)],
        method="filter_age",
    )

    class Meta:
        model = Member
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.group_id:
            # An officer has one group: the filter would only show it.
            del self.filters["group"]
        else:
            self.filters["group"].queryset = ConstituentGroup.objects.visible_to(user)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search names, villages and phone numbers"),
                "aria-label": _("Search names, villages and phone numbers"),
            }
        )

    def filter_name(self, queryset, name, value):
        return queryset.search(value)

    def filter_flag(self, queryset, name, value):
        return queryset.filter(**{name: value == "yes"})

    def filter_active(self, queryset, name, value):
        return queryset.filter(left_on__isnull=(value == "yes"))

    def filter_active_on(self, queryset, name, value):
        return queryset.in_group_on(value)

    def filter_age(self, queryset, name, value):
        return queryset.aged(value)


class PublicRoleFilter(django_filters.FilterSet):
    """Public roles by kind, member's sex and poverty, group, held on a day, start year, and region
    (``?region=`` a province or regency code, the dashboard's drill-down)."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PublicRoleKind.choices)
    sex = django_filters.ChoiceFilter(label=_("Sex"), field_name="member__sex", choices=Sex.choices)
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), field_name="member__group", queryset=ConstituentGroup.objects.none()
    )
    poor = django_filters.BooleanFilter(label=_("Poor"), field_name="member__is_poor")
    held_on = django_filters.DateFilter(label=_("Held on"), method="filter_held_on")
    year = YearFilter(label=_("Started in"), field_name="started_on__year")
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")

    class Meta:
        model = PublicRole
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.group_id:
            del self.filters["group"]
        else:
            self.filters["group"].queryset = ConstituentGroup.objects.visible_to(user)
        self.form.fields["region"].widget = forms.Select(choices=region_choices(user))

    def filter_held_on(self, queryset, name, value):
        return queryset.held_on(value)

    def filter_region(self, queryset, name, value):
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region, "member__group__village__subdistrict__regency"))
