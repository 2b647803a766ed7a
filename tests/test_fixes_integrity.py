"""Data-integrity fixes found by a new-user tester: dates kept in the meeting's and the
group's own zone, dates that cannot come before or after the history they belong to, repeated
submissions, filters that behave alike, and duplicate members."""

import datetime
import uuid
import zoneinfo

import pytest
from django.urls import reverse

from dashboards import figures as dashboards
from reses.models import ResesMeeting
from tests import factories as f

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")


@pytest.fixture
def ambon(world):
    """The world's WIT regency (Kota Beta, Maluku) with a district and its representative;
    its village's meetings are shown in WIT, like Kota Ambon's."""
    district = f.ElectoralDistrictFactory(regency=world.regency_b, name="BETA 1", seats=9)
    f.DistrictVillageFactory(district=district, village=world.village_b1)
    representative = f.RepresentativeFactory(district=district, full_name="Ny. Beta Satu")
    return world.village_b1, representative


# --- 1. reses dates are the meeting's own local days (handed case K17) --------------------


@pytest.fixture
def ambon_meetings(ambon, world):
    village, representative = ambon
    for label, moment in [
        ("31 Mei pagi", datetime.datetime(2027, 5, 31, 8, 0, tzinfo=WIT)),
        ("31 Mei malam", datetime.datetime(2027, 5, 31, 23, 30, tzinfo=WIT)),
        ("1 Juni dini hari", datetime.datetime(2027, 6, 1, 0, 30, tzinfo=WIT)),
        ("1 Mei dini hari", datetime.datetime(2027, 5, 1, 0, 30, tzinfo=WIT)),
    ]:
        f.ResesMeetingFactory(
            representative=representative, village=village, reses_period=label, starts_at=moment
        )
    # A WITA meeting at 23:30 local on the last day: still in May on its own clock.
    f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="31 Mei WITA",
        starts_at=datetime.datetime(2027, 5, 31, 23, 30, tzinfo=WITA),
    )


MAY_2027 = {"31 Mei pagi", "31 Mei malam", "1 Mei dini hari", "31 Mei WITA"}


def test_reses_list_date_filter_uses_meetings_own_zone(programme, ambon_meetings):
    response = programme.get(
        reverse("reses:meeting_list"), {"date_from": "2027-05-01", "date_to": "2027-05-31"}
    )

    assert {m.reses_period for m in response.context["page_obj"]} == MAY_2027
    assert "1 Juni dini hari" not in response.text


def test_dashboard_reses_count_uses_meetings_own_zone(programme, ambon_meetings):
    filters = dashboards.Filters(start=datetime.date(2027, 5, 1), end=datetime.date(2027, 5, 31))

    figures = dashboards.reses_attendance(programme.user, filters)

    assert figures["meetings"] == len(MAY_2027)


# --- 6. a reses meeting lies within the representative's term -----------------------------


def _meeting_data(village, **extra):
    data = {
        "reses_period": "Reses I 2025",
        "village": village.pk,
        "date": "17/08/2025",
        "starts_at": "09:00",
        "ends_at": "11:30",
        "venue": "Balai kelurahan",
        "organising_group": "",
        "expected_attendance": "40",
        "notes": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


@pytest.mark.parametrize("day", ["01/01/1999", "01/01/2030", "31/12/2023"])
def test_meeting_create_refuses_date_outside_term(dprd, world, day):
    response = dprd.post(reverse("reses:meeting_create"), _meeting_data(world.village_a1, date=day))

    assert not ResesMeeting.objects.exists()
    # The message names the term; its Indonesian wording comes with the catalogue.
    assert "2024–2029" in response.context["form"].errors["starts_at"][0]


@pytest.mark.parametrize("day", ["01/01/2024", "31/12/2029"])
def test_meeting_create_accepts_first_and_last_year_of_term(dprd, world, day):
    response = dprd.post(reverse("reses:meeting_create"), _meeting_data(world.village_a1, date=day))

    assert response.status_code == 302
    assert ResesMeeting.objects.count() == 1


# --- 2 and 3. the date raised: not in the future, not before 2014, not after the first move


def _resubmit(response, **changes):
    """The form's values as the browser would send them back, with ``changes``."""
    from django import forms

    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        if isinstance(field.widget, forms.DateInput):
            value = field.widget.format_value(value)
        data[name] = "" if value is None else value
    data.update(changes)
    return data


@pytest.fixture
def recorded(world, officer):
    from aspirations import services

    aspiration, _ = services.aspiration_create(
        group=world.group_a1,
        actor=officer.user,
        village=world.village_a1,
        title="Air bersih Dusun Satu",
        description="Sumur kering.",
        topic=f.TopicFactory(),
        channel="face_to_face",
        raised_on=datetime.date(2021, 4, 17),
    )
    return aspiration


def _group_today():
    from django.utils import timezone

    return timezone.localdate(timezone=WITA)


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
    data = _resubmit(
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

    response = officer.post(url, _resubmit(officer.get(url), raised_on=tomorrow.isoformat()))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 4, 17)
    assert response.context["form"].errors["raised_on"]


def test_aspiration_edit_refuses_raised_on_after_first_move(officer, recorded):
    from aspirations import services

    services.aspiration_move(
        recorded, to="conveyed", actor=officer.user, occurred_on=datetime.date(2021, 5, 28)
    )
    url = reverse("aspirations:edit", args=[recorded.pk])

    response = officer.post(url, _resubmit(officer.get(url), raised_on="2026-11-01"))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 4, 17)
    assert "28 Mei 2021" in response.context["form"].errors["raised_on"][0] or (
        "28 May 2021" in response.context["form"].errors["raised_on"][0]
    )


