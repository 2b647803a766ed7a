"""Form pieces shared by the apps' forms and list filters."""

import copy
import html
import unicodedata
import uuid

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator
from django.db import IntegrityError, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.renderers import TemplatesSetting
from django.http import Http404, JsonResponse
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _


class FormRenderer(TemplatesSetting):
    """The site's form renderer (``settings.FORM_RENDERER``): every field is drawn by
    ``templates/_field.html`` (label, input, help, then the field's own errors beside it; a
    tick box before its label, radio buttons in a fieldset), whether a template writes
    ``{{ form }}``, ``{{ form.as_div }}`` or ``{{ field.as_field_group }}``; ``{{ form }}``
    draws the form's own errors, its hidden fields, then each field (``templates/_form.html``).
    Templates come from the project's ``TEMPLATES`` setting (``django.forms`` is installed for
    Django's widget templates)."""

    form_template_name = "_form.html"
    field_template_name = "_field.html"


class DateInput(forms.DateInput):
    """The phone's date picker; its ISO value (``2024-08-17``) is read in any language."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LongSelect(forms.Select):
    """A ``<select>`` for hundreds of options (the aspiration list's representatives and
    regions at national scale): the markup of Django's ``select.html`` and
    ``select_option.html`` templates exactly, written here in Python.

    Through the templates every option is an ``{% include %}`` of two templates: 513
    representatives took about 60 ms a page (issue 14). A widget whose options use another
    template (``option_template_name``) is drawn by its templates as usual.
    """

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.Select.template_name or (
            self.option_template_name != forms.Select.option_template_name
        ):
            return super().render(name, value, attrs, renderer)
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape_html(widget["name"])}"{_attributes(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{escape_html(group_name)}">')
            parts.extend(
                f'\n  <option value="{escape_html(str(option["value"]))}"'
                f"{_attributes(option['attrs'])}>{escape_html(localize(option['label']))}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  (every value escaped by escape_html)


def escape_html(value):
    """``conditional_escape`` without its lazy-text wrapper (thousands of calls a page):
    safe HTML as it is, anything else (lazy text included) as escaped text."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attributes(attrs):
    """The attributes as Django's ``attrs.html`` writes them: `` name="value"`` each, only
    the name for ``True``, nothing for ``False``."""
    return "".join(
        f" {escape_html(name)}"
        if value is True
        else f' {escape_html(name)}="{escape_html(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


#: The largest whole number a form field takes where it sets no smaller maximum: the largest
#: PostgreSQL ``integer``, the column of every count, year and order number.
MAX_INTEGER = 2_147_483_647
#: Control characters a text may hold (tab, line feed, carriage return); any other (ESC,
#: BEL, NUL …) is refused: invisible on the page, it breaks the XLSX and PDF exports.
ALLOWED_CONTROL_CHARACTERS = frozenset("\t\n\r")


def refuse_control_characters(value):
    """Raise ``ValidationError`` (code ``"control_character"``) if the text ``value`` holds
    a control character other than tab and line breaks."""
    if any(
        unicodedata.category(char) == "Cc" and char not in ALLOWED_CONTROL_CHARACTERS
        for char in str(value)
    ):
        raise ValidationError(
            _("Remove the invisible control characters from this text (pasted ones, such as ESC)."),
            code="control_character",
        )


class InputRulesMixin:
    """The input rules every form of the site follows, put on its fields when it is made:
    a text field refuses control characters (``refuse_control_characters``; passwords are
    taken as typed); a whole-number field without a maximum gets ``MAX_INTEGER``, shown to
    the phone as the input's ``max`` and in the message, so a value the database cannot hold
    is a message beside the field, not a server error. Put it first among a form's bases."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(
                field.widget, forms.PasswordInput
            ):
                field.validators.append(refuse_control_characters)
            elif isinstance(field, forms.IntegerField) and field.max_value is None:
                field.max_value = self._largest_integer(name)
                field.validators.append(MaxValueValidator(field.max_value))
                field.widget.attrs["max"] = field.max_value

    def _largest_integer(self, name):
        """``MAX_INTEGER``, or less for a model form's field of a smaller PostgreSQL column
        (``smallint``: 32767), whatever database runs the tests."""
        meta = getattr(self, "_meta", None)
        try:
            column = meta.model._meta.get_field(name).get_internal_type()
        except (AttributeError, FieldDoesNotExist):
            return MAX_INTEGER
        limits = BaseDatabaseOperations.integer_field_ranges.get(column, (None, MAX_INTEGER))
        return min(MAX_INTEGER, limits[1])


class YearFilter(django_filters.NumberFilter):
    """A list filter on a year (a year column or ``…__year`` of a date): a whole number
    from 1 to 9999, the years a date can hold; another number is a message beside the
    filter instead of a server error (``datetime.date`` refuses it)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class SubmissionTokenMixin(InputRulesMixin, forms.Form):
    """Adds a hidden ``submission_token`` (a uuid4) to a create form.

    The token travels with the form; the create service stores it in the row's unique
    ``submission_token`` column, so a double tap on "Simpan" or a resubmission after a
    timeout finds the row already made instead of making a second one.
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


def create_once(request, form, model, create, *, scoped_fields=()):
    """Run a create view's POST once per submission token: ``(row, created)``.

    ``form`` is the bound create form (with ``SubmissionTokenMixin``), ``model`` the model it
    makes, ``create(cleaned_data)`` the function that makes the row (with the token) and
    returns it; it runs in one ``transaction.atomic()``. Returns the row made now and
    ``True``; or the row a previous submission with the same token made and ``False`` (a
    second tap on "Simpan", or two taps racing: the loser's ``IntegrityError`` on the unique
    token finds the winner's row); or ``(None, False)`` when the form is invalid, its errors
    to show. A row made before is found before the form is validated, so that the second
    tap is not refused for a duplicate the first tap made. A unique value taken by another
    request at the same moment (``IntegrityError`` without the token's row) is answered as
    a refused form: it is validated again, and its own unique check finds the other row.
    ``scoped_fields`` are passed to
    ``refuse_foreign_choices``: a tampered id there answers 404.
    """
    token = request.POST.get("submission_token")
    row = submitted_before(model, token)
    if row is not None:
        return row, False
    # A form's clean may add or remove fields; the check after a lost race starts afresh.
    fields = copy.deepcopy(form.fields)
    refuse_foreign_choices(form, scoped_fields)
    if not form.is_valid():
        return None, False
    try:
        with transaction.atomic():
            return create(form.cleaned_data), True
    except IntegrityError:
        row = submitted_before(model, form.cleaned_data["submission_token"])
        if row is not None:
            return row, False
        _check_again(form, fields)
        return None, False


def save_checked(form):
    """Save a valid bound ``ModelForm`` of an edit view; ``True`` when saved.

    Another request may take a unique value (a NIK, a group's name in its village) between the
    form's checks and its write, and the database then refuses it (``IntegrityError``): the
    save is undone (a savepoint), the form validated again, and its own unique check now
    finds the other row and says so beside its field; ``False`` then, the errors to show. A
    constraint no form checks stays an error (re-raised). The create views' counterpart is
    ``create_once``.
    """
    fields = copy.deepcopy(form.fields)
    try:
        with transaction.atomic():
            form.save()
        return True
    except IntegrityError:
        _check_again(form, fields)
        return False


def _check_again(form, fields):
    """After an ``IntegrityError`` on ``form``'s write: another request took a unique value (a
    NIK …) between the form's checks and its write. Checked again (``fields`` as they were
    before the first check), the form's own check now finds that row and says so beside its
    field. A constraint no form checks stays an error: the ``IntegrityError`` is re-raised
    (call this inside the ``except``)."""
    form.fields = fields
    form.full_clean()
    if form.is_valid():
        raise  # the IntegrityError being handled by the caller


class TakenError(ValidationError):
    """A form's message that a unique value (a NIK, a group's name in its village) is
    taken by ``row``, an existing row of a model with a ``ScopedQuerySet``.

    ``text`` (plain text) says that it exists. To a ``user`` who may see ``row``
    (``visible_to``) the message, drawn beside the field, also links to it, named by its
    ``__str__``; to anyone else it is ``text`` alone, so that no name outside their scope
    shows. ``url`` is the link (``""`` when not shown) and ``text`` stays plain for the JSON
    answer of drafts (``submission_json``), whose script shows messages as text.
    """

    def __init__(self, text, *, row, user):
        self.text = str(text)
        seen = type(row)._default_manager.visible_to(user).filter(pk=row.pk).exists()
        self.url = row.get_absolute_url() if seen else ""
        message = (
            format_html('{} <a href="{}">{}</a>', self.text, self.url, str(row))
            if seen
            else self.text
        )
        super().__init__(message, code="unique")


def wants_json(request):
    """Whether the request asks for JSON (``Accept: application/json``): the phone's script
    sends drafts so (``static/js/offline.js``), a plain form post gets HTML."""
    return "application/json" in request.headers.get("Accept", "")


def submission_json(form, row, created):
    """The JSON answer of a create view to a draft sent from the phone, after
    ``create_once``: ``(row, created)`` as ``create_once`` returned them.

    - the row made now: status 201, ``{"url": <the row's page>, "created": true}``;
    - the row a previous send with the same token made: status 200, ``"created": false``;
    - a refused form: status 400, ``{"errors": {field name: [message, …]}, "fields": {field
      name: HTML}, "links": {field name: URL}}``, the messages in the user's language and
      plain text, ``"__all__"`` for the form's own errors; ``fields`` draws each refused
      field with its message, for a field the page did not show (the box "This is a
      different person" appears only with its warning); ``links`` the existing row a
      ``TakenError`` names, where the user may see it. The script shows each message beside
      its field and keeps the draft.
    """
    if row is None:
        errors, links = {}, {}
        for name, found in form.errors.as_data().items():
            errors[name] = [getattr(e, "text", None) or next(iter(e)) for e in found]
            links.update((name, e.url) for e in found if getattr(e, "url", ""))
        fields = {name: str(form[name].as_field_group()) for name in errors if name in form.fields}
        return JsonResponse({"errors": errors, "fields": fields, "links": links}, status=400)
    return JsonResponse(
        {"url": row.get_absolute_url(), "created": created}, status=201 if created else 200
    )


def refuse_foreign_choices(form, names):
    """Raise ``Http404`` if a scoped choice field of the bound ``form`` got an id outside the
    choices it offers — an id of another group's row, or of no row at all.

    ``names`` are the fields whose choices come from the user's scope (group, village,
    representative …). A tampered id answers 404, exactly as a URL to someone else's row
    does; other mistakes stay form errors beside their field.
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

    class DateRangeForm(InputRulesMixin, forms.Form):
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


def next_path(request):
    """The ``next`` parameter (POST, else GET) if it is a path of this site (one leading
    "/", not "//" nor "/\\"), else ``""``. Callers redirect to it as a URL, never through
    ``redirect()``'s reversing of view names, so ``next=musrenbang`` cannot raise
    ``NoReverseMatch`` (issue 15)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if (
        target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return target
    return ""
