"""Forms for members: what officers really type, normalised before it is stored."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin, TakenError
from kk_portal.permissions import writable
from kk_portal.zones import today_in
from members.models import (
    DEFAULT_CONSENT_PURPOSE,
    Member,
    OfficerTerm,
    PublicRole,
    Sex,
)
from members.text import check_birth_year, clean_name, normalise_nik, normalise_phone


class MemberForm(InputRulesMixin, forms.ModelForm):
    """Edit a member. ``user`` decides the group choices: an officer's group is fixed; a
    facilitator picks one of their regency's groups (a tampered group id is a form error).

    Names are kept as typed (trimmed; ``Hj.``, ``S.Pd.`` and single names are fine); phones
    are stored as ``+62…``; a NIK as 16 digits of text, unique where given.
    """

    # Wider than the stored columns: people type spaces, dashes and +62 (normalised below).
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    nik = forms.CharField(
        label=_("NIK"),
        max_length=30,
        required=False,
        help_text=_("16 digits, if known."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The member agrees that the group keeps their data"), required=True
    )

    class Meta:
        model = Member
        fields = [
            "group",
            "full_name",
            "sex",
            "birth_year",
            "nik",
            "phone",
            "address",
            "position",
            "is_poor",
            "poverty_evidence",
            "has_disability",
            "joined_on",
            "left_on",
            "consent_purpose",
        ]
        widgets = {
            "sex": forms.RadioSelect,
            "joined_on": DateInput,
            "left_on": DateInput,
            "birth_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        # A radio list needs no "choose one" entry.
        self.fields["sex"].choices = Sex.choices
        if user.group_id:
            del self.fields["group"]
        else:
            groups = writable(user, "change", self.fields["group"].queryset)
            self.fields["group"].queryset = groups.select_related("village")
        if self.instance.pk is None:
            del self.fields["left_on"]
        if self.instance.consent_given_on:
            # Consent is withdrawn by anonymising, not by unticking a box.
            del self.fields["consent"]
        # Left empty, the purpose is the default one the member is told (DEFAULT_CONSENT_PURPOSE).
        self.fields["consent_purpose"].required = False
        self.fields["full_name"].help_text = _("As the person writes it, with titles.")
        self.fields["phone"].help_text = _("For example 0812-3456-7890.")

    def clean_full_name(self):
        name = clean_name(self.cleaned_data["full_name"])
        if not name:
            raise forms.ValidationError(_("Write the member's name."))
        return name

    def clean_consent_purpose(self):
        purpose = " ".join((self.cleaned_data.get("consent_purpose") or "").split())
        return purpose or DEFAULT_CONSENT_PURPOSE

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean_nik(self):
        nik = normalise_nik(self.cleaned_data.get("nik"))
        other = nik and Member.objects.filter(nik=nik).exclude(pk=self.instance.pk).first()
        if other:
            # A link to the member where the user may see them, else no name (TakenError).
            raise TakenError(
                _("A member with this NIK is already registered."), row=other, user=self.user
            )
        return nik

    def clean_birth_year(self):
        return check_birth_year(self.cleaned_data.get("birth_year"), timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        joined, left = cleaned.get("joined_on"), cleaned.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("A member cannot leave before joining."))
        return cleaned

    def save(self, commit=True):
        if self.cleaned_data.get("consent") and not self.instance.consent_given_on:
            self.instance.consent_given_on = timezone.localdate()
        return super().save(commit=commit)


class MemberCreateForm(SubmissionTokenMixin, MemberForm):
    """``MemberForm`` with the hidden submission token that stops double taps, and a
    warning when the group already has a member with the same name and birth year
    (``MemberQuerySet.probable_duplicates``): saving then needs the box
    "This is a different person" ticked. The box is offered only with that warning.
    """

    different_person = forms.BooleanField(label=_("This is a different person"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        if not self.is_bound:
            del self.fields["different_person"]

    def clean(self):
        cleaned = super().clean()
        group = self.user.group if self.user.group_id else cleaned.get("group")
        duplicates = Member.objects.probable_duplicates(
            group, cleaned.get("full_name"), cleaned.get("birth_year")
        )
        names = [member.full_name for member in duplicates[:3]]
        if not names:
            del self.fields["different_person"]
        elif not cleaned.get("different_person"):
            self.add_error(
                "different_person",
                _(
                    "This group already has a member with this name and birth year: "
                    "%(names)s. If this is the same person, do not register them again; if "
                    "it is a different person, tick the box."
                )
                % {"names": ", ".join(names)},
            )
        return cleaned


class OfficerTermForm(InputRulesMixin, forms.Form):
    """Start an officer term in ``group``: one of its active members, a position, a start
    date (the group's local date, not in the future)."""

    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    position = forms.ChoiceField(
        label=_("Position"), choices=OfficerTerm.Position.choices, widget=forms.RadioSelect
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput)

    def __init__(self, *args, group, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["member"].queryset = group.members.filter(
            left_on__isnull=True, anonymised_at__isnull=True
        )

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        if day > today_in(self.group.regency):
            raise forms.ValidationError(_("This date is in the future."))
        return day


class OfficerTermEndForm(InputRulesMixin, forms.Form):
    """End an officer term on a date, not before its start nor in the future."""

    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput)

    def __init__(self, *args, term, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.term = term

    def clean_ended_on(self):
        day = self.cleaned_data["ended_on"]
        if day < self.term.started_on:
            raise forms.ValidationError(_("The end date is before the start date."))
        if day > today_in(self.term.group.regency):
            raise forms.ValidationError(_("This date is in the future."))
        return day


class PublicRoleForm(InputRulesMixin, forms.ModelForm):
    """A member's public role; its rules (a candidacy's party and election year, the end
    not before the start, the result only for candidacies) are ``PublicRole.clean``."""

    class Meta:
        model = PublicRole
        fields = [
            "kind",
            "description",
            "party",
            "election_year",
            "result",
            "started_on",
            "ended_on",
        ]
        widgets = {
            "started_on": DateInput,
            "ended_on": DateInput,
            "election_year": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["party"].help_text = _("For candidates only.")


class PublicRoleCreateForm(SubmissionTokenMixin, PublicRoleForm):
    """``PublicRoleForm`` with the hidden token that makes a double tap record one role."""


class AnonymiseForm(InputRulesMixin, forms.Form):
    """Erase a member's personal data: why (kept in the access log) and a ticked box."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the member asked for it, or withdrew consent."),
        error_messages={"required": _("Write why the member's data is erased.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that the name, NIK, phone and address are removed for good"),
        required=True,
    )
