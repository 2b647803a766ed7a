"""Aspiration pages: scoping, filters, pagination, the create and edit forms, and the date
raised (not in the future, not before 2014, not after the first move)."""

import datetime
import uuid
import zoneinfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.models import Aspiration, AspirationEvent
from aspirations.stages import Stage
from kk_portal.scoping import Role
from tests import factories as f
from tests.aspirations.access import ACCESS
from tests.helpers import resubmit, same_queries_with_more_rows

ROLES = ["officer", "officer_b", "facilitator", "facilitator_b", "programme", "dprd"]


@pytest.fixture
def aspiration_a1(world, topic):
    return f.AspirationFactory(group=world.group_a1, title="Air bersih Dusun Satu", topic=topic)


def _data(world, topic_, **overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "title": "Jalan tani rusak",
        "description": "Jalan sepanjang 300 m rusak.",
        "topic": topic_.pk,
        "village": world.village_a1.pk,
        "channel": "face_to_face",
        "raised_on": "2024-08-17",
        "benefits_women": "on",
        "benefits_poor": "on",
    }
    data.update(overrides)
    return data


LIST_EXPECTED = {
    "officer": ["A1"],
    "officer_b": ["A2"],
    "facilitator": ["A1", "A2"],
    "facilitator_b": ["B1"],
    "programme": ["A1", "A2", "B1"],
    "dprd": ["A1", "B1 to rep"],
}


WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def _group_today():
    from django.utils import timezone

    return timezone.localdate(timezone=WITA)


def test_aspiration_detail_shows_it_to_dprd_staff_of_its_village(dprd, aspiration_a1):
    response = dprd.get(reverse("aspirations:detail", args=[aspiration_a1.pk]))

    assert "Air bersih Dusun Satu" in response.text


@pytest.mark.parametrize("role", ROLES)
def test_aspiration_edit_post_changes_nothing_for_non_writers(
    request, world, topic, aspiration_a1, role
):
    client = request.getfixturevalue(role)

    response = client.post(
        reverse("aspirations:edit", args=[aspiration_a1.pk]), _data(world, topic, title="Diubah")
    )

    aspiration_a1.refresh_from_db()
    if ACCESS["aspirations:edit"].statuses("get")[role] == 200:
        assert response.status_code == 302
        assert aspiration_a1.title == "Diubah"
    else:
        assert response.status_code == 404
        assert aspiration_a1.title == "Air bersih Dusun Satu"


@pytest.mark.parametrize("role", ROLES)
def test_aspiration_list_shows_only_scope(request, world, topic, role):
    f.AspirationFactory(group=world.group_a1, title="A1", topic=topic)
    f.AspirationFactory(group=world.group_a2, title="A2", topic=topic)
    f.AspirationFactory(
        group=world.group_b1, title="B1 to rep", topic=topic, representative=world.representative
    )
    if role != "dprd":
        Aspiration.objects.filter(title="B1 to rep").update(title="B1", representative=None)
    client = request.getfixturevalue(role)

    response = client.get(reverse("aspirations:list"))

    assert sorted(a.title for a in response.context["page_obj"]) == LIST_EXPECTED[role]


def test_aspiration_list_search_does_not_leak(officer_b, aspiration_a1):
    response = officer_b.get(reverse("aspirations:list"), {"q": "Air bersih"})

    assert list(response.context["page_obj"]) == []
    assert "Dusun Satu" not in response.text


@pytest.mark.parametrize(
    ("role", "field"),
    [
        ("officer_b", "village"),
        ("officer_b", "representative"),
        ("officer_b", "urusan"),
        ("facilitator_b", "village"),
        ("facilitator_b", "group"),
        ("facilitator_b", "representative"),
        ("facilitator_b", "urusan"),
    ],
)
def test_aspiration_list_tampered_filter_answers_404(request, world, topic, role, field):
    urusan = f.UrusanFactory(code="1.02", name="Kesehatan")
    f.AspirationFactory(
        group=world.group_a1,
        title="Di Mawar",
        topic=topic,
        urusan=urusan,
        representative=world.representative,
    )
    value = {
        "village": world.village_a1.pk,
        "group": world.group_a1.pk,
        "representative": world.representative.pk,
        "urusan": urusan.pk,
    }[field]

    response = request.getfixturevalue(role).get(reverse("aspirations:list"), {field: value})

    assert response.status_code == 404
    assert "Di Mawar" not in response.text


