"""``kk_portal.forms.LongSelect`` draws exactly what Django's select templates draw."""

import pytest
from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from kk_portal.forms import LongSelect

CHOICES = [
    ("", "---------"),
    ("a", "Alfa & <Beta>"),
    (7, 2024),
    ("lazy", gettext_lazy("Search")),
    ("safe", mark_safe("<b>bold</b>")),
    ("Group “quoted” & <odd>", [("g1", "In a group"), ("g2", 'Say "hi"')]),
]


@pytest.mark.parametrize(
    ("value", "attrs"),
    [
        (None, None),
        ("a", {"id": "id_x", "class": 'a "b"'}),
        (7, {"required": True, "disabled": False, "data-n": 3}),
        ("g2", {"aria-label": gettext_lazy("Search")}),
    ],
)
def test_long_select_draws_the_markup_of_django_select_templates(value, attrs):
    long_select = LongSelect(choices=CHOICES)
    select = forms.Select(choices=CHOICES)

    drawn = long_select.render("pick", value, attrs)

    assert drawn == select.render("pick", value, attrs)
    assert "&lt;Beta&gt;" in drawn


def test_long_select_draws_a_model_choice_field_as_django_does(world):
    from groups.models import Regency

    field = forms.ModelChoiceField(Regency.objects.order_by("code"), widget=LongSelect)
    plain = forms.ModelChoiceField(Regency.objects.order_by("code"))

    assert field.widget.render("r", world.regency_a.pk) == plain.widget.render(
        "r", world.regency_a.pk
    )
    assert f'<option value="{world.regency_a.pk}" selected>' in field.widget.render(
        "r", world.regency_a.pk
    )


def test_long_select_with_another_option_template_draws_it():
    class Other(LongSelect):
        option_template_name = "django/forms/widgets/input_option.html"

    class Plain(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    drawn = Other(choices=CHOICES).render("pick", "a")

    assert drawn == Plain(choices=CHOICES).render("pick", "a")
    assert "<option" not in drawn
