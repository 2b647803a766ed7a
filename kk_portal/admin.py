from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from kk_portal.models import User


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


# Failed sign-ins that count towards a lock (``kk_portal.lockout``): an administrator lifts a
# lock of an account or an address by deleting its rows. django-axes' own logs stay out of
# the admin (``AXES_ENABLE_ADMIN`` is off): the audit log keeps every sign-in.
admin.site.register(AccessAttempt, AccessAttemptAdmin)
