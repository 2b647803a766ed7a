"""The public tracker and the scorecards: nothing personal leaks from any public URL, each
figure equals the count of the list it links to, and query counts do not grow with rows."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.urls import URLPattern, get_resolver, reverse

from aspirations.models import Aspiration
from aspirations.services import aspiration_link_duplicate, aspiration_move
from aspirations.stages import Stage
from aspirations.topics import PROTECTION_SLUG
from tests import factories as f
from tests.helpers import same_queries_with_more_rows, xlsx_rows
from tracker import figures

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MEMBER_NAME = "Yohana Mambrasar"
NIK = "5271014708800001"
PHONE = "+6281234567890"
CASE_PERSON = "Siti Aminah Rahasia"
PROTECTION_TITLE = "Rumah aman Dusun Tujuh"
PROTECTION_TOPIC = "Perlindungan perempuan dan anak"
#: What no public page may show: a member's name, NIK and phone (also as typed, 08…), the
#: person of a case, the protection topic and its aspiration.
SECRETS = (MEMBER_NAME, NIK, PHONE, "081234567890", CASE_PERSON, PROTECTION_TITLE, PROTECTION_TOPIC)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def walk(aspiration, *stages, start=datetime.date(2024, 9, 1), **money):
    """Move ``aspiration`` through ``stages`` a month apart (the last one with ``money``)."""
    day = start
    for stage in stages:
        extra = money if stage == Stage.BUDGETED else {}
        aspiration_move(aspiration, to=stage, actor=None, occurred_on=day, **extra)
        day += datetime.timedelta(days=30)
    aspiration.refresh_from_db()
    return aspiration


@pytest.fixture
def tracked(world):
    """Public and private aspirations of village A1, one of them heard at a reses meeting
    of the world's representative, with a member, a case and a public aspiration of the
    protection topic whose details must never show."""
    member = f.MemberFactory(group=world.group_a1, full_name=MEMBER_NAME, nik=NIK, phone=PHONE)
    f.AssistanceCaseFactory(group=world.group_a1, person_name=CASE_PERSON)
    urusan = f.UrusanFactory()
    public = f.AspirationFactory(
        group=world.group_a1,
        title="Sumur bor Dusun Satu",
        description=f"Diusulkan oleh {MEMBER_NAME}, {PHONE}.",
        is_public=True,
        representative=world.representative,
        benefits_poor=True,
    )
    walk(
        public,
        Stage.POKIR,
        Stage.PLANNED,
        Stage.BUDGETED,
        amount=Decimal("250000000"),
        fiscal_year=2025,
        fund_source="apbd_kabkota",
        implementing_urusan=urusan,
        implementing_agency=f"Dinas PU, kontak {MEMBER_NAME}",
    )
    public.events.update(note=f"Dicatat oleh {MEMBER_NAME}")
    meeting = f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2024, 8, 20, 1, 0, tzinfo=datetime.UTC),
    )
    f.AgendaItemFactory(
        meeting=meeting,
        aspiration=public,
        response="pokir",
        response_note=f"Ibu {MEMBER_NAME} hadir",
    )
    second = f.AspirationFactory(
        group=world.group_a1, title="Lampu jalan Dusun Dua", is_public=True, benefits_women=False
    )
    private = f.AspirationFactory(
        group=world.group_a1, title="Usulan yang belum publik", representative=world.representative
    )
    protection = f.AspirationFactory(
        group=world.group_a1,
        title=PROTECTION_TITLE,
        is_public=True,
        representative=world.representative,
        topic=f.TopicFactory(slug=PROTECTION_SLUG, name=PROTECTION_TOPIC),
    )
    return {
        "member": member,
        "public": public,
        "second": second,
        "private": private,
        "protection": protection,
        "urusan": urusan,
    }


def public_urls(world, tracked):
    """Every public URL of the tracker (from the resolver: every ``tracker`` pattern but the
    staff ones), its arguments filled in, and the list under each of its filters."""
    (resolver,) = [
        p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "tracker"
    ]
    args = {
        "detail": [tracked["public"].pk],
        "representative": [world.representative.pk],
    }
    urls = [
        reverse(f"tracker:{pattern.name}", args=args.get(pattern.name, []))
        for pattern in resolver.url_patterns
        if isinstance(pattern, URLPattern) and not pattern.name.startswith("staff_")
    ]
    listing = reverse("tracker:list")
    for params in (
        {"region": world.regency_a.code},
        {"village": world.village_a1.pk},
        {"heard_by": world.representative.pk},
        {"urusan": tracked["urusan"].pk},
        {"went_through": "pokir"},
    ):
        urls.append(f"{listing}?{urlencode(params)}")
    return urls


def test_public_pages_show_no_person_and_nothing_of_the_protection_topic(anonymous, world, tracked):
    urls = public_urls(world, tracked)

    pages = {url: anonymous.get(url) for url in urls}

    assert {url: response.status_code for url, response in pages.items()} == dict.fromkeys(
        urls, 200
    )
    leaks = {
        url: [secret for secret in SECRETS if secret in response.content.decode()]
        for url, response in pages.items()
    }
    assert leaks == dict.fromkeys(urls, [])
    # The pages are not empty: the public aspiration shows where it should.
    assert "Sumur bor Dusun Satu" in pages[reverse("tracker:list")].content.decode()


def test_public_detail_answers_404_for_private_and_protection_aspirations(anonymous, tracked):
    statuses = [
        anonymous.get(reverse("tracker:detail", args=[tracked[key].pk])).status_code
        for key in ("public", "private", "protection")
    ]

    assert statuses == [200, 404, 404]


def test_public_detail_shows_the_dated_way_and_the_money(anonymous, tracked):
    response = anonymous.get(reverse("tracker:detail", args=[tracked["public"].pk]))

    text = response.content.decode()
    assert [str(e.get_to_stage_display()) for e in response.context["events"]] == [
        "Pokir DPRD",
        "planned (RKPDes/RKPD)",
        "budgeted (APBDes/APBD)",
    ]
    assert "Rp 250.000.000" in text
    assert "1 October 2024" in text


def test_index_shows_the_funnel_and_money_of_public_aspirations_per_regency(anonymous, tracked):
    response = anonymous.get(reverse("tracker:index"))

    (regency,) = response.context["regencies"]
    assert dict((key, count) for key, _label, count in regency["steps"]) == {
        "recorded": 2,
        "conveyed": 1,
        "planning_forum": 1,
        "planned": 1,
        "budgeted": 1,
        "realised": 0,
    }
    assert regency["budgeted"] == Decimal("250000000.00")


def test_a_linked_duplicate_counts_once_on_the_public_pages(anonymous, world, tracked):
    again = f.AspirationFactory(group=world.group_a1, title="Sumur bor dusun satu", is_public=True)
    aspiration_link_duplicate(again, same_as=tracked["public"], actor=None)

    response = anonymous.get(reverse("tracker:index"))

    (regency,) = response.context["regencies"]
    assert regency["steps"][0][2] == 2
    assert anonymous.get(reverse("tracker:detail", args=[again.pk])).status_code == 404


def _list_count(client, url):
    return client.get(url).context["page_obj"].paginator.count


def test_public_scorecard_figures_equal_the_counts_of_the_lists_they_link_to(
    anonymous, world, tracked
):
    response = anonymous.get(reverse("tracker:representative", args=[world.representative.pk]))
    listing = reverse("tracker:list")

    card = response.context["card"]
    counted = [(str(fig.label), fig.count) for fig in card.figures]
    listed = [
        (str(fig.label), _list_count(anonymous, f"{listing}?{urlencode(fig.params)}"))
        for fig in card.figures
    ]
    assert counted == listed
    assert counted[:5] == [
        ("Aspirations heard at reses or addressed", 1),
        ("Reached Pokir", 1),
        ("Planned", 1),
        ("Budgeted", 1),
        ("Realised", 0),
    ]
    assert [fig.url for fig in card.figures if fig.count] == [
        f"{listing}?{urlencode(fig.params)}" for fig in card.figures if fig.count
    ]
    assert counted[-1] == ("Responses recorded", 1)
    # Held on 20 August 2024, before the first 1 September of the term: term year 1.
    assert [(str(fig.label), fig.count) for fig in card.meetings] == [
        ("Term year 1 (2024–2025)", 1)
    ]
    assert card.meetings_held.count == 1
    # The reses meeting list is behind login: the public page shows the count, no link.
    assert not card.meetings_held.url
    # Heard at the meeting of 20 August 2024, taken into Pokir on 1 September 2024.
    assert card.days_to_pokir == 12


def test_staff_scorecard_figures_equal_the_counts_of_the_lists_they_link_to(
    programme, world, tracked
):
    response = programme.get(
        reverse("tracker:staff_representative", args=[world.representative.pk])
    )
    listing = reverse("aspirations:list")

    card = response.context["card"]
    counted = [fig.count for fig in card.figures]
    listed = [
        _list_count(programme, f"{listing}?{urlencode({'counted': '1', **fig.params})}")
        for fig in card.figures
    ]
    assert counted == listed
    # The private and the protection aspirations are addressed to the representative too.
    assert counted[0] == 3


def test_staff_scorecard_counts_meetings_by_term_year_as_the_meeting_list_does(
    programme, world, tracked
):
    """Term years run 1 September to 31 August; a meeting after today is not held yet;
    each count links to the reses meeting list filtered to the representative and the
    term year's days, and that list shows as many meetings."""
    for starts_at in (
        # 31 August 2025 23:30 WITA is still term year 1; 1 September 2025 00:30 WITA is year 2.
        datetime.datetime(2025, 8, 31, 15, 30, tzinfo=datetime.UTC),
        datetime.datetime(2025, 8, 31, 16, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC),
        datetime.datetime(2099, 1, 1, 2, 0, tzinfo=datetime.UTC),
    ):
        f.ResesMeetingFactory(
            representative=world.representative, village=world.village_a1, starts_at=starts_at
        )
    f.ResesMeetingFactory(village=world.village_a1)
    response = programme.get(
        reverse("tracker:staff_representative", args=[world.representative.pk])
    )
    card = response.context["card"]
    listing = reverse("reses:meeting_list")

    shown = [(str(fig.label), fig.count) for fig in card.meetings]
    assert shown == [("Term year 1 (2024–2025)", 2), ("Term year 2 (2025–2026)", 2)]
    assert card.meetings_held.count == 4
    for figure in [card.meetings_held, *card.meetings]:
        assert figure.url == f"{listing}?{urlencode(figure.params)}"
        assert _list_count(programme, figure.url) == figure.count
    body = response.content.decode()
    assert f'<a href="{card.meetings_held.url.replace("&", "&amp;")}">4</a>' in body
    assert "Term year 2 (2025–2026)" in body


