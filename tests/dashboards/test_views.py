"""The dashboard page: scope per role, the funnel, drill-downs that add up, small cells, bad
filters and a query count that does not grow with rows."""

import datetime
import io
import re
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aspirations.stages import Stage
from dashboards.views import Cell, Dashboard, Table
from kk_portal.exports import CODE, MONEY, TEXT
from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")


URL = "/dashboard/"


def tables(response):
    return {table.key: table for table in response.context["tables"]}


def funnel_counts(response):
    return [row[1].value for row in tables(response)["funnel"].rows]


def aspirations_in(world):
    """3 aspirations in group A1, 2 in A2, 4 in B1."""
    f.AspirationFactory.create_batch(3, group=world.group_a1)
    f.AspirationFactory.create_batch(2, group=world.group_a2)
    f.AspirationFactory.create_batch(4, group=world.group_b1)


def members_with_unknown_ages(group):
    """2 aged 30-44, 3 without birth year, 2 with a birth date or year in the future."""
    this_year = datetime.date.today().year
    f.MemberFactory.create_batch(2, group=group, birth_year=this_year - 40)
    f.MemberFactory.create_batch(3, group=group, birth_year=None)
    f.MemberFactory(group=group, birth_year=None, birth_date=datetime.date(this_year + 1, 1, 1))
    f.MemberFactory(group=group, birth_year=this_year + 3)


def _query_count(client):
    # Counted without the programme's cached figures (dashboards.summaries.programme_cached).
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.usefixtures("counts_shown")
@pytest.mark.parametrize(
    ("persona", "recorded"),
    [
        ("officer", 3),
        ("officer_b", 2),
        ("facilitator", 5),
        ("facilitator_b", 4),
        ("programme", 9),
        ("dprd", 3),
        ("admin_client_", 9),
    ],
)
def test_dashboard_funnel_counts_only_the_roles_scope(request, world, persona, recorded):
    aspirations_in(world)
    client = request.getfixturevalue(persona)
    response = client.get(URL)
    assert response.status_code == 200
    assert funnel_counts(response)[0] == recorded
    assert "Aspiration funnel" in response.text or "Corong" in response.text


@pytest.mark.usefixtures("counts_shown")
def test_dashboard_funnel_counts_cumulatively_by_furthest_rank(programme, world):
    for rank, stage in [
        (1, Stage.RECORDED),
        (2, Stage.CONVEYED),
        (3, Stage.MUSRENBANG_DESA),
        (5, Stage.POKIR),
        (6, Stage.PLANNED),
        (7, Stage.BUDGETED),
        (8, Stage.REALISED),
    ]:
        f.AspirationFactory(group=world.group_a1, stage=stage, furthest_rank=rank)
    f.AspirationFactory(
        group=world.group_a1,
        stage=Stage.NOT_ACCOMMODATED,
        furthest_rank=2,
        stopped_at=Stage.CONVEYED,
    )
    f.AspirationFactory(group=world.group_a1, stage=Stage.WITHDRAWN, furthest_rank=1)

    response = programme.get(URL)

    # recorded ⊇ conveyed ⊇ planning forum ⊇ planned ⊇ budgeted ⊇ realised
    assert funnel_counts(response) == [9, 7, 5, 3, 2, 1]
    closed = {row[0].value: [c.value for c in row[1:]] for row in tables(response)["closed"].rows}
    assert closed[Stage.CONVEYED.label] == [1, 0]
    assert closed["not filled"] == [0, 1]


@pytest.mark.usefixtures("counts_shown")
def test_dashboard_period_includes_the_end_day(programme, world):
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 8, 31))
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 9, 1))
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 7, 31))

    response = programme.get(URL, {"start": "2024-08-01", "end": "2024-08-31"})

    assert funnel_counts(response)[0] == 1


@pytest.mark.usefixtures("counts_shown")
def test_dashboard_filters_by_region_and_topic(programme, world):
    aspirations_in(world)
    other = f.TopicFactory(slug="health", name="Kesehatan")
    f.AspirationFactory(group=world.group_b1, topic=other)

    by_region = programme.get(URL, {"region": world.regency_b.code})
    by_topic = programme.get(URL, {"topic": other.pk})

    assert funnel_counts(by_region)[0] == 5
    assert funnel_counts(by_topic)[0] == 1


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2024-09-01", "end": "2024-08-01"},
        {"start": "2999-01-01"},
        {"region": "99.99"},
        {"start": "31-31-2024"},
        {"topic": "999999"},
    ],
)
def test_dashboard_impossible_filter_shows_message(programme, world, params):
    response = programme.get(URL, params)
    assert response.status_code == 200
    assert response.context["tables"] == []
    assert 'role="alert"' in response.text
    assert response.context["form"].errors


