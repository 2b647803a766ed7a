"""``dashboards.summaries.rebuilt_after``: writes inside the block leave the summaries alone,
the block's end rebuilds them, and after it every write keeps them again."""

import datetime

import pytest

from aspirations import services
from aspirations.stages import Stage
from dashboards import summaries
from dashboards.models import AspirationSummary
from tests import factories as f

pytestmark = pytest.mark.django_db


def _recorded():
    """Aspirations recorded in the programme-wide cells of each year (``channel`` grain)."""
    return sum(AspirationSummary.objects.filter(grain="channel").values_list("recorded", flat=True))


def _create(world, actor, title):
    aspiration, _created = services.aspiration_create(
        group=world.group_a1,
        actor=actor,
        village=world.village_a1,
        title=title,
        topic=f.TopicFactory(),
        channel="letter",
        raised_on=datetime.date(2025, 2, 3),
    )
    return aspiration


def test_rebuilt_after_counts_the_block_once_at_its_end(world, officer):
    actor = officer.user
    with summaries.rebuilt_after():
        first = _create(world, actor, "Sumur bor")
        services.aspiration_move(
            first, to=Stage.CONVEYED, actor=actor, occurred_on=datetime.date(2025, 3, 1)
        )
        _create(world, actor, "Jalan tani")
        assert _recorded() == 0

    assert _recorded() == 2
    kept = set(AspirationSummary.objects.values_list(*summaries.KEY, *summaries.COLUMNS))
    summaries.rebuild()
    assert set(AspirationSummary.objects.values_list(*summaries.KEY, *summaries.COLUMNS)) == kept


def test_after_rebuilt_after_every_write_keeps_the_summaries_again(world, officer):
    with summaries.rebuilt_after():
        pass

    _create(world, officer.user, "Lampu jalan")

    assert _recorded() == 1


def test_rebuilt_after_an_error_reconnects_without_rebuilding(world, officer):
    with pytest.raises(RuntimeError), summaries.rebuilt_after():
        raise RuntimeError("stop")

    _create(world, officer.user, "Posyandu")

    assert _recorded() == 1
