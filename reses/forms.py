"""Forms of the reses app: meetings (local date and time), agenda, attendance, responses."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aspirations.models import Aspiration, Topic
from groups.models import ConstituentGroup, Village
from kk_portal.forms import InputRulesMixin, SubmissionTokenMixin
from kk_portal.permissions import writable
from kk_portal.zones import local_datetime, zone_label, zone_of
from reses.models import (
    AgendaItem,
    Representative,
    ResesMeeting,
    district_village_ids,
)
from reses.services import check_agenda

#: A date picker sends ISO; people type the Indonesian order (17/08/2024).
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]


class NoColonLabelsMixin:
    """Labels without a trailing colon, as in the members' and aspirations' forms."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class VillageChoiceField(forms.ModelChoiceField):
    """A village labelled "Village, Kec. Subdistrict, Regency": names repeat across the
    programme's 1,156 villages. The queryset must ``select_related("subdistrict__regency")``
    and be ordered by regency, subdistrict and name (``villages_in_order``)."""

    def label_from_instance(self, obj):
        subdistrict = obj.subdistrict
        return f"{obj.name}, {_('Kec.')} {subdistrict.name}, {subdistrict.regency.name}"


def villages_in_order():
    """Villages with their subdistrict and regency, ordered as ``VillageChoiceField`` shows."""
    return Village.objects.select_related("subdistrict__regency").order_by(
        "subdistrict__regency__name", "subdistrict__name", "name"
    )


class RepresentativeChoiceField(forms.ModelChoiceField):
    """A representative labelled "Name — DISTRICT (Party)"; the queryset must
    ``select_related("district")``."""

    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.district.name} ({obj.party})"


