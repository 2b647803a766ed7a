"""Every domain model has an admin with search and filters, a readable name and ``__str__``."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests import factories as f

APPS = (
    "groups",
    "members",
    "aspirations",
    "reses",
    "kk_portal",
    "dashboards",
    "notifications",
)


#: Edited inside their parent's admin page, or written only by history.
NOT_REGISTERED = {"DistrictVillage", "AgendaItem"}


def domain_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in APPS
        and model.__name__ not in NOT_REGISTERED
        and not model.__name__.startswith("Historical")
    ]


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.__name__)
def test_admin_has_search_and_filters(model):
    model_admin = admin.site._registry.get(model)

    assert model_admin is not None
    assert model_admin.search_fields
    assert model_admin.list_filter


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m.__name__)
def test_admin_changelist_searches_without_error(model, admin_client_):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    response = admin_client_.get(url, {"q": "Ma'ruf"})

    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural).lower() in response.text.lower()


@pytest.mark.django_db
def test_every_model_has_a_readable_str():
    item = f.AgendaItemFactory(aspiration__title="Sumur bor Dusun 2", order=3)
    outcome = f.BudgetOutcomeFactory(aspiration=item.aspiration, fiscal_year=2026)

    assert str(item) == "3. Sumur bor Dusun 2"
    assert str(item.aspiration.village) == item.aspiration.village.name
    assert str(outcome) == "APBDes (anggaran desa) 2026: Sumur bor Dusun 2"