def test_dashboard_drill_down_counts_equal_list_and_export(facilitator, world):
    aspirations_in(world)
    f.AspirationFactory(
        group=world.group_a1,
        stage=Stage.NOT_ACCOMMODATED,
        stopped_at=Stage.CONVEYED,
        furthest_rank=2,
        urusan=None,
        benefits_women=False,
    )
    f.AspirationFactory(group=world.group_a2, stage=Stage.BUDGETED, furthest_rank=7)
    response = facilitator.get(URL, {"start": "2024-01-01", "end": "2024-12-31"})
    links = [
        (table.key, cell)
        for table in response.context["tables"]
        for row in table.rows
        for cell in row
        if cell.url and cell.url.startswith("/aspirations/")
    ]
    assert len(links) > 20
    for key, cell in links:
        listed = facilitator.get(cell.url)
        assert listed.context["page_obj"].paginator.count == cell.value, (key, cell.url)
        query = cell.url.split("?", 1)[1]
        exported = facilitator.get(f"/aspirations/export/?{query}&format=csv")
        content = b"".join(exported.streaming_content).decode("utf-8-sig")
        assert len(content.strip().splitlines()) - 1 == cell.value


def test_dashboard_links_in_page_are_not_localised(facilitator, world):
    f.AspirationFactory.create_batch(2, group=world.group_a1)
    response = facilitator.get(URL)
    hrefs = [unescape(h) for h in re.findall(r'href="(/aspirations/\?[^"]+)"', response.text)]
    assert hrefs
    assert all("reached=" in h or "stage=" in h or "=" in h for h in hrefs)


def test_dashboard_age_not_filled_bucket_matches_list_and_export(facilitator, world):
    members_with_unknown_ages(world.group_a1)

    response = facilitator.get(URL)

    rows = tables(response)["members_age"].rows
    counts = {row[0].value: row[1] for row in rows}
    assert counts["not filled"].value == 5
    assert sum(row[1].value for row in rows[:-1]) == rows[-1][1].value == 7
    listed = facilitator.get(counts["not filled"].url)
    assert listed.context["page_obj"].paginator.count == 5
    query = counts["not filled"].url.split("?", 1)[1]
    exported = facilitator.get(f"/members/export/?{query}")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(exported.streaming_content))).active
    assert sheet.max_row - 1 == 5


def test_dashboard_member_links_follow_to_the_member_list(officer, world):
    f.MemberFactory.create_batch(3, group=world.group_a1, sex="F", is_poor=True)
    f.MemberFactory(group=world.group_a1, sex="M", position="chair")
    f.MemberFactory(group=world.group_a2, sex="F")

    response = officer.get(URL)

    cells = [
        cell
        for table in response.context["tables"]
        for row in table.rows
        for cell in row
        if cell.url.startswith("/members/")
    ]
    assert len(cells) >= 10
    for cell in cells:
        assert officer.get(cell.url).context["page_obj"].paginator.count == cell.value


@pytest.mark.parametrize("persona", ["programme", "dprd"])
def test_dashboard_small_member_cells_suppressed_without_links(request, world, persona):
    f.MemberFactory.create_batch(3, group=world.group_a1, sex="F")
    f.MemberFactory.create_batch(6, group=world.group_a1, sex="M")
    client = request.getfixturevalue(persona)

    response = client.get(URL)

    members = tables(response)["members_region"]
    row = members.rows[0]
    women = row[4]
    assert women.suppressed and women.text == "<5" and women.url == ""
    assert row[5].value is None  # the share would reveal the count
    assert row[3].value == 9
    assert "&lt;5" in response.text
    assert 'href="/members/?' not in response.text
    sexes = {r[0].value: r[1] for r in tables(response)["members_sex"].rows}
    assert sexes["female"].text == "<5"


def test_dashboard_facilitator_sees_small_member_cells(facilitator, world):
    f.MemberFactory.create_batch(3, group=world.group_a1, sex="F")
    response = facilitator.get(URL)
    women = tables(response)["members_region"].rows[0][4]
    assert women.value == 3 and not women.suppressed and women.url


def test_dashboard_charts_have_no_inline_style_and_a_title(programme, world):
    aspirations_in(world)
    response = programme.get(URL)
    svgs = re.findall(r"<svg.*?</svg>", response.text, re.S)
    assert len(svgs) >= 5
    assert all("style=" not in svg and "<title>" in svg for svg in svgs)


