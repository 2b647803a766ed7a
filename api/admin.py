from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their users (the secret is shown to them once); the admin lists
    them and may revoke one by setting ``revoked``."""

    list_display = ("name", "user", "prefix", "created", "last_used", "revoked")
    list_filter = ("revoked", "created")
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "prefix", "created", "last_used")

    def has_add_permission(self, request):
        return False
