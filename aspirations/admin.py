from django.contrib import admin

from aspirations.models import (
    Aspiration,
    AspirationEvent,
    Attachment,
    BudgetOutcome,
    MusrenbangForum,
    Topic,
    Urusan,
)


@admin.register(Urusan)
class UrusanAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    list_filter = ["parent"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_urusan", "order"]
    search_fields = ["name", "slug"]
    list_filter = ["default_urusan"]


class EventInline(admin.TabularInline):
    model = AspirationEvent
    extra = 0
    fields = ["kind", "from_stage", "to_stage", "occurred_on", "recorded_by", "note", "amount"]
    readonly_fields = fields
    can_delete = False


@admin.register(Aspiration)
class AspirationAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "village", "topic", "channel", "stage", "raised_on"]
    list_filter = ["stage", "channel", "topic", "group__village__subdistrict__regency"]
    list_select_related = ["group", "village", "topic"]
    search_fields = ["title", "description", "group__name", "village__name"]
    autocomplete_fields = ["group", "village", "urusan", "representative", "carried_over_from"]
    date_hierarchy = "raised_on"
    # The stage moves only through aspirations.services, which writes the timeline.
    readonly_fields = ["stage", "stage_changed_on", "furthest_rank", "stopped_at"]
    inlines = [EventInline]


@admin.register(AspirationEvent)
class AspirationEventAdmin(admin.ModelAdmin):
    list_display = ["aspiration", "kind", "from_stage", "to_stage", "occurred_on", "recorded_by"]
    list_filter = ["kind", "to_stage", "fund_source"]
    list_select_related = ["aspiration", "recorded_by"]
    search_fields = ["aspiration__title", "note", "reason"]
    date_hierarchy = "occurred_on"

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MusrenbangForum)
class MusrenbangForumAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "regency", "held_on", "fiscal_year"]
    list_filter = ["level", "fiscal_year", "regency"]
    search_fields = ["village__name", "subdistrict__name", "regency__name"]
    autocomplete_fields = ["village", "subdistrict", "regency"]


@admin.register(BudgetOutcome)
class BudgetOutcomeAdmin(admin.ModelAdmin):
    list_display = ["aspiration", "source", "fiscal_year", "amount", "realised_amount"]
    list_filter = ["source", "fiscal_year"]
    search_fields = ["aspiration__title", "implementing_agency"]
    autocomplete_fields = ["aspiration", "implementing_urusan"]


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "aspiration", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "aspiration__title"]
    autocomplete_fields = ["aspiration"]
