from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kk_portal.models import AspirationSummary, MoneySummary, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "group", "regency", "is_active"]
    list_filter = ["role", "is_active", "is_staff", "regency"]
    list_select_related = ["group", "regency"]
    autocomplete_fields = ["group", "regency", "representative"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "group", "regency", "representative"]}),
    ]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "group", "regency", "representative"]}),
    ]


class SummaryAdmin(admin.ModelAdmin):
    """The dashboard's summary tables, read only: ``kk_portal.summaries`` keeps them, and
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