def test_responses_recorded_count_each_answered_aspiration_once(programme, world, tracked):
    """Two meetings answering the same aspiration count it once; an agenda item without a
    response, or answered by another representative, does not count; the figure links to
    the aspiration list showing the same rows."""
    public, second = tracked["public"], tracked["second"]
    later = f.ResesMeetingFactory(representative=world.representative, village=world.village_a1)
    f.AgendaItemFactory(meeting=later, aspiration=public, response="pokir")
    f.AgendaItemFactory(meeting=later, aspiration=second, response="")
    other = f.ResesMeetingFactory(village=world.village_a1)
    f.AgendaItemFactory(meeting=other, aspiration=second, response="pokir")
    response = programme.get(
        reverse("tracker:staff_representative", args=[world.representative.pk])
    )
    (responses,) = [
        fig for fig in response.context["card"].figures if fig.params.get("responded_by")
    ]
    assert responses.count == 1
    assert _list_count(programme, responses.url) == 1
    listed = programme.get(responses.url).context["page_obj"].object_list
    assert [a.title for a in listed] == ["Sumur bor Dusun Satu"]
    assert f'<a href="{responses.url.replace("&", "&amp;")}">1</a>' in response.content.decode()


def test_agency_figures_equal_the_counts_of_the_lists_they_link_to(anonymous, programme, tracked):
    for client, name, listing, extra in (
        (anonymous, "tracker:agencies", reverse("tracker:list"), {}),
        (programme, "tracker:staff_agencies", reverse("aspirations:list"), {"counted": "1"}),
    ):
        rows = client.get(reverse(name)).context["rows"]
        counted = [row[key].count for row in rows for key in ("routed", "budgeted", "realised")]
        listed = [
            _list_count(client, f"{listing}?{urlencode({**extra, **row[key].params})}")
            for row in rows
            for key in ("routed", "budgeted", "realised")
        ]
        assert counted == listed
        assert counted


