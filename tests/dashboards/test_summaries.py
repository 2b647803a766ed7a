"""The dashboard's summary tables (``dashboards.summaries``): kept exact by every write, the
admin's included, equal to a fresh rebuild, and giving the same figures as the live queries."""

import datetime
import random
import uuid
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from aspirations import services
from aspirations.models import Aspiration, BudgetOutcome, Channel
from aspirations.stages import CLOSED, FORWARD, RANK, Stage
from dashboards import summaries
from dashboards.figures import Filters
from dashboards.models import AspirationSummary, MoneySummary
from dashboards.views import Dashboard
from groups.models import Province
from kk_portal.scoping import Role
from tests import factories as f

KEY = ("grain", "regency_id", "topic_id", "urusan_id", "channel", "year", "month")


def _snapshot():
    """Both summaries as comparable sets, without cells that count nothing."""
    columns = list(summaries.COLUMNS)
    cells = {
        tuple(row)
        for row in AspirationSummary.objects.filter(recorded__gt=0).values_list(*KEY, *columns)
    }
    money = {
        (r, t, y, Decimal(str(b)).quantize(Decimal("0.01")), Decimal(str(z)), n)
        for r, t, y, b, z, n in MoneySummary.objects.filter(outcomes__gt=0).values_list(
            "regency_id", "topic_id", "fiscal_year", "budgeted", "realised", "outcomes"
        )
    }
    return cells, money


def _figures(user, filters, *, from_summary):
    board = Dashboard(user, filters)
    board.from_summary = summaries.usable(user, filters) if from_summary else None
    assert board.from_summary or not from_summary
    today = datetime.date(2025, 8, 14)
    return {
        "headline": board.headline(today),
        **{
            key: [[(cell.text, cell.url) for cell in row] for row in board.table(key).rows]
            for key in SUMMARY_TABLES
        },
    }


#: The tables the summaries serve (``Dashboard.from_summary``).
SUMMARY_TABLES = (
    "funnel",
    "closed",
    "by_region",
    "by_topic",
    "by_urusan",
    "by_channel",
    "beneficiaries",
    "money_regency",
    "money_topic",
    "trend",
)


@pytest.fixture
def history(world, officer):
    """Aspirations made and changed only through the write functions and the edit page."""
    return _write_history(world, officer)


def _write_history(world, officer):
    actor = officer.user
    water = f.TopicFactory(name="Air bersih", default_urusan=f.UrusanFactory(code="1.03"))
    road = f.TopicFactory(name="Jalan")
    made = []
    for n, (group, topic, day) in enumerate(
        [
            (world.group_a1, water, datetime.date(2024, 3, 5)),
            (world.group_a1, road, datetime.date(2024, 11, 20)),
            (world.group_a2, water, datetime.date(2025, 1, 9)),
            (world.group_b1, road, datetime.date(2025, 6, 1)),
        ]
    ):
        aspiration, _created = services.aspiration_create(
            group=group,
            actor=actor,
            village=group.village,
            title=f"Usulan {n}",
            topic=topic,
            channel="letter" if n % 2 else "face_to_face",
            raised_on=day,
            benefits_poor=bool(n % 2),
        )
        made.append(aspiration)
    first, second, third, fourth = made
    when = datetime.date(2025, 7, 1)
    services.aspiration_move(first, to=Stage.CONVEYED, actor=actor, occurred_on=when)
    services.aspiration_move(first, to=Stage.PLANNED, actor=actor, occurred_on=when)
    services.aspiration_move(
        first,
        to=Stage.BUDGETED,
        actor=actor,
        occurred_on=when,
        amount=Decimal("2500000"),
        fiscal_year=2025,
        fund_source="apbdes",
    )
    services.aspiration_move(
        first, to=Stage.REALISED, actor=actor, occurred_on=when, realised_amount=Decimal("2000000")
    )
    services.aspiration_move(second, to=Stage.CONVEYED, actor=actor, occurred_on=when)
    services.aspiration_move(
        second, to=Stage.NOT_ACCOMMODATED, actor=actor, occurred_on=when, reason="Dana habis"
    )
    services.aspiration_carry_over(second, actor=actor, occurred_on=when)
    services.aspiration_move(third, to=Stage.CONVEYED, actor=actor, occurred_on=when)
    services.aspiration_move(
        third,
        to=Stage.BUDGETED,
        actor=actor,
        occurred_on=when,
        amount=Decimal("900000"),
        fiscal_year=2026,
        fund_source="apbdes",
    )
    services.aspiration_correct(
        third, to=Stage.CONVEYED, actor=actor, occurred_on=when, reason="Salah catat"
    )
    services.aspiration_move(fourth, to=Stage.WITHDRAWN, actor=actor, occurred_on=when)
    # The edit page changes topic, channel, village, date raised and beneficiaries.
    response = officer.post(
        reverse("aspirations:edit", args=[first.pk]),
        {
            "submission_token": str(uuid.uuid4()),
            "title": "Usulan 0",
            "topic": road.pk,
            "village": world.village_a2.pk,
            "channel": "phone",
            "raised_on": "2023-12-31",
            "benefits_women": "on",
            "benefits_disability": "on",
        },
    )
    assert response.status_code == 302
    return made


