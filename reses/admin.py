from django.contrib import admin

from reses.models import (
    AgendaItem,
    DistrictVillage,
    ElectoralDistrict,
    Representative,
    ResesMeeting,
)


class DistrictVillageInline(admin.TabularInline):
    model = DistrictVillage
    extra = 0
    autocomplete_fields = ["village"]


@admin.register(ElectoralDistrict)
class ElectoralDistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "legislature", "regency", "province", "seats", "election_year"]
    list_filter = ["legislature", "election_year", "province"]
    list_select_related = ["regency", "province"]
    search_fields = ["name", "kpu_code"]
    autocomplete_fields = ["province", "regency"]
    inlines = [DistrictVillageInline]


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "party", "district", "term_start", "term_end"]
    list_filter = ["sex", "party", "district__legislature"]
    list_select_related = ["district"]
    search_fields = ["full_name", "party", "district__name"]
    autocomplete_fields = ["district"]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["aspiration"]


@admin.register(ResesMeeting)
class ResesMeetingAdmin(admin.ModelAdmin):
    list_display = [
        "reses_period",
        "representative",
        "village",
        "starts_at",
        "attendance_female",
        "attendance_male",
    ]
    list_filter = ["reses_period", "village__subdistrict__regency"]
    list_select_related = ["representative", "village"]
    search_fields = ["reses_period", "venue", "representative__full_name", "village__name"]
    autocomplete_fields = ["representative", "village", "organising_group"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]
