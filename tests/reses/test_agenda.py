"""The agenda: candidates by district (the Sirimau split), building, proposals, the pack."""

import datetime
import gzip
import io
import os
import pathlib
import zoneinfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from aspirations.models import Topic
from groups.models import Village
from reses.models import AgendaItem, ElectoralDistrict
from tests import factories as f

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def aspiration_a1(world):
    return f.AspirationFactory(
        group=world.group_a1,
        title="Sumur bor dusun Satu",
        raised_on=datetime.date(2025, 1, 1),
        benefits_poor=True,
    )


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ambon_districts(db):
    """Load the shipped regions and districts; one representative for Ambon 1 and Ambon 2."""
    call_command("load_reference_data", verbosity=0)
    reps = {}
    for number in (1, 2):
        district = ElectoralDistrict.objects.get(name=f"KOTA AMBON {number}")
        representative = f.RepresentativeFactory(district=district, full_name=f"Wakil {number}")
        reps[number] = (representative, f.UserFactory(role="dprd", representative=representative))
    return reps


@pytest.fixture
def ambon_meeting(db):
    province = f.ProvinceFactory(code="81", name="Maluku", time_zone="Asia/Jayapura")
    regency = f.RegencyFactory(
        province=province, code="81.71", name="Kota Ambon", kind="kota", time_zone="Asia/Jayapura"
    )
    village = f.VillageFactory(
        subdistrict=f.SubdistrictFactory(regency=regency, code="81.71.02", name="Sirimau"),
        code="81.71.02.2003",
        name="Batu Merah",
    )
    district = f.DistrictVillageFactory(
        district=f.ElectoralDistrictFactory(regency=regency, name="KOTA AMBON 2"), village=village
    ).district
    representative = f.RepresentativeFactory(
        district=district, full_name="Hj. Nurhayati Daeng Ngai, S.Pd., M.Si."
    )
    meeting = f.ResesMeetingFactory(
        representative=representative,
        village=village,
        venue="Masjid Raya",
        starts_at=datetime.datetime(2024, 8, 17, 9, 0, tzinfo=WIT),
    )
    aspiration = f.AspirationFactory(
        group=f.ConstituentGroupFactory(village=village, name="KK Ma'ruf"),
        title="Lampu jalan lorong",
        raised_on=datetime.date(2024, 8, 1),
        benefits_disability=True,
    )
    f.AgendaItemFactory(meeting=meeting, aspiration=aspiration, order=1)
    staff = f.UserFactory(role="dprd", representative=representative)
    return meeting, _client(staff)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def july_meeting(world):
    return f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="Reses II 2026",
        starts_at=datetime.datetime(2026, 7, 22, 9, 0, tzinfo=WITA),
    )


def test_agenda_candidates_follow_sirimau_split(ambon_districts):
    batu_merah = Village.objects.get(code="81.71.02.2003")
    rijali = Village.objects.get(code="81.71.02.1011")
    assert (batu_merah.name, rijali.name) == ("Batu Merah", "Rijali")
    topic = Topic.objects.order_by("order").first()
    for village in (batu_merah, rijali):
        f.AspirationFactory(
            group=f.ConstituentGroupFactory(village=village),
            title=f"Air bersih {village.name}",
            topic=topic,
        )
    pages = {}
    for number, (representative, staff) in ambon_districts.items():
        meeting = f.ResesMeetingFactory(
            representative=representative,
            village=batu_merah if number == 2 else rijali,
            starts_at=datetime.datetime(2025, 3, 10, 9, 0, tzinfo=WIT),
        )
        pages[number] = _client(staff).get(reverse("reses:agenda_build", args=[meeting.pk]))

    titles = {n: [a.title for a in page.context["candidates"]] for n, page in pages.items()}
    assert titles == {1: ["Air bersih Rijali"], 2: ["Air bersih Batu Merah"]}
    assert "10 Maret 2025 09.00 WIT" in pages[2].text


