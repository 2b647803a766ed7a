"""Form pieces shared by the apps' create forms."""

import uuid

from django import forms


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
