"""The group profile form: what facilitators and officers type about a group."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from groups.models import ConstituentGroup, Village
from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin, TakenError
from kk_portal.permissions import can, writable
from kk_portal.zones import today_in

#: Largest decree scan accepted, in bytes (a phone photo or a scanned page).
MAX_SCAN_BYTES = 5 * 1024 * 1024
#: First bytes of the accepted scans: PDF, JPEG, PNG.
_SCAN_MAGIC = (b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class GroupForm(InputRulesMixin, forms.ModelForm):
    """Edit a group's profile. ``village`` and ``cohort_year`` decide who sees the group:
    offered only to users with the ``"change_scope"`` rule (and on creation, where the
    villages are those the user may ``"found_group"`` in; a tampered id is a 404 upstream).

    Dates are the group's local dates; the founding and status dates cannot lie in the
    future, the status date not before the founding. The decree scan is a PDF, JPEG or PNG
    of at most 5 MB, checked by its first bytes as well as its name.
    """

    class Meta:
        model = ConstituentGroup
        fields = [
            "village",
            "name",
            "cohort_year",
            "founded_on",
            "decree_number",
            "decree_date",
            "decree_scan",
            "status",
            "status_since",
        ]
        widgets = {
            "founded_on": DateInput,
            "decree_date": DateInput,
            "status_since": DateInput,
            "cohort_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "status": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["status"].choices = ConstituentGroup.Status.choices
        self.fields["decree_scan"].validators.append(
            FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])
        )
        self.fields["decree_scan"].help_text = _("PDF, JPEG or PNG, at most 5 MB.")
        if self.instance.pk is None or can(user, "change_scope", self.instance):
            villages = writable(user, "found_group", Village).select_related("subdistrict")
            self.fields["village"].queryset = villages.order_by("name")
        else:
            del self.fields["village"]
            del self.fields["cohort_year"]

    def _today(self):
        village = self.cleaned_data.get("village") or getattr(self.instance, "village", None)
        return today_in(village.subdistrict.regency) if village else None

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write the group's name."))
        return name

    def clean_decree_scan(self):
        scan = self.cleaned_data.get("decree_scan")
        if scan and hasattr(scan, "content_type"):
            if scan.size > MAX_SCAN_BYTES:
                raise forms.ValidationError(_("The scan is larger than 5 MB."))
            head = scan.read(8)
            scan.seek(0)
            if not head.startswith(_SCAN_MAGIC):
                raise forms.ValidationError(_("The scan must be a PDF, JPEG or PNG file."))
        return scan

    def clean(self):
        cleaned = super().clean()
        founded, since = cleaned.get("founded_on"), cleaned.get("status_since")
        today = self._today() if "village" not in self.errors else None
        for name in ("founded_on", "decree_date", "status_since"):
            day = cleaned.get(name)
            if today and day and day > today:
                self.add_error(name, _("This date is in the future."))
        if founded and since and since < founded:
            self.add_error("status_since", _("The status cannot begin before the founding."))
        village, name = cleaned.get("village") or self.instance.village_id, cleaned.get("name")
        if village and name:
            others = ConstituentGroup.objects.filter(village=village, name__iexact=name)
            other = others.exclude(pk=self.instance.pk).first()
            if other:
                # A link to the group where the user may see it, else no name (TakenError).
                text = _("This village already has a group of this name.")
                self.add_error("name", TakenError(text, row=other, user=self.user))
        return cleaned


class GroupCreateForm(SubmissionTokenMixin, GroupForm):
    """``GroupForm`` with the hidden token that makes a double tap create one group."""
