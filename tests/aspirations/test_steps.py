"""Each move's date of the step before it (``AspirationEvent.previous_on``), kept by the write
functions (``services.link_steps``) and filled by migration 0008, equals the window that
defines it (``tests.helpers.steps_before``), for timelines written through the services."""

import datetime
import importlib

from django.db import connection

from aspirations import services
from aspirations.models import AspirationEvent, EventKind
from aspirations.stages import Stage
from tests import factories as f
from tests.helpers import steps_before

RAISED = datetime.date(2021, 4, 17)


def _day(month, day):
    return datetime.date(2021, month, day)


def _move(aspiration, to, occurred_on, **extra):
    return services.aspiration_move(aspiration, to=to, actor=None, occurred_on=occurred_on, **extra)


def _days_before(event):
    """Whole days from the step before ``event`` to it, as the dashboard counts them."""
    event.refresh_from_db()
    return (event.occurred_on - event.previous_on).days


def test_moves_store_the_date_of_the_step_before(recorded):
    conveyed = _move(recorded, Stage.CONVEYED, _day(5, 1))
    desa = _move(recorded, Stage.MUSRENBANG_DESA, _day(6, 1))
    planned = _move(recorded, Stage.PLANNED, _day(6, 1))

    assert [_days_before(e) for e in (conveyed, desa, planned)] == [14, 31, 0]
    stored, window = steps_before()
    assert stored == window
    assert len(stored) == 3


def test_editing_raised_on_moves_the_first_steps_date(recorded, officer):
    conveyed = _move(recorded, Stage.CONVEYED, _day(5, 1))
    desa = _move(recorded, Stage.MUSRENBANG_DESA, _day(6, 1))

    services.aspiration_update(recorded, actor=officer.user, raised_on=_day(4, 1))

    assert [_days_before(e) for e in (conveyed, desa)] == [30, 31]
    services.aspiration_update(recorded, actor=officer.user, raised_on=_day(5, 1))
    assert _days_before(conveyed) == 0
    stored, window = steps_before()
    assert stored == window


def test_move_backdated_after_a_correction_is_the_step_before_the_later_move(recorded):
    _move(recorded, Stage.CONVEYED, _day(5, 1))
    wrong = _move(recorded, Stage.MUSRENBANG_DESA, _day(7, 1))
    services.aspiration_correct(
        recorded, to=Stage.CONVEYED, actor=None, occurred_on=_day(7, 10), reason="Salah catat."
    )

    # Allowed: the aspiration has been at "conveyed" since 1 May (stage_changed_on).
    right = _move(recorded, Stage.MUSRENBANG_DESA, _day(6, 1))

    assert _days_before(right) == 31
    # The earlier record now follows the new step on the timeline.
    assert _days_before(wrong) == 30
    stored, window = steps_before()
    assert stored == window


def test_same_day_moves_follow_the_order_they_were_recorded(recorded):
    first = _move(recorded, Stage.CONVEYED, RAISED)
    second = _move(recorded, Stage.MUSRENBANG_DESA, RAISED)

    assert [_days_before(first), _days_before(second)] == [0, 0]
    stored, window = steps_before()
    assert stored == window == {first.pk: RAISED, second.pk: RAISED}


def test_carried_over_aspiration_starts_without_a_step_before(recorded):
    _move(recorded, Stage.CONVEYED, _day(5, 1))
    closed = _move(recorded, Stage.NOT_ACCOMMODATED, _day(6, 1), reason="Anggaran habis.")
    successor = services.aspiration_carry_over(recorded, actor=None, occurred_on=_day(7, 1))
    first = _move(successor, Stage.CONVEYED, _day(8, 1))

    assert _days_before(closed) == 31
    first.refresh_from_db()
    assert first.previous_on is None
    stored, window = steps_before()
    assert stored == window


def test_reses_response_and_bulk_moves_store_the_step_before(world, officer, recorded):
    meeting = f.ResesMeetingFactory(village=world.village_a1)
    response = services.aspiration_record_response(
        recorded,
        response="pokir",
        actor=officer.user,
        occurred_on=datetime.date(2025, 3, 10),
        reses_meeting=meeting,
    )
    other = f.AspirationFactory(group=world.group_a1, raised_on=RAISED)
    f.AspirationEventFactory(aspiration=other)
    services.aspirations_move_bulk(
        [other],
        to=Stage.CONVEYED,
        actor=officer.user,
        occurred_on=_day(5, 1),
        document_reference="Surat 12",
    )

    assert response.kind == EventKind.MOVE
    assert _days_before(response) == (datetime.date(2025, 3, 10) - RAISED).days
    stored, window = steps_before()
    assert stored == window
    assert len(stored) == 2


def test_migration_fills_every_move_as_the_window(recorded, world):
    _move(recorded, Stage.CONVEYED, _day(5, 1))
    wrong = _move(recorded, Stage.MUSRENBANG_DESA, _day(7, 1))
    services.aspiration_correct(
        recorded, to=Stage.CONVEYED, actor=None, occurred_on=_day(7, 10), reason="Salah catat."
    )
    _move(recorded, Stage.MUSRENBANG_DESA, _day(6, 1))
    _move(recorded, Stage.PLANNED, _day(8, 1))
    other = f.AspirationFactory(group=world.group_a1, raised_on=RAISED)
    f.AspirationEventFactory(aspiration=other)
    _move(other, Stage.CONVEYED, RAISED)
    expected, _window = steps_before()
    AspirationEvent.objects.update(previous_on=None)

    fill = importlib.import_module("aspirations.migrations.0008_fill_previous_on").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)

    stored, window = steps_before()
    assert stored == window == expected
    assert stored[wrong.pk] == _day(6, 1)
