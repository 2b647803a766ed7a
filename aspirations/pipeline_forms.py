"""Forms of the aspiration's way: move, correction and Musrenbang forum.

The forms only shape input; the rules live in ``aspirations.services`` (moves) and in
``MusrenbangForumForm.clean`` (which area belongs to which level).
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from aspirations.attachments import ACCEPT, check_upload
from aspirations.models import Aspiration, AspirationEvent, FundSource, MusrenbangForum, Urusan
from aspirations.money import MoneyField
from aspirations.services import allowed_targets, correction_targets
from groups.models import Subdistrict, Village
from kk_portal.forms import DateInput, SubmissionTokenMixin
from kk_portal.permissions import writable

#: Reses meetings (``reses``, an app above this one, reached through the relation).
ResesMeeting = AspirationEvent._meta.get_field("reses_meeting").related_model

#: Which stage needs which part of the move form (``static/js/move_form.js`` hides the rest).
BUDGET_FIELDS = (
    "amount",
    "fiscal_year",
    "fund_source",
    "implementing_urusan",
    "implementing_agency",
)
REALISED_FIELDS = ("realised_amount", "evidence")


def forums_for(user, aspiration):
    """Musrenbang forums ``user`` sees that concern ``aspiration``'s village, newest first."""
    village = aspiration.village
    return (
        MusrenbangForum.objects.visible_to(user)
        .filter(
            Q(level=MusrenbangForum.Level.DESA, village=village)
            | Q(level=MusrenbangForum.Level.KECAMATAN, subdistrict=village.subdistrict_id)
            | Q(level=MusrenbangForum.Level.KABKOTA, regency=village.subdistrict.regency_id)
        )
        .select_related("village", "subdistrict", "regency")
        .order_by("-held_on", "-pk")
    )


def meetings_for(user, aspiration):
    """Reses meetings ``user`` sees in ``aspiration``'s regency, newest first."""
    return (
        ResesMeeting.objects.visible_to(user)
        .filter(village__subdistrict__regency=aspiration.village.subdistrict.regency_id)
        .select_related("representative", "village")
        .order_by("-starts_at", "-pk")
    )