def test_aspiration_edit_raised_on_moves_created_event_and_stage_date(officer, recorded):
    from aspirations.models import EventKind

    url = reverse("aspirations:edit", args=[recorded.pk])

    response = officer.post(url, _resubmit(officer.get(url), raised_on="2021-03-02"))

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

    officer.post(url, _resubmit(officer.get(url), raised_on="2021-05-01"))

    recorded.refresh_from_db()
    assert recorded.raised_on == datetime.date(2021, 5, 1)
    assert recorded.stage_changed_on == datetime.date(2021, 5, 28)


# --- 4. nothing happens to an aspiration before it was raised -----------------------------


def test_record_response_refuses_date_before_raised_on(officer, recorded):
    from django.core.exceptions import ValidationError

    from aspirations import services

    for response in ("pokir", "answered"):
        with pytest.raises(ValidationError) as refused:
            services.aspiration_record_response(
                recorded,
                response=response,
                actor=officer.user,
                occurred_on=datetime.date(2021, 4, 16),
            )
        assert "occurred_on" in refused.value.message_dict
    assert list(recorded.events.values_list("kind", flat=True)) == ["created"]


@pytest.fixture
def july_meeting(world):
    return f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        reses_period="Reses II 2026",
        starts_at=datetime.datetime(2026, 7, 22, 9, 0, tzinfo=WITA),
    )


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


# --- 8. invalid filters: a message and an empty list, on every list -----------------------


@pytest.mark.parametrize(
    "query",
    [
        {"representative": "99999"},
        {"regency": "abc"},
        {"date_from": "abc"},
        {"date_from": "2025-03-31", "date_to": "2025-03-01"},
    ],
)
def test_reses_list_invalid_filter_shows_message_and_no_rows(programme, world, query):
    f.ResesMeetingFactory(
        representative=world.representative, village=world.village_a1, reses_period="Ada"
    )

    response = programme.get(reverse("reses:meeting_list"), query)

    assert list(response.context["page_obj"]) == []
    form = response.context["filter"].form
    assert form.errors
    for messages in form.errors.values():
        assert messages[0] in response.text


def test_reses_list_reversed_range_error_beside_end(programme, world):
    response = programme.get(
        reverse("reses:meeting_list"), {"date_from": "2025-03-31", "date_to": "2025-03-01"}
    )

    assert list(response.context["filter"].form.errors) == ["date_to"]


def test_reses_list_without_filters_lists_meetings(programme, world):
    f.ResesMeetingFactory(
        representative=world.representative, village=world.village_a1, reses_period="Ada"
    )

    response = programme.get(reverse("reses:meeting_list"))

    assert [m.reses_period for m in response.context["page_obj"]] == ["Ada"]
    assert not response.context["filter"].form.errors


