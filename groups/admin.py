from django.contrib import admin

from groups.models import ConstituentGroup, Province, Regency, Subdistrict, Village
from kk_portal.admin_lists import LargeTableAdmin


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "time_zone"]
    list_filter = ["time_zone"]
    search_fields = ["code", "name"]


@admin.register(Regency)
class RegencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "time_zone"]
    list_filter = ["kind", "time_zone", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name"]


class PlaceAdmin(LargeTableAdmin):
    """A place keeps its parent once saved: moving a village to another subdistrict (or a
    subdistrict to another regency) would move its aspirations between the regencies the
    dashboard's summaries count them in, outside the write functions. The Kemendagri files
    (``load_reference_data``) are where regions change."""

    parent_field = None

    def get_readonly_fields(self, request, obj=None):
        return [self.parent_field] if obj is not None else []


@admin.register(Subdistrict)
class SubdistrictAdmin(PlaceAdmin):
    list_display = ["code", "name", "regency"]
    list_filter = ["regency__province"]
    list_select_related = ["regency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["regency"]
    parent_field = "regency"


@admin.register(Village)
class VillageAdmin(PlaceAdmin):
    list_display = ["code", "name", "kind", "subdistrict"]
    list_filter = ["kind", "subdistrict__regency__province"]
    list_select_related = ["subdistrict"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["subdistrict"]
    parent_field = "subdistrict"


@admin.register(ConstituentGroup)
class ConstituentGroupAdmin(LargeTableAdmin):
    list_display = ["name", "village", "cohort_year", "decree_number", "status"]
    list_filter = ["status", "cohort_year", "village__subdistrict__regency"]
    readonly_fields = ["decree_scan"]
    list_select_related = ["village"]
    search_fields = ["name", "village__name", "decree_number"]
    autocomplete_fields = ["village"]
