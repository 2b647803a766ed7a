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
from aspirations.services import (
    FORUM_LEVELS,
    NEW_FORUM_FIELDS,
    correction_targets,
    new_forum_for,
    targets_for,
)
from aspirations.stages import Stage
from groups.models import Subdistrict, Village
from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin
from kk_portal.permissions import writable

#: Reses meetings (``reses``, an app above this one, reached through the relation).
ResesMeeting = AspirationEvent._meta.get_field("reses_meeting").related_model

#: What a move to each stage asks for besides ``COMMON_FIELDS`` (DESIGN.md, "The
#: aspiration's way"): the forum it happened in, the money, the evidence or the reason.
BUDGET_FIELDS = (
    "amount",
    "fiscal_year",
    "fund_source",
    "implementing_urusan",
    "implementing_agency",
)
STAGE_FIELDS = {
    Stage.CONVEYED: ("reses_meeting",),
    Stage.MUSRENBANG_DESA: ("musrenbang_forum",),
    Stage.MUSRENBANG_KECAMATAN: ("musrenbang_forum",),
    Stage.MUSRENBANG_KABKOTA: ("musrenbang_forum",),
    Stage.BUDGETED: BUDGET_FIELDS,
    Stage.REALISED: ("realised_amount", "evidence"),
    Stage.NOT_ACCOMMODATED: ("reason",),
    Stage.WITHDRAWN: ("reason",),
}
#: What every move asks for; the order of the fields in ``MoveForm`` puts the stage's own
#: fields between the date and the note.
COMMON_FIELDS = ("occurred_on", "note", "document_reference", "attachment")
#: The new forum's fields on a Musrenbang stage's form (``services.NEW_FORUM_FIELDS``).
NEW_FORUM_INPUTS = tuple(f"forum_{name}" for name in NEW_FORUM_FIELDS)


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


class MoveForm(InputRulesMixin, forms.Form):
    """One move of one aspiration to one stage, with only the fields that stage needs.

    The stage is ``to``, a hidden field: posted, or ``initial["to"]`` on the first visit
    (the next-step buttons' ``?to=``). ``stage`` is that ``Stage`` when the user may record
    it (``services.targets_for``), else ``None``: the form then holds only ``to``, and the
    page offers ``targets`` to choose from. A Musrenbang stage's form also holds the fields
    of a new forum (``NEW_FORUM_INPUTS``) where the user may hold one there
    (``services.new_forum_for``), used when no listed forum is chosen.
    """

    to = forms.ChoiceField(
        label=_("New stage"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a stage from the list."),
            "invalid_choice": _("Choose a stage from the list."),
        },
    )
    occurred_on = forms.DateField(
        label=_("Date it happened"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    musrenbang_forum = forms.ModelChoiceField(
        label=_("Musrenbang forum"), queryset=MusrenbangForum.objects.none(), required=False
    )
    forum_held_on = forms.DateField(
        label=_("Date the forum was held"),
        required=False,
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    forum_fiscal_year = forms.IntegerField(
        label=_("fiscal year planned for"), required=False, min_value=2000, max_value=2100
    )
    forum_attendance_female = forms.IntegerField(
        label=_("women attending"), required=False, min_value=0, max_value=100_000
    )
    forum_attendance_male = forms.IntegerField(
        label=_("men attending"), required=False, min_value=0, max_value=100_000
    )
    reses_meeting = forms.ModelChoiceField(
        label=_("At a reses"),
        queryset=ResesMeeting.objects.none(),
        required=False,
        empty_label=_("not at a reses"),
        help_text=_("The reses meeting where it was conveyed, if it was."),
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
        queryset=Urusan.objects.bidang(),
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
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
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

    def __init__(self, *args, aspiration, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = targets_for(aspiration, user)
        self.fields["to"].choices = [(stage.value, stage.label) for stage in self.targets]
        chosen = self.data.get("to") if self.is_bound else self.initial.get("to")
        self.stage = Stage(chosen) if chosen in self.targets else None
        self.new_forum = new_forum_for(aspiration, self.stage, user) if self.stage else None
        keep = {"to"}
        if self.stage is not None:
            keep.update(COMMON_FIELDS, STAGE_FIELDS.get(self.stage, ()))
        if self.new_forum is not None:
            keep.update(NEW_FORUM_INPUTS)
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "musrenbang_forum" in self.fields:
            field = self.fields["musrenbang_forum"]
            field.queryset = forums_for(user, aspiration).filter(level=FORUM_LEVELS[self.stage])
            if self.stage == Stage.MUSRENBANG_KECAMATAN:
                field.help_text = _("Required: the forum where it was discussed.")
        if "reses_meeting" in self.fields:
            self.fields["reses_meeting"].queryset = meetings_for(user, aspiration)
        if self.stage == Stage.NOT_ACCOMMODATED:
            self.fields["reason"].help_text = _("Required: why it was not accommodated.")

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        self.adds_forum = self.new_forum is not None and any(
            str(self.data.get(name, "")).strip() for name in NEW_FORUM_INPUTS
        )
        if not self.adds_forum:
            return cleaned
        if cleaned.get("musrenbang_forum") is not None:
            self.add_error(
                "musrenbang_forum",
                _("Choose a forum from the list or add the forum below, not both."),
            )
        for name, message in (
            ("forum_held_on", _("Enter the date the forum was held.")),
            ("forum_fiscal_year", _("Enter the fiscal year the forum planned for.")),
        ):
            if cleaned.get(name) is None and name not in self.errors:
                self.add_error(name, message)
        return cleaned

    def stage_fields(self):
        """The visible fields in order, without the new forum's (``forum_fields``)."""
        return [field for field in self.visible_fields() if field.name not in NEW_FORUM_INPUTS]

    def forum_fields(self):
        """The new forum's bound fields (``[]`` where the user may not add one here)."""
        return [self[name] for name in NEW_FORUM_INPUTS if name in self.fields]

    def shows_new_forum(self):
        """Whether the new forum's part opens at once: something was typed in it, or no
        forum of this level is listed yet."""
        return bool(self.forum_fields()) and (
            any(self.data.get(name) or self[name].errors for name in NEW_FORUM_INPUTS)
            or not self.fields["musrenbang_forum"].queryset.exists()
        )

    def move_arguments(self):
        """The keyword arguments of ``services.aspiration_move`` from the cleaned data
        (without ``actor``)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in ("attachment", *NEW_FORUM_INPUTS)
        }

    def new_forum_arguments(self):
        """The new forum's fields for ``services.aspiration_move_at_new_forum``, or
        ``None`` when a listed forum (or none) is used."""
        if not self.adds_forum:
            return None
        return {name: self.cleaned_data.get(f"forum_{name}") for name in NEW_FORUM_FIELDS}


class CorrectionForm(InputRulesMixin, forms.Form):
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


class MusrenbangForumForm(InputRulesMixin, forms.ModelForm):
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


class SameNeedForm(InputRulesMixin, forms.Form):
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