def test_dashboard_money_by_regency_and_fiscal_year(programme, world):
    aspiration = f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2023, 5, 1))
    f.BudgetOutcomeFactory(aspiration=aspiration, fiscal_year=2024, amount=1_500_000)
    f.BudgetOutcomeFactory(aspiration=aspiration, fiscal_year=2025, amount=2_000_000)

    response = programme.get(URL, {"start": "2024-01-01", "end": "2024-12-31"})

    rows = tables(response)["money_regency"].rows
    assert [(r[0].value, r[1].text) for r in rows] == [("Kabupaten Alfa", "Rp 1.500.000")]


def test_dashboard_reses_attendance_by_sex(dprd, world):
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        attendance_female=30,
        attendance_male=12,
    )
    f.ResesMeetingFactory(village=world.village_b1, attendance_female=99, attendance_male=99)

    response = dprd.get(URL)

    values = [row[1].value for row in tables(response)["reses"].rows]
    assert values[:3] == [1, 30, 12]


def test_dashboard_meeting_count_links_to_the_meeting_list(facilitator, world):
    for day in (10, 20):
        f.ResesMeetingFactory(
            representative=world.representative,
            village=world.village_a1,
            starts_at=datetime.datetime(2025, 3, day, 1, 0, tzinfo=datetime.UTC),
        )
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2025, 4, 1, 1, 0, tzinfo=datetime.UTC),
    )
    params = {"region": world.regency_a.code, "start": "2025-03-01", "end": "2025-03-31"}

    response = facilitator.get(URL, params)

    meetings = tables(response)["reses"].rows[0][1]
    assert meetings.value == 2
    assert facilitator.get(meetings.url).context["page_obj"].paginator.count == 2


def test_dashboard_durations_median_days(programme, world):
    for days in (10, 20, 40):
        aspiration = f.AspirationFactory(
            group=world.group_a1,
            raised_on=datetime.date(2024, 1, 1),
            stage=Stage.CONVEYED,
            furthest_rank=2,
        )
        f.AspirationEventFactory(aspiration=aspiration)
        f.AspirationEventFactory(
            aspiration=aspiration,
            kind="move",
            from_stage=Stage.RECORDED,
            to_stage=Stage.CONVEYED,
            occurred_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=days),
        )

    response = programme.get(URL)

    rows = tables(response)["durations"].rows
    assert [(r[0].value, r[1].value, r[2].value) for r in rows] == [(Stage.CONVEYED.label, 20, 3)]


@pytest.mark.parametrize("persona", ["programme", "facilitator", "officer", "dprd"])
def test_dashboard_query_count_does_not_grow_with_rows(request, world, persona):
    client = request.getfixturevalue(persona)
    f.AspirationFactory(group=world.group_a1)
    f.MemberFactory(group=world.group_a1)
    few = _query_count(client)

    extra = f.ConstituentGroupFactory.create_batch(
        3, village__subdistrict=world.village_a1.subdistrict
    )
    for group in [world.group_a1, world.group_a2, world.group_b1, *extra]:
        f.AspirationFactory.create_batch(3, group=group, stage=Stage.BUDGETED, furthest_rank=7)
        # In the DPRD district (village A1), but no group raises needs of another regency's
        # village: that would take regency A's dashboard off the summaries
        # (``summaries.usable``), another set of queries, not more of them.
        village = group.village if group == world.group_b1 else world.village_a1
        f.AspirationFactory(
            group=group, village=village, stage=Stage.WITHDRAWN, stopped_at="conveyed"
        )
        f.MemberFactory.create_batch(3, group=group)
        f.BudgetOutcomeFactory(aspiration=group.aspirations.first())
        f.ResesMeetingFactory(representative=world.representative, village=group.village)

    assert _query_count(client) == few


def test_dashboard_lists_every_table(programme, world):
    response = programme.get(URL)
    assert [table.key for table in response.context["tables"]] == list(Dashboard.TABLES)


def test_dashboard_durations_bounded_to_latest_moves(programme, world, monkeypatch):
    monkeypatch.setattr("dashboards.figures.DURATION_MOVES", 2)
    for days in (10, 20, 40):
        aspiration = f.AspirationFactory(
            group=world.group_a1,
            raised_on=datetime.date(2024, 1, 1),
            stage=Stage.CONVEYED,
            furthest_rank=2,
        )
        f.AspirationEventFactory(aspiration=aspiration)
        f.AspirationEventFactory(
            aspiration=aspiration,
            kind="move",
            from_stage=Stage.RECORDED,
            to_stage=Stage.CONVEYED,
            occurred_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=days),
        )

    table = tables(programme.get(URL))["durations"]

    # The latest two moves took 20 and 40 days.
    assert [(r[1].value, r[2].value) for r in table.rows] == [(30, 2)]
    assert "latest 2 moves" in table.note


