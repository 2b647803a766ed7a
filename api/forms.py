from django import forms
from django.utils.translation import gettext_lazy as _

from kk_portal.forms import InputRulesMixin


class ApiTokenForm(InputRulesMixin, forms.Form):
    """The name of a new token: which system will use it."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system will use it, e.g. “SIPD export of Bappeda”."),
    )
