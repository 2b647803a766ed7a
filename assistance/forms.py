"""Forms of the case pages: open a case, edit it, record a step, name its handlers,
withdraw consent. Each form only collects and checks what people type; the rules of a case
are in ``assistance.services``, whose ``ValidationError`` the views put beside the fields.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from aspirations.attachments import MultipleFileField
from assistance.models import (
    KIND_OF_NEED,
    AgeGroup,
    AssistanceCase,
    ConsentBy,
    Kind,
    Service,
    StepKind,
)
from assistance.services import CLOSING_OUTCOMES, handler_candidates
from groups.models import ConstituentGroup, Village
from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin
from kk_portal.permissions import writable
from kk_portal.scoping import Role
from members.models import Member, Sex
from members.text import normalise_phone

#: The consent answer that keeps only an anonymous count.
NO_CONSENT = "none"


def need_choices():
    """The needs grouped under their kind, for a select with one ``<optgroup>`` per kind."""
    grouped = {}
    for need, kind in KIND_OF_NEED.items():
        grouped.setdefault(kind, []).append((need.value, need.label))
    return [("", "---------")] + [(Kind(kind).label, needs) for kind, needs in grouped.items()]


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    """Officers as "name (account) — group", so a facilitator sees whose officer each is."""

    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        return f"{name} ({user.username}) — {user.group}"


def member_choice_label(member):
    """A member as the member picker lists her: the name, then the birth year and the last
    four NIK digits where known, so that two members of one name can be told apart (never
    the whole NIK)."""
    parts = [str(member)]
    if member.birth_year:
        parts.append(_("born %(year)s") % {"year": member.birth_year})
    if member.nik:
        parts.append(_("NIK …%(digits)s") % {"digits": member.nik[-4:]})
    return " · ".join(parts)


class PersonFieldsMixin(InputRulesMixin, forms.Form):
    """The person helped: a member of the group, or a person entered for the case."""

    person_phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("For example 0812-3456-7890."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class CaseForm(SubmissionTokenMixin, PersonFieldsMixin, forms.ModelForm):
    """Open a case for a group ``user`` writes for.

    An officer's group is fixed; a facilitator or administrator picks one of theirs (a
    tampered group, village, member or officer id is an invalid choice, answered with 404 by
    the view). Consent is a required answer: given by the person, by a guardian, or not
    given (then only an anonymous count is kept).
    """

    consent = forms.ChoiceField(
        label=_("Consent to record the case"),
        choices=[
            (ConsentBy.PERSON.value, _("given by the person helped")),
            (ConsentBy.GUARDIAN.value, _("given by a parent or guardian")),
            (NO_CONSENT, _("not given: keep only an anonymous count (kind, month, village)")),
        ],
        widget=forms.RadioSelect,
    )
    consent_given_on = forms.DateField(
        label=_("Consent asked and given on"), required=False, widget=DateInput
    )
    handlers = OfficerChoiceField(
        label=_("Officers handling the case"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "A case of violence is seen only by these officers and the regency's facilitator."
        ),
    )
    files = MultipleFileField(
        label=_("Photos or documents"),
        help_text=_("JPEG, PNG, WebP, HEIC or PDF, up to 10 MB each."),
    )

    class Meta:
        model = AssistanceCase
        fields = [
            "group",
            "need",
            "opened_on",
            "member",
            "person_name",
            "person_sex",
            "person_age_group",
            "person_village",
            "person_phone",
            "person_is_poor",
            "person_has_disability",
            "description",
            "confidential",
        ]
        widgets = {
            "opened_on": DateInput,
            "person_sex": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"person_name": _("Name of the person helped (if not a member)")}
        help_texts = {
            "confidential": _("A case of violence is always confidential."),
            "description": _(
                "Only what the group needs to know to help. It is shown only to those who may "
                "see the case."
            ),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        groups = writable(user, "change", ConstituentGroup).select_related("village")
        self.fields["need"].choices = need_choices()
        self.fields["person_sex"].choices = Sex.choices
        self.fields["person_sex"].required = False
        self.fields["person_age_group"].choices = AgeGroup.choices
        if user.group_id and not user.is_superuser:
            del self.fields["group"]
            subdistricts = [user.group.village.subdistrict_id]
            group_ids = [user.group_id]
        else:
            self.fields["group"].queryset = groups
            subdistricts = groups.values("village__subdistrict")
            group_ids = groups.values("pk")
        self.fields["person_village"].queryset = Village.objects.filter(
            subdistrict__in=subdistricts
        )
        self.fields["member"].queryset = (
            Member.objects.filter(group__in=group_ids, anonymised_at__isnull=True)
            .active()
            .select_related("group")
        )
        self.fields["member"].help_text = _("Leave empty for someone who is not a member.")
        self.fields["member"].label_from_instance = member_choice_label
        handlers = (
            get_user_model()
            .objects.filter(role=Role.OFFICER, is_active=True, group__in=group_ids)
            .select_related("group")
            .order_by("group__name", "first_name", "username")
        )
        if user.role == Role.OFFICER:
            handlers = handlers.exclude(pk=user.pk)
            self.fields["handlers"].label = _("Other officers handling the case")
            self.fields["handlers"].help_text = _(
                "You handle the case. A case of violence is seen only by its handling officers "
                "and the regency's facilitator."
            )
        self.fields["handlers"].queryset = handlers

    def clean_person_phone(self):
        # Normalised by the service; checked here so the message stands beside the field.
        return normalise_phone(self.cleaned_data.get("person_phone"))

    def clean(self):
        cleaned = super().clean()
        consent = cleaned.get("consent")
        if consent and consent != NO_CONSENT and not cleaned.get("consent_given_on"):
            self.add_error("consent_given_on", _("Enter the date consent was given."))
        typed_name = (cleaned.get("person_name") or "").strip()
        if cleaned.get("member") and typed_name:
            # The service takes a member's name from her record: a typed one would be lost.
            self.add_error(
                "person_name",
                _("A member is chosen: leave the name empty, or choose no member."),
            )
        if consent and consent != NO_CONSENT and not cleaned.get("member"):
            # A name refused already (too long) has its own message.
            if not typed_name and "person_name" not in self.errors:
                self.add_error(
                    "person_name", _("Choose the member, or write the name of the person helped.")
                )
            if not cleaned.get("person_sex"):
                self.add_error("person_sex", _("Choose the sex of the person helped."))
        return cleaned

    def service_arguments(self):
        """Keyword arguments of ``services.case_open`` from the cleaned data."""
        data = self.cleaned_data
        consent = data["consent"]
        arguments = {
            name: data[name]
            for name in (
                "need",
                "opened_on",
                "member",
                "person_name",
                "person_sex",
                "person_age_group",
                "person_village",
                "person_phone",
                "person_is_poor",
                "person_has_disability",
                "description",
                "confidential",
            )
        }
        arguments["handlers"] = list(data["handlers"])
        if consent == NO_CONSENT:
            arguments["consent_given_on"] = None
        else:
            arguments["consent_given_on"] = data["consent_given_on"]
            arguments["consent_by"] = consent
        return arguments


class CaseEditForm(PersonFieldsMixin, forms.ModelForm):
    """Edit a case's details. A member's details are edited on the member's page."""

    class Meta:
        model = AssistanceCase
        fields = [
            "need",
            "person_name",
            "person_sex",
            "person_age_group",
            "person_village",
            "person_phone",
            "person_is_poor",
            "person_has_disability",
            "description",
        ]
        widgets = {
            "person_sex": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["need"].choices = need_choices()
        self.fields["person_sex"].choices = Sex.choices
        self.fields["person_age_group"].choices = AgeGroup.choices
        self.fields["person_village"].queryset = Village.objects.filter(
            subdistrict=self.instance.group.village.subdistrict_id
        )
        if self.instance.member_id:
            for name in (
                "person_name",
                "person_sex",
                "person_age_group",
                "person_phone",
                "person_is_poor",
                "person_has_disability",
            ):
                del self.fields[name]
        else:
            self.initial.setdefault("person_phone", self.instance.person_phone)

    def clean_person_phone(self):
        return normalise_phone(self.cleaned_data.get("person_phone"))


#: The fields each step's form asks for, in order.
STEP_FIELDS = {
    StepKind.ACCOMPANIED: ("occurred_on", "service", "note", "files"),
    StepKind.SUBMITTED: ("occurred_on", "service", "note", "files"),
    StepKind.REFERRED: ("occurred_on", "service", "contact", "follow_up_on", "note", "files"),
    StepKind.FOLLOWED_UP: ("occurred_on", "note", "follow_up_on", "service", "files"),
    StepKind.OBTAINED: ("occurred_on", "service", "note", "files"),
    StepKind.REFUSED: ("occurred_on", "service", "note", "files"),
    StepKind.CLOSED: ("occurred_on", "outcome", "note"),
    StepKind.REOPENED: ("occurred_on", "note"),
}


class StepForm(InputRulesMixin, forms.Form):
    """One step of a case; ``kind`` (a ``StepKind`` of ``STEP_FIELDS``) decides its fields."""

    occurred_on = forms.DateField(label=_("Date"), widget=DateInput)
    service = forms.ChoiceField(label=_("Service reached"), required=False)
    contact = forms.CharField(
        label=_("Contact at the service"),
        max_length=200,
        required=False,
        help_text=_("Name and phone of the person the case was referred to."),
    )
    follow_up_on = forms.DateField(label=_("Follow up on"), required=False, widget=DateInput)
    outcome = forms.ChoiceField(label=_("Outcome"), required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    files = MultipleFileField(
        label=_("Photos or documents"),
        help_text=_("JPEG, PNG, WebP, HEIC or PDF, up to 10 MB each."),
    )

    def __init__(self, *args, kind, case, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.kind = StepKind(kind)
        for name in list(self.fields):
            if name not in STEP_FIELDS[self.kind]:
                del self.fields[name]
        self.order_fields(STEP_FIELDS[self.kind])
        if "service" in self.fields:
            self.fields["service"].choices = [("", "---------"), *Service.choices]
        if "outcome" in self.fields:
            self.fields["outcome"].choices = [("", "---------")] + [
                (outcome.value, outcome.label) for outcome in CLOSING_OUTCOMES
            ]
            if case.outcome:
                self.fields["outcome"].help_text = _("Leave empty to keep: %(outcome)s.") % {
                    "outcome": case.get_outcome_display()
                }
        if self.kind == StepKind.FOLLOWED_UP:
            self.fields["follow_up_on"].label = _("Next follow-up on")
            self.fields["note"].label = _("What the follow-up found")
        if self.kind == StepKind.REFUSED:
            self.fields["note"].label = _("Why it was refused")
        if self.kind == StepKind.REOPENED:
            self.fields["note"].label = _("Why the case is reopened")


class HandlersForm(InputRulesMixin, forms.Form):
    """The officers who handle a case: active officers of its group."""

    handlers = OfficerChoiceField(
        label=_("Officers handling the case"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handlers"].queryset = handler_candidates(case.group).select_related("group")


class ConsentWithdrawForm(InputRulesMixin, forms.Form):
    """Withdrawal of consent: the date, and a tick that says it is understood."""

    occurred_on = forms.DateField(label=_("Consent withdrawn on"), widget=DateInput)
    confirm = forms.BooleanField(
        label=_(
            "I understand: the person's details, the description, the steps and the documents "
            "are deleted for good; only the kind, the month and the village stay, for the counts."
        )
    )
