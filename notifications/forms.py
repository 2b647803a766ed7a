"""The form of a user's reminder preference."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from kk_portal.forms import InputRulesMixin
from members.text import normalise_phone
from notifications.models import PHONE_CHANNELS, Channel


class PreferenceForm(InputRulesMixin, forms.Form):
    """Channel, language, and the address or number it needs: SMS and WhatsApp a phone
    (``members.text.normalise_phone``, stored as ``+62…``), e-mail an address."""

    channel = forms.ChoiceField(label=_("Send reminders by"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("Language of the reminders"), choices=settings.LANGUAGES)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=20,
        help_text=_("For SMS and WhatsApp, e.g. 0812 3456 7890."),
    )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone"))

    def clean(self):
        cleaned = super().clean()
        channel = cleaned.get("channel")
        if channel == Channel.EMAIL and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Reminders by e-mail need an e-mail address."))
        if channel in PHONE_CHANNELS and not cleaned.get("phone") and "phone" not in self.errors:
            self.add_error("phone", _("Reminders by SMS or WhatsApp need a phone number."))
        return cleaned