def test_aspiration_list_officer_group_param_ignored(officer_b, world, topic):
    f.AspirationFactory(group=world.group_a1, title="Di Mawar", topic=topic)
    f.AspirationFactory(group=world.group_a2, title="Di Melati", topic=topic)

    response = officer_b.get(reverse("aspirations:list"), {"group": world.group_a1.pk})

    assert [a.title for a in response.context["page_obj"]] == ["Di Melati"]


def test_aspiration_list_date_range_includes_end_day(officer, world, topic):
    for day, title in [(1, "awal"), (31, "akhir"), (1, "september")]:
        month = 9 if title == "september" else 8
        f.AspirationFactory(
            group=world.group_a1,
            topic=topic,
            title=title,
            raised_on=datetime.date(2024, month, day),
        )
    f.AspirationFactory(
        group=world.group_a1, topic=topic, title="juli", raised_on=datetime.date(2024, 7, 31)
    )

    response = officer.get(
        reverse("aspirations:list"), {"raised_from": "2024-08-01", "raised_to": "2024-08-31"}
    )

    assert sorted(a.title for a in response.context["page_obj"]) == ["akhir", "awal"]


def test_aspiration_list_date_range_accepts_indonesian_format(officer, world, topic):
    f.AspirationFactory(group=world.group_a1, topic=topic, raised_on=datetime.date(2024, 8, 31))

    response = officer.get(
        reverse("aspirations:list"), {"raised_from": "01/08/2024", "raised_to": "31/08/2024"}
    )

    assert response.context["page_obj"].paginator.count == 1


def test_aspiration_list_bad_date_gives_message_not_500(officer, aspiration_a1):
    response = officer.get(reverse("aspirations:list"), {"raised_to": "31/02/2024"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["raised_to"]


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"stage": "conveyed"}, ["disampaikan"]),
        ({"channel": "letter"}, ["surat"]),
        ({"q": "SURAT"}, ["surat"]),
    ],
)
def test_aspiration_list_filters_by_each_field(officer, world, topic, params, titles):
    f.AspirationFactory(
        group=world.group_a1, topic=topic, title="disampaikan", stage=Stage.CONVEYED
    )
    f.AspirationFactory(group=world.group_a1, topic=topic, title="surat", channel="letter")

    response = officer.get(reverse("aspirations:list"), params)

    assert [a.title for a in response.context["page_obj"]] == titles


def test_aspiration_list_filters_topic_village_representative(officer, world, topic):
    other = f.TopicFactory(slug="health", name="Kesehatan")
    f.AspirationFactory(group=world.group_a1, topic=topic, title="jalan")
    f.AspirationFactory(
        group=world.group_a1,
        topic=other,
        title="puskesmas",
        village=world.village_a2,
        representative=world.representative,
    )

    by_topic = officer.get(reverse("aspirations:list"), {"topic": other.pk})
    by_village = officer.get(reverse("aspirations:list"), {"village": world.village_a2.pk})
    by_rep = officer.get(reverse("aspirations:list"), {"representative": world.representative.pk})

    assert [a.title for a in by_topic.context["page_obj"]] == ["puskesmas"]
    assert [a.title for a in by_village.context["page_obj"]] == ["puskesmas"]
    assert [a.title for a in by_rep.context["page_obj"]] == ["puskesmas"]


