"""Rows the aspiration tests share."""

import datetime

import pytest

from aspirations import services
from tests import factories as f


@pytest.fixture
def topic(db):
    return f.TopicFactory()


@pytest.fixture
def recorded(world, officer):
    """An aspiration of group A1 logged through ``aspiration_create``, raised on
    17 April 2021."""
    aspiration, _ = services.aspiration_create(
        group=world.group_a1,
        actor=officer.user,
        village=world.village_a1,
        title="Air bersih Dusun Satu",
        description="Sumur kering.",
        topic=f.TopicFactory(),
        channel="face_to_face",
        raised_on=datetime.date(2021, 4, 17),
    )
    return aspiration
