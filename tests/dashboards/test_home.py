"""Home pages: an officer lands on their group, a facilitator on their regency's groups,
programme staff on the headline figures and this month's moves, DPRD staff on their
representative's next reses, open aspirations and agenda items waiting for a response; the
menu links the admin for staff."""

import datetime
import html as html_module
import re

import factory
import pytest
from django.urls import reverse
from django.utils import timezone

from aspirations.models import EventKind
from aspirations.stages import Stage
from dashboards.figures import Filters, headline_windows
from kk_portal.formats import format_time_in_zone
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from reses.models import AgendaItem
from tests import factories as f
from tests.helpers import same_queries_with_more_rows


def test_home_officer_counts_latest_and_waiting(officer, world, settings):
    settings.STALE_ASPIRATION_DAYS = 60
    f.MemberFactory(group=world.group_a1, sex="F", is_poor=True)
    f.MemberFactory(group=world.group_a1, sex="F")
    f.MemberFactory(group=world.group_a1, sex="M", is_poor=True)
    f.MemberFactory(group=world.group_a1, sex="F", is_poor=True, left_on=datetime.date(2025, 1, 1))
    f.MemberFactory.create_batch(3, group=world.group_a2, sex="F", is_poor=True)
    old = datetime.date(2020, 1, 1)
    f.AspirationFactory(group=world.group_a1, title="Lama menunggu", stage_changed_on=old)
    f.AspirationFactory(
        group=world.group_a1, title="Sudah terwujud", stage=Stage.REALISED, stage_changed_on=old
    )
    f.AspirationFactory(group=world.group_a2, title="Milik Melati", stage_changed_on=old)

    response = officer.get(reverse("home"))

    assert response.context["counts"] == {"total": 3, "women": 2, "poor_women": 1}
    assert [a.title for a in response.context["waiting"]] == ["Lama menunggu"]
    assert "Milik Melati" not in response.text
    assert "Lama menunggu" in response.text


def test_home_facilitator_lists_regency_groups(facilitator, world):
    f.MemberFactory.create_batch(2, group=world.group_a2, sex="F", is_poor=True)

    response = facilitator.get(reverse("home"))

    groups = {g.name: g for g in response.context["groups"]}
    assert sorted(groups) == ["KK Mawar", "KK Melati"]
    assert groups["KK Melati"].members_poor_women == 2
    assert "KK Anggrek" not in response.text


def test_home_facilitator_same_query_count_with_more_groups(
    facilitator, world, django_assert_num_queries
):
    def add_rows():
        for group in f.ConstituentGroupFactory.create_batch(
            10, village=world.village_a2, name=factory.Sequence(lambda n: f"KK Baru {n}")
        ):
            f.MemberFactory.create_batch(2, group=group)
            f.AspirationFactory(group=group)

    response = same_queries_with_more_rows(
        facilitator, reverse("home"), add_rows, django_assert_num_queries
    )

    assert len(response.context["groups"]) == 12


# --- programme staff: headline figures and what changed this month ------------------------


def _moved(aspiration, stage, day):
    return f.AspirationEventFactory(
        aspiration=aspiration, kind=EventKind.MOVE, to_stage=stage, occurred_on=day
    )


@pytest.mark.usefixtures("counts_shown")
def test_home_programme_shows_headline_with_change(programme, world):
    today = today_in(programme.user)
    f.AspirationFactory.create_batch(3, group=world.group_a1, raised_on=today)
    f.AspirationFactory(
        group=world.group_b1, raised_on=today, stage=Stage.BUDGETED, furthest_rank=7
    )
    _current, previous = headline_windows(Filters(), today)
    f.AspirationFactory(group=world.group_b1, raised_on=previous[0])

    response = programme.get(reverse("home"))

    figures = response.context["headline"]["figures"]
    assert [(fig["value"], fig["change"]) for fig in figures] == [
        (4, 3),
        (1, 1),
        (1, 1),
        (0, None),
    ]
    tiles = re.findall(r'<a class="tile"[^>]*><b>([^<]*)</b>', response.text)
    assert tiles == ["4", "1", "1", "0"]


@pytest.mark.usefixtures("counts_shown")
def test_home_programme_counts_moves_of_this_month_by_stage(programme, world):
    today = today_in(programme.user)
    first = today.replace(day=1)
    a1 = f.AspirationFactory(group=world.group_a1, title="Air bersih Alfa")
    b1 = f.AspirationFactory(group=world.group_b1, title="Jalan Beta")
    old = f.AspirationFactory(group=world.group_a2, title="Pindah bulan lalu")
    _moved(a1, Stage.CONVEYED, first)
    _moved(a1, Stage.POKIR, today)
    _moved(b1, Stage.CONVEYED, today)
    _moved(old, Stage.CONVEYED, first - datetime.timedelta(days=1))
    f.AspirationEventFactory(aspiration=b1, kind=EventKind.NOTE, occurred_on=today)

    response = programme.get(reverse("home"))

    assert [(stage, cell.text) for stage, _label, cell in response.context["moved"]] == [
        (Stage.CONVEYED, "2"),
        (Stage.POKIR, "1"),
    ]
    assert response.context["moved_total"].value == 3
    newest = [move.aspiration.title for move in response.context["newest_moves"]]
    assert sorted(newest[:2]) == ["Air bersih Alfa", "Jalan Beta"]
    assert newest[2] == "Air bersih Alfa"
    assert "Pindah bulan lalu" not in newest
    assert "3 pindah tahap tercatat bulan ini." in response.text