def test_aspiration_list_pagination_keeps_filters(officer, world, topic):
    other = f.TopicFactory(slug="health", name="Kesehatan")
    for n in range(45):
        f.AspirationFactory(
            group=world.group_a1,
            topic=topic,
            title=f"jalan {n:02d}",
            raised_on=datetime.date(2024, 1, 1) + datetime.timedelta(days=n),
        )
    f.AspirationFactory.create_batch(10, group=world.group_a1, topic=other)
    params = {"topic": topic.pk, "village": world.village_a1.pk}

    first = officer.get(reverse("aspirations:list"), params)
    second = officer.get(reverse("aspirations:list"), {**params, "page": 2})
    last = officer.get(reverse("aspirations:list"), {**params, "page": 3})

    assert f"?topic={topic.pk}&amp;village={world.village_a1.pk}&amp;page=2" in first.text
    assert second.context["page_obj"].paginator.count == 45
    assert len(second.context["page_obj"]) == 20
    assert len(last.context["page_obj"]) == 5


def test_aspiration_list_stale_page_after_filter_change_not_404(officer, world, topic):
    f.AspirationFactory.create_batch(5, group=world.group_a1, topic=topic, channel="letter")

    response = officer.get(reverse("aspirations:list"), {"channel": "letter", "page": 3})

    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 5


def test_aspiration_list_same_query_count_1_and_50_rows(
    officer, world, topic, django_assert_num_queries
):
    f.AspirationFactory(group=world.group_a1, topic=topic)
    url = reverse("aspirations:list")
    with CaptureQueriesContext(connection) as one_row:
        officer.get(url)
    f.AspirationFactory.create_batch(49, group=world.group_a1, topic=topic)

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = officer.get(url)

    assert len(response.context["page_obj"]) == 20


def test_aspiration_ids_above_999_are_raw_in_html(officer, world, topic):
    aspiration = f.AspirationFactory(id=1234, group=world.group_a1, topic=topic)
    f.VillageFactory(id=1300, subdistrict=world.village_a1.subdistrict)

    listing = officer.get(reverse("aspirations:list"))
    edit = officer.get(reverse("aspirations:edit", args=[aspiration.pk]))

    assert 'href="/aspirations/1234/"' in listing.text
    assert 'value="1300"' in edit.text
    assert "1.234" not in listing.text


def test_aspiration_detail_date_in_indonesian(officer, aspiration_a1):
    response = officer.get(reverse("aspirations:detail", args=[aspiration_a1.pk]))

    assert "17 Agustus 2024" in response.text


def test_aspiration_create_defaults_village_and_today_in_group_zone(officer, world):
    response = officer.get(reverse("aspirations:create"))

    form = response.context["form"]
    assert form["village"].value() == world.village_a1.pk
    assert form["raised_on"].value() is not None


def test_aspiration_create_saves_with_topic_urusan_and_event(officer, world, topic):
    response = officer.post(reverse("aspirations:create"), _data(world, topic))

    aspiration = Aspiration.objects.get()
    assert response.url == aspiration.get_absolute_url()
    assert (aspiration.group, aspiration.urusan, aspiration.recorded_by) == (
        world.group_a1,
        topic.default_urusan,
        officer.user,
    )
    assert (aspiration.benefits_women, aspiration.benefits_men) == (True, False)
    assert AspirationEvent.objects.filter(aspiration=aspiration).count() == 1


def test_aspiration_create_double_tap_makes_one(officer, world, topic):
    data = _data(world, topic)

    first = officer.post(reverse("aspirations:create"), data)
    second = officer.post(reverse("aspirations:create"), data)

    assert Aspiration.objects.count() == 1
    assert first.url == second.url


def test_aspiration_create_tampered_village_of_other_group_answers_404(officer, world, topic):
    response = officer.post(
        reverse("aspirations:create"), _data(world, topic, village=world.village_b1.pk)
    )

    assert response.status_code == 404
    assert Aspiration.objects.count() == 0


def test_aspiration_edit_tampered_village_answers_404(officer, world, topic, aspiration_a1):
    data = _data(world, topic, village=world.village_b1.pk)

    response = officer.post(reverse("aspirations:edit", args=[aspiration_a1.pk]), data)

    aspiration_a1.refresh_from_db()
    assert response.status_code == 404
    assert aspiration_a1.village == world.village_a1


