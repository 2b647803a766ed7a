"""The admin of aspirations. What the dashboard's summary tables count is never edited beside
the write functions: aspirations are created, edited and deleted through
``aspirations.services`` (which keep the summaries in step), their stage is read-only (it moves
on the aspiration's way), and budget outcomes keep their amounts and years read-only (they are
written by moves to "budgeted" and "realised", and removed by corrections)."""

from django import forms
from django.contrib import admin

from aspirations import services
from aspirations.forms import refuse_implausible_raised_on
from aspirations.models import (
    Aspiration,
    AspirationEvent,
    Attachment,
    BudgetOutcome,
    MusrenbangForum,
    Topic,
    Urusan,
)
from kk_portal.admin_lists import LargeTableAdmin


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


class AspirationAdminForm(forms.ModelForm):
    """The admin's aspiration form: the date raised follows ``services.check_raised_on``, as
    on the edit page, so that a refused date is a message beside the field."""

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("group") or getattr(self.instance, "group", None)
        refuse_implausible_raised_on(self, group, cleaned.get("raised_on"))
        return cleaned


@admin.register(Aspiration)
class AspirationAdmin(LargeTableAdmin):
    form = AspirationAdminForm
    list_display = ["title", "group", "village", "topic", "channel", "stage", "raised_on"]
    list_filter = [
        "stage",
        "channel",
        "topic",
        "group__village__subdistrict__regency",
        "raised_on",
    ]
    list_select_related = ["group", "village", "topic"]
    search_fields = ["title", "description", "group__name", "village__name"]
    autocomplete_fields = ["group", "village", "urusan", "representative", "carried_over_from"]
    # The stage moves only through aspirations.services, which writes the timeline.
    readonly_fields = [
        "stage",
        "stage_changed_on",
        "furthest_rank",
        "stopped_at",
        "recorded_by",
        # Linked through services.aspiration_link_duplicate, which checks the village.
        "duplicate_of",
    ]
    inlines = [EventInline]

    def save_model(self, request, obj, form, change):
        """Save through ``services.aspiration_update`` (or ``aspiration_create`` for a new
        one), which keep the dashboard's summaries in step."""
        if change:
            fields = {name: form.cleaned_data[name] for name in form.changed_data}
            services.aspiration_update(obj, actor=request.user, **fields)
            return
        fields = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "group"}
        created, _new = services.aspiration_create(
            group=form.cleaned_data["group"], actor=request.user, **fields
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        services.aspiration_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for aspiration in queryset:
            services.aspiration_delete(aspiration, actor=request.user)


@admin.register(AspirationEvent)
class AspirationEventAdmin(LargeTableAdmin):
    list_display = ["aspiration", "kind", "from_stage", "to_stage", "occurred_on", "recorded_by"]
    list_filter = ["kind", "to_stage", "fund_source", "occurred_on"]
    list_select_related = ["aspiration", "recorded_by"]
    search_fields = ["aspiration__title", "note", "reason"]
    # Newest first by the primary key: the model's order (day, time recorded) has no index
    # over all 6.3 million events.
    ordering = ["-pk"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MusrenbangForum)
class MusrenbangForumAdmin(admin.ModelAdmin):
    list_display = ["__str__", "level", "regency", "held_on", "fiscal_year"]
    list_filter = ["level", "fiscal_year", "regency"]
    search_fields = ["village__name", "subdistrict__name", "regency__name"]
    autocomplete_fields = ["village", "subdistrict", "regency"]
    # Who recorded the forum decides who may edit it on the site; it is not re-assigned here.
    readonly_fields = ["created_by"]


@admin.register(BudgetOutcome)
class BudgetOutcomeAdmin(LargeTableAdmin):
    """Budget outcomes come from moves to "budgeted"; here only the agency's name and the
    evidence can be corrected."""

    list_display = ["aspiration", "source", "fiscal_year", "amount", "realised_amount"]
    list_filter = ["source", "fiscal_year"]
    list_select_related = ["aspiration"]
    # Newest first by the primary key, which has an index; the model's order has none.
    ordering = ["-pk"]
    search_fields = ["aspiration__title", "implementing_agency"]
    readonly_fields = [
        "aspiration",
        "source",
        "fiscal_year",
        "amount",
        "realised_amount",
        "realised_on",
        "implementing_urusan",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "aspiration", "content_type", "size", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "aspiration__title"]
    autocomplete_fields = ["aspiration"]