@pytest.mark.parametrize("persona", ["programme", "dprd"])
def test_home_of_programme_and_dprd_same_query_count_with_more_rows(
    request, world, persona, django_assert_num_queries
):
    client = request.getfixturevalue(persona)
    today = today_in(client.user)
    soon = timezone.now() + datetime.timedelta(days=3)
    held = timezone.now() - datetime.timedelta(days=3)

    def add_rows():
        for _n in range(3):
            aspiration = f.AspirationFactory(
                group=world.group_a1, raised_on=today, stage=Stage.CONVEYED, furthest_rank=2
            )
            _moved(aspiration, Stage.CONVEYED, today)
            f.ResesMeetingFactory(
                representative=world.representative, village=world.village_a1, starts_at=soon
            )
            meeting = f.ResesMeetingFactory(
                representative=world.representative, village=world.village_a1, starts_at=held
            )
            f.AgendaItemFactory(meeting=meeting, aspiration=aspiration)

    add_rows()
    same_queries_with_more_rows(client, reverse("home"), add_rows, django_assert_num_queries)


# --- DPRD staff: next reses, open aspirations by stage, items waiting for a response -------


def test_home_dprd_lists_next_reses_in_the_villages_zone(dprd, world):
    now = timezone.now()
    other = f.RepresentativeFactory(district=world.district, full_name="Orang Lain")
    later = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now + datetime.timedelta(days=9),
        venue="Balai Dusun Dua",
    )
    sooner = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now + datetime.timedelta(days=2),
        venue="Masjid Raya",
    )
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now - datetime.timedelta(days=2),
        venue="Sudah lewat",
    )
    f.ResesMeetingFactory(
        representative=other, village=world.village_a1, starts_at=now, venue="Wakil lain"
    )

    response = dprd.get(reverse("home"))

    assert response.context["meetings"] == [sooner, later]
    local = format_time_in_zone(sooner.starts_at, "Asia/Makassar")
    assert local.endswith(" WITA")
    assert f"{local}</a>" in response.text
    assert "Masjid Raya · Desa Alfa Satu" in response.text
    assert "Sudah lewat" not in response.text
    assert "Wakil lain" not in response.text


def test_home_dprd_shows_wit_for_a_meeting_in_kota_ambon(dprd, world):
    district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1")
    f.DistrictVillageFactory(district=district, village=world.village_b1)
    representative = f.RepresentativeFactory(district=district)
    staff = f.UserFactory(role=Role.DPRD, representative=representative)
    meeting = f.ResesMeetingFactory(
        representative=representative,
        village=world.village_b1,
        starts_at=timezone.now() + datetime.timedelta(days=1),
    )
    dprd.force_login(staff)

    response = dprd.get(reverse("home"))

    local = format_time_in_zone(meeting.starts_at, "Asia/Jayapura")
    assert local.endswith(" WIT")
    assert f"{local}</a>" in response.text


@pytest.mark.usefixtures("counts_shown")
def test_home_dprd_counts_open_aspirations_by_stage_linked_to_the_list(dprd, world):
    f.AspirationFactory.create_batch(2, group=world.group_a1, stage=Stage.RECORDED)
    f.AspirationFactory(group=world.group_a1, stage=Stage.POKIR, furthest_rank=5)
    f.AspirationFactory(group=world.group_a1, stage=Stage.REALISED, furthest_rank=8)
    f.AspirationFactory(group=world.group_a1, stage=Stage.WITHDRAWN)
    # Addressed to the representative from outside the district.
    f.AspirationFactory(
        group=world.group_a2,
        stage=Stage.POKIR,
        furthest_rank=5,
        representative=world.representative,
    )
    # Neither in the district nor addressed to them.
    f.AspirationFactory(group=world.group_a2, stage=Stage.RECORDED)

    response = dprd.get(reverse("home"))

    stages = [(label, cell.value) for label, cell in response.context["open_stages"]]
    assert stages == [(Stage.RECORDED.label, 2), (Stage.POKIR.label, 2)]
    for _label, cell in response.context["open_stages"]:
        assert dprd.get(cell.url).context["page_obj"].paginator.count == cell.value
        assert f'<a href="{cell.url.replace("&", "&amp;")}">{cell.value}</a>' in response.text


