"""seed_scale refuses what it must not touch (the benchmark's data never enters the suite)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aspirations.models import Aspiration
from tests import factories as f


def test_seed_scale_refuses_a_database_with_aspirations(db):
    f.AspirationFactory()
    expected = "already holds aspirations" if connection.vendor == "postgresql" else "PostgreSQL"

    with pytest.raises(CommandError, match=expected):
        call_command("seed_scale", "--groups", "1", "--skip-reference")

    assert Aspiration.objects.count() == 1