def test_aspiration_list_reversed_range_error_beside_end(officer, world):
    f.AspirationFactory(group=world.group_a1, raised_on=datetime.date(2024, 8, 17))

    response = officer.get(
        reverse("aspirations:list"), {"raised_from": "2024-08-31", "raised_to": "2024-08-01"}
    )

    errors = response.context["filter"].form.errors
    assert list(errors) == ["raised_to"]
    assert errors["raised_to"][0] in response.text
    assert list(response.context["page_obj"]) == []


# --- 9. administrators manage officer accounts of every group ----------------------------


def test_officer_accounts_admin_sees_every_regency(admin_client_, world):
    from kk_portal.scoping import Role

    f.UserFactory(username="ketua-mawar", role=Role.OFFICER, group=world.group_a1)
    f.UserFactory(username="ketua-anggrek", role=Role.OFFICER, group=world.group_b1)

    response = admin_client_.get(reverse("officers:list"))

    assert response.status_code == 200
    assert "ketua-mawar" in response.text and "ketua-anggrek" in response.text
    menu = admin_client_.get(reverse("home")).text
    assert 'href="/accounts/officers/"' in menu


def test_officer_accounts_admin_creates_and_deactivates_in_any_group(admin_client_, world):
    from kk_portal.models import User
    from kk_portal.scoping import Role

    response = admin_client_.post(
        reverse("officers:create"),
        {
            "username": "ketua-anggrek",
            "first_name": "Yosina",
            "group": world.group_b1.pk,
            "password1": "Kelompok-Anggrek-2024",
            "password2": "Kelompok-Anggrek-2024",
        },
    )
    officer = User.objects.get(username="ketua-anggrek")
    admin_client_.post(reverse("officers:active", args=[officer.pk]), {"active": "0"})

    officer.refresh_from_db()
    assert response.status_code == 302
    assert (officer.role, officer.group, officer.is_active) == (Role.OFFICER, world.group_b1, False)


# --- 5. a repeated Musrenbang forum submission makes one forum ---------------------------


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


# --- 10. a returning member registered again (handed case K13) ----------------------------


def _member_data(**overrides):
    data = {
        "submission_token": str(uuid.uuid4()),
        "full_name": "Ma’ruf Letsoin",
        "sex": "M",
        "birth_year": "1975",
        "nik": "",
        "phone": "",
        "address": "",
        "position": "member",
        "poverty_evidence": "",
        "joined_on": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_member_create_same_folded_name_and_birth_year_asks_confirmation(officer, world):
    from members.models import Member

    officer.post(reverse("members:create"), _member_data())
    again = _member_data(full_name="maruf letsoin")

    warned = officer.post(reverse("members:create"), again)

    assert Member.objects.count() == 1
    errors = warned.context["form"].errors["different_person"]
    assert "Ma'ruf Letsoin" in errors[0]
    assert 'name="different_person"' in warned.text

    confirmed = officer.post(reverse("members:create"), {**again, "different_person": "on"})

    assert confirmed.status_code == 302
    assert Member.objects.count() == 2


@pytest.mark.parametrize(
    "other",
    [{"full_name": "Maruf Letsoin Dua"}, {"birth_year": "1976"}],
)
def test_member_create_without_probable_duplicate_saves_at_once(officer, world, other):
    from members.models import Member

    officer.post(reverse("members:create"), _member_data())

    response = officer.post(reverse("members:create"), _member_data(**other))

    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_member_create_same_name_in_another_group_saves_at_once(officer, officer_b, world):
    from members.models import Member

    officer.post(reverse("members:create"), _member_data())

    response = officer_b.post(reverse("members:create"), _member_data(full_name="maruf letsoin"))

    assert response.status_code == 302
    assert Member.objects.count() == 2


def test_member_create_form_has_no_confirmation_box_at_first(officer):
    assert 'name="different_person"' not in officer.get(reverse("members:create")).text


def test_probable_duplicates_folds_name_and_matches_year(world):
    from members.models import Member

    member = f.MemberFactory(group=world.group_a1, full_name="Ma’ruf Letsoin", birth_year=1975)

    found = Member.objects.probable_duplicates(world.group_a1, "MARUF  letsoin", 1975)

    assert list(found) == [member]
    assert not Member.objects.probable_duplicates(world.group_a1, "Maruf Letsoin", 1974).exists()
    assert not Member.objects.probable_duplicates(world.group_a2, "Maruf Letsoin", 1975).exists()
