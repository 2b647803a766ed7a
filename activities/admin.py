from django.contrib import admin

from activities.models import (
    Activity,
    Attendance,
    BudgetAccess,
    PracticeAdoption,
    ReplicatedPractice,
)


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    raw_id_fields = ["member"]
    exclude = ["name_folded"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["held_on", "kind", "topic", "group", "place"]
    list_filter = ["kind", "topic", "group__village__subdistrict__regency"]
    list_select_related = ["group"]
    search_fields = ["topic_text", "place", "group__name", "resource_person"]
    autocomplete_fields = ["group"]
    filter_horizontal = ["groups"]
    inlines = [AttendanceInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "activity", "sex", "is_poor", "has_disability"]
    list_filter = ["sex", "is_poor", "has_disability"]
    list_select_related = ["activity", "member"]
    search_fields = ["full_name", "member__full_name"]
    raw_id_fields = ["activity", "member"]
    exclude = ["name_folded"]


@admin.register(BudgetAccess)
class BudgetAccessAdmin(admin.ModelAdmin):
    list_display = ["group", "year", "source", "purpose", "amount"]
    list_filter = ["source", "purpose", "year"]
    list_select_related = ["group"]
    search_fields = ["group__name", "description"]
    autocomplete_fields = ["group"]


class PracticeAdoptionInline(admin.TabularInline):
    model = PracticeAdoption
    extra = 0
    autocomplete_fields = ["group"]


@admin.register(ReplicatedPractice)
class ReplicatedPracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "started_on"]
    list_filter = ["group__village__subdistrict__regency"]
    list_select_related = ["group"]
    search_fields = ["name", "description", "group__name"]
    autocomplete_fields = ["group"]
    inlines = [PracticeAdoptionInline]


@admin.register(PracticeAdoption)
class PracticeAdoptionAdmin(admin.ModelAdmin):
    list_display = ["practice", "group", "adopted_on"]
    list_select_related = ["practice", "group"]
    search_fields = ["practice__name", "group__name"]
    autocomplete_fields = ["group"]
    raw_id_fields = ["practice"]
