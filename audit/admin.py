"""The access log in the admin: read only, nothing added, changed or deleted."""

from django.contrib import admin

from audit.models import AccessLog
from kk_portal.admin_lists import LargeTableAdmin


@admin.register(AccessLog)
class AccessLogAdmin(LargeTableAdmin):
    list_display = ["at", "username", "role", "action", "object_id", "scope", "rows", "reason"]
    list_filter = ["action", "role", "regency", "at"]
    search_fields = ["username"]
    # Newest first by the primary key (rows are added as they happen); ``at`` alone has no
    # index over a log that grows with every sign-in.
    ordering = ["-pk"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
