"""Form pieces shared by the apps' create forms."""

import uuid

from django import forms
from django.http import Http404


class SubmissionTokenMixin(forms.Form):
    """Adds a hidden ``submission_token`` (a uuid4) to a create form.

    The token travels with the form; the create service stores it in the row's unique
    ``submission_token`` column, so a double tap on "Simpan" or a resubmission after a
    timeout finds the row already made instead of making a second one (issue 3).
    """

    submission_token = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)


def submitted_before(model, raw_token):
    """The ``model`` row already made with the submission token ``raw_token``, or ``None``.

    Checked before the form is validated: a second tap must lead to the first tap's row,
    not to errors such as "this NIK is already registered" caused by that very row.
    """
    try:
        token = uuid.UUID(str(raw_token))
    except ValueError:
        return None
    return model._default_manager.filter(submission_token=token).first()


def refuse_foreign_choices(form, names):
    """Raise ``Http404`` if a scoped choice field of the bound ``form`` got an id outside the
    choices it offers — an id of another group's row, or of no row at all.

    ``names`` are the fields whose choices come from the user's scope (group, village,
    representative …). A tampered id answers 404, exactly as a URL to someone else's row
    does (issue 3); other mistakes stay form errors beside their field.
    """
    if not form.is_bound:
        return
    errors = form.errors.as_data()
    for name in names:
        if any(error.code == "invalid_choice" for error in errors.get(name, [])):
            raise Http404
