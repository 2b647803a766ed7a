"""Admin changelists of big tables (``kk_portal.admin_lists``): rows shown, no count of the
whole table beside the filtered one, no ``DISTINCT`` over dates, estimates past the limit."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.models import Aspiration, AspirationEvent
from dashboards.models import AspirationSummary
from kk_portal import admin_lists
from kk_portal.admin_lists import EstimatedCountPaginator, LargeTableAdmin
from members.models import Member
from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")


def _changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def test_big_tables_have_the_large_table_admin_without_a_date_hierarchy():
    for model in (Aspiration, AspirationEvent, Member):
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, LargeTableAdmin), model
    for model_admin in admin.site._registry.values():
        if isinstance(model_admin, LargeTableAdmin):
            assert model_admin.date_hierarchy is None, model_admin
            assert model_admin.show_full_result_count is False


def test_aspiration_changelist_shows_rows_without_distinct_or_a_second_count(admin_client_, world):
    f.AspirationFactory(group=world.group_a1, title="Sumur bor Dusun 2")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get(_changelist(Aspiration))

    assert response.status_code == 200
    assert "Sumur bor Dusun 2" in response.text
    assert "1 aspiration" in response.text
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("DISTINCT" in s and "ASPIRATIONS_ASPIRATION" in s for s in sql)
    counts = [s for s in sql if "COUNT(" in s and "ASPIRATIONS_ASPIRATION" in s]
    assert len(counts) <= 1


@pytest.mark.parametrize("model", [AspirationEvent, Member], ids=lambda m: m.__name__)
def test_event_and_member_changelists_show_rows(admin_client_, world, model):
    member = f.MemberFactory(group=world.group_a1, full_name="Siti Aminah")
    aspiration = f.AspirationFactory(group=world.group_a1, title="Air bersih")
    f.AspirationEventFactory(aspiration=aspiration)

    response = admin_client_.get(_changelist(model))

    assert response.status_code == 200
    assert (member.full_name if model is Member else "Air bersih") in response.text


def test_aspiration_changelist_filters_by_date_raised(admin_client_, world):
    f.AspirationFactory(group=world.group_a1, title="Lama", raised_on="2020-01-05")

    response = admin_client_.get(
        _changelist(Aspiration), {"raised_on__gte": "2020-01-01", "raised_on__lt": "2020-02-01"}
    )

    assert response.status_code == 200
    assert "Lama" in response.text


def test_count_is_exact_up_to_the_limit_and_an_estimate_past_it(world, monkeypatch):
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group)
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_LIMIT", 2)

    small = EstimatedCountPaginator(Aspiration.objects.filter(group=world.group_a1), 100)
    big = EstimatedCountPaginator(Aspiration.objects.filter(pk__gt=0), 100)
    whole = EstimatedCountPaginator(Aspiration.objects.all(), 100)

    assert (small.count, small.estimated) == (1, False)
    if connection.vendor == "postgresql":
        # The planner's estimate of the filtered rows, never below what was counted.
        assert big.count >= 3 and big.estimated
    else:
        assert (big.count, big.estimated) == (3, False)
    # Never analysed (a new test table): the whole table is counted exactly.
    assert (whole.count, whole.estimated) == (3, False)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reltuples is PostgreSQL's")
def test_whole_table_count_is_postgresqls_estimate_once_analysed(world, monkeypatch):
    for group in (world.group_a1, world.group_a2, world.group_b1):
        f.AspirationFactory(group=group)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE aspirations_aspiration")
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_LIMIT", 2)

    whole = EstimatedCountPaginator(Aspiration.objects.all(), 100)

    assert (whole.count, whole.estimated) == (3, True)


def test_summary_changelist_filters_by_grain_without_distinct(admin_client_, world):
    f.AspirationFactory(group=world.group_a1, title="Sumur bor", channel="letter")

    with CaptureQueriesContext(connection) as queries:
        response = admin_client_.get(_changelist(AspirationSummary), {"grain": "channel"})

    assert response.status_code == 200
    shown = response.context["cl"].result_list
    assert {cell.grain for cell in shown} == {"channel"}
    assert {cell.channel for cell in shown} == {"letter"}
    assert "region_month" in response.text  # a choice of the grain filter
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("DISTINCT" in s and "DASHBOARDS_ASPIRATIONSUMMARY" in s for s in sql)