def test_aspiration_create_facilitator_village_outside_group_subdistrict_is_message(
    facilitator, world, topic
):
    other = f.VillageFactory(
        name="Desa Lain", subdistrict=f.SubdistrictFactory(regency=world.regency_a)
    )
    f.ConstituentGroupFactory(village=other)

    response = facilitator.post(
        reverse("aspirations:create"),
        _data(world, topic, group=world.group_a1.pk, village=other.pk),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["village"] == [
        "Pilih desa/kelurahan di kecamatan kelompok ini."
    ]


def test_aspiration_create_officer_group_field_ignored(officer, world, topic):
    officer.post(reverse("aspirations:create"), _data(world, topic, group=world.group_b1.pk))

    assert Aspiration.objects.get().group == world.group_a1


def test_aspiration_create_facilitator_chooses_group(facilitator, world, topic):
    response = facilitator.post(
        reverse("aspirations:create"),
        _data(world, topic, group=world.group_a2.pk, village=world.village_a2.pk),
    )

    assert response.status_code == 302
    assert Aspiration.objects.get().group == world.group_a2


def test_aspiration_create_facilitator_other_regency_group_answers_404(facilitator, world, topic):
    response = facilitator.post(
        reverse("aspirations:create"),
        _data(world, topic, group=world.group_b1.pk, village=world.village_b1.pk),
    )

    assert response.status_code == 404
    assert Aspiration.objects.count() == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", ""), ("topic", "999999"), ("channel", "pigeon"), ("raised_on", "kemarin")],
)
def test_aspiration_create_bad_field_has_message_others_kept(officer, world, topic, field, value):
    response = officer.post(reverse("aspirations:create"), _data(world, topic, **{field: value}))

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert Aspiration.objects.count() == 0
    assert "Jalan sepanjang 300 m rusak." in response.text


def test_aspiration_create_form_fits_phone_fields(officer, world):
    response = officer.get(reverse("aspirations:create"))

    assert list(response.context["form"].fields) == [
        "title",
        "description",
        "topic",
        "village",
        "channel",
        "raised_on",
        "benefits_women",
        "benefits_men",
        "benefits_poor",
        "benefits_disability",
        "files",
        "submission_token",
    ]


def test_ids_stay_raw_with_thousand_separator_on(facilitator, world, topic, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    # Ids far above what the suite's sequences reach: a worker's earlier tests advance
    # them (they do not roll back), and a fixed low id could already be taken.
    group = f.ConstituentGroupFactory(id=951500, village=world.village_a2, name="KK Seribu")
    aspiration = f.AspirationFactory(id=951234, group=group, topic=topic)

    home = facilitator.get(reverse("home"))
    listing = facilitator.get(reverse("aspirations:list"), {"group": 951500})
    edit = facilitator.get(reverse("aspirations:edit", args=[aspiration.pk]))

    assert "?group=951500" in home.text
    assert [a.pk for a in listing.context["page_obj"]] == [951234]
    assert 'value="951500" selected' in listing.text
    assert 'action=""' not in edit.text and "/aspirations/951234/" in edit.text
    assert "951.234" not in listing.text + edit.text


@pytest.mark.parametrize(
    ("language", "date"), [("id", "17 Agustus 2024"), ("en", "17 August 2024")]
)
def test_aspiration_pages_render_in_each_language(officer, aspiration_a1, language, date):
    officer.cookies["django_language"] = language

    detail = officer.get(reverse("aspirations:detail", args=[aspiration_a1.pk]))
    listing = officer.get(reverse("aspirations:list"))

    assert f'<html lang="{language}">' in detail.text
    assert date in detail.text
    assert date in listing.text


def test_aspiration_create_today_is_the_group_zone_date(world, monkeypatch):
    from django.utils import timezone

    # 15:30 UTC is 00:30 on the 17th in Kota Beta (WIT) but still the 16th in WITA.
    instant = datetime.datetime(2024, 8, 16, 15, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: instant)
    client_b = Client()
    client_b.force_login(f.UserFactory(role=Role.OFFICER, group=world.group_b1))
    client_a = Client()
    client_a.force_login(f.UserFactory(role=Role.OFFICER, group=world.group_a1))

    in_wit = client_b.get(reverse("aspirations:create")).context["form"]["raised_on"].value()
    in_wita = client_a.get(reverse("aspirations:create")).context["form"]["raised_on"].value()

    assert (in_wit, in_wita) == (datetime.date(2024, 8, 17), datetime.date(2024, 8, 16))


def test_aspiration_list_filter_form_has_no_page_field(officer, world, topic):
    f.AspirationFactory.create_batch(25, group=world.group_a1, topic=topic)

    response = officer.get(reverse("aspirations:list"), {"page": 2, "channel": "face_to_face"})

    form_html = response.text.split('class="filters"', 1)[1].split("</form>", 1)[0]
    assert 'name="page"' not in form_html
    assert 'name="channel"' in form_html


def test_aspiration_list_dashboard_filters_shown_only_when_set(officer, aspiration_a1):
    plain = officer.get(reverse("aspirations:list"))
    drilled = officer.get(reverse("aspirations:list"), {"reached": "conveyed"})

    assert 'name="region"' not in plain.text
    assert 'name="reached"' not in plain.text
    assert 'name="reached"' in drilled.text


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a\x00b"},
        {"page": "99999999999999999999"},
        {"stage": "nowhere"},
        {"raised_from": "2024-13-45"},
        {"topic": "abc"},
        {"q": "'; DROP TABLE aspirations; --"},
    ],
)
def test_aspiration_list_odd_input_never_500(officer, aspiration_a1, params):
    response = officer.get(reverse("aspirations:list"), params)

    assert response.status_code == 200