class ResesMeetingForm(InputRulesMixin, NoColonLabelsMixin, forms.ModelForm):
    """A meeting with its date and times typed as local values of the village's regency.

    ``starts_at``/``ends_at`` here are times of day; with ``date`` they become aware datetimes
    in the regency's zone (WIT in Kota Ambon, WITA elsewhere), never the browser's or the
    server's zone, so re-saving an unchanged form moves nothing.
    The representatives and villages offered are those the ``"organise_reses"`` write rules
    allow (``kk_portal.permissions``): DPRD staff plan for their own representative (the field
    is then fixed), facilitators in their own regency, administrators in any district.
    """

    date = forms.DateField(
        label=_("Date"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 17/08/2024."),
    )
    starts_at = forms.TimeField(
        label=_("Starts at"),
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    ends_at = forms.TimeField(
        label=_("Ends at"),
        required=False,
        input_formats=TIME_INPUT_FORMATS,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    village = VillageChoiceField(
        label=_("Village"),
        queryset=Village.objects.none(),
        error_messages={
            "invalid_choice": _("Choose a village of the representative's electoral district.")
        },
    )

    class Meta:
        model = ResesMeeting
        fields = [
            "representative",
            "reses_period",
            "village",
            "venue",
            "organising_group",
            "expected_attendance",
            "notes",
        ]
        field_classes = {"representative": RepresentativeChoiceField}

    field_order = [
        "representative",
        "reses_period",
        "village",
        "date",
        "starts_at",
        "ends_at",
        "venue",
        "organising_group",
        "expected_attendance",
        "notes",
    ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        representatives = writable(user, "organise_reses", Representative)
        if user.representative_id and not user.is_superuser:
            # DPRD staff work for one representative: nothing to choose.
            del self.fields["representative"]
            self.instance.representative = user.representative
        else:
            self.fields["representative"].queryset = representatives.select_related("district")
        self.fields["village"].queryset = writable(user, "organise_reses", villages_in_order())
        self.fields["organising_group"].queryset = ConstituentGroup.objects.visible_to(
            user
        ).select_related("village")
        tz_name = self._zone()
        if tz_name:
            zone = zone_label(tz_name)
            self.fields["starts_at"].label = _("Starts at (%(zone)s)") % {"zone": zone}
            self.fields["ends_at"].label = _("Ends at (%(zone)s)") % {"zone": zone}
            self.fields["starts_at"].help_text = _("Local time of the village, %(zone)s.") % {
                "zone": zone
            }
        else:
            self.fields["starts_at"].help_text = _("Local time of the village (WITA or WIT).")
        if self.instance.pk:
            local = timezone.localtime(self.instance.starts_at, zone_of(tz_name))
            self.initial.update(date=local.date(), starts_at=local.time())
            if self.instance.ends_at:
                end = timezone.localtime(self.instance.ends_at, zone_of(tz_name))
                self.initial["ends_at"] = end.time()

    def _zone(self):
        """The zone the times are typed in, when it is already known (else ``None``)."""
        if self.instance.village_id:
            return self.instance.time_zone
        if self.user.regency_id:
            return self.user.regency.time_zone
        representative = self.instance.representative if self.instance.representative_id else None
        if representative and representative.district.regency_id:
            return representative.district.regency.time_zone
        return None

    def clean(self):
        data = super().clean()
        village, day, start = data.get("village"), data.get("date"), data.get("starts_at")
        if village and day and start:
            tz_name = village.subdistrict.regency.time_zone
            self.instance.starts_at = local_datetime(day, start, tz_name)
            end = data.get("ends_at")
            self.instance.ends_at = local_datetime(day, end, tz_name) if end else None
        return data


class ResesMeetingCreateForm(SubmissionTokenMixin, ResesMeetingForm):
    """A new meeting; its hidden submission token stops a double tap making two."""


class AgendaAddForm(InputRulesMixin, NoColonLabelsMixin, forms.Form):
    """Aspirations picked for the agenda; each must concern a village of the district."""

    aspirations = forms.ModelMultipleChoiceField(
        label=_("Aspirations"),
        queryset=Aspiration.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("One of the chosen aspirations is closed or outside your scope.")
        },
    )

    def __init__(self, *args, meeting, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["aspirations"].queryset = queryset

    def clean_aspirations(self):
        chosen = list(self.cleaned_data["aspirations"])
        check_agenda(self.meeting, chosen)
        return chosen


class CandidateFilterForm(InputRulesMixin, NoColonLabelsMixin, forms.Form):
    """Narrow the agenda builder's candidates to one village and/or topic of the district.

    The village comes from the links of the builder's list of villages (a hidden field
    here): as a ``<select>`` the 852 villages of the largest district weighed more than the
    rest of the page. A village outside the district is not a valid choice."""

    village = forms.ModelChoiceField(
        queryset=Village.objects.none(), required=False, widget=forms.HiddenInput
    )
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.all(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Village.objects.filter(
            pk__in=district_village_ids(meeting.representative_id)
        )

    @property
    def chosen_village(self):
        """The chosen ``Village``, or ``None``."""
        return self.cleaned_data["village"] if self.is_valid() else None

    def filter(self, candidates):
        """``candidates`` narrowed by the chosen village and topic (unchanged if invalid)."""
        if not self.is_valid():
            return candidates
        for field in ("village", "topic"):
            if self.cleaned_data[field] is not None:
                candidates = candidates.filter(**{field: self.cleaned_data[field]})
        return candidates


class AgendaItemOrderForm(InputRulesMixin, forms.ModelForm):
    """Order and acceptance of one agenda item, in the staff's agenda builder."""

    class Meta:
        model = AgendaItem
        fields = ["order", "accepted"]
        widgets = {"order": forms.NumberInput(attrs={"min": 0, "class": "order"})}


class BaseAgendaOrderFormSet(forms.BaseModelFormSet):
    """The agenda's items; one with a recorded response cannot be removed (its timeline
    event names this meeting)."""

    def clean(self):
        super().clean()
        # The page sends one form per item already there (no blank ones); other counts in the
        # management form (a negative INITIAL_FORMS …) are a tampered or stale post.
        if self.initial_form_count() != self.total_form_count():
            raise ValidationError(_("The agenda has changed; reload the page and try again."))
        for form in self.deleted_forms:
            if form.instance.response:
                raise ValidationError(
                    _(
                        "“%(title)s” has the representative's response recorded; it stays on "
                        "the agenda."
                    )
                    % {"title": form.instance.aspiration.title}
                )


AgendaOrderFormSet = forms.modelformset_factory(
    AgendaItem,
    form=AgendaItemOrderForm,
    formset=BaseAgendaOrderFormSet,
    extra=0,
    edit_only=True,
    can_delete=True,
)


class AttendanceForm(InputRulesMixin, NoColonLabelsMixin, forms.Form):
    """Attendance counts of people; the poor and disabled are part of the women and men."""

    attendance_female = forms.IntegerField(label=_("Women attending"), min_value=0)
    attendance_male = forms.IntegerField(label=_("Men attending"), min_value=0)
    attendance_poor = forms.IntegerField(label=_("Poor attending"), min_value=0, required=False)
    attendance_disability = forms.IntegerField(
        label=_("People with disability attending"), min_value=0, required=False
    )

    def clean(self):
        data = super().clean()
        errors = ResesMeeting.attendance_errors(
            data.get("attendance_female"),
            data.get("attendance_male"),
            data.get("attendance_poor"),
            data.get("attendance_disability"),
        )
        for field, message in errors.items():
            self.add_error(field, message)
        return data


class ResponseForm(InputRulesMixin, NoColonLabelsMixin, forms.Form):
    """The representative's response to one agenda item, with a note."""

    response = forms.ChoiceField(
        label=_("Response"),
        choices=[("", _("not yet"))] + list(AgendaItem.Response.choices),
        required=False,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item
