from django.contrib import admin

from kk_portal.admin_lists import LargeTableAdmin
from members.models import Member, OfficerTerm, PublicRole


@admin.register(Member)
class MemberAdmin(LargeTableAdmin):
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
    # Newest first by the primary key: sorting 600,000 members by name has no index.
    ordering = ["-pk"]


@admin.register(OfficerTerm)
class OfficerTermAdmin(admin.ModelAdmin):
    """The database keeps one open term per position; the group page's "New officer term"
    (``members.services.officer_term_start``) also ends the previous one."""

    list_display = ["group", "position", "member", "started_on", "ended_on"]
    list_filter = ["position", "group__village__subdistrict__regency"]
    list_select_related = ["group", "member"]
    search_fields = ["member__full_name", "group__name"]
    raw_id_fields = ["group", "member"]


@admin.register(PublicRole)
class PublicRoleAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "started_on", "ended_on", "party", "result"]
    list_filter = ["kind", "result", "member__sex"]
    list_select_related = ["member"]
    search_fields = ["member__full_name", "description", "party"]
    raw_id_fields = ["member"]