def test_aspiration_create_overlong_title_message(officer, world, topic):
    response = officer.post(reverse("aspirations:create"), _data(world, topic, title="x" * 300))

    assert response.status_code == 200
    assert response.context["form"].errors["title"]


@pytest.mark.parametrize(
    ("raised_on", "message"),
    [
        ("1900-01-01", "2014"),
        ("2013-12-31", "2014"),
        ("tomorrow", ""),
    ],
)
def test_aspiration_create_refuses_implausible_raised_on(officer, world, raised_on, message):
    from aspirations.models import Aspiration

    if raised_on == "tomorrow":
        raised_on = (_group_today() + datetime.timedelta(days=1)).isoformat()
    form = officer.get(reverse("aspirations:create"))
    data = resubmit(
        form,
        title="Jalan tani rusak",
        description="Rusak.",
        topic=f.TopicFactory().pk,
        village=world.village_a1.pk,
        channel="face_to_face",
        raised_on=raised_on,
    )

    response = officer.post(reverse("aspirations:create"), data)

    assert not Aspiration.objects.exists()
    errors = response.context["form"].errors["raised_on"]
    assert len(errors) == 1 and message in errors[0]
    assert errors[0] in response.text


def test_aspiration_edit_refuses_future_raised_on(officer, recorded):
    url = reverse("aspirations:edit", args=[recorded.pk])
    tomorrow = _group_today() + datetime.timedelta(days=1)

    response = officer.post(url, resubmit(officer.get(url), raised_on=tomorrow.isoformat()))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 4, 17)
    assert response.context["form"].errors["raised_on"]


def test_aspiration_edit_refuses_raised_on_after_first_move(officer, recorded):
    from aspirations import services

    services.aspiration_move(
        recorded, to="conveyed", actor=officer.user, occurred_on=datetime.date(2021, 5, 28)
    )
    url = reverse("aspirations:edit", args=[recorded.pk])

    response = officer.post(url, resubmit(officer.get(url), raised_on="2026-11-01"))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 4, 17)
    assert "28 Mei 2021" in response.context["form"].errors["raised_on"][0] or (
        "28 May 2021" in response.context["form"].errors["raised_on"][0]
    )