def _admin_post_data(response, **changes):
    """The admin change form's values as the browser sends them back, with ``changes``."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value in (None, False):
            continue
        data[name] = "on" if value is True else value
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for inline_form in inline.formset.forms:
            data[inline_form.add_prefix("id")] = inline_form.instance.pk
            data[inline_form.add_prefix("aspiration")] = inline_form.instance.aspiration_id
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_summaries_after_writes_equal_a_fresh_rebuild(history):
    kept = _snapshot()

    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))

    assert _snapshot() == kept
    assert kept[0] and kept[1]


def test_summaries_edit_moves_the_aspiration_between_cells(history):
    cells = AspirationSummary.objects.filter(grain="channel", recorded__gt=0)

    assert cells.filter(channel="phone", year=2023).get().recorded == 1
    assert not cells.filter(channel="face_to_face", year=2024).exists()


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"start": datetime.date(2024, 1, 1), "end": datetime.date(2025, 12, 31)},
        {"start": datetime.date(2025, 1, 1)},
        {"region": "regency_a"},
        {"region": "province_a", "end": datetime.date(2024, 12, 31)},
        {"topic": True},
    ],
)
def test_dashboard_figures_from_summary_equal_live(history, world, filters):
    programme = f.UserFactory(username="program-summary")
    region = filters.get("region")
    if region == "regency_a":
        filters["region"] = world.regency_a
    elif region == "province_a":
        filters["region"] = Province.objects.get(pk=world.regency_a.province_id)
    if filters.get("topic"):
        filters["topic"] = history[0].topic
    page = Filters(**filters)
    assert summaries.usable(programme, page)

    from_summary = _figures(programme, page, from_summary=True)
    live = _figures(programme, page, from_summary=False)

    assert from_summary == live
    assert any(row for row in live.values())


def test_dashboard_summary_drill_down_count_equals_list_rows(history, programme):
    board = Dashboard(programme.user, Filters())
    assert board.from_summary
    recorded = board.table("funnel").rows[0][1]

    listed = programme.get(recorded.url)

    assert recorded.value == 5
    assert len(listed.context["page_obj"]) == 5


@pytest.mark.parametrize(
    ("role", "filters", "expected"),
    [
        ("programme", {"start": datetime.date(2024, 3, 15)}, True),
        ("programme", {"end": datetime.date(2024, 6, 30)}, True),
        ("programme", {"start": datetime.date(2024, 1, 1)}, True),
        # A facilitator's regency is whole to her while no other regency's group raised
        # an aspiration concerning it; the DPRD district covers one village of two.
        ("facilitator", {}, True),
        ("dprd", {}, False),
        ("officer", {}, False),
    ],
)
def test_summary_used_only_where_expressible(request, role, filters, expected):
    user = request.getfixturevalue(role).user

    assert (summaries.usable(user, Filters(**filters)) is not None) is expected


def test_programme_cached_keeps_figures_for_whole_programme_only(programme, facilitator, world):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    whole = Filters()
    regency = Filters(region=world.regency_a)

    assert summaries.programme_cached(programme.user, whole, "x", compute) == 1
    assert summaries.programme_cached(programme.user, whole, "x", compute) == 1
    assert summaries.programme_cached(programme.user, regency, "x", compute) == 2
    assert summaries.programme_cached(facilitator.user, whole, "x", compute) == 3
    assert summaries.programme_cached(facilitator.user, whole, "x", compute) == 4


def test_programme_cached_keeps_dprd_figures_per_representative(world, dprd):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    other = f.UserFactory(
        username="staf-dprd-lain",
        role=Role.DPRD,
        representative=f.RepresentativeFactory(district=world.district),
    )

    assert summaries.programme_cached(dprd.user, Filters(), "x", compute) == 1
    assert summaries.programme_cached(dprd.user, Filters(), "x", compute) == 1
    assert summaries.programme_cached(other, Filters(), "x", compute) == 2


def test_summaries_after_an_admin_edit_equal_a_fresh_rebuild(history, admin_client_, world):
    aspiration = history[2]
    url = reverse("admin:aspirations_aspiration_change", args=[aspiration.pk])
    page = admin_client_.get(url)
    other_topic = f.TopicFactory(slug="health", name="Kesehatan")

    response = admin_client_.post(
        url,
        _admin_post_data(
            page,
            topic=other_topic.pk,
            village=world.village_a1.pk,
            raised_on="2024-02-02",
            channel="phone",
            benefits_men="on",
        ),
    )
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))

    assert response.status_code == 302
    aspiration.refresh_from_db()
    assert (aspiration.topic, aspiration.raised_on.year) == (other_topic, 2024)
    assert _snapshot() == kept


def test_summaries_after_an_admin_delete_equal_a_fresh_rebuild(history, admin_client_):
    aspiration = history[3]

    response = admin_client_.post(
        reverse("admin:aspirations_aspiration_delete", args=[aspiration.pk]), {"post": "yes"}
    )
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))

    assert response.status_code == 302
    assert not Aspiration.objects.filter(pk=aspiration.pk).exists()
    assert _snapshot() == kept


def test_admin_shows_budget_amounts_read_only(history, admin_client_):
    outcome = BudgetOutcome.objects.first()

    page = admin_client_.get(reverse("admin:aspirations_budgetoutcome_change", args=[outcome.pk]))

    form = page.context["adminform"].form
    assert "amount" not in form.fields and "fiscal_year" not in form.fields
    assert "implementing_agency" in form.fields


def test_admin_adds_an_aspiration_through_the_write_function(admin_client_, world):
    topic = f.TopicFactory()
    url = reverse("admin:aspirations_aspiration_add")
    page = admin_client_.get(url)

    response = admin_client_.post(
        url,
        _admin_post_data(
            page,
            group=world.group_a1.pk,
            village=world.village_a1.pk,
            title="Lampu jalan",
            topic=topic.pk,
            channel="letter",
            raised_on="2024-05-06",
        ),
    )
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))

    assert response.status_code == 302
    aspiration = Aspiration.objects.get(title="Lampu jalan")
    assert [event.kind for event in aspiration.events.all()] == ["created"]
    assert aspiration.urusan == topic.default_urusan
    assert _snapshot() == kept and kept[0]


def test_summaries_of_several_ids_at_once_equal_a_fresh_rebuild(history):
    ids = list(Aspiration.objects.values_list("pk", flat=True))
    kept = _snapshot()

    summaries.remove(ids[:2])
    summaries.remove(ids[2:])
    emptied = _snapshot()
    summaries.add(ids)

    assert emptied == (set(), set())
    assert _snapshot() == kept


def test_summaries_deferred_over_many_writes_equal_a_fresh_rebuild(world, officer, monkeypatch):
    """An import's writes gather their summary updates (``summaries.deferred``): a row made
    before the block and changed in it is taken out once and counted again once, in chunks
    of ``DEFERRED_CHUNK`` ids."""
    monkeypatch.setattr(summaries, "DEFERRED_CHUNK", 2)
    earlier, _created = services.aspiration_create(
        group=world.group_a1,
        actor=officer.user,
        village=world.village_a1,
        title="Usulan lama",
        topic=f.TopicFactory(name="Sekolah"),
        channel="letter",
        raised_on=datetime.date(2023, 2, 1),
    )
    before = _snapshot()

    with transaction.atomic(), summaries.deferred():
        services.aspiration_move(
            earlier, to=Stage.CONVEYED, actor=officer.user, occurred_on=datetime.date(2025, 7, 1)
        )
        _write_history(world, officer)
        assert _snapshot() != before
    kept = _snapshot()
    call_command("rebuild_summaries", stdout=open("/dev/null", "w"))

    assert _snapshot() == kept
    assert AspirationSummary.objects.filter(conveyed__gt=0).exists()


def _day(text):
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (None, None, summaries.Period((None, None))),
        (
            "2025-03-15",
            "2025-09-30",
            summaries.Period(None, ((2025, 4, 9),), ((_day("2025-03-15"), _day("2025-03-31")),)),
        ),
        (
            "2025-03-03",
            "2025-03-20",
            summaries.Period(None, (), ((_day("2025-03-03"), _day("2025-03-20")),)),
        ),
        ("2024-02-01", "2026-06-30", summaries.Period((2025, 2025), ((2024, 2, 12), (2026, 1, 6)))),
        ("2024-01-01", "2024-12-31", summaries.Period((2024, 2024))),
        (
            None,
            "2025-06-15",
            summaries.Period(
                (None, 2024), ((2025, 1, 5),), ((_day("2025-06-01"), _day("2025-06-15")),)
            ),
        ),
        (
            "2025-12-31",
            None,
            summaries.Period((2026, None), (), ((_day("2025-12-31"), _day("2025-12-31")),)),
        ),
        (
            "2025-01-31",
            "2025-02-01",
            summaries.Period(
                None,
                (),
                (
                    (_day("2025-01-31"), _day("2025-01-31")),
                    (_day("2025-02-01"), _day("2025-02-01")),
                ),
            ),
        ),
    ],
)
def test_split_serves_whole_years_then_months_then_days(start, end, expected):
    period = summaries.split(start and _day(start), end and _day(end))

    assert period == expected


def _random_aspirations(world, seed, count=60):
    """``count`` aspirations with random dates raised (2023 to 2026), topics, channels,
    villages, stages (forward or closed, with where they stopped) and beneficiaries, made
    through the factory, which announces them to the summaries as the write functions do."""
    rng = random.Random(seed)
    topics = [f.TopicFactory(name=name, default_urusan=f.UrusanFactory()) for name in "ABC"]
    topics.append(f.TopicFactory(name="D", default_urusan=None))
    places = [
        (world.group_a1, world.village_a1),
        (world.group_a1, world.village_a2),
        (world.group_a2, world.village_a2),
        (world.group_b1, world.village_b1),
    ]
    first = datetime.date(2023, 1, 1)
    for _n in range(count):
        group, village = rng.choice(places)
        stage = rng.choice([*FORWARD, *CLOSED])
        rank = RANK[stage] if stage in RANK else rng.randint(1, 7)
        raised = first + datetime.timedelta(days=rng.randrange(4 * 365))
        f.AspirationFactory(
            group=group,
            village=village,
            topic=rng.choice(topics),
            channel=rng.choice(Channel.values),
            raised_on=raised,
            stage=stage,
            furthest_rank=rank,
            stopped_at=rng.choice(["", *(s.value for s in FORWARD)]) if stage in CLOSED else "",
            benefits_women=rng.random() < 0.5,
            benefits_poor=rng.random() < 0.3,
            benefits_disability=rng.random() < 0.2,
        )
    return rng, topics


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summaries_for_random_day_ranges_equal_live(world, seed):
    """For random periods of days, regions and topics, every figure the summaries serve
    equals the live queries' (the definition), headlines included."""
    rng, topics = _random_aspirations(world, seed)
    programme = f.UserFactory(username=f"program-days-{seed}")
    province = Province.objects.get(pk=world.regency_a.province_id)
    for _case in range(6):
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
        end = start + datetime.timedelta(days=rng.randrange(1, 500))
        page = Filters(
            region=rng.choice([None, None, world.regency_a, world.regency_b, province]),
            start=rng.choice([start, start, None]),
            end=rng.choice([end, end, None]),
            topic=rng.choice([None, None, *topics]),
        )
        assert summaries.usable(programme, page)

        assert _figures(programme, page, from_summary=True) == _figures(
            programme, page, from_summary=False
        ), page


