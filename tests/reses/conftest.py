"""Rows the reses tests share."""

import datetime
import zoneinfo

import pytest

from tests import factories as f


@pytest.fixture
def meeting(world):
    """A meeting of the world's representative in village A1 (regency A, WITA), 10 March
    2025 at 09.00 WITA."""
    return f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="Reses II 2025",
        venue="Balai Desa Alfa Satu",
        starts_at=datetime.datetime(2025, 3, 10, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Makassar")),
    )