@pytest.mark.parametrize("name", ["tracker:index", "tracker:list", "tracker:agencies"])
def test_public_page_queries_do_not_grow_with_rows(
    anonymous, world, tracked, name, django_assert_num_queries
):
    def add_rows():
        for n in range(4):
            walk(
                f.AspirationFactory(group=world.group_a2, title=f"Jalan {n}", is_public=True),
                Stage.CONVEYED,
            )
        cache.clear()

    cache.clear()
    same_queries_with_more_rows(anonymous, reverse(name), add_rows, django_assert_num_queries)


def test_representative_scorecard_queries_do_not_grow_with_rows(
    anonymous, world, tracked, django_assert_num_queries
):
    url = reverse("tracker:representative", args=[world.representative.pk])

    def add_rows():
        for n in range(4):
            walk(
                f.AspirationFactory(
                    group=world.group_a1,
                    title=f"Jalan {n}",
                    is_public=True,
                    representative=world.representative,
                ),
                Stage.POKIR,
                Stage.PLANNED,
            )
        cache.clear()

    same_queries_with_more_rows(anonymous, url, add_rows, django_assert_num_queries)


def test_public_figures_are_cached_until_the_cache_expires(anonymous, world, tracked):
    anonymous.get(reverse("tracker:index"))
    f.AspirationFactory(group=world.group_a2, title="Baru", is_public=True)

    response = anonymous.get(reverse("tracker:index"))

    assert response.context["regencies"][0]["steps"][0][2] == 2
    assert figures.CACHE_SECONDS == 600
    cache.clear()
    assert anonymous.get(reverse("tracker:index")).context["regencies"][0]["steps"][0][2] == 3


