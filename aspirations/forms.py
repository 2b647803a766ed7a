"""Forms to log and edit aspirations on a phone, with photos and documents."""

import re

from django import forms
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aspirations.attachments import MultipleFileField
from aspirations.models import Aspiration, Beneficiary, Urusan
from aspirations.money import MoneyField
from aspirations.services import check_raised_on
from aspirations.topics import PROTECTION_SLUG
from groups.models import ConstituentGroup, Village
from kk_portal.forms import DateInput, InputRulesMixin, SubmissionTokenMixin
from kk_portal.permissions import writable


def refuse_implausible_raised_on(form, group, raised_on):
    """Put ``services.check_raised_on``'s refusal of the date raised ``raised_on`` for
    ``group`` beside the fields of ``form`` (whose instance, if saved, is the aspiration);
    nothing when either is missing. The edit page's form and the admin's use it."""
    if group is None or raised_on is None:
        return
    try:
        check_raised_on(group, raised_on, aspiration=form.instance if form.instance.pk else None)
    except forms.ValidationError as error:
        form.add_error(None, error)


#: A 16-digit NIK, or an Indonesian mobile number (08…, +62 8…, 62 8…) however spaced.
PERSONAL_NUMBER = re.compile(
    r"(?<!\d)\d{16}(?!\d)|(?<![\d.,])(?:\+\s?62|62|0)[\s\-]?8\d(?:[\s\-]?\d){6,11}(?!\d)"
)


def check_no_personal_numbers(text, field):
    """Raise ``ValidationError({field: …})`` if ``text`` holds a NIK or a phone number.

    Aspirations about protection of women and children are read by programme and DPRD
    staff; who suffered violence belongs in a confidential case of assistance. Names cannot
    be told from other words, so the form says so in words too
    (``aspirations/aspiration_form.html``).
    """
    if text and PERSONAL_NUMBER.search(text):
        raise forms.ValidationError(
            {
                field: _(
                    "Remove the NIK or phone number: an aspiration about protection of women "
                    "and children carries no personal identifiers. Record the person in a "
                    "confidential case of assistance."
                )
            }
        )


#: What SIPD's e-Pokir asks for (``aspirations.sipd``), set when editing, before Pokir.
SIPD_FIELDS = ("hamlet", "volume", "volume_unit", "estimated_cost")


class AspirationForm(InputRulesMixin, forms.ModelForm):
    """Log or edit an aspiration for a group ``user`` writes for.

    An officer's group is fixed; a facilitator picks one of their regency's groups. The
    village must lie in the group's subdistrict (checked here, so a tampered village id is a
    form error). The urusan follows the topic's default unless staff change it when editing,
    to a bidang (``Urusan.objects.bidang``).
    The date raised follows ``aspirations.services.check_raised_on``. An aspiration about
    protection of women and children may hold no NIK or phone number
    (``check_no_personal_numbers``).
    """

    estimated_cost = MoneyField(label=_("Estimated cost (Rp)"), required=False)
    files = MultipleFileField(
        label=_("Photos or documents"),
        help_text=_("JPEG, PNG, WebP, HEIC or PDF, up to 10 MB each."),
    )

    class Meta:
        model = Aspiration
        fields = [
            "group",
            "title",
            "description",
            "topic",
            "urusan",
            "village",
            "channel",
            "raised_on",
            "addressed_to",
            "representative",
            *(beneficiary.flag for beneficiary in Beneficiary),
            *SIPD_FIELDS,
        ]
        widgets = {"raised_on": DateInput, "description": forms.Textarea(attrs={"rows": 2})}
        labels = {b.flag: b.label for b in Beneficiary}

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user
        groups = writable(user, "change", ConstituentGroup).select_related("village")
        if self.instance.pk is not None or user.group_id:
            del self.fields["group"]
            group = self.instance.group if self.instance.pk else user.group
            subdistricts = [group.village.subdistrict_id]
        else:
            self.fields["group"].queryset = groups
            subdistricts = groups.values("village__subdistrict")
        self.fields["village"].queryset = Village.objects.filter(subdistrict__in=subdistricts)
        if self.instance.pk is None:
            # One screen on a phone: routing and addressing are set later, when editing.
            for name in ("urusan", "addressed_to", "representative", *SIPD_FIELDS):
                del self.fields[name]
        else:
            field = self.fields["representative"]
            field.queryset = field.queryset.visible_to(user)
            self.fields["urusan"].queryset = Urusan.objects.bidang()

    def clean(self):
        cleaned = super().clean()
        group = cleaned.get("group") or (
            self.instance.group if self.instance.pk else self.user.group
        )
        village = cleaned.get("village")
        if group and village and village.subdistrict_id != group.village.subdistrict_id:
            self.add_error("village", _("Choose a village in the group's subdistrict."))
        topic = cleaned.get("topic")
        if topic is not None and topic.slug == PROTECTION_SLUG:
            for name in ("title", "description"):
                try:
                    check_no_personal_numbers(cleaned.get(name), name)
                except forms.ValidationError as error:
                    self.add_error(None, error)
        refuse_implausible_raised_on(self, group, cleaned.get("raised_on"))
        return cleaned