def test_aspiration_edit_raised_on_moves_created_event_and_stage_date(officer, recorded):
    from aspirations.models import EventKind

    url = reverse("aspirations:edit", args=[recorded.pk])

    response = officer.post(url, resubmit(officer.get(url), raised_on="2021-03-02"))

    assert response.status_code == 302
    recorded.refresh_from_db()
    created = recorded.events.get(kind=EventKind.CREATED)
    assert (recorded.raised_on, recorded.stage_changed_on, created.occurred_on) == (
        datetime.date(2021, 3, 2),
        datetime.date(2021, 3, 2),
        datetime.date(2021, 3, 2),
    )
    detail = officer.get(reverse("aspirations:detail", args=[recorded.pk]))
    assert "“17 April 2021” → “2 Maret 2021”" in detail.text


def test_aspiration_edit_raised_on_keeps_stage_date_after_a_move(officer, recorded):
    from aspirations import services

    services.aspiration_move(
        recorded, to="conveyed", actor=officer.user, occurred_on=datetime.date(2021, 5, 28)
    )
    url = reverse("aspirations:edit", args=[recorded.pk])

    officer.post(url, resubmit(officer.get(url), raised_on="2021-05-01"))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 5, 1)
    assert recorded.stage_changed_on == datetime.date(2021, 5, 28)


def test_aspiration_list_reversed_range_error_beside_end(officer, world):
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 8, 17))

    response = officer.get(
        reverse("aspirations:list"), {"raised_from": "2024-08-31", "raised_to": "2024-08-01"}
    )

    errors = response.context["filter"].form.errors
    assert list(errors) == ["raised_to"]
    assert errors["raised_to"][0] in response.text
    assert list(response.context["page_obj"]) == []


def test_aspiration_list_facilitator_same_query_count(
    facilitator, world, django_assert_num_queries
):
    f.AspirationFactory(group=world.group_a1)

    def add_rows():
        f.AspirationFactory.create_batch(25, group=world.group_a1)
        f.AspirationFactory.create_batch(24, group=world.group_a2)

    response = same_queries_with_more_rows(
        facilitator, reverse("aspirations:list"), add_rows, django_assert_num_queries
    )

    assert response.context["page_obj"].paginator.count == 50


def test_aspiration_list_sort_is_kept_across_pages_and_filters(officer, world, topic):
    other = f.TopicFactory(slug="health", name="Kesehatan")
    for n in range(45):
        f.AspirationFactory(group=world.group_a1, topic=topic, title=f"jalan {n:02d}")
    f.AspirationFactory(group=world.group_a1, topic=other, title="aaa lain")
    params = {"topic": topic.pk, "sort": "-title"}

    first = officer.get(reverse("aspirations:list"), params)
    second = officer.get(reverse("aspirations:list"), {**params, "page": 2})

    assert [a.title for a in first.context["page_obj"]][:2] == ["jalan 44", "jalan 43"]
    assert [a.title for a in second.context["page_obj"]][:1] == ["jalan 24"]
    assert f"?topic={topic.pk}&amp;sort=-title&amp;page=2" in first.text
    # The filter form carries the sort, so applying another filter keeps it (from page 1).
    assert '<input type="hidden" name="sort" value="-title">' in first.text
    # Sorting by another key keeps the filter and starts on page 1.
    assert f'href="?topic={topic.pk}&amp;sort=-raised_on"' in second.text


def test_aspiration_list_shows_the_stage_as_a_progress_mark(officer, world, topic):
    f.AspirationFactory(group=world.group_a1, topic=topic, stage="conveyed", furthest_rank=2)

    response = officer.get(reverse("aspirations:list"))

    assert response.text.count('<i class="on"></i>') == 2
    assert "(tahap 2 dari 8)" in response.text


def test_aspiration_list_same_query_count_sorted(officer, world, topic, django_assert_num_queries):
    f.AspirationFactory(group=world.group_a1, topic=topic)
    url = reverse("aspirations:list")
    with CaptureQueriesContext(connection) as one_row:
        officer.get(url, {"sort": "progress"})
    f.AspirationFactory.create_batch(30, group=world.group_a1, topic=topic)

    with django_assert_num_queries(len(one_row.captured_queries)):
        response = officer.get(url, {"sort": "progress"})

    assert len(response.context["page_obj"]) == 20
