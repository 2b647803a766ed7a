"""The median days between stages (``figures.stage_durations``) read each move's stored date of
the step before and give what the live window gives, in a small scope and a bounded one."""

import datetime
import statistics

import pytest

from aspirations import services
from aspirations.models import Aspiration, AspirationEvent
from aspirations.stages import Stage
from dashboards import figures as d
from tests import factories as f
from tests.helpers import steps_before

RAISED = datetime.date(2024, 1, 1)


def _day(days):
    return RAISED + datetime.timedelta(days=days)


@pytest.fixture
def timelines(world, officer):
    """Three aspirations of group A1 written through the services: conveyed after 10, 20
    and 40 days; the second also to Musrenbang desa on day 60, corrected back and moved
    again on day 30 (before the wrong record); the third raised 5 days later afterwards."""
    topic = f.TopicFactory()
    made = []
    for days in (10, 20, 40):
        aspiration, _new = services.aspiration_create(
            group=world.group_a1,
            actor=officer.user,
            village=world.village_a1,
            title=f"Jalan dusun {days}",
            topic=topic,
            channel="face_to_face",
            raised_on=RAISED,
        )
        services.aspiration_move(aspiration, to=Stage.CONVEYED, actor=None, occurred_on=_day(days))
        made.append(aspiration)
    second, third = made[1], made[2]
    services.aspiration_move(second, to=Stage.MUSRENBANG_DESA, actor=None, occurred_on=_day(60))
    services.aspiration_correct(
        second, to=Stage.CONVEYED, actor=None, occurred_on=_day(61), reason="Salah catat."
    )
    services.aspiration_move(second, to=Stage.MUSRENBANG_DESA, actor=None, occurred_on=_day(30))
    services.aspiration_update(third, actor=officer.user, raised_on=_day(5))
    return made


def _window_medians(moves):
    """``[(stage, median days, moves)]`` of the latest ``moves`` forward moves by the window."""
    _stored, window = steps_before()
    latest = AspirationEvent.objects.filter(pk__in=window).order_by("-pk")[:moves]
    days = {}
    for pk, stage, occurred_on in latest.values_list("pk", "to_stage", "occurred_on"):
        days.setdefault(stage, []).append((occurred_on - window[pk]).days)
    return [
        (stage, round(statistics.median(days[stage])), len(days[stage]))
        for stage in Stage.values
        if stage in days
    ]


def test_durations_are_the_windows_over_every_move(timelines, world):
    rows = Aspiration.objects.filter(group=world.group_a1)

    result, bounded = d.stage_durations(rows, rows.count())

    figures = [(stage, days, moves) for stage, _label, days, moves in result]
    # Conveyed after 10, 20 and 35 days; Musrenbang desa 10 days after conveyed (the
    # correct record) and the wrong one 30 days after that.
    assert figures == [(Stage.CONVEYED, 20, 3), (Stage.MUSRENBANG_DESA, 20, 2)]
    assert figures == _window_medians(10)
    assert bounded is False


def test_durations_bounded_are_the_windows_over_the_latest_moves(timelines, world, monkeypatch):
    monkeypatch.setattr("dashboards.figures.DURATION_MOVES", 3)
    rows = Aspiration.objects.filter(group=world.group_a1)

    result, bounded = d.stage_durations(rows, rows.count())

    figures = [(stage, days, moves) for stage, _label, days, moves in result]
    assert figures == [(Stage.CONVEYED, 35, 1), (Stage.MUSRENBANG_DESA, 20, 2)]
    assert figures == _window_medians(3)
    assert bounded is True
