"""A server worker's warm-up (``kk_portal.warmup``): views imported and templates compiled
before the first request."""

import logging

import pytest
from django.conf import settings
from django.template import engines
from django.urls import get_resolver

from kk_portal.warmup import warm_up


@pytest.mark.django_db
def test_warm_up_compiles_the_dashboard_template_and_says_how_long_it_took(caplog):
    caplog.set_level(logging.INFO, logger="kk_portal.warmup")

    elapsed = warm_up()

    loader = engines["django"].engine.template_loaders[0]
    assert elapsed > 0
    assert any("dashboard/index.html" in str(key) for key in loader.get_template_cache)
    assert "Worker warmed up in" in caplog.text


@pytest.mark.django_db
def test_warm_up_builds_each_languages_url_map_and_compiles_django_form_widgets():
    warm_up()

    loader = engines["django"].engine.template_loaders[0]
    # Django keeps one map for reverse() per language, built at its first call in it.
    assert set(get_resolver()._reverse_dict) >= {code for code, _name in settings.LANGUAGES}
    assert any("django/forms/widgets/input.html" in str(key) for key in loader.get_template_cache)