@pytest.mark.parametrize(
    ("role", "bound"),
    [("programme", 50), ("facilitator", 50), ("dprd", 45), ("officer", 45)],
)
def test_dashboard_queries_do_not_grow_with_rows(
    request, world, role, bound, django_assert_max_num_queries
):
    """Each role's dashboard for a period of days runs a bounded number of queries, the
    same for 10 aspirations as for many: one or two per figure, none per row."""
    client = request.getfixturevalue(role)
    _random_aspirations(world, 7, count=30)
    url = reverse("dashboard:index") + "?start=2024-03-15&end=2025-09-30"

    with django_assert_max_num_queries(bound):
        response = client.get(url)

    assert response.status_code == 200


def _assert_summaries_equal_live(user, rng, world, topics):
    """Every figure of ``user``'s random pages that the summaries serve equals the live
    queries'; the funnel's total equals the rows ``user`` sees."""
    for page in _random_pages(rng, world, topics):
        if not summaries.usable(user, page):
            continue
        assert _figures(user, page, from_summary=True) == _figures(
            user, page, from_summary=False
        ), page
    funnel = Dashboard(user, Filters()).table("funnel").rows[0][1]
    assert funnel.value == Aspiration.objects.visible_to(user).counted().count()


def test_summaries_deferred_as_rolled_back_leave_the_cells_alone(world, officer):
    """An import's preview tries each row and rolls it back (``deferred(rolled_back=True)``):
    the cells are not touched, and after the rollback they still equal a rebuild."""
    before = _snapshot()

    with transaction.atomic():
        with summaries.deferred(rolled_back=True):
            _write_history(world, officer)
            assert _snapshot() == before
        transaction.set_rollback(True)

    assert _snapshot() == before
    assert not Aspiration.objects.exists()