def test_meeting_form_refuses_village_of_other_half_of_sirimau(ambon_districts):
    representative, staff = ambon_districts[2]
    rijali = Village.objects.get(code="81.71.02.1011")

    response = _client(staff).post(
        reverse("reses:meeting_create"),
        {
            "reses_period": "Reses I 2025",
            "village": rijali.pk,
            "date": "2025-03-10",
            "starts_at": "09:00",
            "venue": "Kantor lurah",
            "expected_attendance": "30",
        },
    )

    assert response.context["form"].errors["village"] == [
        "Pilih desa/kelurahan di daerah pemilihan (dapil) anggota DPRD ini."
    ]


def test_agenda_build_groups_candidates_by_village_and_topic(dprd, world, meeting, aspiration_a1):
    other_topic = f.TopicFactory(slug="health", name="Kesehatan dan BPJS", order=2)
    f.AspirationFactory(group=world.group_a1, title="Kartu BPJS lansia", topic=other_topic)
    f.AspirationFactory(group=world.group_a2, title="Jalan Desa Dua")  # outside the district
    f.AspirationFactory(group=world.group_a1, title="Sudah selesai", stage="realised")

    response = dprd.get(reverse("reses:agenda_build", args=[meeting.pk]))

    assert [a.title for a in response.context["candidates"]] == [
        "Sumur bor dusun Satu",
        "Kartu BPJS lansia",
    ]
    assert "<legend>Desa Alfa Satu" in response.text
    assert "<h3>Kesehatan dan BPJS</h3>" in response.text
    assert "miskin" in response.text


def test_agenda_adds_items_and_keeps_their_order(dprd, world, meeting, aspiration_a1):
    second = f.AspirationFactory(group=world.group_a1, title="Posyandu")
    url = reverse("reses:agenda_build", args=[meeting.pk])

    dprd.post(url, {"add": "1", "add-aspirations": [aspiration_a1.pk, second.pk]})
    sumur = meeting.agenda_items.get(aspiration=aspiration_a1)
    posyandu = meeting.agenda_items.get(aspiration=second)
    dprd.post(
        url,
        {
            "save_order": "1",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "2",
            "items-0-id": sumur.pk,
            "items-0-order": "2",
            "items-0-accepted": "on",
            "items-1-id": posyandu.pk,
            "items-1-order": "1",
            "items-1-accepted": "on",
        },
    )

    ordered = [i.aspiration.title for i in meeting.agenda_items.order_by("order")]
    assert ordered == ["Posyandu", "Sumur bor dusun Satu"]
    assert all(i.accepted and not i.proposed_by_group for i in meeting.agenda_items.all())


def test_agenda_add_refuses_aspiration_from_other_district(facilitator, world, meeting):
    outside = f.AspirationFactory(group=world.group_a2, title="Jalan Desa Dua")

    response = facilitator.post(
        reverse("reses:agenda_build", args=[meeting.pk]),
        {"add": "1", "add-aspirations": [outside.pk]},
    )

    assert response.status_code == 400
    assert not AgendaItem.objects.exists()
    assert response.context["add_form"].errors["aspirations"] == [
        "“Jalan Desa Dua” tentang Desa Alfa Dua, di luar ALFA 1; tidak bisa masuk agenda ini."
    ]
    assert "di luar ALFA 1" in response.text


def test_agenda_add_refuses_aspiration_out_of_scope(dprd, world, meeting):
    hidden = f.AspirationFactory(group=world.group_b1, title="Rahasia Beta")

    response = dprd.post(
        reverse("reses:agenda_build", args=[meeting.pk]),
        {"add": "1", "add-aspirations": [hidden.pk]},
    )

    assert response.status_code == 400
    assert not AgendaItem.objects.exists()
    assert response.context["add_form"].errors["aspirations"] == [
        "Salah satu aspirasi yang dipilih sudah ditutup atau di luar cakupan Anda."
    ]
    assert "Rahasia Beta" not in response.text


