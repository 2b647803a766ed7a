"""The input rules every form follows (``kk_portal.forms.InputRulesMixin``): no control
characters in text, a maximum on every whole number."""

import pytest
from django import forms
from django.urls import reverse

from activities.forms import BudgetAccessForm
from aspirations.models import Aspiration
from kk_portal.forms import MAX_INTEGER, InputRulesMixin
from tests.aspirations.conftest import topic  # noqa: F401 (the fixture)
from tests.aspirations.test_attachments import _data
from tests.conftest import PERSONA_USERS


class _Form(InputRulesMixin, forms.Form):
    name = forms.CharField()
    note = forms.CharField(widget=forms.Textarea, required=False)
    count = forms.IntegerField()
    small = forms.IntegerField(max_value=10)
    secret = forms.CharField(widget=forms.PasswordInput, required=False)


@pytest.mark.parametrize("text", ["Air\x1bbersih", "Air bersih\x07", "a\x7fb", "a\x85b"])
def test_text_with_a_control_character_refused(text):
    form = _Form({"name": text, "count": "1", "small": "1"})

    assert form.errors["name"] == [
        "Hapus karakter kontrol tak terlihat dari teks ini (yang ikut tersalin, misalnya ESC)."
    ]


def test_tabs_and_line_breaks_kept_and_passwords_taken_as_typed():
    form = _Form(
        {
            "name": "Air bersih",
            "note": "Satu\r\n\tdua",
            "count": "1",
            "small": "1",
            "secret": "a\x1b",
        }
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "Satu\r\n\tdua"


def test_whole_number_without_maximum_gets_the_database_one_and_says_so():
    form = _Form({"name": "a", "count": str(MAX_INTEGER + 1), "small": "11"})

    assert form.errors["count"] == [
        "Pastikan nilai ini lebih kecil dari atau sama dengan 2147483647."
    ]
    assert form.errors["small"] == ["Pastikan nilai ini lebih kecil dari atau sama dengan 10."]
    assert 'max="2147483647"' in str(form["count"])
    assert _Form({"name": "a", "count": str(MAX_INTEGER), "small": "10"}).is_valid()


def test_aspiration_title_with_escape_refused_and_nothing_saved(officer, world, topic):  # noqa: F811
    response = officer.post(
        reverse("aspirations:create"), _data(world, topic, []) | {"title": "Sumur\x1b[31m bor"}
    )

    assert response.status_code == 200
    assert not Aspiration.objects.exists()
    assert "Hapus karakter kontrol tak terlihat" in response.text


def test_model_form_whole_number_of_a_smallint_column_at_most_32767(world):
    user = PERSONA_USERS["facilitator"](world)
    form = BudgetAccessForm({"year": "32768"}, user=user)

    assert 'max="32767"' in str(form["year"])
    assert "Pastikan nilai ini lebih kecil dari atau sama dengan 32767." in form.errors["year"]
