from django.contrib import admin

from groups.models import ConstituentGroup, Province, Regency, Subdistrict, Village


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


@admin.register(Subdistrict)
class SubdistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "regency"]
    list_filter = ["regency__province"]
    list_select_related = ["regency"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["regency"]


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "subdistrict"]
    list_filter = ["kind", "subdistrict__regency__province"]
    list_select_related = ["subdistrict"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["subdistrict"]


@admin.register(ConstituentGroup)
class ConstituentGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "village", "cohort_year", "decree_number", "status"]
    list_filter = ["status", "cohort_year", "village__subdistrict__regency"]
    list_select_related = ["village"]
    search_fields = ["name", "village__name", "decree_number"]
    autocomplete_fields = ["village"]