def test_agenda_add_service_refuses_other_district(world, meeting):
    from django.core.exceptions import ValidationError

    from reses.services import agenda_add

    outside = f.AspirationFactory(group=world.group_a2, title="Jalan Desa Dua")

    with pytest.raises(ValidationError) as error:
        agenda_add(meeting, [outside])

    assert error.value.messages == [
        "“Jalan Desa Dua” tentang Desa Alfa Dua, di luar ALFA 1; tidak bisa masuk agenda ini."
    ]
    assert not AgendaItem.objects.exists()


def test_officer_proposes_group_aspiration(officer, world, meeting, aspiration_a1):
    other_group = f.AspirationFactory(
        group=f.ConstituentGroupFactory(village=world.village_a1), title="Milik KK lain"
    )
    page = officer.get(meeting.get_absolute_url())
    assert [a.title for a in page.context["propose_form"].fields["aspirations"].queryset] == [
        "Sumur bor dusun Satu"
    ]

    response = officer.post(
        reverse("reses:agenda_propose", args=[meeting.pk]),
        {"propose-aspirations": [aspiration_a1.pk]},
    )
    refused = officer.post(
        reverse("reses:agenda_propose", args=[meeting.pk]),
        {"propose-aspirations": [other_group.pk]},
    )

    item = AgendaItem.objects.get()
    assert response.status_code == 302
    assert (item.aspiration, item.proposed_by_group, item.accepted) == (aspiration_a1, True, False)
    assert refused.status_code == 400
    detail = officer.get(meeting.get_absolute_url())
    assert "diusulkan oleh kelompok, menunggu staf" in detail.text


def test_officer_b_cannot_propose_to_meeting_out_of_scope(officer_b, world, meeting):
    mine = f.AspirationFactory(group=world.group_a2)

    response = officer_b.post(
        reverse("reses:agenda_propose", args=[meeting.pk]), {"propose-aspirations": [mine.pk]}
    )

    assert response.status_code == 404
    assert not AgendaItem.objects.exists()


def test_dprd_cannot_use_propose(dprd, meeting, aspiration_a1):
    response = dprd.post(
        reverse("reses:agenda_propose", args=[meeting.pk]),
        {"propose-aspirations": [aspiration_a1.pk]},
    )

    assert response.status_code == 403


def test_proposed_item_left_out_of_pack_until_accepted(dprd, meeting, aspiration_a1):
    f.AgendaItemFactory(
        meeting=meeting, aspiration=aspiration_a1, proposed_by_group=True, accepted=False
    )

    response = dprd.get(reverse("reses:agenda_print", args=[meeting.pk]))

    assert "Sumur bor dusun Satu" not in response.text


def test_agenda_print_page_shows_pack(ambon_meeting):
    meeting, client = ambon_meeting

    response = client.get(reverse("reses:agenda_print", args=[meeting.pk]))

    assert response.status_code == 200
    assert "17 Agustus 2024 09.00 WIT" in response.text
    assert "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si." in response.text
    assert ">APP</span>" in response.text
    assert "KOTA AMBON 2; masa jabatan 2024–2029; Komisi IV" in response.text
    assert "Lampu jalan lorong" in response.text
    assert "KK Ma&#x27;ruf" in response.text
    assert "css/print.css" in response.text
    assert "Daftar hadir" in response.text


