"""Group pages: list, found, profile, edit, decree scan."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from groups.models import ConstituentGroup
from members.services import officer_term_start
from tests import factories as f
from tests.helpers import csv_rows, same_queries_with_more_rows

pytestmark = pytest.mark.usefixtures("english")


def _group_data(village, **changes):
    data = {
        "village": village.pk,
        "name": "KK Kenanga",
        "cohort_year": "2015",
        "founded_on": "2015-03-01",
        "decree_number": "141/07/DS/2015",
        "decree_date": "2015-03-10",
        "status": "active",
        "status_since": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_admin_view_on_site_of_a_group_opens_its_page(admin_client_, world):
    response = admin_client_.get(
        reverse("admin:view_on_site", args=[_content_type_id(), world.group_a1.pk]),
        follow=True,
    )

    assert response.status_code == 200
    assert response.context["group"] == world.group_a1


def _content_type_id():
    return ContentType.objects.get_for_model(ConstituentGroup).pk


def test_facilitator_founds_a_group_once_on_double_tap(facilitator, world):
    data = _group_data(world.village_a2, name="  KK   Kenanga ")

    facilitator.post(reverse("groups:create"), data)
    response = facilitator.post(reverse("groups:create"), data)

    group = ConstituentGroup.objects.get(name="KK Kenanga")
    assert response["Location"] == group.get_absolute_url()


def test_facilitator_cannot_found_a_group_in_another_regency(facilitator, world):
    response = facilitator.post(reverse("groups:create"), _group_data(world.village_b1))

    assert response.status_code == 404
    assert not ConstituentGroup.objects.filter(name="KK Kenanga").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"status_since": "2014-01-01"}, "status_since"),
        ({"founded_on": "2099-01-01"}, "founded_on"),
        ({"name": "kk mawar", "village": None}, "name"),
    ],
)
def test_bad_group_input_gets_a_field_message(facilitator, world, changes, field):
    village = world.village_a1 if changes.get("village", 1) is None else world.village_a2
    changes = {k: v for k, v in changes.items() if k != "village"}

    response = facilitator.post(reverse("groups:create"), _group_data(village, **changes))

    assert list(response.context["form"].errors) == [field]


def test_a_group_name_taken_in_the_village_links_to_that_group(facilitator, world):
    response = facilitator.post(
        reverse("groups:create"), _group_data(world.village_a1, name="kk mawar")
    )

    assert response.context["form"].errors["name"] == [
        f'This village already has a group of this name. <a href="/groups/{world.group_a1.pk}/">'
        "KK Mawar</a>"
    ]
    assert not ConstituentGroup.objects.filter(name="kk mawar").exists()


def test_officer_edits_her_profile_but_not_its_village(officer, world):
    response = officer.get(reverse("groups:edit", args=[world.group_a1.pk]))

    assert "village" not in response.context["form"].fields
    officer.post(
        reverse("groups:edit", args=[world.group_a1.pk]),
        {
            "name": "KK Mawar",
            "founded_on": "2014-06-01",
            "decree_number": "141/2/DS/2014",
            "status": "inactive",
            "status_since": "2025-01-02",
            "village": world.village_b1.pk,
        },
    )
    world.group_a1.refresh_from_db()
    assert (world.group_a1.status, world.group_a1.village) == ("inactive", world.village_a1)


def test_decree_scan_must_really_be_a_pdf_or_image(officer, world):
    fake = SimpleUploadedFile("sk.pdf", b"MZ not a pdf", content_type="application/pdf")

    response = officer.post(
        reverse("groups:edit", args=[world.group_a1.pk]),
        {"name": "KK Mawar", "status": "active", "decree_scan": fake},
    )

    assert response.context["form"].errors == {
        "decree_scan": ["The scan must be a PDF, JPEG or PNG file."]
    }


def test_profile_shows_officers_and_counts_and_programme_sees_no_names(officer, programme, world):
    chair = f.MemberFactory(group=world.group_a1, full_name="Wa Ode Sitti", sex="F", is_poor=True)
    old = f.MemberFactory(group=world.group_a1, full_name="Hj. Rahmah", sex="F")
    f.MemberFactory(group=world.group_a1, sex="M", has_disability=True)
    officer_term_start(
        world.group_a1, member=old, position="chair", started_on=datetime.date(2015, 1, 1)
    )
    officer_term_start(
        world.group_a1, member=chair, position="chair", started_on=datetime.date(2022, 1, 1)
    )

    mine = officer.get(world.group_a1.get_absolute_url())
    theirs = programme.get(world.group_a1.get_absolute_url())

    assert [str(t) for t in mine.context["current_terms"]] == ["chair (ketua): Wa Ode Sitti"]
    assert [(str(t.member), t.ended_on) for t in mine.context["past_terms"]] == [
        ("Hj. Rahmah", datetime.date(2021, 12, 31))
    ]
    assert mine.context["counts"] == {
        "total": 3,
        "women": 2,
        "men": 1,
        "poor": 1,
        "poor_women": 1,
        "disability": 1,
    }
    assert "Wa Ode Sitti" not in theirs.text
    assert theirs.context["counts"]["total"] == 3


def test_group_export_counts_members(programme, world):
    f.MemberFactory.create_batch(2, group=world.group_a1, sex="F")

    rows = csv_rows(programme.get(reverse("groups:export"), {"format": "csv", "q": "Mawar"}))

    assert rows[1][0] == "KK Mawar"
    assert rows[1][-2:] == ["2", "2"]


def test_group_list_same_query_count_with_more_rows(programme, world, django_assert_num_queries):
    def more():
        for _ in range(25):
            f.MemberFactory(group=f.ConstituentGroupFactory(village=f.VillageFactory()))

    same_queries_with_more_rows(programme, reverse("groups:list"), more, django_assert_num_queries)
