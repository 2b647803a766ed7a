from django.contrib import admin

from members.models import Member


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "group", "sex", "position", "is_poor", "has_disability", "left_on"]
    list_filter = [
        "sex",
        "position",
        "is_poor",
        "has_disability",
        "group__village__subdistrict__regency",
    ]
    list_select_related = ["group"]
    search_fields = ["full_name", "name_folded", "nik", "phone"]
    autocomplete_fields = ["group"]
    readonly_fields = ["anonymised_at", "created_at", "updated_at", "created_by"]
