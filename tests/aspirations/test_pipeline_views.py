"""Pages of the aspiration's way: move, correct, carry over, timeline, stuck."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.models import Aspiration, AspirationEvent, BudgetOutcome, EventKind
from aspirations.services import aspiration_move
from aspirations.stages import Stage
from kk_portal.zones import today_in
from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")

DAY = datetime.date(2024, 9, 2)


@pytest.fixture
def aspiration(world):
    return f.AspirationFactory(group=world.group_a1, title="Jalan tani Dusun Dua")


def _move_url(aspiration):
    return reverse("aspirations:move", args=[aspiration.pk])


def _post_move(client, aspiration, **data):
    payload = {"to": "", "occurred_on": DAY.isoformat()}
    payload.update(data)
    return client.post(_move_url(aspiration), payload)


def test_move_page_without_stage_offers_allowed_targets_as_buttons(officer, world):
    aspiration = f.AspirationFactory(
        group=world.group_a1, stage=Stage.MUSRENBANG_KABKOTA, furthest_rank=5
    )

    response = officer.get(_move_url(aspiration))

    page = response.content.decode()
    assert response.context["form"].targets == (
        Stage.PLANNED,
        Stage.BUDGETED,
        Stage.REALISED,
        Stage.NOT_ACCOMMODATED,
        Stage.WITHDRAWN,
    )
    assert '<a class="button primary" href="?to=planned">planned (RKPDes/RKPD)</a>' in page
    assert '<a class="button" href="?to=withdrawn">withdrawn</a>' in page
    assert 'name="occurred_on"' not in page


def test_move_form_defaults_date_to_today_in_group_zone(officer, aspiration):
    response = officer.get(_move_url(aspiration), {"to": "conveyed"})

    assert f'value="{today_in(aspiration.group).isoformat()}"' in response.content.decode()
    assert "<script" not in response.content.decode().split("<main")[1].split("</main>")[0]


def test_move_post_budgeted_with_indonesian_amount(officer, aspiration):
    aspiration.stage, aspiration.furthest_rank = Stage.PLANNED, 6
    aspiration.save()

    response = _post_move(
        officer,
        aspiration,
        to="budgeted",
        amount="617.666.666,66",
        fiscal_year="2025",
        fund_source="apbdes",
        note="Masuk APBDes 2025.",
    )

    assert response.status_code == 302
    assert BudgetOutcome.objects.get(aspiration=aspiration).amount == Decimal("617666666.66")
    page = officer.get(response["Location"]).content.decode()
    assert "Rp 617.666.666,66" in page
    assert "Masuk APBDes 2025." in page
    assert "recorded by Siti, " in page
    assert " WITA" in page


def test_move_post_budgeted_without_amount_says_what_to_fix(officer, aspiration):
    response = _post_move(officer, aspiration, to="budgeted", fiscal_year="2025")

    page = response.content.decode()
    assert response.status_code == 200
    assert "A budgeted aspiration needs the amount in Rupiah." in page
    assert "Choose the source of funds." in page
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.RECORDED
    assert not BudgetOutcome.objects.exists()


def test_move_post_amount_in_words_refused_and_kept(officer, aspiration):
    response = _post_move(
        officer,
        aspiration,
        to="budgeted",
        amount="1,5 juta",
        fiscal_year="2025",
        fund_source="apbdes",
    )

    page = response.content.decode()
    assert "Write the amount in figures, for example 1.500.000 or 617.666.666,66." in page
    assert 'value="1,5 juta"' in page
    assert not BudgetOutcome.objects.exists()


def test_move_post_future_date_refused(officer, aspiration):
    response = _post_move(officer, aspiration, to="conveyed", occurred_on="2999-01-01")

    assert "The date cannot be in the future." in response.content.decode()
    assert list(aspiration.events.all()) == []


def test_move_post_backwards_refused(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1, stage=Stage.PLANNED, furthest_rank=6)

    response = _post_move(officer, aspiration, to="conveyed")

    assert response.context["form"].errors == {"to": ["Choose a stage from the list."]}
    assert "Choose a stage from the list." in response.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.PLANNED


def test_move_post_with_forum_links_timeline_and_forum(officer, aspiration, world):
    forum = f.MusrenbangForumFactory(village=world.village_a1, held_on=DAY)

    response = _post_move(officer, aspiration, to="musrenbang_desa", musrenbang_forum=forum.pk)

    assert response.status_code == 302
    event = aspiration.events.get()
    assert event.musrenbang_forum == forum
    detail = officer.get(reverse("aspirations:musrenbang_detail", args=[forum.pk]))
    assert "Jalan tani Dusun Dua" in detail.content.decode()


def test_move_form_refuses_forum_outside_scope(officer, aspiration, world):
    other = f.MusrenbangForumFactory(village=world.village_b1)

    response = _post_move(officer, aspiration, to="musrenbang_desa", musrenbang_forum=other.pk)

    assert "Select a valid choice." in response.content.decode()
    assert not aspiration.events.exists()


def test_move_form_preselects_forum_after_quick_create(officer, aspiration, world):
    response = officer.post(
        reverse("aspirations:musrenbang_create"),
        {
            "submission_token": str(uuid.uuid4()),
            "level": "desa",
            "held_on": "2024-09-01",
            "fiscal_year": "2025",
            "attendance_female": "30",
            "attendance_male": "12",
            "next": f"{_move_url(aspiration)}?to=musrenbang_desa",
        },
    )

    forum = world.village_a1.subdistrict.regency.musrenbang_forums.get()
    assert response["Location"] == f"{_move_url(aspiration)}?to=musrenbang_desa&forum={forum.pk}"
    form = officer.get(response["Location"]).context["form"]
    assert str(form["musrenbang_forum"].value()) == str(forum.pk)


def test_move_quick_create_ignores_foreign_next(officer):
    response = officer.post(
        reverse("aspirations:musrenbang_create"),
        {
            "submission_token": str(uuid.uuid4()),
            "level": "desa",
            "held_on": "2024-09-01",
            "fiscal_year": "2025",
            "attendance_female": "1",
            "attendance_male": "1",
            "next": "https://example.invalid/",
        },
    )

    assert response["Location"].startswith("/aspirations/musrenbang/")


def test_correct_post_without_reason_refused(officer, world):
    aspiration = f.AspirationFactory(group=world.group_a1, stage=Stage.PLANNED, furthest_rank=6)

    response = officer.post(
        reverse("aspirations:correct", args=[aspiration.pk]),
        {"to": "conveyed", "occurred_on": DAY.isoformat(), "reason": ""},
    )

    assert "This field is required." in response.content.decode()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.PLANNED


def test_correct_post_shows_on_timeline_with_reason(facilitator, world):
    aspiration = f.AspirationFactory(group=world.group_a1, stage=Stage.PLANNED, furthest_rank=6)

    response = facilitator.post(
        reverse("aspirations:correct", args=[aspiration.pk]),
        {"to": "conveyed", "occurred_on": DAY.isoformat(), "reason": "Salah pilih tahap."},
    )

    page = facilitator.get(response["Location"]).content.decode()
    assert "Corrected to conveyed" in page
    assert "Reason: Salah pilih tahap." in page
    assert "recorded by Siti, " in page
    aspiration.refresh_from_db()
    assert (aspiration.stage, aspiration.furthest_rank) == (Stage.CONVEYED, 2)


def test_carry_over_post_creates_new_aspiration(officer, world):
    old = f.AspirationFactory(
        group=world.group_a1, stage=Stage.NOT_ACCOMMODATED, stopped_at=Stage.CONVEYED
    )

    response = officer.post(reverse("aspirations:carry_over", args=[old.pk]))

    new = Aspiration.objects.get(carried_over_from=old)
    assert response["Location"] == new.get_absolute_url()
    assert new.events.get().kind == EventKind.CARRY_OVER


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("officer_b", 404),
        ("facilitator_b", 404),
        ("programme", 403),
        ("dprd", 403),
    ],
)
def test_carry_over_post_refused_to_others(request, world, persona, status):
    old = f.AspirationFactory(
        group=world.group_a1, stage=Stage.NOT_ACCOMMODATED, stopped_at=Stage.CONVEYED
    )

    response = request.getfixturevalue(persona).post(
        reverse("aspirations:carry_over", args=[old.pk])
    )

    assert response.status_code == status
    assert not Aspiration.objects.filter(carried_over_from=old).exists()


@pytest.mark.parametrize(
    ("persona", "sees_actions"),
    [("officer", True), ("facilitator", True), ("programme", False), ("dprd", True)],
)
def test_detail_offers_moves_to_those_who_may_move(request, aspiration, persona, sees_actions):
    client = request.getfixturevalue(persona)

    page = client.get(aspiration.get_absolute_url()).content.decode()

    assert (_move_url(aspiration) in page) is sees_actions


def test_detail_timeline_shows_edits_of_fields(officer, aspiration):
    aspiration.title = "Jalan tani Dusun Tiga"
    aspiration.save()

    page = officer.get(aspiration.get_absolute_url()).content.decode()

    assert "Changes to the record" in page
    assert "title: “Jalan tani Dusun Dua” → “Jalan tani Dusun Tiga”" in page


def test_detail_timeline_query_count_constant(officer, world):
    few = f.AspirationFactory(group=world.group_a1, stage=Stage.RECORDED)
    many = f.AspirationFactory(group=world.group_a1, stage=Stage.RECORDED)
    aspiration_move(few, to=Stage.CONVEYED, actor=officer.user, occurred_on=DAY)
    forum = f.MusrenbangForumFactory(village=world.village_a1, held_on=DAY)
    for stage in (Stage.CONVEYED, Stage.MUSRENBANG_DESA, Stage.PLANNED):
        aspiration_move(many, to=stage, actor=officer.user, occurred_on=DAY, musrenbang_forum=forum)

    counts = []
    for item in (few, many):
        with CaptureQueriesContext(connection) as queries:
            officer.get(item.get_absolute_url())
        counts.append(len(queries))

    assert counts[0] == counts[1]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("officer", {"A1 lama"}),
        ("officer_b", {"A2 lama"}),
        ("facilitator", {"A1 lama", "A2 lama"}),
        ("facilitator_b", {"B1 lama"}),
        ("programme", {"A1 lama", "A2 lama", "B1 lama"}),
        ("dprd", {"A1 lama"}),
    ],
)
def test_stuck_shows_each_role_its_aspirations(request, world, persona, visible):
    for group, title in ((world.group_a1, "A1"), (world.group_a2, "A2"), (world.group_b1, "B1")):
        f.AspirationFactory(group=group, title=f"{title} lama")
        f.AspirationFactory(group=group, title=f"{title} selesai", stage=Stage.REALISED)

    response = request.getfixturevalue(persona).get(reverse("aspirations:stuck"))

    shown = {a.title for section in response.context["sections"] for a in section["aspirations"]}
    assert shown == visible


def test_stuck_oldest_first_with_days_waiting(officer, world):
    f.AspirationFactory(
        group=world.group_a1, title="Baru", stage_changed_on=datetime.date(2024, 8, 20)
    )
    f.AspirationFactory(
        group=world.group_a1, title="Lama", stage_changed_on=datetime.date(2024, 1, 1)
    )

    response = officer.get(reverse("aspirations:stuck"))

    recorded = response.context["sections"][0]
    assert recorded["stage"] == Stage.RECORDED
    assert [a.title for a in recorded["aspirations"]] == ["Lama", "Baru"]
    from django.utils import timezone

    days = (timezone.localdate() - datetime.date(2024, 1, 1)).days
    assert f'<td class="num">{days:,}</td>'.replace(",", ".") in response.content.decode()


def test_stuck_stage_filter_paginates(officer, world):
    for day in range(30):
        f.AspirationFactory(
            group=world.group_a1,
            stage=Stage.CONVEYED,
            stage_changed_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=day),
        )

    first = officer.get(reverse("aspirations:stuck"), {"stage": "conveyed"})
    second = officer.get(reverse("aspirations:stuck"), {"stage": "conveyed", "page": 2})

    assert len(first.context["sections"][0]["aspirations"]) == 25
    assert len(second.context["sections"][0]["aspirations"]) == 5
    assert "stage=conveyed&amp;page=2" in first.content.decode()


def test_stuck_overview_previews_five_per_stage(officer, world):
    for _ in range(7):
        f.AspirationFactory(group=world.group_a1)

    response = officer.get(reverse("aspirations:stuck"))

    recorded = response.context["sections"][0]
    assert (recorded["count"], len(recorded["aspirations"])) == (7, 5)
    assert "All 7 at this stage" in response.content.decode()


@pytest.mark.parametrize("query", [{}, {"stage": "recorded"}])
def test_stuck_query_count_does_not_grow_with_rows(officer, world, query):
    f.AspirationFactory(group=world.group_a1)
    with CaptureQueriesContext(connection) as one:
        officer.get(reverse("aspirations:stuck"), query)
    for stage in (Stage.RECORDED, Stage.CONVEYED, Stage.POKIR, Stage.PLANNED):
        for _ in range(6):
            f.AspirationFactory(group=world.group_a1, stage=stage)

    with CaptureQueriesContext(connection) as many:
        officer.get(reverse("aspirations:stuck"), query)

    assert len(one) == len(many)


def test_move_events_never_edited_silently(officer, aspiration):
    _post_move(officer, aspiration, to="conveyed", note="Diserahkan ke kantor desa.")
    _post_move(officer, aspiration, to="conveyed", note="Kirim dua kali.")

    assert list(AspirationEvent.objects.values_list("note", flat=True)) == [
        "Diserahkan ke kantor desa."
    ]


def test_move_post_with_pdf_attachment_linked_to_event(officer, aspiration):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("BERITA-ACARA.PDF", b"%PDF-1.4\n%%EOF\n", "application/pdf")

    response = officer.post(
        _move_url(aspiration),
        {"to": "conveyed", "occurred_on": DAY.isoformat(), "attachment": upload},
    )

    event = aspiration.events.get()
    assert [a.original_name for a in event.attachments.all()] == ["BERITA-ACARA.PDF"]
    assert "BERITA-ACARA.PDF" in officer.get(response["Location"]).content.decode()


def test_move_post_unreadable_attachment_refused_whole(officer, aspiration):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("surat.pdf", b"not a pdf", "application/pdf")

    response = officer.post(
        _move_url(aspiration),
        {"to": "conveyed", "occurred_on": DAY.isoformat(), "attachment": upload},
    )

    assert "surat.pdf is not a readable PDF." in response.content.decode()
    assert not aspiration.events.exists()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.RECORDED


@pytest.mark.parametrize("language", ["id", "en"])
def test_pipeline_pages_render_in_each_language(officer, aspiration, language):
    urls = [
        _move_url(aspiration),
        reverse("aspirations:stuck"),
        reverse("aspirations:musrenbang_list"),
        reverse("aspirations:musrenbang_create"),
        aspiration.get_absolute_url(),
    ]

    # The language is the user's choice (the ID/EN switch's cookie), never the browser's.
    officer.cookies["django_language"] = language
    for url in urls:
        response = officer.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{language}">' in response.content.decode(), url


@pytest.mark.parametrize("persona", ["facilitator", "admin_client_"])
def test_carry_over_post_by_facilitator_and_admin(request, world, persona):
    old = f.AspirationFactory(
        group=world.group_a1, stage=Stage.NOT_ACCOMMODATED, stopped_at=Stage.CONVEYED
    )

    response = request.getfixturevalue(persona).post(
        reverse("aspirations:carry_over", args=[old.pk])
    )

    assert response.status_code == 302
    assert Aspiration.objects.get(carried_over_from=old).group == world.group_a1


def test_stuck_shows_the_administrator_every_aspiration(admin_client_, world):
    for group in (world.group_a1, world.group_b1):
        f.AspirationFactory(group=group)

    response = admin_client_.get(reverse("aspirations:stuck"))

    assert response.context["sections"][0]["count"] == 2


def test_detail_shows_budget_and_realisation(officer, aspiration):
    aspiration.stage, aspiration.furthest_rank = Stage.PLANNED, 6
    aspiration.save()
    _post_move(
        officer,
        aspiration,
        to="budgeted",
        amount="Rp 1.500.000",
        fiscal_year="2025",
        fund_source="apbdes",
        implementing_agency="Pemerintah Desa Alfa Satu",
    )

    response = _post_move(
        officer,
        aspiration,
        to="realised",
        occurred_on="2025-10-05",
        realised_amount="1.450.000,50",
        evidence="BAST 7/2024",
    )

    page = officer.get(response["Location"]).content.decode()
    assert (
        "Rp 1.500.000</strong> · APBDes (village budget) 2025 · Pemerintah Desa Alfa Satu" in page
    )
    assert "realised on 5 October 2025: Rp 1.450.000,50 · BAST 7/2024" in page


def test_detail_offers_the_next_stages_as_one_tap_buttons(officer, aspiration):
    aspiration.stage, aspiration.furthest_rank = Stage.MUSRENBANG_KECAMATAN, 4
    aspiration.save()

    page = officer.get(aspiration.get_absolute_url()).content.decode()

    move = reverse("aspirations:move", args=[aspiration.pk])
    assert f'href="{move}?to=musrenbang_kabkota">To “Musrenbang kabupaten/kota”</a>' in page
    assert f'href="{move}?to=pokir">To “Pokir DPRD”</a>' in page