def test_agenda_pdf_holds_agenda_profile_and_attendance_sheet(ambon_meeting):
    meeting, client = ambon_meeting

    response = client.get(reverse("reses:agenda_pdf", args=[meeting.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert "agenda-reses-" in response["Content-Disposition"]
    if os.environ.get("RESES_PDF_OUT"):
        pathlib.Path(os.environ["RESES_PDF_OUT"]).write_bytes(response.content)
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 2  # agenda with village profiles; attendance sheet
    assert "17 Agustus 2024 09.00 WIT" in text
    assert "Hj. Nurhayati Daeng Ngai, S.Pd., M.Si." in text
    assert "Lampu jalan lorong" in text
    assert "KK Ma'ruf" in text
    assert "&#" not in text
    assert "Batu Merah" in text
    # Compared without spaces: text extraction spaces glyphs of small headings unevenly.
    sheet = "".join(reader.pages[-1].extract_text().split())
    for column in ("Daftarhadir", "Jeniskelamin(P/L)", "Miskin", "Disabilitas", "Tandatangan"):
        assert column in sheet
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4 in points


def test_agenda_print_shows_the_items_to_the_officer_of_the_village(
    officer, meeting, aspiration_a1
):
    f.AgendaItemFactory(meeting=meeting, aspiration=aspiration_a1)

    response = officer.get(reverse("reses:agenda_print", args=[meeting.pk]))

    assert "Sumur bor dusun Satu" in response.text


def test_pack_profile_counts_open_aspirations_of_agenda_villages(dprd, world, meeting):
    item = f.AgendaItemFactory(
        meeting=meeting, aspiration=f.AspirationFactory(group=world.group_a1, benefits_poor=True)
    )
    f.AspirationFactory(group=world.group_a1, benefits_women=False)
    f.AspirationFactory(group=world.group_a1, stage="realised")

    response = dprd.get(reverse("reses:agenda_print", args=[meeting.pk]))

    profile = response.context["profiles"]
    assert [(r["village__name"], r["total"], r["women"], r["poor"]) for r in profile] == [
        (item.aspiration.village.name, 2, 1, 1)
    ]


@pytest.mark.parametrize(
    "view", ["reses:agenda_build", "reses:agenda_print", "reses:meeting_detail"]
)
def test_agenda_pages_query_count_constant(dprd, world, meeting, view):
    url = reverse(view, args=[meeting.pk])
    topics = [f.TopicFactory(slug=f"t{n}", name=f"Topik {n}", order=n) for n in range(3)]

    def make(n):
        for i in range(n):
            aspiration = f.AspirationFactory(group=world.group_a1, topic=topics[i % 3])
            f.AgendaItemFactory(meeting=meeting, aspiration=aspiration)
            f.AspirationFactory(group=world.group_a1, topic=topics[i % 3])

    make(1)
    dprd.get(url)
    one = _queries(dprd, url)
    make(12)

    assert _queries(dprd, url) == one


def test_agenda_item_with_response_cannot_be_removed(dprd, meeting, aspiration_a1):
    item = f.AgendaItemFactory(meeting=meeting, aspiration=aspiration_a1, response="answered")

    response = dprd.post(
        reverse("reses:agenda_build", args=[meeting.pk]),
        {
            "save_order": "1",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-order": "1",
            "items-0-accepted": "on",
            "items-0-DELETE": "on",
        },
    )

    assert response.status_code == 400
    assert "tetap di agenda" in response.text
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def _village_in_district(world, name, subdistrict=None):
    village = f.VillageFactory(name=name, subdistrict=subdistrict or world.village_a1.subdistrict)
    f.DistrictVillageFactory(district=world.district, village=village)
    return village, f.ConstituentGroupFactory(village=village)


def test_agenda_build_folds_villages_by_subdistrict_beyond_one_page(
    dprd, world, meeting, monkeypatch
):
    from reses import views

    monkeypatch.setattr(views, "CANDIDATE_LIMIT", 2)
    village_c, group_c = _village_in_district(
        world, "Desa Gamma", f.SubdistrictFactory(regency=world.regency_a, name="Zeta")
    )
    for n in range(3):
        f.AspirationFactory(group=world.group_a1, title=f"Alfa {n}")
    f.AspirationFactory(group=group_c, title="Gamma 1")
    f.AspirationFactory(group=world.group_a2, title="Jalan Desa Dua")  # outside the district
    url = reverse("reses:agenda_build", args=[meeting.pk])

    everything = dprd.get(url)
    gamma = dprd.get(url, {"village": village_c.pk})
    added = dprd.post(
        f"{url}?village={village_c.pk}",
        {"add": "1", "add-aspirations": [gamma.context["candidates"][0].pk]},
    )

    assert everything.context["candidates"] == []
    assert "Alfa 0" not in everything.text
    assert "4 aspirasi terbuka di 2 desa/kelurahan." in everything.text
    assert [
        (s["name"], s["total"], [(v["name"], v["count"]) for v in s["villages"]])
        for s in everything.context["fold"]
    ] == [
        (world.village_a1.subdistrict.name, 3, [("Desa Alfa Satu", 3)]),
        ("Zeta", 1, [("Desa Gamma", 1)]),
    ]
    assert f'<a href="?village={village_c.pk}">Desa Gamma</a>' in everything.text
    assert [a.title for a in gamma.context["candidates"]] == ["Gamma 1"]
    assert "Semua desa/kelurahan dapil" in gamma.text
    assert added.url == f"{url}?village={village_c.pk}"
    assert [i.aspiration.title for i in meeting.agenda_items.all()] == ["Gamma 1"]


def test_agenda_build_fold_counts_follow_the_topic(dprd, world, meeting, monkeypatch):
    from reses import views

    monkeypatch.setattr(views, "CANDIDATE_LIMIT", 1)
    health = f.TopicFactory(slug="health", name="Kesehatan dan BPJS", order=2)
    village_c, group_c = _village_in_district(world, "Desa Gamma")
    f.AspirationFactory(group=world.group_a1, topic=health)
    f.AspirationFactory(group=world.group_a1)
    f.AspirationFactory(group=group_c, topic=health)
    url = reverse("reses:agenda_build", args=[meeting.pk])

    response = dprd.get(url, {"topic": health.pk})

    assert [(v["name"], v["count"]) for v in response.context["fold"][0]["villages"]] == [
        ("Desa Alfa Satu", 1),
        ("Desa Gamma", 1),
    ]
    assert f'<a href="?topic={health.pk}&amp;village={village_c.pk}">' in response.text


def test_agenda_build_pages_the_candidates_of_a_village(dprd, world, meeting, monkeypatch):
    from reses import views

    monkeypatch.setattr(views, "CANDIDATE_LIMIT", 2)
    for n in range(3):
        f.AspirationFactory(
            group=world.group_a1, title=f"Alfa {n}", raised_on=datetime.date(2024, 1, n + 1)
        )
    url = reverse("reses:agenda_build", args=[meeting.pk])

    first = dprd.get(url, {"village": world.village_a1.pk})
    second = dprd.get(url, {"village": world.village_a1.pk, "page": 2})

    assert [a.title for a in first.context["candidates"]] == ["Alfa 0", "Alfa 1"]
    assert "Halaman 1 dari 2" in first.text
    assert [a.title for a in second.context["candidates"]] == ["Alfa 2"]


def test_agenda_build_ignores_a_village_outside_the_district(dprd, world, meeting, aspiration_a1):
    url = reverse("reses:agenda_build", args=[meeting.pk])

    response = dprd.get(url, {"village": world.village_a2.pk})

    assert response.status_code == 200
    assert [a.title for a in response.context["candidates"]] == ["Sumur bor dusun Satu"]


def test_agenda_build_of_a_district_of_many_villages_stays_light(dprd, world, meeting):
    """220 villages in 11 subdistricts with two open aspirations each: the page lists the
    villages, never the 440 aspirations nor a ``<select>`` of the villages."""
    for s in range(11):
        subdistrict = f.SubdistrictFactory(regency=world.regency_a, name=f"Kecamatan {s:02d}")
        for v in range(20):
            _village, group = _village_in_district(world, f"Desa {s:02d}-{v:02d}", subdistrict)
            f.AspirationFactory.create_batch(2, group=group, title="Perbaikan jalan usaha tani")
    url = reverse("reses:agenda_build", args=[meeting.pk])

    response = dprd.get(url)
    html = response.content

    assert response.status_code == 200
    assert sum(len(s["villages"]) for s in response.context["fold"]) == 220
    assert html.count(b'<details class="fold">') == 11
    assert b"Perbaikan jalan usaha tani" not in html
    assert b"<select" in html and b'name="village"' in html and b"Desa 00-00</option>" not in html
    # 22 KB, 3.1 KB compressed; the page before the fold, 150 candidates and a <select> of
    # the 220 villages, weighed 82 KB, 4.8 KB compressed.
    assert len(html) < 40_000
    assert len(gzip.compress(html)) < 4_000


def test_staff_accept_proposal_puts_it_in_pack(officer, dprd, meeting, aspiration_a1):
    officer.post(
        reverse("reses:agenda_propose", args=[meeting.pk]),
        {"propose-aspirations": [aspiration_a1.pk]},
    )
    item = AgendaItem.objects.get()
    builder = dprd.get(reverse("reses:agenda_build", args=[meeting.pk]))
    assert "diusulkan oleh" in builder.text and "KK Mawar" in builder.text

    dprd.post(
        reverse("reses:agenda_build", args=[meeting.pk]),
        {
            "save_order": "1",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": item.pk,
            "items-0-order": "1",
            "items-0-accepted": "on",
        },
    )
    pack = dprd.get(reverse("reses:agenda_print", args=[meeting.pk]))

    assert AgendaItem.objects.get().accepted is True
    assert "Sumur bor dusun Satu" in pack.text


def test_pack_and_detail_hold_no_member_personal_data(dprd, world, meeting, aspiration_a1):
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar", phone="+6281234567890")
    f.AgendaItemFactory(meeting=meeting, aspiration=aspiration_a1)

    pages = [
        dprd.get(reverse(name, args=[meeting.pk])).text
        for name in ("reses:meeting_detail", "reses:agenda_build", "reses:agenda_print")
    ]

    assert all("Sumur bor dusun Satu" in page for page in pages)
    assert not any("Mambrasar" in page or "81234567890" in page for page in pages)


def test_agenda_build_leaves_out_aspirations_raised_after_meeting(dprd, world, july_meeting):
    f.AspirationFactory(group=world.group_a1, title="Lama", raised_on=datetime.date(2026, 7, 22))
    f.AspirationFactory(group=world.group_a1, title="Baru", raised_on=datetime.date(2026, 7, 23))

    response = dprd.get(reverse("reses:agenda_build", args=[july_meeting.pk]))

    assert [a.title for a in response.context["candidates"]] == ["Lama"]
    assert "Baru" not in response.text


def test_agenda_add_refuses_aspiration_raised_after_meeting(dprd, world, july_meeting):
    from reses.models import AgendaItem

    later = f.AspirationFactory(
        group=world.group_a1, title="Baru", raised_on=datetime.date(2026, 11, 30)
    )

    response = dprd.post(
        reverse("reses:agenda_build", args=[july_meeting.pk]),
        {"add": "1", "add-aspirations": [later.pk]},
    )

    assert response.status_code == 400
    assert not AgendaItem.objects.exists()
    assert "“Baru”" in response.context["add_form"].errors["aspirations"][0]


@pytest.mark.parametrize("initial", ["-1", "99999999999999999999", "x"])
def test_agenda_order_tampered_management_form_refused(dprd, meeting, aspiration_a1, initial):
    item = f.AgendaItemFactory(meeting=meeting, aspiration=aspiration_a1, order=1)

    response = dprd.post(
        reverse("reses:agenda_build", args=[meeting.pk]),
        {
            "save_order": "1",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": initial,
            "items-0-id": item.pk,
            "items-0-order": "5",
            "items-1-id": "",
            "items-1-order": "6",
        },
    )

    assert response.status_code == 400
    assert list(AgendaItem.objects.values_list("order", flat=True)) == [1]
