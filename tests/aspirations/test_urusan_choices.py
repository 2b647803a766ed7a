"""An aspiration is routed, and a budget carried out, by a bidang urusan (``1.03``), never by
one of the six groups of Permendagri 90/2019 (``1`` "Urusan Pemerintahan Wajib …"), which
are headings: the edit form and the budgeted step offer bidang only and refuse a group."""

import pytest
from django.urls import reverse

from aspirations.models import BudgetOutcome
from aspirations.stages import Stage
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def urusan():
    group = f.UrusanFactory(
        code="1", name="Urusan Pemerintahan Wajib yang Berkaitan dengan Pelayanan Dasar"
    )
    bidang = f.UrusanFactory(code="1.03", name="Pekerjaan Umum dan Penataan Ruang", parent=group)
    return group, bidang


@pytest.fixture
def aspiration(world, urusan):
    return f.AspirationFactory(group=world.group_a1, title="Jalan tani Dusun Dua", urusan=urusan[1])


def _labels(field):
    return [label for value, label in field.choices if value]


def test_budgeted_step_offers_only_bidang_urusan(officer, aspiration):
    aspiration.stage, aspiration.furthest_rank = Stage.PLANNED, 6
    aspiration.save()

    response = officer.get(reverse("aspirations:move", args=[aspiration.pk]), {"to": "budgeted"})

    assert _labels(response.context["form"].fields["implementing_urusan"]) == [
        "1.03 Pekerjaan Umum dan Penataan Ruang"
    ]
    assert "Urusan Pemerintahan Wajib" not in response.text


def test_budgeted_step_with_an_urusan_group_refused(officer, aspiration, urusan):
    aspiration.stage, aspiration.furthest_rank = Stage.PLANNED, 6
    aspiration.save()

    response = officer.post(
        reverse("aspirations:move", args=[aspiration.pk]),
        {
            "to": "budgeted",
            "occurred_on": "2024-09-02",
            "amount": "1.500.000",
            "fiscal_year": "2025",
            "fund_source": "apbdes",
            "implementing_urusan": urusan[0].pk,
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["implementing_urusan"]
    assert not BudgetOutcome.objects.exists()


def test_edit_form_offers_only_bidang_urusan(officer, aspiration):
    response = officer.get(reverse("aspirations:edit", args=[aspiration.pk]))

    assert _labels(response.context["form"].fields["urusan"]) == [
        "1.03 Pekerjaan Umum dan Penataan Ruang"
    ]
    assert "Urusan Pemerintahan Wajib" not in response.text
