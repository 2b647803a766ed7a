"""The aspiration's way (``aspirations.services``): moves, corrections, carry-over and reses
responses."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from aspirations.models import (
    Aspiration,
    AspirationEvent,
    BudgetOutcome,
    EventKind,
    FundSource,
    MusrenbangForum,
)
from aspirations.services import (
    allowed_targets,
    aspiration_carry_over,
    aspiration_correct,
    aspiration_create,
    aspiration_move,
    aspiration_move_at_new_forum,
    aspiration_record_response,
    check_move,
    correction_targets,
    new_forum_for,
    next_steps,
    targets_for,
)
from aspirations.stages import CLOSED, DONE, RANK, Stage
from kk_portal.permissions import can, writable
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from reses.models import AgendaItem
from tests import factories as f

DAY = datetime.date(2024, 9, 2)
#: The day of ``ResesMeetingFactory``'s meeting.
MEETING_DAY = datetime.date(2025, 3, 10)


BUDGET = {
    "amount": Decimal("617666666.66"),
    "fiscal_year": 2025,
    "fund_source": FundSource.APBD_KABKOTA,
}


def _aspiration(world, stage=Stage.RECORDED, **extra):
    stopped_at = Stage.CONVEYED if stage in CLOSED else ""
    furthest = RANK.get(Stage(stage), 2)
    return f.AspirationFactory(
        group=world.group_a1,
        stage=stage,
        stopped_at=stopped_at,
        furthest_rank=furthest,
        **extra,
    )


def _kecamatan_forum(aspiration):
    subdistrict = aspiration.village.subdistrict
    return f.MusrenbangForumFactory(
        level="kecamatan",
        village=None,
        subdistrict=subdistrict,
        regency=subdistrict.regency,
        held_on=DAY,
    )


def _move_kwargs(to, aspiration=None):
    kwargs = {"to": to, "actor": None, "occurred_on": DAY}
    if to == Stage.MUSRENBANG_KECAMATAN and aspiration is not None:
        kwargs["musrenbang_forum"] = _kecamatan_forum(aspiration)
    if to == Stage.BUDGETED:
        kwargs.update(BUDGET)
    if to == Stage.NOT_ACCOMMODATED:
        kwargs["reason"] = "Tidak masuk prioritas."
    return kwargs


def _allowed(current, to):
    return current not in DONE and (to in CLOSED or RANK[to] > RANK[current])


PAIRS = [(current, to) for current in Stage for to in Stage]


@pytest.mark.parametrize(("current", "to"), PAIRS)
def test_check_move_follows_rank_table(world, current, to):
    aspiration = _aspiration(world, current)

    if _allowed(current, to):
        forum = _kecamatan_forum(aspiration) if to == Stage.MUSRENBANG_KECAMATAN else None
        check_move(aspiration, to, musrenbang_forum=forum)
        assert to in allowed_targets(aspiration)
    else:
        with pytest.raises(ValidationError):
            check_move(aspiration, to)
        assert to not in allowed_targets(aspiration)


@pytest.mark.parametrize(("current", "to"), PAIRS)
def test_aspiration_move_writes_event_and_stage_or_nothing(world, current, to):
    aspiration = _aspiration(world, current)
    before = AspirationEvent.objects.count()

    if _allowed(current, to):
        event = aspiration_move(aspiration, **_move_kwargs(to, aspiration))
        assert (event.kind, event.from_stage, event.to_stage) == (EventKind.MOVE, current, to)
        assert (aspiration.stage, aspiration.stage_changed_on) == (to, DAY)
        if to in CLOSED:
            assert aspiration.stopped_at == current
        else:
            assert aspiration.furthest_rank == RANK[to]
    else:
        with pytest.raises(ValidationError):
            aspiration_move(aspiration, **_move_kwargs(to))
        aspiration.refresh_from_db()
        assert aspiration.stage == current
        assert AspirationEvent.objects.count() == before


def test_move_village_track_skips_ranks_4_and_5(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)

    aspiration_move(aspiration, to=Stage.PLANNED, actor=None, occurred_on=DAY)
    aspiration_move(
        aspiration,
        to=Stage.BUDGETED,
        actor=None,
        occurred_on=DAY,
        amount=Decimal("25000000"),
        fiscal_year=2025,
        fund_source=FundSource.APBDES,
    )

    assert aspiration.stage == Stage.BUDGETED
    assert aspiration.furthest_rank == 7


def test_move_budgeted_writes_budget_outcome(world):
    aspiration = _aspiration(world, Stage.PLANNED)
    urusan = f.UrusanFactory()

    event = aspiration_move(aspiration, **_move_kwargs(Stage.BUDGETED), implementing_urusan=urusan)

    outcome = BudgetOutcome.objects.get(aspiration=aspiration)
    assert (outcome.amount, outcome.fiscal_year, outcome.source) == (
        Decimal("617666666.66"),
        2025,
        FundSource.APBD_KABKOTA,
    )
    assert outcome.implementing_urusan == urusan
    assert event.amount == Decimal("617666666.66")


def test_move_budgeted_without_amount_refused_with_message(world):
    aspiration = _aspiration(world, Stage.PLANNED)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        aspiration_move(aspiration, to=Stage.BUDGETED, actor=None, occurred_on=DAY)

    assert caught.value.message_dict["amount"] == [
        "A budgeted aspiration needs the amount in Rupiah."
    ]
    assert set(caught.value.message_dict) == {"amount", "fiscal_year", "fund_source"}
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.PLANNED
    assert not BudgetOutcome.objects.exists()


@pytest.mark.parametrize(
    "amount",
    [
        Decimal("3621300000000000"),
        pytest.param(
            Decimal("999999999999999999.99"),
            marks=pytest.mark.skipif(
                connection.vendor == "sqlite", reason="SQLite keeps decimals as REAL"
            ),
        ),
    ],
)
def test_move_national_scale_amount_stored_exactly(world, amount):
    """APBN 2025 is about Rp 3.6 × 10^15; MONEY holds up to 10^18 on PostgreSQL."""
    aspiration = _aspiration(world, Stage.PLANNED)

    aspiration_move(aspiration, **{**_move_kwargs(Stage.BUDGETED), "amount": amount})

    assert BudgetOutcome.objects.get(aspiration=aspiration).amount == amount


def test_move_realised_updates_budget_outcome(world):
    aspiration = _aspiration(world, Stage.PLANNED)
    aspiration_move(aspiration, **_move_kwargs(Stage.BUDGETED))

    aspiration_move(
        aspiration,
        to=Stage.REALISED,
        actor=None,
        occurred_on=datetime.date(2025, 2, 1),
        realised_amount=Decimal("600000000"),
        evidence="BAST 12/2024",
    )

    outcome = BudgetOutcome.objects.get(aspiration=aspiration)
    assert outcome.realised_on == datetime.date(2025, 2, 1)
    assert outcome.realised_amount == Decimal("600000000")
    assert outcome.evidence == "BAST 12/2024"


def test_move_realisation_before_budget_refused(world):
    aspiration = _aspiration(world, Stage.PLANNED)
    aspiration_move(aspiration, **{**_move_kwargs(Stage.BUDGETED), "fiscal_year": 2024})

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        aspiration_move(
            aspiration, to=Stage.REALISED, actor=None, occurred_on=datetime.date(2024, 9, 1)
        )

    assert caught.value.message_dict["occurred_on"] == [
        "The realisation cannot be dated before the budget (2 September 2024)."
    ]
    assert BudgetOutcome.objects.get(aspiration=aspiration).realised_on is None


def test_move_realised_amount_without_budget_refused(world):
    aspiration = _aspiration(world, Stage.PLANNED)

    with pytest.raises(ValidationError) as caught:
        aspiration_move(
            aspiration,
            to=Stage.REALISED,
            actor=None,
            occurred_on=DAY,
            realised_amount=Decimal("5"),
        )

    assert list(caught.value.message_dict) == ["realised_amount"]


def test_move_future_date_in_group_zone_refused(world):
    """23:30 WITA on 1 Sept is already 2 Sept in WIT (Kota Beta) but not in WITA."""
    aspiration_a = _aspiration(world)
    aspiration_b = f.AspirationFactory(group=world.group_b1)
    now = datetime.datetime(2024, 9, 1, 15, 30, tzinfo=datetime.UTC)

    with mock.patch("django.utils.timezone.now", return_value=now):
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            aspiration_move(aspiration_a, **_move_kwargs(Stage.CONVEYED))
        aspiration_move(aspiration_b, **_move_kwargs(Stage.CONVEYED))

    assert caught.value.message_dict["occurred_on"] == ["The date cannot be in the future."]
    assert aspiration_b.stage == Stage.CONVEYED


def test_move_before_last_move_refused(world):
    aspiration = _aspiration(world)

    with pytest.raises(ValidationError) as caught:
        aspiration_move(
            aspiration, to=Stage.CONVEYED, actor=None, occurred_on=datetime.date(2024, 8, 1)
        )

    assert list(caught.value.message_dict) == ["occurred_on"]


def test_move_not_accommodated_needs_reason_and_keeps_stopped_at(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_KECAMATAN)

    with pytest.raises(ValidationError) as caught:
        aspiration_move(aspiration, to=Stage.NOT_ACCOMMODATED, actor=None, occurred_on=DAY)
    assert list(caught.value.message_dict) == ["reason"]

    aspiration_move(aspiration, **_move_kwargs(Stage.NOT_ACCOMMODATED))
    assert aspiration.stopped_at == Stage.MUSRENBANG_KECAMATAN
    assert aspiration.events.get(kind=EventKind.MOVE).reason == "Tidak masuk prioritas."


def test_correct_sets_stage_back_and_recomputes_furthest_rank(world):
    aspiration = _aspiration(world, Stage.PLANNED)
    aspiration_move(aspiration, **_move_kwargs(Stage.BUDGETED))
    user = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    event = aspiration_correct(
        aspiration,
        to=Stage.PLANNED,
        actor=user,
        occurred_on=DAY,
        reason="Salah catat: belum masuk APBD.",
    )

    assert (event.kind, event.from_stage, event.to_stage) == (
        EventKind.CORRECTION,
        Stage.BUDGETED,
        Stage.PLANNED,
    )
    assert (aspiration.stage, aspiration.furthest_rank) == (Stage.PLANNED, 6)
    assert not BudgetOutcome.objects.filter(aspiration=aspiration).exists()
    assert list(aspiration.events.values_list("kind", flat=True)) == [
        EventKind.MOVE,
        EventKind.CORRECTION,
    ]
    assert event.recorded_by == user


def test_correct_without_reason_refused(world):
    aspiration = _aspiration(world, Stage.PLANNED)

    with translation.override("en"), pytest.raises(ValidationError) as caught:
        aspiration_correct(aspiration, to=Stage.CONVEYED, actor=None, occurred_on=DAY, reason=" ")

    assert caught.value.message_dict == {"reason": ["Say why the stage is corrected."]}
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.PLANNED


@pytest.mark.parametrize(("current", "to"), PAIRS)
def test_correct_targets_go_back_or_reopen(world, current, to):
    aspiration = _aspiration(world, current)
    if current in CLOSED:
        allowed = to not in CLOSED and RANK[to] <= RANK[Stage.CONVEYED]
    else:
        allowed = to not in CLOSED and to != current and RANK[to] <= RANK[current]

    assert (to in correction_targets(aspiration)) == allowed


def test_correct_reopens_closed_aspiration(world):
    aspiration = _aspiration(world, Stage.NOT_ACCOMMODATED)

    aspiration_correct(
        aspiration, to=Stage.CONVEYED, actor=None, occurred_on=DAY, reason="Ternyata diterima."
    )

    assert (aspiration.stage, aspiration.stopped_at) == (Stage.CONVEYED, "")


def test_carry_over_creates_successor_with_history(world):
    old = _aspiration(world, Stage.NOT_ACCOMMODATED)
    day = datetime.date(2025, 1, 5)

    new = aspiration_carry_over(old, actor=None, occurred_on=day)

    assert new.carried_over_from == old
    assert (new.title, new.group, new.stage, new.raised_on) == (
        old.title,
        old.group,
        Stage.RECORDED,
        day,
    )
    assert list(old.events.values_list("kind", flat=True)) == [EventKind.CARRY_OVER]
    assert list(new.events.values_list("kind", flat=True)) == [EventKind.CARRY_OVER]
    old.refresh_from_db()
    assert old.stage == Stage.NOT_ACCOMMODATED


def test_carry_over_only_once_and_only_not_accommodated(world):
    old = _aspiration(world, Stage.NOT_ACCOMMODATED)
    aspiration_carry_over(old, actor=None, occurred_on=DAY)

    with pytest.raises(ValidationError):
        aspiration_carry_over(old, actor=None, occurred_on=DAY)
    with pytest.raises(ValidationError):
        aspiration_carry_over(_aspiration(world, Stage.PLANNED), actor=None, occurred_on=DAY)
    assert Aspiration.objects.filter(carried_over_from=old).count() == 1


@pytest.mark.parametrize(
    ("current", "response", "expected_stage", "kind"),
    [
        (Stage.RECORDED, AgendaItem.Response.POKIR, Stage.POKIR, EventKind.MOVE),
        (Stage.MUSRENBANG_DESA, AgendaItem.Response.POKIR, Stage.POKIR, EventKind.MOVE),
        (Stage.MUSRENBANG_KABKOTA, AgendaItem.Response.POKIR, Stage.MUSRENBANG_KABKOTA, "r"),
        (Stage.PLANNED, AgendaItem.Response.POKIR, Stage.PLANNED, "r"),
        (Stage.RECORDED, AgendaItem.Response.FORWARDED, Stage.CONVEYED, EventKind.MOVE),
        (Stage.CONVEYED, AgendaItem.Response.FORWARDED, Stage.CONVEYED, "r"),
        (Stage.MUSRENBANG_DESA, AgendaItem.Response.FORWARDED, Stage.MUSRENBANG_DESA, "r"),
        (Stage.RECORDED, AgendaItem.Response.ANSWERED, Stage.RECORDED, "r"),
        (Stage.RECORDED, AgendaItem.Response.NOT_TAKEN_UP, Stage.RECORDED, "r"),
        (Stage.WITHDRAWN, AgendaItem.Response.POKIR, Stage.WITHDRAWN, "r"),
    ],
)
def test_record_response_moves_only_where_implied(world, current, response, expected_stage, kind):
    aspiration = _aspiration(world, current)
    meeting = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    staff = f.UserFactory(role=Role.DPRD, representative=world.representative)

    event = aspiration_record_response(
        aspiration,
        response=response,
        actor=staff,
        occurred_on=MEETING_DAY,
        reses_meeting=meeting,
        note="Dicatat staf.",
    )

    aspiration.refresh_from_db()
    assert aspiration.stage == expected_stage
    assert event.kind == (EventKind.RESPONSE if kind == "r" else kind)
    assert (event.response, event.reses_meeting, event.recorded_by) == (response, meeting, staff)
    assert aspiration.events.count() == 1


def test_record_response_unknown_refused(world):
    with pytest.raises(ValidationError):
        aspiration_record_response(
            _aspiration(world), response="maybe", actor=None, occurred_on=DAY
        )


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a1", True),
        ("officer_a2", False),
        ("facilitator_a", True),
        ("facilitator_b", False),
        ("programme", False),
        ("dprd", False),
        ("admin", True),
    ],
)
def test_aspiration_may_be_moved_by_its_writers_only(world, persona, expected):
    users = {
        "officer_a1": f.UserFactory(role=Role.OFFICER, group=world.group_a1),
        "officer_a2": f.UserFactory(role=Role.OFFICER, group=world.group_a2),
        "facilitator_a": f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a),
        "facilitator_b": f.UserFactory(role=Role.FACILITATOR, regency=world.regency_b),
        "programme": f.UserFactory(role=Role.PROGRAMME),
        "dprd": f.UserFactory(role=Role.DPRD, representative=world.representative),
        "admin": f.UserFactory(role=Role.ADMIN, is_superuser=True),
    }
    aspiration = _aspiration(world)
    user = users[persona]

    assert can(user, "change", aspiration) is expected
    assert writable(user, "change", Aspiration).filter(pk=aspiration.pk).exists() is expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("officer_a1", True),
        ("officer_a2", False),
        ("facilitator_b", False),
        ("programme", False),
        ("dprd", True),
        ("dprd_elsewhere", False),
    ],
)
def test_dprd_staff_may_record_steps_of_aspirations_they_see(world, persona, expected):
    users = {
        "officer_a1": f.UserFactory(role=Role.OFFICER, group=world.group_a1),
        "officer_a2": f.UserFactory(role=Role.OFFICER, group=world.group_a2),
        "facilitator_b": f.UserFactory(role=Role.FACILITATOR, regency=world.regency_b),
        "programme": f.UserFactory(role=Role.PROGRAMME),
        "dprd": f.UserFactory(role=Role.DPRD, representative=world.representative),
        "dprd_elsewhere": f.UserFactory(role=Role.DPRD, representative=f.RepresentativeFactory()),
    }
    aspiration = _aspiration(world)

    assert can(users[persona], "move", aspiration) is expected
    assert can(users[persona], "change", aspiration) is (persona == "officer_a1")


def test_dprd_staff_record_only_conveyed_and_pokir(world):
    aspiration = _aspiration(world)
    staff = f.UserFactory(role=Role.DPRD, representative=world.representative)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    assert targets_for(aspiration, staff) == (Stage.CONVEYED, Stage.POKIR)
    assert targets_for(aspiration, officer) == allowed_targets(aspiration)
    assert Stage.REALISED in targets_for(aspiration, officer)


def test_next_steps_for_dprd_staff_are_their_own_steps(world):
    staff = f.UserFactory(role=Role.DPRD, representative=world.representative)

    assert next_steps(_aspiration(world), staff) == (Stage.CONVEYED,)
    assert next_steps(_aspiration(world, Stage.CONVEYED), staff) == (Stage.POKIR,)
    assert next_steps(_aspiration(world, Stage.POKIR), staff) == ()
    assert next_steps(_aspiration(world, Stage.CONVEYED)) == (Stage.MUSRENBANG_DESA,)


def test_new_forum_for_follows_the_stage_and_the_aspirations_place(world):
    aspiration = _aspiration(world)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    facilitator_b = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_b)

    desa = new_forum_for(aspiration, Stage.MUSRENBANG_DESA, officer)
    kecamatan = new_forum_for(aspiration, Stage.MUSRENBANG_KECAMATAN, officer)
    kabkota = new_forum_for(aspiration, Stage.MUSRENBANG_KABKOTA, facilitator)

    assert (desa.level, desa.village, desa.subdistrict, desa.regency) == (
        "desa",
        world.village_a1,
        world.village_a1.subdistrict,
        world.regency_a,
    )
    assert (kecamatan.level, kecamatan.village, kecamatan.subdistrict) == (
        "kecamatan",
        None,
        world.village_a1.subdistrict,
    )
    assert (kabkota.level, kabkota.village, kabkota.subdistrict, kabkota.regency) == (
        "kabkota",
        None,
        None,
        world.regency_a,
    )
    # Officers hold no Musrenbang kabupaten/kota; nobody holds a forum outside their area.
    assert new_forum_for(aspiration, Stage.MUSRENBANG_KABKOTA, officer) is None
    assert new_forum_for(aspiration, Stage.MUSRENBANG_DESA, facilitator_b) is None
    assert new_forum_for(aspiration, Stage.CONVEYED, officer) is None


NEW_FORUM = {"held_on": DAY, "fiscal_year": 2025, "attendance_female": 31, "attendance_male": None}


def test_move_at_new_forum_records_the_forum_and_the_move(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    event = aspiration_move_at_new_forum(
        aspiration,
        to=Stage.MUSRENBANG_KECAMATAN,
        actor=officer,
        forum=NEW_FORUM,
        occurred_on=DAY,
        note="Dibahas di kecamatan.",
    )

    forum = MusrenbangForum.objects.get()
    assert event.musrenbang_forum == forum
    assert (forum.level, forum.subdistrict, forum.held_on, forum.fiscal_year) == (
        "kecamatan",
        world.village_a1.subdistrict,
        DAY,
        2025,
    )
    assert (forum.attendance_female, forum.attendance_male) == (31, 0)
    assert forum.created_by == officer
    assert can(officer, "edit", forum)
    aspiration.refresh_from_db()
    assert (aspiration.stage, aspiration.stage_changed_on) == (Stage.MUSRENBANG_KECAMATAN, DAY)


def test_move_at_new_forum_refused_leaves_no_forum(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    with pytest.raises(ValidationError) as refused:
        aspiration_move_at_new_forum(
            aspiration,
            to=Stage.MUSRENBANG_KECAMATAN,
            actor=officer,
            forum=NEW_FORUM,
            occurred_on=datetime.date(2999, 1, 1),
        )

    assert refused.value.message_dict == {"occurred_on": ["Tanggal tidak boleh setelah hari ini."]}
    assert not MusrenbangForum.objects.exists()
    assert not aspiration.events.exists()


def test_move_at_new_forum_refuses_a_forum_the_user_may_not_hold(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_KECAMATAN)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    with pytest.raises(ValidationError) as refused:
        aspiration_move_at_new_forum(
            aspiration, to=Stage.MUSRENBANG_KABKOTA, actor=officer, forum=NEW_FORUM, occurred_on=DAY
        )

    assert list(refused.value.message_dict) == ["musrenbang_forum"]
    assert not MusrenbangForum.objects.exists()


def test_move_at_new_forum_keys_forum_errors_by_the_forum_field(world):
    aspiration = _aspiration(world)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    with pytest.raises(ValidationError) as refused:
        aspiration_move_at_new_forum(
            aspiration,
            to=Stage.MUSRENBANG_DESA,
            actor=officer,
            forum={**NEW_FORUM, "held_on": None},
            occurred_on=DAY,
        )

    assert list(refused.value.message_dict) == ["forum_held_on"]
    assert not MusrenbangForum.objects.exists()
    assert not aspiration.events.exists()


def test_history_records_field_edits(world):
    user = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    aspiration, _ = aspiration_create(
        group=world.group_a1,
        actor=user,
        village=world.village_a1,
        title="Air bersih",
        topic=f.TopicFactory(),
        channel="letter",
        raised_on=DAY,
    )

    aspiration.title = "Air bersih dusun 2"
    aspiration.save()

    titles = list(aspiration.history.order_by("history_date").values_list("title", flat=True))
    assert titles == ["Air bersih", "Air bersih dusun 2"]


def test_moves_leave_no_field_history_rows(world):
    """The events are the history of the stage; field history holds only field edits."""
    aspiration = _aspiration(world, Stage.PLANNED)
    before = aspiration.history.count()

    aspiration_move(aspiration, **_move_kwargs(Stage.BUDGETED))
    aspiration_correct(aspiration, to=Stage.PLANNED, actor=None, occurred_on=DAY, reason="x")

    assert aspiration.history.count() == before


def test_correct_back_dates_stage_to_when_it_was_reached(world):
    """After "budgeted was a mistake" the budget can be recorded again with its real date."""
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)
    planned_on = datetime.date(2024, 8, 20)
    aspiration_move(aspiration, to=Stage.PLANNED, actor=None, occurred_on=planned_on)
    aspiration_move(aspiration, **_move_kwargs(Stage.BUDGETED))

    aspiration_correct(
        aspiration,
        to=Stage.PLANNED,
        actor=None,
        occurred_on=datetime.date(2024, 9, 10),
        reason="Jumlah salah ketik.",
    )
    assert aspiration.stage_changed_on == planned_on
    aspiration_move(
        aspiration, **{**_move_kwargs(Stage.BUDGETED), "occurred_on": datetime.date(2024, 8, 25)}
    )

    assert BudgetOutcome.objects.get(aspiration=aspiration).fiscal_year == 2025
    assert aspiration.stage_changed_on == datetime.date(2024, 8, 25)


def test_correct_to_stage_never_reached_dates_from_correction(world):
    aspiration = _aspiration(world, Stage.POKIR)
    day = datetime.date(2024, 9, 10)

    aspiration_correct(
        aspiration, to=Stage.MUSRENBANG_KABKOTA, actor=None, occurred_on=day, reason="Jalur salah."
    )

    assert (aspiration.stage, aspiration.stage_changed_on) == (Stage.MUSRENBANG_KABKOTA, day)


def test_record_response_refuses_date_before_raised_on(officer, recorded):
    from django.core.exceptions import ValidationError

    from aspirations import services

    for response in ("pokir", "answered"):
        with pytest.raises(ValidationError) as refused:
            services.aspiration_record_response(
                recorded,
                response=response,
                actor=officer.user,
                occurred_on=datetime.date(2021, 4, 16),
            )
        assert "occurred_on" in refused.value.message_dict
    assert list(recorded.events.values_list("kind", flat=True)) == ["created"]


def _refused_in_indonesian(aspiration, **move):
    """The messages by field of a refused ``aspiration_move``, in Indonesian."""
    with translation.override("id"), pytest.raises(ValidationError) as refused:
        aspiration_move(aspiration, actor=None, **move)
    return refused.value.message_dict


def test_move_at_a_reses_cannot_be_dated_before_the_meeting(world):
    aspiration = _aspiration(world)
    meeting = f.ResesMeetingFactory(village=aspiration.village)  # 10 March 2025, 09.00

    errors = _refused_in_indonesian(
        aspiration,
        to=Stage.CONVEYED,
        occurred_on=datetime.date(2025, 3, 9),
        reses_meeting=meeting,
    )

    assert errors == {
        "occurred_on": ["Tanggal tidak boleh sebelum pertemuan reses (10 Maret 2025)."]
    }
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.RECORDED


def test_move_at_a_reses_on_the_meeting_day_is_accepted(world):
    aspiration = _aspiration(world)
    meeting = f.ResesMeetingFactory(village=aspiration.village)

    aspiration_move(
        aspiration,
        to=Stage.CONVEYED,
        actor=None,
        occurred_on=datetime.date(2025, 3, 10),
        reses_meeting=meeting,
    )

    assert aspiration.stage == Stage.CONVEYED


def test_realised_cannot_be_dated_before_the_budget_fiscal_year_begins(world):
    aspiration = _aspiration(world, Stage.PLANNED)
    aspiration_move(aspiration, to=Stage.BUDGETED, actor=None, occurred_on=DAY, **BUDGET)

    errors = _refused_in_indonesian(
        aspiration, to=Stage.REALISED, occurred_on=datetime.date(2024, 12, 31)
    )

    assert errors == {
        "occurred_on": ["Realisasi tidak boleh bertanggal sebelum tahun anggaran 2025 dimulai."]
    }
    aspiration_move(
        aspiration, to=Stage.REALISED, actor=None, occurred_on=datetime.date(2025, 1, 1)
    )
    assert aspiration.stage == Stage.REALISED


def test_move_at_a_forum_cannot_be_dated_before_the_forum_was_held(world):
    aspiration = _aspiration(world)
    forum = f.MusrenbangForumFactory(village=aspiration.village)  # held 20 January 2025

    errors = _refused_in_indonesian(
        aspiration,
        to=Stage.MUSRENBANG_DESA,
        occurred_on=datetime.date(2025, 1, 19),
        musrenbang_forum=forum,
    )

    assert errors == {
        "occurred_on": ["Tanggal tidak boleh sebelum forum Musrenbang diadakan (20 Januari 2025)."]
    }
    aspiration_move(
        aspiration,
        to=Stage.MUSRENBANG_DESA,
        actor=None,
        occurred_on=datetime.date(2025, 1, 20),
        musrenbang_forum=forum,
    )
    assert aspiration.stage == Stage.MUSRENBANG_DESA


def test_a_new_forum_held_after_its_move_or_in_the_future_is_refused(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    next_year = today_in(aspiration.group) + datetime.timedelta(days=200)

    for held_on in (DAY + datetime.timedelta(days=1), next_year):
        with pytest.raises(ValidationError) as refused:
            aspiration_move_at_new_forum(
                aspiration,
                to=Stage.MUSRENBANG_KECAMATAN,
                actor=officer,
                forum={**NEW_FORUM, "held_on": held_on},
                occurred_on=DAY,
            )
        assert list(refused.value.message_dict) == ["occurred_on"]
    assert not MusrenbangForum.objects.exists()


def test_budget_fiscal_year_cannot_be_before_the_aspiration_was_raised(world):
    aspiration = _aspiration(world, Stage.PLANNED, raised_on=datetime.date(2021, 4, 17))

    errors = _refused_in_indonesian(
        aspiration, to=Stage.BUDGETED, occurred_on=DAY, **{**BUDGET, "fiscal_year": 2019}
    )

    assert errors == {
        "fiscal_year": ["Tahun anggaran tidak boleh sebelum aspirasi diusulkan (2021)."]
    }


def test_musrenbang_kecamatan_move_needs_a_forum(world):
    aspiration = _aspiration(world, Stage.MUSRENBANG_DESA)

    errors = _refused_in_indonesian(aspiration, to=Stage.MUSRENBANG_KECAMATAN, occurred_on=DAY)

    assert errors == {
        "musrenbang_forum": [
            "Pindah ke Musrenbang kecamatan memerlukan forum tempat usulan ini dibahas."
        ]
    }


def test_move_cannot_be_dated_after_today_in_the_village_zone(world):
    aspiration = _aspiration(world)
    tomorrow = today_in(aspiration.village.subdistrict.regency) + datetime.timedelta(days=1)

    errors = _refused_in_indonesian(aspiration, to=Stage.CONVEYED, occurred_on=tomorrow)

    assert errors == {"occurred_on": ["Tanggal tidak boleh setelah hari ini."]}
