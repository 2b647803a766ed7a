"""Cases in the admin: read only, and only those the administrator may see.

Every change of a case goes through ``assistance.services`` (steps, history, consent), so
the admin changes nothing and deletes nothing. Confidential cases are not listed: an
administrator is outside their circle (only the handling officers and the regency's
facilitator see them).
"""

from django.contrib import admin

from assistance.models import AssistanceCase, CaseStep


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseStepInline(admin.TabularInline):
    model = CaseStep
    fields = ["occurred_on", "kind", "service", "outcome", "follow_up_on", "recorded_by"]
    readonly_fields = fields
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssistanceCase)
class AssistanceCaseAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "group", "kind", "need", "status", "outcome", "opened_on"]
    list_filter = ["kind", "status", "outcome", "group__village__subdistrict__regency"]
    # By group only: the person's name is searched in the product, within the circle.
    search_fields = ["group__name"]
    list_select_related = ["group"]
    inlines = [CaseStepInline]

    def get_queryset(self, request):
        return AssistanceCase.objects.visible_to(request.user).select_related("group")