def test_public_pages_are_in_indonesian_by_default(anonymous, tracked, settings):
    settings.LANGUAGE_CODE = "id"

    response = anonymous.get(reverse("tracker:index"))

    assert "Apa yang terjadi dengan aspirasi" in response.content.decode()


def test_public_scorecard_of_a_representative_with_no_public_aspirations(anonymous, world):
    response = anonymous.get(reverse("tracker:representative", args=[world.representative.pk]))

    assert [fig.count for fig in response.context["card"].figures] == [0] * 9
    assert Aspiration.objects.public().count() == 0


def test_pokir_export_lists_the_representatives_pokir_items_in_sipd_columns(dprd, world, tracked):
    response = dprd.get(reverse("tracker:staff_pokir_export", args=[world.representative.pk]))

    rows = [[cell.value for cell in row] for row in xlsx_rows(response)]
    assert rows[0][:3] == ["KK Portal ID", "Proposal", "Problem"]
    assert rows[0][-1] == "Missing for SIPD"
    assert [row[1] for row in rows[1:]] == ["Sumur bor Dusun Satu"]
    assert rows[1][-1] == (
        "Address down to the village and hamlet; Photo of the site; Volume with its unit; "
        "Estimated cost"
    )


def test_pokir_export_leaves_out_a_linked_duplicate(dprd, world, tracked):
    again = f.AspirationFactory(
        group=world.group_a1, title="Sumur bor dusun satu", representative=world.representative
    )
    walk(again, Stage.POKIR)
    aspiration_link_duplicate(again, same_as=tracked["public"], actor=None)
    response = dprd.get(reverse("tracker:staff_pokir_export", args=[world.representative.pk]))

    assert [row[1].value for row in xlsx_rows(response)[1:]] == ["Sumur bor Dusun Satu"]