def _abroad(world, rng, topics, group, village, count, **fields):
    """``count`` aspirations of ``group`` concerning ``village`` (another regency's), with
    ``fields``, some budgeted with an outcome: a scope's rest (``summaries.Cover``)."""
    for n in range(count):
        aspiration = f.AspirationFactory(
            group=group,
            village=village,
            topic=rng.choice(topics),
            channel=rng.choice(Channel.values),
            raised_on=datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(4 * 365)),
            stage=Stage.BUDGETED if n % 2 else Stage.CONVEYED,
            furthest_rank=RANK[Stage.BUDGETED] if n % 2 else RANK[Stage.CONVEYED],
            **fields,
        )
        if n % 2:
            f.BudgetOutcomeFactory(
                aspiration=aspiration,
                fiscal_year=aspiration.raised_on.year,
                amount=Decimal(1_000_000 + n),
            )


def _random_pages(rng, world, topics):
    province = Province.objects.get(pk=world.regency_a.province_id)
    yield Filters()
    for _case in range(5):
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
        end = start + datetime.timedelta(days=rng.randrange(1, 500))
        yield Filters(
            region=rng.choice([None, None, world.regency_a, world.regency_b, province]),
            start=rng.choice([start, start, None]),
            end=rng.choice([end, end, None]),
            topic=rng.choice([None, None, *topics]),
        )


