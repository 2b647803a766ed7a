from django.contrib import admin

from dashboards.models import AspirationSummary, MoneySummary
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


@admin.register(AspirationSummary)
class AspirationSummaryAdmin(SummaryAdmin):
    list_display = ["grain", "regency_id", "topic_id", "urusan_id", "channel", "year", "recorded"]
    list_filter = ["grain", "year", "channel"]
    search_fields = ["grain", "channel"]


@admin.register(MoneySummary)
class MoneySummaryAdmin(SummaryAdmin):
    list_display = ["regency_id", "topic_id", "fiscal_year", "budgeted", "realised", "outcomes"]
    list_filter = ["fiscal_year"]
    search_fields = ["fiscal_year"]