def test_home_dprd_lists_agenda_items_waiting_for_a_response(dprd, world):
    now = timezone.now()
    held = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now - datetime.timedelta(days=5),
    )
    coming = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=now + datetime.timedelta(days=5),
    )
    waiting = f.AspirationFactory(group=world.group_a1, title="Menunggu jawaban")
    f.AgendaItemFactory(meeting=held, aspiration=waiting)
    f.AgendaItemFactory(
        meeting=held,
        aspiration=f.AspirationFactory(group=world.group_a1, title="Sudah dijawab"),
        response=AgendaItem.Response.ANSWERED,
    )
    f.AgendaItemFactory(
        meeting=held,
        aspiration=f.AspirationFactory(group=world.group_a1, title="Ditolak staf"),
        accepted=False,
    )
    f.AgendaItemFactory(
        meeting=coming, aspiration=f.AspirationFactory(group=world.group_a1, title="Belum rapat")
    )

    response = dprd.get(reverse("home"))

    assert response.context["response_total"] == 1
    assert [item.aspiration.title for item in response.context["response_items"]] == [
        "Menunggu jawaban"
    ]
    section = response.text.split('id="awaiting-response"')[1].split("</details>")[0]
    assert "1 butir agenda menunggu tanggapan" in section
    assert "Menunggu jawaban" in section
    for title in ("Sudah dijawab", "Ditolak staf", "Belum rapat"):
        assert title not in section


# --- the admin link ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("officer", False),
        ("facilitator", False),
        ("programme", False),
        ("dprd", False),
        ("admin_client_", True),
    ],
)
def test_menu_links_the_admin_only_for_staff(request, world, persona, shown):
    response = request.getfixturevalue(persona).get(reverse("home"))

    assert ('href="/admin/"' in response.text) is shown


# --- the small-cell rule on the home pages of programme and DPRD staff --------------------


def _table_rows(html, section):
    """The ``(label, text, link)`` rows of the table in the home page's ``<details>`` with
    ``id=section``, as the page shows them."""
    start = html.index(f'id="{section}"')
    body = html[start : html.index("</details>", start)]
    rows = re.findall(
        r'<tr><th scope="row">([^<]*)</th><td class="num">(?:<a href="([^"]*)">)?([^<]*)',
        body,
    )
    return [(label, url, html_module.unescape(text)) for label, url, text in rows]


def _derived(texts, total):
    """The hidden cells a reader works out from the shown ones and the column's ``total``:
    ``{position: value}``, when exactly one cell of the column is hidden."""
    hidden = [n for n, text in enumerate(texts) if not text.isdigit()]
    if len(hidden) != 1:
        return {}
    return {hidden[0]: total - sum(int(text) for text in texts if text.isdigit())}


def _moves(world, counts, day):
    for stage, count in counts:
        for aspiration in f.AspirationFactory.create_batch(count, group=world.group_a1):
            _moved(aspiration, stage, day)


def test_home_programme_hides_small_counts_of_this_months_moves_and_their_complement(
    programme, world
):
    today = today_in(programme.user)
    _moves(world, [(Stage.CONVEYED, 7), (Stage.POKIR, 3), (Stage.BUDGETED, 6)], today)

    response = programme.get(reverse("home"))

    texts = [text for _label, _url, text in _table_rows(response.text, "this-month")]
    assert texts == ["7", "<5", "·"]
    assert "16 pindah tahap tercatat bulan ini." in response.text
    assert _derived(texts, 16) == {}
    assert "jumlah 1 sampai 4 ditampilkan sebagai &lt;5" in response.text


def test_home_programme_hides_a_small_month_total_with_its_only_stage(programme, world):
    _moves(world, [(Stage.CONVEYED, 3)], today_in(programme.user))

    response = programme.get(reverse("home"))

    assert [text for _label, _url, text in _table_rows(response.text, "this-month")] == ["<5"]
    assert "Pindah tahap tercatat bulan ini: &lt;5." in response.text
    assert "3 pindah tahap" not in response.text


def test_home_administrator_sees_this_months_moves_exactly(admin_client_, world):
    _moves(world, [(Stage.CONVEYED, 7), (Stage.POKIR, 3)], today_in(admin_client_.user))

    response = admin_client_.get(reverse("home"))

    texts = [text for _label, _url, text in _table_rows(response.text, "this-month")]
    assert texts == ["7", "3"]
    assert "10 pindah tahap tercatat bulan ini." in response.text


def test_home_dprd_hides_small_open_counts_and_their_complement_without_links(dprd, world):
    f.AspirationFactory.create_batch(6, group=world.group_a1, stage=Stage.RECORDED)
    f.AspirationFactory.create_batch(2, group=world.group_a1, stage=Stage.CONVEYED, furthest_rank=2)
    f.AspirationFactory.create_batch(8, group=world.group_a1, stage=Stage.POKIR, furthest_rank=5)

    response = dprd.get(reverse("home"))

    rows = _table_rows(response.text, "open-stages")
    assert [(bool(url), text) for _label, url, text in rows] == [
        (False, "·"),
        (False, "<5"),
        (True, "8"),
    ]
    # The open aspirations' total (16) is on the dashboard: still nothing can be derived.
    assert _derived([text for _label, _url, text in rows], 16) == {}
