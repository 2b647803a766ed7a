"""Forms of activities, their attendance, budget access and replicated practices."""

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import (
    EARLIEST,
    Activity,
    ActivityTopic,
    BudgetAccess,
    ReplicatedPractice,
)
from aspirations.money import MoneyField
from groups.models import ConstituentGroup
from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin
from kk_portal.permissions import writable
from kk_portal.zones import today_in
from members.models import Member, Sex


def _host_choices(user):
    return writable(user, "change", ConstituentGroup).select_related(
        "village__subdistrict__regency"
    )


class ActivityForm(InputRulesMixin, forms.ModelForm):
    """An activity: the host group (fixed for an officer: their group), the other groups
    taking part (groups of the regencies of the groups the user writes for), kind, topic
    (free text required for "other"), date (not before 2000), place and people."""

    class Meta:
        model = Activity
        fields = [
            "group",
            "kind",
            "topic",
            "topic_text",
            "held_on",
            "place",
            "resource_person",
            "organiser",
            "groups",
        ]
        widgets = {
            "held_on": DateInput,
            "kind": forms.RadioSelect,
            "groups": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        hosts = _host_choices(user)
        self.fields["kind"].choices = self.fields["kind"].choices[1:]
        if self.instance.pk is not None or hosts.count() == 1:
            self.fixed_group = self.instance.group if self.instance.pk else hosts.get()
            del self.fields["group"]
        else:
            self.fixed_group = None
            self.fields["group"].queryset = hosts
        regencies = hosts.values("village__subdistrict__regency")
        self.fields["groups"].queryset = ConstituentGroup.objects.filter(
            village__subdistrict__regency__in=regencies
        )
        self.fields["groups"].label = _("Other groups taking part")
        self.fields["groups"].required = False

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("topic") == ActivityTopic.OTHER
            and not cleaned.get("topic_text", "").strip()
        ):
            self.add_error("topic_text", _("Write the topic in words."))
        day = cleaned.get("held_on")
        if day and day < EARLIEST:
            self.add_error("held_on", _("Write a date from 2000 on."))
        return cleaned

    @property
    def host(self):
        return self.fixed_group or self.cleaned_data.get("group")

    def activity_fields(self):
        """The cleaned values of the model's own fields, for the service functions."""
        names = ("kind", "topic", "topic_text", "held_on", "place", "resource_person", "organiser")
        return {name: self.cleaned_data[name] for name in names}


class ActivityCreateForm(SubmissionTokenMixin, ActivityForm):
    """``ActivityForm`` with the hidden token that makes a double tap record one activity."""


class AttendanceMembersForm(InputRulesMixin, forms.Form):
    """Tick the members present: members of the groups taking part who were in their group
    on the day, not listed yet."""

    members = forms.ModelMultipleChoiceField(
        label=_("Members present"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, activity, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        # Those in their group on the day of the activity, though they may have left since.
        members = (
            Member.objects.in_group_on(activity.held_on)
            .filter(group__in=activity.groups.all(), anonymised_at__isnull=True)
            .exclude(attendance__activity=activity)
        )
        self.fields["members"].queryset = members.select_related("group").order_by(
            "group__name", "name_folded"
        )
        self.fields["members"].label_from_instance = lambda m: f"{m} ({m.group})"


class AttendanceGuestForm(InputRulesMixin, forms.Form):
    """A non-member present: name, sex, poor, disability."""

    full_name = forms.CharField(label=_("Full name"), max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    is_poor = forms.BooleanField(label=_("Poor"), required=False)
    has_disability = forms.BooleanField(label=_("Has a disability"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class BudgetAccessForm(InputRulesMixin, forms.ModelForm):
    """Money a group obtained: the amount typed the Indonesian way (``1.500.000``), a year
    from 2000 to this year (the group's), beneficiaries by sex."""

    amount = MoneyField(label=_("Amount (Rupiah)"))

    class Meta:
        model = BudgetAccess
        fields = ["group", "source", "amount", "year", "purpose", "description", "women", "men"]
        widgets = {
            "year": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "women": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "men": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        hosts = _host_choices(user)
        if self.instance.pk is not None or hosts.count() == 1:
            self.fixed_group = self.instance.group if self.instance.pk else hosts.get()
            del self.fields["group"]
        else:
            self.fixed_group = None
            self.fields["group"].queryset = hosts

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount <= 0:
            raise forms.ValidationError(_("The amount must be more than zero."))
        return amount

    def clean(self):
        cleaned = super().clean()
        group = self.fixed_group or cleaned.get("group")
        year = cleaned.get("year")
        if group and year is not None:
            this_year = today_in(group.regency).year
            if not 2000 <= year <= this_year:
                self.add_error(
                    "year",
                    _("Write a year between 2000 and %(last)d.") % {"last": this_year},
                )
        return cleaned

    @property
    def group(self):
        """The group the money went to: the fixed one, or the one chosen."""
        return self.fixed_group or self.cleaned_data.get("group")


class BudgetAccessCreateForm(SubmissionTokenMixin, BudgetAccessForm):
    """``BudgetAccessForm`` with the hidden token that makes a double tap record one row."""


class PracticeForm(SubmissionTokenMixin, forms.ModelForm):
    """A practice: the group that started it (fixed for one group the user writes for),
    its name, description and start date (not before 2000)."""

    class Meta:
        model = ReplicatedPractice
        fields = ["group", "name", "description", "started_on"]
        widgets = {"started_on": DateInput, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        hosts = _host_choices(user)
        if hosts.count() == 1:
            self.fixed_group = hosts.get()
            del self.fields["group"]
        else:
            self.fixed_group = None
            self.fields["group"].queryset = hosts

    def clean_started_on(self):
        day = self.cleaned_data["started_on"]
        if day < EARLIEST:
            raise forms.ValidationError(_("Write a date from 2000 on."))
        return day

    @property
    def group(self):
        """The group that started the practice: the fixed one, or the one chosen."""
        return self.fixed_group or self.cleaned_data.get("group")


class PracticeAdoptForm(SubmissionTokenMixin, forms.Form):
    """A group the user writes for that took the practice up (not the one that started
    it), and the day it did. A group that took it up already stays offered, so choosing it
    again is told beside the field (``activities.services.practice_adopt``)."""

    group = forms.ModelChoiceField(label=_("Group"), queryset=ConstituentGroup.objects.none())
    adopted_on = forms.DateField(label=_("Taken up on"), widget=DateInput)

    def __init__(self, *args, user, practice, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = (
            _host_choices(user).exclude(pk=practice.group_id).order_by("name")
        )
