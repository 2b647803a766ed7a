"""Filters of the reses meeting list (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from groups.models import Regency
from kk_portal.forms import DateInput, date_range_form
from reses.forms import RepresentativeChoiceField
from reses.models import Representative, ResesMeeting


def _representatives(request):
    return (
        Representative.objects.visible_to(request.user).select_related("district")
        if request
        else Representative.objects.none()
    )


class _RepresentativeFilter(django_filters.ModelChoiceFilter):
    field_class = RepresentativeChoiceField


class ResesMeetingFilter(django_filters.FilterSet):
    """Reses period, representative, regency and a date range.

    Dates are the meetings' own local days (the zone of the village's regency, the zone
    their times are shown in); the range includes the whole last day up to the next local
    midnight (``ResesMeetingQuerySet.on_local_days``); an end before the
    start is an error beside it (``kk_portal.forms.date_range_form``).
    """

    reses_period = django_filters.CharFilter(
        label=_("Reses period"), field_name="reses_period", lookup_expr="icontains"
    )
    representative = _RepresentativeFilter(label=_("Representative"), queryset=_representatives)
    regency = django_filters.ModelChoiceFilter(
        label=_("Regency"),
        field_name="village__subdistrict__regency",
        queryset=Regency.objects.filter(subdistricts__villages__reses_meetings__isnull=False)
        .distinct()
        .order_by("name"),
    )
    date_from = django_filters.DateFilter(
        label=_("Held from"), method="filter_date_from", widget=DateInput
    )
    date_to = django_filters.DateFilter(
        label=_("Held until (inclusive)"), method="filter_date_to", widget=DateInput
    )

    class Meta:
        model = ResesMeeting
        fields = []
        form = date_range_form("date_from", "date_to")

    def filter_date_from(self, queryset, name, value):
        return queryset.on_local_days(start=value)

    def filter_date_to(self, queryset, name, value):
        return queryset.on_local_days(end=value)
