"""Form pieces shared by the apps' forms and list filters."""

import uuid

from django import forms
from django.http import Http404
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The phone's date picker; its ISO value (``2024-08-17``) is read in any language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


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


def date_range_form(start, end):
    """A form class for a ``FilterSet``'s ``Meta.form`` whose fields ``start`` and ``end``
    (names of two date fields) make a range: an end before the start is an error beside
    ``end``, as on the dashboard (``dashboards.figures.DashboardFilterForm``)."""

    class DateRangeForm(forms.Form):
        def clean(self):
            data = super().clean()
            if data.get(start) and data.get(end) and data[end] < data[start]:
                self.add_error(end, _("The end of the period is before its start."))
            return data

    return DateRangeForm


def filtered_rows(filterset):
    """The rows a list page shows for ``filterset`` (a ``django_filters.FilterSet`` bound to
    ``request.GET``): its result when every filter is valid, else no rows.

    One behaviour on every list (members, aspirations, reses meetings): an invalid filter
    (an unknown choice, a date that is not a date, an end before the start) shows its
    message beside the field and an empty list, never the unfiltered rows as if it applied.
    """
    if filterset.is_valid():
        return filterset.qs
    return filterset.queryset.none()