#: The choice that says a new aspiration is not one of the probable duplicates shown.
DIFFERENT = "different"


class AspirationCreateForm(SubmissionTokenMixin, AspirationForm):
    """``AspirationForm`` with the hidden submission token that stops double taps, and the
    duplicate guard: when the typed title, village and topic match open aspirations the
    user sees (``AspirationQuerySet.similar_to``), the form asks, before saving, whether
    the new one is the same need as one of them (``same_need`` = its pk: it is saved and
    linked, ``services.aspiration_link_duplicate``) or a different one (``DIFFERENT``).
    ``suggestions`` holds ``[(aspiration, similarity)]``; ``same_as`` in ``cleaned_data``
    the aspiration chosen, or ``None``."""

    same_need = forms.ChoiceField(
        label=_("Probably recorded already: is this the same need?"),
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = self._suggestions() if self.is_bound else []
        if not self.suggestions:
            del self.fields["same_need"]
            return
        field = self.fields["same_need"]
        field.choices = [
            (
                str(row.pk),
                format_html(
                    '<span>{} <a href="{}">{}</a> <span class="muted">({}, {}, {})</span></span>',
                    _("The same need as"),
                    row.get_absolute_url(),
                    row.title,
                    row.get_stage_display(),
                    date_format(row.raised_on, "j F Y"),
                    row.get_channel_display(),
                ),
            )
            for row, _score in self.suggestions
        ] + [(DIFFERENT, _("This is a different need"))]
        # Shown first: the question comes before the fields it is about.
        self.fields = {"same_need": field} | {
            k: v for k, v in self.fields.items() if k != "same_need"
        }

    def _suggestions(self):
        """Probable duplicates of the typed title, village and topic (raw values: the
        question is asked on the same submission that fails it)."""
        title = (self.data.get("title") or "").strip()
        village = _row_or_none(self.fields["village"].queryset, self.data.get("village"))
        topic = _row_or_none(self.fields["topic"].queryset, self.data.get("topic"))
        if not title or village is None or topic is None:
            return []
        return Aspiration.objects.visible_to(self.user).similar_to(
            title, village=village, topic=topic
        )

    def clean(self):
        cleaned = super().clean()
        cleaned["same_as"] = None
        if self.suggestions:
            chosen = cleaned.get("same_need")
            if not chosen:
                self.add_error(
                    "same_need",
                    _(
                        "This looks like an aspiration already recorded: say whether it is "
                        "the same need or a different one."
                    ),
                )
            elif chosen != DIFFERENT:
                cleaned["same_as"] = next(
                    row for row, _score in self.suggestions if str(row.pk) == chosen
                )
        return cleaned


def _row_or_none(queryset, pk):
    """The row of ``queryset`` with primary key ``pk`` (a raw form value), or ``None``."""
    if not str(pk or "").isdigit():
        return None
    return queryset.filter(pk=pk).first()


class AspirationIdsField(forms.Field):
    """The ids of the aspirations ticked on the list (checkboxes named after the field), as
    a sorted list of ``int``; the list page draws the checkboxes itself."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": _("Tick the aspirations to record first."),
        "invalid": _("The selection could not be read; tick the aspirations again."),
    }

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(pk) for pk in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class BulkPokirForm(InputRulesMixin, forms.Form):
    """Record "taken into Pokir" for the aspirations ticked on the list: one date (in each
    group's zone), one document number (the Pokir document) and an optional note, passed to
    ``services.aspirations_move_bulk``, which says which rows may move."""

    aspiration = AspirationIdsField()
    occurred_on = forms.DateField(
        label=_("taken into Pokir on"), widget=DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"]
    )
    document_reference = forms.CharField(
        label=_("Pokir document number"),
        max_length=200,
        help_text=_("Recorded on each aspiration's timeline."),
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
