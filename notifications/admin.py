from django.contrib import admin

from kk_portal.admin_lists import LargeTableAdmin
from notifications.models import Delivery, Preference


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "channel", "language", "updated_at")
    list_filter = ("channel", "language")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    raw_id_fields = ("user",)


@admin.register(Delivery)
class DeliveryAdmin(LargeTableAdmin):
    """The log of what was sent: read only (a row is what keeps a reminder from going twice)."""

    list_display = ("sent_at", "user", "kind", "key", "channel", "address")
    list_filter = ("kind", "channel", "sent_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "key", "address")
    # Newest first by the primary key (rows are added as they are sent); ``sent_at`` has no
    # index of its own.
    ordering = ("-pk",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
