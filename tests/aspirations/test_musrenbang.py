"""Musrenbang forums: list, create, detail, scoped by role; a repeated submission makes one."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aspirations.models import MusrenbangForum
from aspirations.services import aspiration_move
from aspirations.stages import Stage
from tests import factories as f

pytestmark = pytest.mark.usefixtures("english")

Level = MusrenbangForum.Level


@pytest.fixture
def forums(world):
    subdistrict_a = world.village_a1.subdistrict
    return {
        "desa A1": f.MusrenbangForumFactory(village=world.village_a1, note="desa A1"),
        "desa A2": f.MusrenbangForumFactory(village=world.village_a2, note="desa A2"),
        "kecamatan A": f.MusrenbangForumFactory(
            level=Level.KECAMATAN,
            village=None,
            subdistrict=subdistrict_a,
            regency=world.regency_a,
            note="kecamatan A",
        ),
        "kabkota A": f.MusrenbangForumFactory(
            level=Level.KABKOTA, village=None, regency=world.regency_a, note="kabkota A"
        ),
        "desa B1": f.MusrenbangForumFactory(village=world.village_b1, note="desa B1"),
    }


VISIBLE = {
    "officer": {"desa A1", "kecamatan A", "kabkota A"},
    "officer_b": {"desa A2", "kecamatan A", "kabkota A"},
    "facilitator": {"desa A1", "desa A2", "kecamatan A", "kabkota A"},
    "facilitator_b": {"desa B1"},
    "programme": {"desa A1", "desa A2", "kecamatan A", "kabkota A", "desa B1"},
    "dprd": {"desa A1", "desa A2", "kecamatan A", "kabkota A"},
    "admin_client_": {"desa A1", "desa A2", "kecamatan A", "kabkota A", "desa B1"},
}


def _forum_data(**extra):
    data = {
        "submission_token": str(uuid.uuid4()),
        "held_on": "2025-01-20",
        "fiscal_year": "2026",
        "attendance_female": "31",
        "attendance_male": "17",
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_musrenbang_list_scoped_by_role(request, forums, persona):
    response = request.getfixturevalue(persona).get(reverse("aspirations:musrenbang_list"))

    assert {forum.note for forum in response.context["forums"]} == VISIBLE[persona]
    page = response.content.decode()
    for name, forum in forums.items():
        url = reverse("aspirations:musrenbang_detail", args=[forum.pk])
        assert (f'href="{url}"' in page) is (name in VISIBLE[persona])


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_musrenbang_detail_outsiders_get_404(request, forums, persona):
    client = request.getfixturevalue(persona)

    for name, forum in forums.items():
        response = client.get(reverse("aspirations:musrenbang_detail", args=[forum.pk]))
        assert response.status_code == (200 if name in VISIBLE[persona] else 404), name


def test_musrenbang_list_filters_level_and_year(programme, forums):
    forums["kabkota A"].fiscal_year = 2027
    forums["kabkota A"].save()

    response = programme.get(
        reverse("aspirations:musrenbang_list"), {"level": "kabkota", "fiscal_year": "2027"}
    )

    assert [forum.note for forum in response.context["forums"]] == ["kabkota A"]


def test_musrenbang_list_query_count_constant(facilitator, world):
    f.MusrenbangForumFactory(village=world.village_a1)
    with CaptureQueriesContext(connection) as one:
        facilitator.get(reverse("aspirations:musrenbang_list"))
    for _ in range(8):
        f.MusrenbangForumFactory(village=world.village_a2)
        f.MusrenbangForumFactory(
            level=Level.KECAMATAN,
            village=None,
            subdistrict=world.village_a1.subdistrict,
            regency=world.regency_a,
        )

    with CaptureQueriesContext(connection) as many:
        facilitator.get(reverse("aspirations:musrenbang_list"))

    assert len(one) == len(many)


def test_musrenbang_create_officer_own_village(officer, world):
    response = officer.post(reverse("aspirations:musrenbang_create"), _forum_data(level="desa"))

    forum = MusrenbangForum.objects.get()
    assert response["Location"] == reverse("aspirations:musrenbang_detail", args=[forum.pk])
    assert (forum.village, forum.regency, forum.attendance_female) == (
        world.village_a1,
        world.regency_a,
        31,
    )
    page = officer.get(response["Location"]).content.decode()
    assert "31 women, 17 men" in page


def test_musrenbang_create_officer_own_subdistrict(officer, world):
    officer.post(reverse("aspirations:musrenbang_create"), _forum_data(level="kecamatan"))

    forum = MusrenbangForum.objects.get()
    assert (forum.level, forum.village, forum.subdistrict) == (
        Level.KECAMATAN,
        None,
        world.village_a1.subdistrict,
    )


def test_musrenbang_create_officer_cannot_create_regency_forum(officer):
    response = officer.post(reverse("aspirations:musrenbang_create"), _forum_data(level="kabkota"))

    assert "Select a valid choice." in response.content.decode()
    assert not MusrenbangForum.objects.exists()


def test_musrenbang_create_officer_ignores_posted_area(officer, world):
    officer.post(
        reverse("aspirations:musrenbang_create"),
        _forum_data(level="desa", village=world.village_b1.pk),
    )

    assert MusrenbangForum.objects.get().village == world.village_a1


def test_musrenbang_create_facilitator_needs_village_for_desa(facilitator):
    response = facilitator.post(reverse("aspirations:musrenbang_create"), _forum_data(level="desa"))

    assert "Choose the village of this Musrenbang desa." in response.content.decode()
    assert 'value="31"' in response.content.decode()
    assert not MusrenbangForum.objects.exists()


def test_musrenbang_create_facilitator_only_own_regency(facilitator, world):
    response = facilitator.post(
        reverse("aspirations:musrenbang_create"),
        _forum_data(level="desa", village=world.village_b1.pk),
    )

    assert "Select a valid choice." in response.content.decode()
    assert not MusrenbangForum.objects.exists()


def test_musrenbang_create_facilitator_regency_forum(facilitator, world):
    facilitator.post(reverse("aspirations:musrenbang_create"), _forum_data(level="kabkota"))

    forum = MusrenbangForum.objects.get()
    assert (forum.level, forum.regency, forum.village, forum.subdistrict) == (
        Level.KABKOTA,
        world.regency_a,
        None,
        None,
    )


def test_musrenbang_create_bad_attendance_refused(officer):
    response = officer.post(
        reverse("aspirations:musrenbang_create"),
        _forum_data(level="desa", attendance_female="-3", fiscal_year="1900"),
    )

    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert "Ensure this value is greater than or equal to 2000." in page
    assert not MusrenbangForum.objects.exists()


def test_musrenbang_detail_lists_visible_aspirations_with_result(
    officer, facilitator, forums, world
):
    forum = forums["kecamatan A"]
    mine = f.AspirationFactory(group=world.group_a1, title="Sumur bor A1")
    theirs = f.AspirationFactory(group=world.group_a2, title="Posyandu A2")
    day = datetime.date(2025, 1, 20)
    aspiration_move(
        mine, to=Stage.MUSRENBANG_KECAMATAN, actor=None, occurred_on=day, musrenbang_forum=forum
    )
    aspiration_move(
        theirs,
        to=Stage.NOT_ACCOMMODATED,
        actor=None,
        occurred_on=day,
        musrenbang_forum=forum,
        reason="Bukan prioritas.",
    )
    url = reverse("aspirations:musrenbang_detail", args=[forum.pk])

    officer_page = officer.get(url).content.decode()
    facilitator_page = facilitator.get(url).content.decode()

    assert "Sumur bor A1" in officer_page
    assert "Posyandu A2" not in officer_page
    assert "Sumur bor A1" in facilitator_page
    assert "Posyandu A2" in facilitator_page
    assert "not accommodated" in facilitator_page


def test_musrenbang_create_twice_with_same_token_makes_one(officer, world):
    from aspirations.models import MusrenbangForum

    data = {
        "submission_token": str(uuid.uuid4()),
        "level": "desa",
        "held_on": "2025-01-20",
        "fiscal_year": "2026",
        "attendance_female": "31",
        "attendance_male": "17",
    }

    first = officer.post(reverse("aspirations:musrenbang_create"), data)
    second = officer.post(reverse("aspirations:musrenbang_create"), data)

    forum = MusrenbangForum.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("aspirations:musrenbang_detail", args=[forum.pk])


def test_musrenbang_create_form_carries_a_token(officer):
    response = officer.get(reverse("aspirations:musrenbang_create"))

    assert 'name="submission_token"' in response.text


# Editing a forum: its recorder, the regency's facilitators, administrators.


@pytest.fixture
def officers_forum(officer, world):
    """A Musrenbang desa of village A1 recorded by the officer of group A1 (31 women)."""
    officer.post(reverse("aspirations:musrenbang_create"), _forum_data(level="desa"))
    return MusrenbangForum.objects.get()


def _edit_data(forum, **changes):
    data = {
        "level": forum.level,
        "held_on": forum.held_on.isoformat(),
        "fiscal_year": str(forum.fiscal_year),
        "attendance_female": "40",
        "attendance_male": str(forum.attendance_male),
        "note": "Jumlah peserta dikoreksi.",
    }
    if forum.village_id:
        data["village"] = str(forum.village_id)
    if forum.subdistrict_id:
        data["subdistrict"] = str(forum.subdistrict_id)
    data.update(changes)
    return data


def test_musrenbang_create_records_who_created_it(officers_forum, officer):
    assert officers_forum.created_by == officer.user


@pytest.mark.parametrize("persona", ["officer", "facilitator", "admin_client_"])
def test_musrenbang_edit_by_creator_facilitator_and_admin(request, officers_forum, persona):
    client = request.getfixturevalue(persona)
    detail_url = reverse("aspirations:musrenbang_detail", args=[officers_forum.pk])
    edit_url = reverse("aspirations:musrenbang_edit", args=[officers_forum.pk])

    detail = client.get(detail_url)
    form = client.get(edit_url)
    response = client.post(edit_url, _edit_data(officers_forum))

    assert f'href="{edit_url}">Edit</a>' in detail.text
    assert "Edit Musrenbang forum" in form.text
    assert 'name="attendance_female" value="31"' in form.text
    assert response["Location"] == detail_url
    officers_forum.refresh_from_db()
    assert (
        officers_forum.level,
        officers_forum.village.name,
        officers_forum.regency.name,
        officers_forum.attendance_female,
        officers_forum.note,
    ) == (Level.DESA, "Desa Alfa Satu", "Kabupaten Alfa", 40, "Jumlah peserta dikoreksi.")
    assert "40 women, 17 men" in client.get(detail_url).text


@pytest.mark.parametrize(
    ("persona", "status"),
    [("officer_same_group", 403), ("dprd", 403), ("programme", 403), ("facilitator_b", 404)],
)
def test_musrenbang_edit_refused_to_others(request, officers_forum, persona, status):
    client = request.getfixturevalue(persona)
    edit_url = reverse("aspirations:musrenbang_edit", args=[officers_forum.pk])

    detail = client.get(reverse("aspirations:musrenbang_detail", args=[officers_forum.pk]))
    get = client.get(edit_url)
    post = client.post(edit_url, _edit_data(officers_forum))

    assert (get.status_code, post.status_code) == (status, status)
    assert edit_url not in detail.text
    officers_forum.refresh_from_db()
    assert officers_forum.attendance_female == 31


def test_musrenbang_edit_facilitator_moves_forum_to_another_village(facilitator, world):
    forum = f.MusrenbangForumFactory(village=world.village_a1)

    facilitator.post(
        reverse("aspirations:musrenbang_edit", args=[forum.pk]),
        _edit_data(forum, village=str(world.village_a2.pk)),
    )

    forum.refresh_from_db()
    assert forum.village == world.village_a2


def test_musrenbang_edit_facilitator_cannot_pick_a_village_of_another_regency(facilitator, world):
    forum = f.MusrenbangForumFactory(village=world.village_a1)

    response = facilitator.post(
        reverse("aspirations:musrenbang_edit", args=[forum.pk]),
        _edit_data(forum, village=str(world.village_b1.pk)),
    )

    assert "Select a valid choice" in response.text
    forum.refresh_from_db()
    assert forum.village == world.village_a1


def test_musrenbang_edit_admin_keeps_a_regency_forum(admin_client_, world):
    forum = f.MusrenbangForumFactory(level=Level.KABKOTA, village=None, regency=world.regency_a)

    admin_client_.post(
        reverse("aspirations:musrenbang_edit", args=[forum.pk]),
        _edit_data(forum, fiscal_year="2027"),
    )

    forum.refresh_from_db()
    assert (forum.level, forum.regency, forum.fiscal_year) == (
        Level.KABKOTA,
        world.regency_a,
        2027,
    )


@pytest.mark.parametrize(
    "next_value", ["aspirations:musrenbang_list", "musrenbang", "//evil.example/", "/\\evil"]
)
def test_musrenbang_create_next_outside_the_site_paths_ignored(officer, next_value):
    response = officer.post(
        reverse("aspirations:musrenbang_create"), _forum_data(level="desa", next=next_value)
    )

    forum = MusrenbangForum.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("aspirations:musrenbang_detail", args=[forum.pk])


def test_musrenbang_create_next_path_of_the_site_followed(officer):
    response = officer.post(
        reverse("aspirations:musrenbang_create"), _forum_data(level="desa", next="/aspirations/")
    )

    forum = MusrenbangForum.objects.get()
    assert response["Location"] == f"/aspirations/?forum={forum.pk}"
