import re

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from kk_portal.admin_lists import LargeTableAdmin
from reses.models import (
    AgendaItem,
    DistrictVillage,
    ElectoralDistrict,
    Representative,
    ResesAttendance,
    ResesMeeting,
)
from reses.services import district_add_villages


class AddVillagesForm(forms.Form):
    """Regency, subdistrict or village codes whose villages join a district."""

    codes = forms.CharField(
        label=_("Kemendagri codes"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Regency (81.71), subdistrict (81.71.02) or village (81.71.02.2003) codes, "
            "separated by commas, spaces or new lines. All villages under each code are added."
        ),
    )

    def clean_codes(self):
        codes = [c for c in re.split(r"[\s,;]+", self.cleaned_data["codes"]) if c]
        bad = [c for c in codes if not re.fullmatch(r"[0-9]{2}(\.[0-9]{2}){1,2}(\.[0-9]{4})?", c)]
        if bad:
            raise ValidationError(
                _("Not a regency, subdistrict or village code: %(codes)s.")
                % {"codes": ", ".join(bad)}
            )
        return codes


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
    actions = ["add_villages"]

    def get_urls(self):
        return [
            path(
                "<int:pk>/add-villages/",
                self.admin_site.admin_view(self.add_villages_view),
                name="reses_electoraldistrict_add_villages",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Add all villages of regencies or subdistricts"))
    def add_villages(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one district."), messages.ERROR)
            return None
        return redirect("admin:reses_electoraldistrict_add_villages", pk=queryset.get().pk)

    def add_villages_view(self, request, pk):
        """Add every village under the typed regency/subdistrict codes to one district."""
        district = get_object_or_404(ElectoralDistrict, pk=pk)
        if not self.has_change_permission(request, district):
            raise PermissionDenied
        form = AddVillagesForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                added = district_add_villages(district, form.cleaned_data["codes"])
            except ValidationError as error:
                form.add_error("codes", error)
            else:
                self.message_user(
                    request,
                    _("%(count)s villages added to %(district)s.")
                    % {"count": added, "district": district},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:reses_electoraldistrict_change", args=[pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "district": district,
            "form": form,
            "title": _("Add villages to %(district)s") % {"district": district},
        }
        return TemplateResponse(request, "reses/admin_add_villages.html", context)


@admin.register(Representative)
class RepresentativeAdmin(admin.ModelAdmin):
    list_display = ["full_name", "sex", "party", "district", "term_start", "term_end"]
    list_filter = ["sex", "party", "district__legislature"]
    list_select_related = ["district"]
    search_fields = ["full_name", "party", "district__name"]
    autocomplete_fields = ["district"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "full_name",
                    "sex",
                    "party",
                    "district",
                    "term_start",
                    "term_end",
                    "commission",
                ]
            },
        ),
        (_("Letterhead of the agenda pack"), {"fields": ["office_name", "office_address"]}),
    ]


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    autocomplete_fields = ["aspiration"]


@admin.register(ResesMeeting)
class ResesMeetingAdmin(LargeTableAdmin):
    list_display = [
        "reses_period",
        "representative",
        "village",
        "starts_at",
        "attendance_female",
        "attendance_male",
    ]
    list_filter = ["reses_period", "village__subdistrict__regency", "starts_at"]
    list_select_related = ["representative", "village"]
    search_fields = ["reses_period", "venue", "representative__full_name", "village__name"]
    autocomplete_fields = ["representative", "village", "organising_group"]
    inlines = [AgendaItemInline]


@admin.register(ResesAttendance)
class ResesAttendanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "meeting", "sex", "is_poor", "has_disability", "recorded_at"]
    list_filter = ["sex", "is_poor", "has_disability"]
    list_select_related = ["meeting__representative", "meeting__village", "member"]
    search_fields = ["full_name", "member__full_name"]
    raw_id_fields = ["meeting", "member", "recorded_by"]
    exclude = ["name_folded"]
