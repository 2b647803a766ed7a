"""Filters of the public list (django-filter): the same QuerySet rules as the staff list's
(``aspirations.filters.AspirationFilter``), over public aspirations only, with choices that
name no person."""

import django_filters
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspiration, Beneficiary, Topic, Urusan
from aspirations.stages import FUNNEL_STEPS, Stage
from aspirations.topics import PROTECTION_SLUG
from groups.models import Province, Regency, Village, region_by_code, region_q

#: Representatives (``reses``), reached through the relation as the staff filter does.
Representative = Aspiration._meta.get_field("representative").related_model


class PublicAspirationFilter(django_filters.FilterSet):
    """Regency (``region``, a Kemendagri code, chosen among the regencies with public
    aspirations; a province's code is accepted too), village, topic, stage, and the
    scorecards' drill-downs: reached, went through, heard by, urusan, benefits. Choices of
    villages come from the public rows of the chosen regency; an unknown region code gives an
    empty list."""

    region = django_filters.ChoiceFilter(
        label=_("Regency/city"), choices=[], method="filter_region", empty_label=_("(all)")
    )
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=Village.objects.none())
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=Topic.objects.exclude(slug=PROTECTION_SLUG)
    )
    stage = django_filters.ChoiceFilter(label=_("Stage"), choices=Stage.choices)
    reached = django_filters.ChoiceFilter(
        label=_("Reached at least"),
        choices=[(key, label) for key, label, _rank in FUNNEL_STEPS],
        method="filter_reached",
    )
    went_through = django_filters.ChoiceFilter(
        label=_("Went through stage"), choices=Stage.choices, method="filter_went_through"
    )
    heard_by = django_filters.ModelChoiceFilter(
        label=_("Heard by representative"),
        queryset=Representative.objects.all(),
        method="filter_heard_by",
    )
    responded_by = django_filters.ModelChoiceFilter(
        label=_("Answered at reses by representative"),
        queryset=Representative.objects.all(),
        method="filter_responded_by",
    )
    urusan = django_filters.ModelChoiceFilter(label=_("Urusan"), queryset=Urusan.objects.all())
    benefits = django_filters.ChoiceFilter(
        label=_("Benefits"), choices=Beneficiary.choices, method="filter_benefits"
    )

    #: Filters the scorecards link to; the page shows them only when they are set.
    drill_down = (
        "reached",
        "went_through",
        "heard_by",
        "responded_by",
        "urusan",
        "benefits",
    )

    class Meta:
        model = Aspiration
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rows = self.queryset.order_by()
        region = region_by_code(self.data.get("region"))
        villages = Village.objects.filter(pk__in=rows.values("village")).order_by("name")
        # The regencies that have public aspirations; a province code (a link naming a
        # whole province) is offered too when asked for.
        regencies = Regency.objects.filter(
            pk__in=rows.values("village__subdistrict__regency")
        ).order_by("name")
        choices = [(regency.code, regency.name) for regency in regencies]
        if isinstance(region, Province):
            choices.insert(0, (region.code, region.name))
        self.filters["region"].extra["choices"] = choices
        if region is not None:
            villages = villages.filter(region_q(region, "subdistrict__regency"))
        else:
            # Without a regency only the village asked for (a link from an aspiration's
            # page) is offered: every village with a public aspiration would weigh too much.
            chosen = str(self.data.get("village") or "")
            villages = villages.filter(pk=chosen) if chosen.isdigit() else villages.none()
        self.filters["village"].queryset = villages
        if region is None:
            self.form.fields["village"].empty_label = _("(choose a regency first)")

    def filter_region(self, queryset, name, value):
        region = region_by_code(value)
        if region is None:
            return queryset.none()
        return queryset.filter(region_q(region))

    def filter_reached(self, queryset, name, value):
        return queryset.reached(value)

    def filter_went_through(self, queryset, name, value):
        return queryset.went_through(value)

    def filter_heard_by(self, queryset, name, value):
        return queryset.heard_by(value.pk)

    def filter_responded_by(self, queryset, name, value):
        return queryset.responded_by(value.pk)

    def filter_benefits(self, queryset, name, value):
        return queryset.benefiting(value)
