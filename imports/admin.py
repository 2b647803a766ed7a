from django.contrib import admin

from imports.models import ImportJob, ImportRow


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Imports are written by their preview and confirmation only: read-only here."""

    list_display = ("file_name", "kind", "created_by", "status", "uploaded_at")
    list_filter = ("kind", "status")
    search_fields = ("file_name", "created_by__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ImportRow)
class ImportRowAdmin(admin.ModelAdmin):
    """The preview's rows, read-only."""

    list_display = ("job", "number", "action")
    list_filter = ("action",)
    search_fields = ("job__file_name",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
