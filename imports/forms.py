"""The upload form of an import: what is imported, into which group or regency, the file
and its date format."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Activity
from assistance.models import AssistanceCase
from groups.models import ConstituentGroup, Regency
from imports.models import ImportJob
from kk_portal.forms import InputRulesMixin
from kk_portal.permissions import can, writable
from reses.models import ResesMeeting

#: Largest file accepted (a 20,000-row members sheet is about 2 MB).
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def may_open_cases(user):
    """Whether ``user`` may import cases of assistance: open cases (``"change"`` of
    ``AssistanceCase``) in some group they write for, as the case form asks
    (``assistance.views.case_create``)."""
    return (
        can(user, "change", AssistanceCase) and writable(user, "change", ConstituentGroup).exists()
    )


class UploadForm(InputRulesMixin, forms.Form):
    """Choose, for members, a group (every row goes there) or a regency (each row names its
    group) among those ``user`` writes for, or, for attendance, an activity they record
    attendance of or a reses meeting they manage (``"manage"`` of ``ResesMeeting``), or,
    for reses meetings, the regency they were held in, or, for cases of assistance, one
    group they may open cases in (offered only to those who may: ``may_open_cases``); an
    ``.xlsx`` or ``.csv`` file and the file's date format;
    the uploader confirms the members' consent to be registered."""

    kind = forms.ChoiceField(label=_("What is imported"), choices=ImportJob.Kind.choices)
    group = forms.ModelChoiceField(
        label=_("Into the group"), queryset=ConstituentGroup.objects.none(), required=False
    )
    regency = forms.ModelChoiceField(
        label=_("Or into the regency (each row names its group)"),
        queryset=Regency.objects.none(),
        required=False,
    )
    activity = forms.ModelChoiceField(
        label=_("Attendance of the activity"), queryset=Activity.objects.none(), required=False
    )
    meeting = forms.ModelChoiceField(
        label=_("Attendance of the reses meeting"),
        queryset=ResesMeeting.objects.none(),
        required=False,
    )
    file = forms.FileField(
        label=_("File"), help_text=_(".xlsx or .csv (UTF-8, separated by commas or semicolons).")
    )
    date_format = forms.ChoiceField(
        label=_("Dates in the file are written as"),
        choices=ImportJob.DateFormat.choices,
        initial=ImportJob.DateFormat.DMY,
    )
    consent = forms.BooleanField(
        label=_("The people in this file agreed that their group keeps their data"),
        required=True,
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        groups = writable(user, "change", ConstituentGroup).select_related("village")
        if not may_open_cases(user):
            self.fields["kind"].choices = [
                choice for choice in ImportJob.Kind.choices if choice[0] != ImportJob.Kind.CASES
            ]
        self.fields["group"].queryset = groups.order_by("name")
        self.fields["activity"].queryset = writable(user, "change", Activity).select_related(
            "group"
        )
        self.fields["meeting"].queryset = writable(user, "manage", ResesMeeting).select_related(
            "representative", "village"
        )
        self.fields["regency"].queryset = Regency.objects.filter(
            pk__in=groups.values("village__subdistrict__regency")
        ).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def clean(self):
        cleaned = super().clean()
        group, regency = cleaned.get("group"), cleaned.get("regency")
        kind = cleaned.get("kind")
        if kind == ImportJob.Kind.ATTENDANCE:
            if not cleaned.get("activity"):
                self.add_error("activity", _("Choose the activity."))
            cleaned["group"] = cleaned["regency"] = cleaned["meeting"] = None
        elif kind == ImportJob.Kind.RESES_ATTENDANCE:
            if not cleaned.get("meeting"):
                self.add_error("meeting", _("Choose the reses meeting."))
            cleaned["group"] = cleaned["regency"] = cleaned["activity"] = None
        elif kind == ImportJob.Kind.RESES_MEETINGS:
            if not regency:
                self.add_error("regency", _("Choose the regency where the meetings were held."))
            cleaned["group"] = cleaned["activity"] = cleaned["meeting"] = None
        elif kind == ImportJob.Kind.CASES:
            if not group:
                self.add_error("group", _("Choose the group whose cases these are."))
            cleaned["regency"] = cleaned["activity"] = cleaned["meeting"] = None
        elif bool(group) == bool(regency):
            self.add_error("group", _("Choose either a group or a regency."))
        else:
            cleaned["activity"] = cleaned["meeting"] = None
        return cleaned