class MoveForm(forms.Form):
    """One move of one aspiration: target stage, real-world date, forum, note and money."""

    to = forms.ChoiceField(label=_("New stage"))
    occurred_on = forms.DateField(
        label=_("Date it happened"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the aspiration was not accommodated."),
    )
    musrenbang_forum = forms.ModelChoiceField(
        label=_("Musrenbang forum"), queryset=MusrenbangForum.objects.none(), required=False
    )
    reses_meeting = forms.ModelChoiceField(
        label=_("Reses meeting"), queryset=ResesMeeting.objects.none(), required=False
    )
    document_reference = forms.CharField(
        label=_("Document reference"),
        required=False,
        max_length=200,
        help_text=_("For example the number of the minutes, decree or budget document."),
    )
    attachment = forms.FileField(
        label=_("Attach a document or photo"),
        required=False,
        help_text=_("A PDF or a photo (JPEG, PNG, WebP, HEIC), at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    amount = MoneyField(label=_("Amount budgeted (Rp)"), required=False)
    fiscal_year = forms.IntegerField(
        label=_("Fiscal year"), required=False, min_value=2000, max_value=2100
    )
    fund_source = forms.ChoiceField(
        label=_("Source of funds"),
        required=False,
        choices=[("", "---------"), *FundSource.choices],
    )
    implementing_urusan = forms.ModelChoiceField(
        label=_("Implementing agency (urusan)"),
        queryset=Urusan.objects.all(),
        required=False,
    )
    implementing_agency = forms.CharField(
        label=_("Implementing agency (name)"), required=False, max_length=200
    )
    realised_amount = MoneyField(label=_("Amount realised (Rp)"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=300,
        help_text=_("For example a handover report (BAST) number or where the photos are."),
    )

    def __init__(self, *args, aspiration, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "---------")] + [
            (stage.value, stage.label) for stage in allowed_targets(aspiration)
        ]
        self.fields["musrenbang_forum"].queryset = forums_for(user, aspiration)
        self.fields["reses_meeting"].queryset = meetings_for(user, aspiration)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload

    def stage_groups(self):
        """Field groups for the template: (stages that need them or ``""``, bound fields)."""
        common = [
            name for name in self.fields if name not in (*BUDGET_FIELDS, *REALISED_FIELDS, "reason")
        ]
        return [
            ("", [self[name] for name in common]),
            ("not_accommodated withdrawn", [self["reason"]]),
            ("budgeted", [self[name] for name in BUDGET_FIELDS]),
            ("realised", [self[name] for name in REALISED_FIELDS]),
        ]


class CorrectionForm(forms.Form):
    """Set an aspiration back (or reopen it), with the reason: its own timeline event."""

    to = forms.ChoiceField(label=_("Correct stage to"))
    occurred_on = forms.DateField(
        label=_("Date of the correction"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, aspiration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = [("", "---------")] + [
            (stage.value, stage.label) for stage in correction_targets(aspiration)
        ]


class MusrenbangForumForm(forms.ModelForm):
    """A Musrenbang forum in the user's own area.

    The levels and places offered are those the ``"hold_musrenbang"`` write rules of the
    places allow (``MusrenbangForumQuerySet.levels_creatable_by``). An officer picks only the
    level: the area is their group's village or subdistrict. A facilitator picks the level
    and the village or subdistrict of their regency.
    """

    fiscal_year = forms.IntegerField(
        label=_("fiscal year planned for"), min_value=2000, max_value=2100
    )

    class Meta:
        model = MusrenbangForum
        fields = [
            "level",
            "village",
            "subdistrict",
            "held_on",
            "fiscal_year",
            "attendance_female",
            "attendance_male",
            "note",
        ]
        widgets = {"held_on": DateInput(), "note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        forum = self.instance
        levels = MusrenbangForum.objects.levels_creatable_by(user)
        if forum.pk and forum.level not in levels:
            # Editing (the "edit" write rule decided who may): the forum keeps its level
            # and area even for an editor who could not create one there (administrators).
            levels = (*levels, forum.level)
        self.fields["level"].choices = [
            (level, MusrenbangForum.Level(level).label) for level in levels
        ]
        self.fields["held_on"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        #: An officer's forum is in their group's own village or subdistrict: no choice.
        self.fixed_area = bool(user.group_id)
        if self.fixed_area:
            del self.fields["village"]
            del self.fields["subdistrict"]
            group = user.group
            forum.village = group.village
            forum.subdistrict = group.village.subdistrict
            forum.regency = group.village.subdistrict.regency
        else:
            if user.regency_id or not forum.pk:
                forum.regency = user.regency
            villages = writable(user, "hold_musrenbang", Village)
            subdistricts = writable(user, "hold_musrenbang", Subdistrict)
            if forum.pk:
                villages = villages | Village.objects.filter(pk=forum.village_id)
                subdistricts = subdistricts | Subdistrict.objects.filter(pk=forum.subdistrict_id)
            self.fields["village"].queryset = villages.order_by("name")
            self.fields["subdistrict"].queryset = subdistricts.order_by("name")
            self.fields["village"].help_text = _("For a Musrenbang desa.")
            self.fields["subdistrict"].help_text = _("For a Musrenbang kecamatan.")

    def clean(self):
        cleaned = super().clean()
        level = cleaned.get("level")
        if self.fixed_area:
            if level != MusrenbangForum.Level.DESA:
                self.instance.village = None
            return cleaned
        village = cleaned.get("village")
        subdistrict = cleaned.get("subdistrict")
        if level == MusrenbangForum.Level.DESA:
            if village is None:
                self.add_error("village", _("Choose the village of this Musrenbang desa."))
            else:
                cleaned["subdistrict"] = village.subdistrict
        elif level == MusrenbangForum.Level.KECAMATAN:
            cleaned["village"] = None
            if subdistrict is None:
                self.add_error(
                    "subdistrict", _("Choose the subdistrict of this Musrenbang kecamatan.")
                )
        elif level == MusrenbangForum.Level.KABKOTA:
            cleaned["village"] = None
            cleaned["subdistrict"] = None
        return cleaned


class MusrenbangForumCreateForm(SubmissionTokenMixin, MusrenbangForumForm):
    """``MusrenbangForumForm`` with the hidden submission token that stops double taps."""


class SameNeedForm(forms.Form):
    """Pick the aspiration that ``aspiration`` repeats, among its probable duplicates the
    user sees (``AspirationQuerySet.similar_to``: same village and topic, open, similar
    title); ``suggestions`` is that ``[(aspiration, similarity 0-1)]`` list. Any other id is
    a field error, so a tampered form never links beyond the suggestions."""

    same_as = forms.ModelChoiceField(
        label=_("The same need as"),
        queryset=Aspiration.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the suggested aspirations.")},
    )

    def __init__(self, *args, aspiration, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = Aspiration.objects.visible_to(user).similar_to(
            aspiration.title,
            village=aspiration.village_id,
            topic=aspiration.topic_id,
            exclude_pk=aspiration.pk,
        )
        field = self.fields["same_as"]
        field.queryset = Aspiration.objects.filter(pk__in=[a.pk for a, _s in self.suggestions])
        field.label_from_instance = lambda other: f"{other.title} ({other.get_channel_display()})"
