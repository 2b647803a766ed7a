"""The move page (``aspirations:move``): a stage picker first, then one short form per stage
with only that stage's fields, a new Musrenbang forum added inline, and DPRD staff's steps.

Assertions read the Indonesian page, as its users see it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from aspirations.models import BudgetOutcome, MusrenbangForum
from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f

DAY = datetime.date(2024, 9, 2)


@pytest.fixture
def aspiration(world):
    return f.AspirationFactory(group=world.group_a1, title="Jalan tani Dusun Dua")


def _at(aspiration, stage, rank):
    aspiration.stage, aspiration.furthest_rank = stage, rank
    aspiration.save()
    return aspiration


def _url(aspiration):
    return reverse("aspirations:move", args=[aspiration.pk])


def _page(client, aspiration, stage):
    response = client.get(_url(aspiration), {"to": stage})
    assert response.status_code == 200
    return response


def _field_names(response):
    return [field.name for field in response.context["form"].visible_fields()]


def _post(client, aspiration, **data):
    return client.post(_url(aspiration), {"occurred_on": DAY.isoformat(), **data})


def test_budgeted_form_asks_for_the_money_and_no_forum(officer, aspiration):
    response = _page(officer, _at(aspiration, Stage.PLANNED, 6), "budgeted")

    page = response.content.decode()
    assert _field_names(response) == [
        "occurred_on",
        "amount",
        "fiscal_year",
        "fund_source",
        "implementing_urusan",
        "implementing_agency",
        "note",
        "document_reference",
        "attachment",
    ]
    assert "<h1>Ke “dianggarkan (APBDes/APBD)”</h1>" in page
    assert '<input type="hidden" name="to" value="budgeted"' in page
    assert ">Tahun anggaran:</label>" in page
    assert 'name="musrenbang_forum"' not in page
    assert 'name="reses_meeting"' not in page
    assert f'<a href="{_url(aspiration)}">Pilih tahap lain</a>' in page


def test_conveyed_form_offers_the_reses_meeting_optionally(officer, aspiration, world):
    meeting = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)

    response = _page(officer, aspiration, "conveyed")

    page = response.content.decode()
    assert _field_names(response) == [
        "occurred_on",
        "reses_meeting",
        "note",
        "document_reference",
        "attachment",
    ]
    assert ">Di reses:</label>" in page
    assert '<option value="" selected>tidak di reses</option>' in page
    assert f'<option value="{meeting.pk}">' in page


def test_realised_form_asks_for_the_evidence(officer, aspiration):
    response = _page(officer, _at(aspiration, Stage.BUDGETED, 7), "realised")

    assert _field_names(response) == [
        "occurred_on",
        "realised_amount",
        "evidence",
        "note",
        "document_reference",
        "attachment",
    ]
    assert ">Bukti:</label>" in response.content.decode()


@pytest.mark.parametrize("stage", ["not_accommodated", "withdrawn"])
def test_closing_forms_ask_for_the_reason(officer, aspiration, stage):
    response = _page(officer, aspiration, stage)

    assert _field_names(response) == [
        "occurred_on",
        "reason",
        "note",
        "document_reference",
        "attachment",
    ]


def test_musrenbang_form_lists_only_forums_of_its_level(officer, aspiration, world):
    desa = f.MusrenbangForumFactory(village=world.village_a1)
    subdistrict = world.village_a1.subdistrict
    kecamatan = f.MusrenbangForumFactory(
        level="kecamatan", village=None, subdistrict=subdistrict, regency=world.regency_a
    )

    response = _page(officer, _at(aspiration, Stage.MUSRENBANG_DESA, 3), "musrenbang_kecamatan")

    form = response.context["form"]
    assert list(form.fields["musrenbang_forum"].queryset) == [kecamatan]
    assert desa not in form.fields["musrenbang_forum"].queryset
    page = response.content.decode()
    assert "Wajib: forum tempat usulan ini dibahas." in page
    assert "<summary>Forumnya tidak ada di daftar: tambahkan di sini</summary>" in page
    assert 'name="forum_held_on"' in page
    # A forum is listed: the new forum's part stays folded.
    assert '<details class="new-forum">' in page


def test_stage_picker_lists_only_what_the_user_may_record(dprd, aspiration):
    response = dprd.get(_url(aspiration))

    page = response.content.decode()
    assert response.context["form"].targets == (Stage.CONVEYED, Stage.POKIR)
    assert '<a class="button primary" href="?to=conveyed">disampaikan</a>' in page
    assert '<a class="button" href="?to=pokir">Pokir DPRD</a>' in page
    assert "?to=budgeted" not in page


def test_kecamatan_move_without_forum_refused_beside_the_forum(officer, aspiration):
    _at(aspiration, Stage.MUSRENBANG_DESA, 3)

    response = _post(officer, aspiration, to="musrenbang_kecamatan")

    assert response.context["form"].errors == {
        "musrenbang_forum": [
            "Pindah ke Musrenbang kecamatan memerlukan forum tempat usulan ini dibahas."
        ]
    }
    assert not aspiration.events.exists()


def test_amount_with_thousand_dots_saved_in_rupiah(officer, aspiration):
    _at(aspiration, Stage.PLANNED, 6)

    response = _post(
        officer,
        aspiration,
        to="budgeted",
        amount="1.500.000",
        fiscal_year="2025",
        fund_source="apbdes",
    )

    assert response.status_code == 302
    assert BudgetOutcome.objects.get(aspiration=aspiration).amount == Decimal("1500000")


def test_amount_of_27_digits_refused_beside_the_amount(officer, aspiration):
    _at(aspiration, Stage.PLANNED, 6)

    response = _post(
        officer,
        aspiration,
        to="budgeted",
        amount="1" * 27,
        fiscal_year="2025",
        fund_source="apbdes",
        note="Masuk APBDes.",
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"amount": ["Jumlah ini terlalu besar."]}
    page = response.content.decode()
    assert f'value="{"1" * 27}"' in page
    assert "Masuk APBDes.</textarea>" in page
    assert not BudgetOutcome.objects.exists()


def test_future_date_refused_beside_the_date(officer, aspiration):
    response = _post(officer, aspiration, to="conveyed", occurred_on="2999-01-01")

    assert response.context["form"].errors == {
        "occurred_on": ["Tanggal tidak boleh setelah hari ini."]
    }
    assert '<div class="field field-occurred_on has-error">' in response.content.decode()
    assert not aspiration.events.exists()


def test_move_at_new_forum_saves_the_forum_and_the_move(officer, aspiration, world):
    _at(aspiration, Stage.MUSRENBANG_DESA, 3)

    response = _post(
        officer,
        aspiration,
        to="musrenbang_kecamatan",
        forum_held_on="2024-09-01",
        forum_fiscal_year="2025",
        forum_attendance_female="25",
        note="Dibahas di kecamatan.",
    )

    assert response.status_code == 302
    forum = MusrenbangForum.objects.get()
    assert (forum.level, forum.subdistrict, forum.attendance_female) == (
        "kecamatan",
        world.village_a1.subdistrict,
        25,
    )
    assert aspiration.events.get().musrenbang_forum == forum
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.MUSRENBANG_KECAMATAN


def test_new_forum_error_keeps_everything_typed(officer, aspiration):
    _at(aspiration, Stage.MUSRENBANG_DESA, 3)

    response = _post(
        officer,
        aspiration,
        to="musrenbang_kecamatan",
        forum_held_on="2024-09-01",
        forum_attendance_female="25",
        note="Dibahas di kecamatan.",
        document_reference="BA 12/2024",
    )

    assert response.context["form"].errors == {
        "forum_fiscal_year": ["Isi tahun anggaran yang direncanakan forum itu."]
    }
    page = response.content.decode()
    assert '<details class="new-forum" open>' in page
    assert 'value="2024-09-01"' in page
    assert 'name="forum_attendance_female" value="25"' in page
    assert "Dibahas di kecamatan.</textarea>" in page
    assert 'value="BA 12/2024"' in page
    assert not MusrenbangForum.objects.exists()
    assert not aspiration.events.exists()


def test_new_forum_and_listed_forum_together_refused(officer, aspiration, world):
    forum = f.MusrenbangForumFactory(village=world.village_a1)

    response = _post(
        officer,
        aspiration,
        to="musrenbang_desa",
        musrenbang_forum=forum.pk,
        forum_held_on="2024-09-01",
        forum_fiscal_year="2025",
    )

    assert list(response.context["form"].errors) == ["musrenbang_forum"]
    assert MusrenbangForum.objects.get() == forum


def test_officer_gets_no_new_forum_of_a_level_they_do_not_hold(officer, aspiration):
    _at(aspiration, Stage.MUSRENBANG_KECAMATAN, 4)

    response = _page(officer, aspiration, "musrenbang_kabkota")

    assert response.context["form"].forum_fields() == []
    assert "new-forum" not in response.content.decode()


def test_facilitator_adds_a_musrenbang_kabkota_inline(facilitator, aspiration, world):
    _at(aspiration, Stage.MUSRENBANG_KECAMATAN, 4)

    response = _post(
        facilitator,
        aspiration,
        to="musrenbang_kabkota",
        forum_held_on="2024-09-01",
        forum_fiscal_year="2025",
    )

    assert response.status_code == 302
    forum = MusrenbangForum.objects.get()
    assert (forum.level, forum.regency, forum.subdistrict) == ("kabkota", world.regency_a, None)


@pytest.mark.parametrize("stage", ["conveyed", "pokir"])
def test_dprd_staff_record_their_steps(dprd, aspiration, stage):
    response = _post(dprd, aspiration, to=stage, note="Dicatat staf DPRD.")

    assert response.status_code == 302
    aspiration.refresh_from_db()
    assert aspiration.stage == stage
    assert aspiration.events.get().recorded_by.username == "staf-dprd"


def test_dprd_staff_refused_a_budget_step_beside_the_stage(dprd, aspiration):
    _at(aspiration, Stage.PLANNED, 6)

    response = _post(
        dprd, aspiration, to="budgeted", amount="1.500.000", fiscal_year="2025", fund_source="apbd"
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"to": ["Pilih tahap dari daftar."]}
    assert "Pilih tahap dari daftar." in response.content.decode()
    assert not BudgetOutcome.objects.exists()
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.PLANNED


def test_dprd_staff_of_another_representative_get_404(world, aspiration, client):
    other = f.UserFactory(role=Role.DPRD, representative=f.RepresentativeFactory())
    client.force_login(other)

    assert client.get(_url(aspiration)).status_code == 404
    assert _post(client, aspiration, to="conveyed").status_code == 404
    assert not aspiration.events.exists()


def test_dprd_staff_may_not_correct_or_edit(dprd, aspiration):
    correct = reverse("aspirations:correct", args=[aspiration.pk])
    edit = reverse("aspirations:edit", args=[aspiration.pk])

    assert (dprd.get(correct).status_code, dprd.post(correct).status_code) == (403, 403)
    # The edit page answers every reader 404, as the access matrix says.
    assert (dprd.get(edit).status_code, dprd.post(edit).status_code) == (404, 404)
    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.RECORDED


def test_dprd_staff_may_not_carry_over(dprd, world):
    old = f.AspirationFactory(
        group=world.group_a1, stage=Stage.NOT_ACCOMMODATED, stopped_at=Stage.CONVEYED
    )

    assert dprd.post(reverse("aspirations:carry_over", args=[old.pk])).status_code == 403


def test_detail_shows_dprd_staff_their_move_buttons_only(dprd, aspiration):
    _at(aspiration, Stage.CONVEYED, 2)

    page = dprd.get(aspiration.get_absolute_url()).content.decode()

    assert f'href="{_url(aspiration)}?to=pokir">Ke “Pokir DPRD”</a>' in page
    assert "?to=musrenbang_desa" not in page
    assert reverse("aspirations:edit", args=[aspiration.pk]) not in page
    assert reverse("aspirations:correct", args=[aspiration.pk]) not in page


def test_dprd_staff_past_their_steps_are_told_there_is_nothing_to_record(dprd, aspiration):
    _at(aspiration, Stage.PLANNED, 6)

    page = dprd.get(_url(aspiration)).content.decode()

    assert "Tidak ada langkah yang dapat Anda catat untuk aspirasi ini sekarang." in page
    assert "stage-picker" not in page


@pytest.mark.parametrize("stage", ["conveyed", "musrenbang_desa", "budgeted", "realised"])
def test_each_stage_form_renders_in_english(officer, aspiration, stage, english):
    _at(aspiration, Stage.RECORDED, 1)

    response = officer.get(_url(aspiration), {"to": stage})

    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert response.context["form"].stage == stage