def test_dashboard_money_by_topic_adds_up_over_regencies(programme, world):
    health = f.TopicFactory(slug="health", name="Kesehatan")
    for group, topic, amount in [
        (world.group_a1, health, 1_000_000),
        (world.group_b1, health, 2_000_000),
        (world.group_b1, None, 500_000),
    ]:
        extra = {"topic": topic} if topic else {}
        f.BudgetOutcomeFactory(aspiration=f.AspirationFactory(group=group, **extra), amount=amount)

    rows = tables(programme.get(URL))["money_topic"].rows

    assert [(r[0].value, r[1].text, r[3].value) for r in rows] == [
        ("Infrastruktur desa", "Rp 500.000", 1),
        ("Kesehatan", "Rp 3.000.000", 2),
    ]


def test_dashboard_in_indonesian_names_the_missing_bucket(facilitator, world, settings):
    settings.LANGUAGE_CODE = "id"
    f.MemberFactory(group=world.group_a1, birth_year=None)

    response = facilitator.get(URL)

    assert "Dasbor" in response.text
    assert "tidak diisi" in response.text


def test_dashboard_region_choices_only_in_scope(facilitator, programme, world):
    mine = facilitator.get(URL).text
    everything = programme.get(URL).text

    assert 'value="' + world.regency_a.code + '"' in mine
    assert world.regency_b.name not in mine
    assert world.regency_b.name in everything


@pytest.mark.usefixtures("counts_shown")
def test_dashboard_filters_by_a_whole_province(programme, world):
    aspirations_in(world)
    response = programme.get(URL, {"region": world.regency_b.province.code})
    assert funnel_counts(response)[0] == 4
    assert "selected" in response.text.split(f'value="{world.regency_b.province.code}"')[1][:20]


@pytest.mark.parametrize(
    ("persona", "scope"),
    [
        ("officer", "Group KK Mawar"),
        ("facilitator", "Kabupaten Alfa"),
        ("dprd", "District ALFA 1 of Hj. Andi Rahmawati"),
        ("programme", "All regions"),
    ],
)
def test_dashboard_names_the_scope(request, world, persona, scope):
    assert scope in request.getfixturevalue(persona).get(URL).text


def test_dashboard_counts_members_in_their_group_at_the_period_end(facilitator, world):
    f.MemberFactory(group=world.group_a1, joined_on=datetime.date(2015, 1, 1))
    f.MemberFactory(
        group=world.group_a1,
        joined_on=datetime.date(2015, 1, 1),
        left_on=datetime.date(2023, 6, 1),
    )
    f.MemberFactory(group=world.group_a1, joined_on=datetime.date(2024, 3, 1))

    in_2022 = tables(facilitator.get(URL, {"end": "2022-12-31"}))["members_region"].rows[0][3]
    today = tables(facilitator.get(URL))["members_region"].rows[0][3]

    assert (in_2022.value, today.value) == (2, 2)
    assert facilitator.get(in_2022.url).context["page_obj"].paginator.count == 2
    listed = facilitator.get(today.url).context["page_obj"]
    assert sorted(m.joined_on.year for m in listed) == [2015, 2024]


def test_table_markup_is_the_template_loops():
    """A table's head and body, written in Python, are the markup the template's loops
    wrote: the label a row header, numbers right-aligned, columns past the phone's hidden
    there, links and text escaped."""
    table = Table(
        "t",
        "Title",
        ["Region", "Code", "Aspirations", "Money"],
        [
            [
                Cell("Nusa <Tenggara>", TEXT, url="/dashboard/?region=52&topic=1"),
                Cell("52", CODE),
                Cell(1234, url="/aspirasi/?a=1&b=2"),
                Cell(Decimal("1500000"), MONEY),
            ],
            [Cell("Bali", TEXT), Cell("51", CODE), Cell(3, suppressed=True), Cell(None, MONEY)],
        ],
    )

    assert table.head_html() == (
        '<thead><tr><th scope="col" class="">Region</th><th scope="col" class="num">Code</th>'
        '<th scope="col" class="num">Aspirations</th>'
        '<th scope="col" class="num extra">Money</th></tr></thead>'
    )
    assert table.body_html() == (
        '<tbody><tr><th scope="row"><a href="/dashboard/?region=52&amp;topic=1">'
        "Nusa &lt;Tenggara&gt;</a></th>"
        '<td class="">52</td><td class="num"><a href="/aspirasi/?a=1&amp;b=2">1.234</a></td>'
        '<td class="num extra">Rp 1.500.000</td></tr>'
        '<tr><th scope="row">Bali</th><td class="">51</td><td class="num">&lt;5</td>'
        '<td class="num extra">–</td></tr></tbody>'
    )
