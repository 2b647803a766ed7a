"""Filters of the aspiration list (django-filter), scoped to what the user may see."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspiration, Beneficiary, Channel, Topic, Urusan
from aspirations.stages import FORWARD, FUNNEL_STEPS, Stage
from groups.models import (
    ConstituentGroup,
    Regency,
    Village,
    region_by_code,
    region_choices,
    region_q,
)
from kk_portal.formats import NOT_FILLED, NOT_FILLED_KEY
from kk_portal.forms import DateInput, LongSelect, date_range_form

#: The representatives an aspiration may be addressed to (``reses``, an app above this one,
#: reached through the relation rather than imported).
Representative = Aspiration._meta.get_field("representative").related_model


class AspirationFilter(django_filters.FilterSet):
    """Stage, topic, urusan, village, channel, representative, group, a ``raised_on`` date
    range and ``?q=`` text search in title, description, village and topic
    (``AspirationQuerySet.search``; the list keeps its own sort, not the search's rank).

    Village, representative and group choices are taken from the aspirations the user
    sees, so a tampered id is a form error and never widens the list; for programme staff
    (who see all) from the reference tables, villages and groups per chosen regency.
    ``raised_to`` is inclusive: the end day's aspirations are in; one
    before ``raised_from`` is an error beside it (``kk_portal.forms.date_range_form``).
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices, widget=LongSelect)
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.all(), widget=LongSelect
    )
    urusan = django_filters.ModelChoiceFilter(
        label=_("Urusan"), queryset=Urusan.objects.none(), null_label=NOT_FILLED, widget=LongSelect
    )
    village = django_filters.ModelChoiceFilter(
        label=_("Village"), queryset=Village.objects.none(), widget=LongSelect
    )
    group = django_filters.ModelChoiceFilter(
        label=_("Group"), queryset=ConstituentGroup.objects.none(), widget=LongSelect
    )
    channel = django_filters.ChoiceFilter(
        label=_("Channel"), choices=Channel.choices, widget=LongSelect
    )
    representative = django_filters.ModelChoiceFilter(
        label=_("Representative"), queryset=Representative.objects.none(), widget=LongSelect
    )
    raised_from = django_filters.DateFilter(
        label=_("Raised from"), field_name="raised_on", lookup_expr="gte", widget=DateInput
    )
    raised_to = django_filters.DateFilter(
        label=_("Raised until (inclusive)"),
        field_name="raised_on",
        lookup_expr="lte",
        widget=DateInput,
    )

    # Drill-down from the dashboard: the same rules as its figures (Aspiration's QuerySet).
    region = django_filters.CharFilter(label=_("Region code"), method="filter_region")
    reached = django_filters.ChoiceFilter(
        label=_("Reached at least"),
        choices=[(key, label) for key, label, _rank in FUNNEL_STEPS],
        method="filter_reached",
        widget=LongSelect,
    )
    stopped_at = django_filters.ChoiceFilter(
        label=_("Stopped at"),
        choices=[(s.value, s.label) for s in FORWARD] + [(NOT_FILLED_KEY, NOT_FILLED)],
        method="filter_stopped_at",
        widget=LongSelect,
    )
    benefits = django_filters.ChoiceFilter(
        label=_("Benefits"),
        choices=[*Beneficiary.choices, (NOT_FILLED_KEY, NOT_FILLED)],
        method="filter_benefits",
        widget=LongSelect,
    )

    counted = django_filters.ChoiceFilter(
        label=_("Duplicates"),
        choices=[("1", _("each need once (linked duplicates left out)"))],
        method="filter_counted",
        widget=LongSelect,
    )
    went_through = django_filters.ChoiceFilter(
        label=_("Went through stage"),
        choices=Stage.choices,
        method="filter_went_through",
        widget=LongSelect,
    )
    heard_by = django_filters.ModelChoiceFilter(
        label=_("Heard by representative"),
        queryset=Representative.objects.none(),
        method="filter_heard_by",
        widget=LongSelect,
    )
    responded_by = django_filters.ModelChoiceFilter(
        label=_("Answered at reses by representative"),
        queryset=Representative.objects.none(),
        method="filter_responded_by",
        widget=LongSelect,
    )

    #: Filters the dashboard and the scorecards link to; the list shows them only when set.
    drill_down = (
        "region",
        "reached",
        "stopped_at",
        "counted",
        "went_through",
        "heard_by",
        "responded_by",
    )

    class Meta:
        model = Aspiration
        fields = []
        form = date_range_form("raised_from", "raised_to")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        model = self.queryset.model
        #: Programme staff and administrators see every aspiration (at national scale 20,000
        #: villages and groups); their choices come from the reference tables, not the rows.
        self.sees_all = model.objects.scope_q(user) == Q()
        if self.sees_all:
            self.filters["village"].queryset = Village.objects.all()
            self.filters["representative"].queryset = Representative.objects.order_by("full_name")
            self.filters["heard_by"].queryset = Representative.objects.all()
            self.filters["responded_by"].queryset = Representative.objects.all()
            self.filters["urusan"].queryset = Urusan.objects.all()
            self.filters["group"].queryset = ConstituentGroup.objects.all()
            self.drill_down = tuple(name for name in self.drill_down if name != "region")
        else:
            # A few thousand rows at most (one group, regency or district), each branch
            # through an index.
            visible = model.objects.visible_to(user).order_by()
            self.filters["village"].queryset = Village.objects.filter(
                pk__in=visible.values("village")
            )
            # The representatives the user may address (``AspirationForm``'s choices): a
            # semi-join of the district's aspirations to their representative took a second
            # at national scale.
            self.filters["representative"].queryset = Representative.objects.visible_to(user)
            self.filters["heard_by"].queryset = Representative.objects.visible_to(user)
            self.filters["responded_by"].queryset = Representative.objects.visible_to(user)
            self.filters["urusan"].queryset = Urusan.objects.filter(pk__in=visible.values("urusan"))
            self.filters["group"].queryset = ConstituentGroup.objects.filter(
                pk__in=visible.values("group")
            )
        if user.group_id:
            del self.filters["group"]
        self.form.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Search titles, descriptions, villages and topics"),
                "aria-label": _("Search titles, descriptions, villages and topics"),
            }
        )
        if self.sees_all:
            self._offer_regions(user)

    def _offer_regions(self, user):
        """Region as a select of provinces and regencies; village and group offered only
        for the chosen regency (a select of 83,762 villages would weigh megabytes).

        Any village or group id is still accepted (programme staff see them all), so a
        link with one works without a region.
        """
        fields = self.form.fields
        fields["region"].widget = LongSelect(choices=region_choices(user))
        region = region_by_code(self.data.get("region"))
        regency = region if isinstance(region, Regency) else None
        for name, queryset in (
            ("village", Village.objects.filter(subdistrict__regency=regency)),
            ("group", ConstituentGroup.objects.filter(village__subdistrict__regency=regency)),
        ):
            field = fields[name]
            if regency is None:
                # None to offer, and no query to find none.
                queryset = queryset.none()
                field.empty_label = _("(choose a regency first)")
            chosen = self.data.get(name)
            if chosen and str(chosen).isdigit():
                queryset = queryset | field.queryset.filter(pk=chosen)
            field.widget.choices = [
                ("", field.empty_label),
                *((row.pk, field.label_from_instance(row)) for row in queryset.order_by("name")),
            ]

    def filter_text(self, queryset, name, value):
        # The list keeps its own sort: no rank to compute.
        return queryset.search(value, ranked=False)

    def filter_region(self, queryset, name, value):
        # An unknown region code gives an empty list rather than an error page.
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region))

    def filter_reached(self, queryset, name, value):
        return queryset.reached(value)

    def filter_stopped_at(self, queryset, name, value):
        return queryset.filter(stopped_at="" if value == NOT_FILLED_KEY else value)

    def filter_benefits(self, queryset, name, value):
        return queryset.benefiting(value)

    def filter_counted(self, queryset, name, value):
        return queryset.counted()

    def filter_went_through(self, queryset, name, value):
        return queryset.went_through(value)

    def filter_heard_by(self, queryset, name, value):
        return queryset.heard_by(value.pk)

    def filter_responded_by(self, queryset, name, value):
        return queryset.responded_by(value.pk)