@pytest.mark.parametrize("seed", [4, 5])
def test_summaries_for_a_dprd_district_of_whole_regencies_equal_live(world, dprd, seed):
    """A DPRD district that covers every village of regency A reads A's cells, plus the
    aspirations addressed to the representative from regency B counted from the rows: every
    figure equals the live queries', and none counts an aspiration outside the scope."""
    rng, topics = _random_aspirations(world, seed)
    f.DistrictVillageFactory(district=world.district, village=world.village_a2)
    _abroad(world, rng, topics, world.group_b1, world.village_b1, 6)
    _abroad(
        world, rng, topics, world.group_b1, world.village_b1, 5, representative=world.representative
    )
    user = dprd.user
    cover = summaries.usable(user, Filters())
    assert cover.regencies == [world.regency_a.pk]
    assert len(cover.rest_cells) == 5
    _assert_summaries_equal_live(user, rng, world, topics)


@pytest.mark.parametrize("abroad", ["a", "b"])
def test_summaries_for_a_facilitator_regency_equal_live(world, facilitator, facilitator_b, abroad):
    """A facilitator's regency is read from its cells while no group of another regency
    raised an aspiration concerning it; her groups' aspirations concerning another
    regency's villages are counted from the rows. Every figure equals the live queries'."""
    rng, topics = _random_aspirations(world, 6)
    if abroad == "a":  # group A1 raises needs of a village of regency B
        _abroad(world, rng, topics, world.group_a1, world.village_b1, 7)
        served, unserved = facilitator.user, facilitator_b.user
    else:
        _abroad(world, rng, topics, world.group_b1, world.village_a1, 7)
        served, unserved = facilitator_b.user, facilitator.user
    cover = summaries.usable(served, Filters())
    assert cover.regencies == [served.regency_id]
    assert len(cover.rest_cells) == 7
    assert summaries.usable(unserved, Filters()) is None
    _assert_summaries_equal_live(served, rng, world, topics)


def test_scope_cached_is_shared_by_one_scope_only(world, facilitator, facilitator_b, dprd):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    whole = Filters()
    colleague = f.UserFactory(
        username="fasilitator-a-dua", role=Role.FACILITATOR, regency=world.regency_a
    )
    staff = f.UserFactory(
        username="staf-dprd-dua", role=Role.DPRD, representative=world.representative
    )

    assert summaries.scope_cached(facilitator.user, whole, "x", compute) == 1
    assert summaries.scope_cached(colleague, whole, "x", compute) == 1
    assert summaries.scope_cached(facilitator_b.user, whole, "x", compute) == 2
    assert summaries.scope_cached(dprd.user, whole, "x", compute) == 3
    assert summaries.scope_cached(staff, whole, "x", compute) == 3
    assert (
        summaries.scope_cached(facilitator.user, Filters(topic=None, end=None), "y", compute) == 4
    )