def test_public_detail_queries_do_not_grow_with_its_events(
    anonymous, world, tracked, django_assert_num_queries
):
    aspiration = f.AspirationFactory(group=world.group_a1, title="Pipa air", is_public=True)
    walk(aspiration, Stage.CONVEYED)
    url = reverse("tracker:detail", args=[aspiration.pk])

    same_queries_with_more_rows(
        anonymous,
        url,
        lambda: walk(
            aspiration, Stage.MUSRENBANG_DESA, Stage.PLANNED, start=datetime.date(2024, 11, 1)
        ),
        django_assert_num_queries,
    )


def test_index_lists_representatives_addressed_or_hearing_at_reses(anonymous, world, tracked):
    response = anonymous.get(reverse("tracker:index"))

    assert [r.full_name for r in response.context["representatives"]] == ["Hj. Andi Rahmawati"]


def test_public_list_offers_villages_of_the_chosen_regency_only(anonymous, world, tracked):
    f.AspirationFactory(group=world.group_b1, title="Talud pantai", is_public=True)
    listing = reverse("tracker:list")

    everywhere = anonymous.get(listing).context["filter"].form.fields["village"]
    in_a = anonymous.get(listing, {"region": world.regency_a.code}).context["filter"]
    one = anonymous.get(listing, {"village": world.village_b1.pk})

    assert list(everywhere.queryset) == []
    assert list(in_a.form.fields["village"].queryset) == [world.village_a1]
    assert [a.title for a in one.context["page_obj"]] == ["Talud pantai"]


def test_staff_scorecard_counts_only_the_meetings_the_user_sees(facilitator, world):
    """A facilitator sees the meetings of her regency: the scorecard counts those, as the
    meeting list it links to does."""
    for village in (world.village_a1, world.village_b1):
        f.ResesMeetingFactory(
            representative=world.representative,
            village=village,
            starts_at=datetime.datetime(2025, 3, 10, 1, 0, tzinfo=datetime.UTC),
        )
    response = facilitator.get(
        reverse("tracker:staff_representative", args=[world.representative.pk])
    )
    held = response.context["card"].meetings_held

    assert held.count == 1
    assert _list_count(facilitator, held.url) == 1


def test_public_list_chooses_the_regency_from_a_select_of_regencies_with_public_rows(
    anonymous, world, tracked
):
    f.AspirationFactory(group=world.group_b1, title="Talud pantai", is_public=True)
    listing = reverse("tracker:list")

    response = anonymous.get(listing, {"region": world.regency_b.code})
    unknown = anonymous.get(listing, {"region": "99.99"})

    region = response.context["filter"].form.fields["region"]
    assert list(region.choices) == [
        ("", "(all)"),
        (world.regency_a.code, "Kabupaten Alfa"),
        (world.regency_b.code, world.regency_b.name),
    ]
    assert '<select name="region" id="id_region">' in response.text
    assert f'<option value="{world.regency_b.code}" selected>' in response.text
    assert list(response.context["filter"].form.fields["village"].queryset) == [world.village_b1]
    assert [a.title for a in response.context["page_obj"]] == ["Talud pantai"]
    assert list(unknown.context["page_obj"]) == []


def test_public_tracker_is_linked_from_the_sign_in_page_and_every_footer(anonymous, officer):
    tracker = reverse("tracker:index")

    sign_in = anonymous.get(reverse("login"))
    signed_in = officer.get(reverse("home"))

    assert f'<a href="{tracker}">Public tracker: what became of' in sign_in.text
    assert f'<a href="{tracker}">Public tracker</a>' in signed_in.text
