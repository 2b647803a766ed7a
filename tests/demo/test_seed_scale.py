"""seed_scale refuses what it must not touch (the benchmark's data never enters the suite)."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from aspirations.models import Aspiration
from members.models import Member
from tests import factories as f


def test_seed_scale_refuses_a_database_with_aspirations(db):
    f.AspirationFactory()
    expected = "already holds aspirations" if connection.vendor == "postgresql" else "PostgreSQL"

    with pytest.raises(CommandError, match=expected):
        call_command("seed_scale", "--groups", "1", "--skip-reference")

    assert Aspiration.objects.count() == 1


def _without_analyze(execute, sql, params, many, context):
    # ANALYZE writes the planner's row counts in place, kept after the test's rollback, and
    # later tests read them (kk_portal.admin_lists.EstimatedCountPaginator).
    if sql.lstrip().upper().startswith("ANALYZE"):
        return None
    return execute(sql, params, many, context)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="seed_scale writes with COPY")
def test_seed_scale_writes_only_references_that_exist(db):
    # The command skips the foreign keys' triggers (as a superuser, which the suite's
    # PostgreSQL user is): every reference it wrote must still name a row.
    f.VillageFactory.create_batch(3)
    f.TopicFactory.create_batch(2)

    with connection.execute_wrapper(_without_analyze):
        call_command(
            "seed_scale",
            *("--groups", "3", "--members-per-group", "4", "--aspirations-per-group", "6"),
            "--skip-reference",
            stdout=io.StringIO(),
        )

    orphans = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.many_to_one or not field.db_constraint:
                continue
            parents = field.related_model._base_manager.values(field.target_field.attname)
            missing = (
                model._base_manager.exclude(**{f"{field.attname}__isnull": True})
                .exclude(**{f"{field.attname}__in": parents})
                .count()
            )
            if missing:
                orphans[f"{model._meta.label}.{field.name}"] = missing
    assert orphans == {}
    assert Aspiration.objects.count() == 18
    assert Member.objects.count() == 12
    with connection.cursor() as cursor:
        cursor.execute("SHOW session_replication_role")
        assert cursor.fetchone()[0] == "origin"
