from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from aspirations.models import Channel
from dashboards.models import AspirationSummary, MoneySummary
from dashboards.summaries import GRAINS
from kk_portal.admin_lists import LargeTableAdmin


class SummaryAdmin(LargeTableAdmin):
    """The dashboard's summary tables, read only: ``dashboards.summaries`` keeps them, and
    ``manage.py rebuild_summaries`` recomputes them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _FixedChoicesFilter(admin.SimpleListFilter):
    """A filter whose choices are known in code: Django's filter of a plain field would
    read them with ``SELECT DISTINCT`` over the table's two million cells (about a
    second)."""

    def queryset(self, request, queryset):
        value = self.value()
        return queryset if value is None else queryset.filter(**{self.parameter_name: value})


class GrainFilter(_FixedChoicesFilter):
    title = _("grain")
    parameter_name = "grain"

    def lookups(self, request, model_admin):
        return [(grain, grain) for grain in GRAINS]


class ChannelFilter(_FixedChoicesFilter):
    title = _("channel")
    parameter_name = "channel"

    def lookups(self, request, model_admin):
        return [("", _("all channels")), *Channel.choices]


@admin.register(AspirationSummary)
class AspirationSummaryAdmin(SummaryAdmin):
    list_display = [
        "grain",
        "regency_id",
        "topic_id",
        "urusan_id",
        "channel",
        "year",
        "month",
        "recorded",
    ]
    list_filter = [GrainFilter, ChannelFilter]
    search_fields = ["grain", "channel"]


@admin.register(MoneySummary)
class MoneySummaryAdmin(SummaryAdmin):
    list_display = ["regency_id", "topic_id", "fiscal_year", "budgeted", "realised", "outcomes"]
    list_filter = ["fiscal_year"]
    search_fields = ["fiscal_year"]
