"""What each persona reads of a meeting's agenda items: an officer sees other groups' items
only as they are read out (title, village, topic, response); staff see the full pack.
The rule: ``reses.services.agenda_items_read_by``."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests import factories as f

#: Of the other group's item, what an officer must not read.
HIDDEN = ("KK Kenanga", "Sumur di belakang rumah Bu Martha", "penyandang disabilitas")


@pytest.fixture
def agenda(world, meeting):
    """Two accepted items on the meeting in village A1: one of the officer's group A1, one of
    another group of the same village; and a proposal of that group still awaiting staff."""
    other = f.ConstituentGroupFactory(village=world.village_a1, name="KK Kenanga")
    own = f.AspirationFactory(
        group=world.group_a1, title="Jamban umum dusun Satu", benefits_poor=True
    )
    theirs = f.AspirationFactory(
        group=other,
        title="Air bersih dusun Dua",
        description="Sumur di belakang rumah Bu Martha kering sejak Juli.",
        benefits_women=False,
        benefits_disability=True,
    )
    pending = f.AspirationFactory(group=other, title="Lampu jalan dusun Tiga")
    f.AgendaItemFactory(meeting=meeting, aspiration=own, order=1)
    f.AgendaItemFactory(meeting=meeting, aspiration=theirs, order=2, response="answered")
    f.AgendaItemFactory(
        meeting=meeting, aspiration=pending, order=3, proposed_by_group=True, accepted=False
    )
    return own, theirs


def _agenda_part(text):
    """The agenda table of a pack page (before the village profiles)."""
    return text.split("Aspirasi yang belum selesai dari desa")[0]


def test_officer_reads_other_groups_item_as_read_out_on_the_meeting_page(officer, agenda):
    own, theirs = agenda

    page = officer.get(reverse("reses:meeting_detail", args=[theirs.agenda_items.get().meeting_id]))

    assert page.status_code == 200
    assert "Air bersih dusun Dua" in page.text
    assert "dijawab langsung di tempat" in page.text
    assert not any(hidden in page.text for hidden in HIDDEN)
    assert reverse("aspirations:detail", args=[theirs.pk]) not in page.text
    assert reverse("aspirations:detail", args=[own.pk]) in page.text
    assert "Lampu jalan dusun Tiga" not in page.text


def test_officer_print_page_shows_own_item_in_full_and_other_item_as_read_out(
    officer, meeting, agenda
):
    page = officer.get(reverse("reses:agenda_print", args=[meeting.pk]))

    agenda_part = _agenda_part(page.text)
    assert "Jamban umum dusun Satu" in agenda_part
    assert "KK Mawar" in agenda_part
    assert "warga miskin" in agenda_part
    assert "Air bersih dusun Dua" in agenda_part
    assert "Desa Alfa Satu" in agenda_part
    assert not any(hidden in page.text for hidden in HIDDEN)


def test_officer_pdf_leaves_out_other_groups_details(officer, meeting, agenda):
    response = officer.get(reverse("reses:agenda_pdf", args=[meeting.pk]))

    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "Air bersih dusun Dua" in text
    assert "Jamban umum dusun Satu" in text
    assert "KK Mawar" in text
    assert not any(hidden in text for hidden in HIDDEN)


@pytest.mark.parametrize("persona", ["facilitator", "dprd", "programme", "admin_client_"])
def test_staff_read_the_full_pack(request, persona, meeting, agenda):
    client = request.getfixturevalue(persona)

    page = client.get(reverse("reses:agenda_print", args=[meeting.pk]))
    detail = client.get(reverse("reses:meeting_detail", args=[meeting.pk]))

    assert page.status_code == 200
    agenda_part = _agenda_part(page.text)
    assert "KK Kenanga" in agenda_part
    assert "penyandang disabilitas" in agenda_part
    assert reverse("aspirations:detail", args=[agenda[1].pk]) in detail.text


def test_dprd_pdf_holds_other_groups_details(dprd, meeting, agenda):
    response = dprd.get(reverse("reses:agenda_pdf", args=[meeting.pk]))

    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "KK Kenanga" in text
    assert "penyandang disabilitas" in text


def test_officer_of_another_village_does_not_see_the_meeting(officer_b, meeting, agenda):
    for name in ("reses:meeting_detail", "reses:agenda_print", "reses:agenda_pdf"):
        assert officer_b.get(reverse(name, args=[meeting.pk])).status_code == 404


@pytest.fixture
def letterhead(world):
    representative = world.representative
    representative.office_name = "Rumah Aspirasi Fraksi Contoh"
    representative.office_address = "Jl. Poros Desa No. 7, Desa Alfa Satu; telp. 0411 123456"
    representative.save()
    return representative


def test_pack_opens_with_the_letterhead_and_closes_with_signatures(
    dprd, meeting, agenda, letterhead
):
    page = dprd.get(reverse("reses:agenda_print", args=[meeting.pk]))
    response = dprd.get(reverse("reses:agenda_pdf", args=[meeting.pk]))

    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    for shown in (page.text, text):
        assert "Rumah Aspirasi Fraksi Contoh" in shown
        assert "Jl. Poros Desa No. 7, Desa Alfa Satu; telp. 0411 123456" in shown
        assert f"Anggota DPRD {meeting.village.subdistrict.regency}, daerah pemilihan ALFA 1" in (
            shown
        )
        assert "Sumur di belakang rumah Bu Martha kering sejak Juli." in shown
        assert "Desa Alfa Satu, 10 Maret 2025" in shown
        assert "Notulis" in shown
    assert page.text.index("Rumah Aspirasi") < page.text.index("<h1>")


def test_letterhead_leaves_out_lines_not_filled(dprd, meeting, agenda):
    page = dprd.get(reverse("reses:agenda_print", args=[meeting.pk]))

    head = page.text.split('<header class="letterhead">')[1].split("</header>")[0]
    assert head.count("<p") == 2


def test_representative_letterhead_is_edited_in_the_admin(admin_client_, world):
    url = reverse("admin:reses_representative_change", args=[world.representative.pk])

    form = admin_client_.get(url)

    assert 'name="office_name"' in form.text
    assert 'name="office_address"' in form.text
