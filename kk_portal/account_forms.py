"""Forms a facilitator uses to create officer accounts (no e-mail needed)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import BaseUserCreationForm
from django.utils.translation import gettext_lazy as _

from kk_portal.forms import InputRulesMixin
from kk_portal.permissions import writable
from kk_portal.scoping import Role


class OfficerCreateForm(InputRulesMixin, BaseUserCreationForm):
    """A new officer account for one of the facilitator's groups, with a first password the
    facilitator hands over in person. ``first_name`` holds the whole name."""

    class Meta:
        model = get_user_model()
        fields = ("username", "first_name", "group")
        labels = {"first_name": _("Full name")}

    def __init__(self, *args, facilitator, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.role = Role.OFFICER
        groups = self.fields["group"].queryset
        self.fields["group"].queryset = writable(facilitator, "change", groups).select_related(
            "village"
        )
        self.fields["group"].required = True
        self.fields["first_name"].required = True
        self.fields["username"].widget.attrs.update(autocapitalize="none", autocomplete="off")
