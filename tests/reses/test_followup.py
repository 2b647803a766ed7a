"""After the meeting: attendance and the representative's responses on the timeline."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from aspirations.models import AspirationEvent, EventKind
from aspirations.stages import Stage
from reses.models import AgendaItem, ResesMeeting
from tests import factories as f

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@pytest.fixture
def meeting(world):
    # 23:30 WITA on 9 March is 10 March in no zone of ours but WIT; the event date must be
    # the meeting's own local day (WITA here).
    return f.ResesMeetingFactory(
        representative=world.representative,
        village=world.village_a1,
        starts_at=datetime.datetime(2025, 3, 9, 23, 30, tzinfo=WITA),
    )


@pytest.fixture
def items(world, meeting):
    """Four accepted items, one per kind of response."""
    titles = ["Pokir", "Diteruskan", "Dijawab", "Tidak"]
    return [
        f.AgendaItemFactory(
            meeting=meeting,
            aspiration=f.AspirationFactory(
                group=world.group_a1, title=title, raised_on=datetime.date(2025, 1, 5)
            ),
            order=n,
        )
        for n, title in enumerate(titles, start=1)
    ]


def _post_data(items, responses, **attendance):
    data = {
        "attendance_female": "25",
        "attendance_male": "12",
        "attendance_poor": "10",
        "attendance_disability": "2",
    }
    data.update(attendance)
    for item, response in zip(items, responses, strict=True):
        data[f"item-{item.pk}-response"] = response
        data[f"item-{item.pk}-note"] = f"Catatan {item.aspiration.title}"
    return data


def test_followup_records_attendance_and_responses(dprd, meeting, items):
    responses = ["pokir", "forwarded", "answered", "not_taken_up"]

    response = dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]), _post_data(items, responses)
    )

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (
        meeting.attendance_female,
        meeting.attendance_male,
        meeting.attendance_poor,
        meeting.attendance_disability,
    ) == (25, 12, 10, 2)
    stages = [item.aspiration.__class__.objects.get(pk=item.aspiration_id).stage for item in items]
    assert stages == [Stage.POKIR, Stage.CONVEYED, Stage.RECORDED, Stage.RECORDED]
    events = AspirationEvent.objects.filter(reses_meeting=meeting).order_by("aspiration__title")
    assert [(e.aspiration.title, e.kind, e.to_stage, e.occurred_on) for e in events] == [
        ("Dijawab", EventKind.RESPONSE, Stage.RECORDED, datetime.date(2025, 3, 9)),
        ("Diteruskan", EventKind.MOVE, Stage.CONVEYED, datetime.date(2025, 3, 9)),
        ("Pokir", EventKind.MOVE, Stage.POKIR, datetime.date(2025, 3, 9)),
        ("Tidak", EventKind.RESPONSE, Stage.RECORDED, datetime.date(2025, 3, 9)),
    ]
    assert [i.response for i in AgendaItem.objects.order_by("order")] == responses
    assert events.get(aspiration__title="Pokir").note == "Catatan Pokir"


def test_followup_forwarded_does_not_move_back(dprd, meeting, items):
    aspiration = items[1].aspiration
    aspiration.stage = Stage.MUSRENBANG_DESA
    aspiration.furthest_rank = 3
    aspiration.save()

    dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        _post_data(items[1:2], ["forwarded"]),
    )

    aspiration.refresh_from_db()
    assert aspiration.stage == Stage.MUSRENBANG_DESA
    assert AspirationEvent.objects.get(reses_meeting=meeting).kind == EventKind.RESPONSE


def test_followup_blank_response_writes_nothing(dprd, meeting, items):
    dprd.post(reverse("reses:meeting_followup", args=[meeting.pk]), _post_data(items, [""] * 4))

    assert not AspirationEvent.objects.filter(reses_meeting=meeting).exists()
    assert ResesMeeting.objects.get().attendance_female == 25


def test_followup_recorded_response_shown_not_repeated(dprd, meeting, items):
    url = reverse("reses:meeting_followup", args=[meeting.pk])
    dprd.post(url, _post_data(items[:1], ["answered"]))

    page = dprd.get(url)
    dprd.post(url, _post_data(items[:1], ["pokir"]))

    assert [form.item for form in page.context["forms"]] == items[1:]
    assert "dijawab langsung di tempat" in page.text
    assert AspirationEvent.objects.filter(reses_meeting=meeting).count() == 1


def test_followup_refuses_poor_more_than_attendees(dprd, meeting, items):
    response = dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        _post_data(items, ["pokir", "", "", ""], attendance_poor="40"),
    )

    assert response.status_code == 400
    assert response.context["attendance"].errors["attendance_poor"] == [
        "Jumlah warga miskin yang hadir (40) lebih banyak dari jumlah perempuan dan laki-laki (37)."
    ]
    assert ResesMeeting.objects.get().attendance_female is None
    assert not AspirationEvent.objects.filter(reses_meeting=meeting).exists()


def test_followup_response_refused_by_pipeline_saves_nothing(dprd, meeting, items):
    moved_later = items[1].aspiration
    moved_later.stage = Stage.CONVEYED
    moved_later.stage_changed_on = datetime.date(2025, 4, 1)  # after the meeting
    moved_later.save()

    response = dprd.post(
        reverse("reses:meeting_followup", args=[meeting.pk]),
        _post_data(items[:2], ["pokir", "pokir"]),
    )

    assert response.status_code == 400
    assert response.context["forms"][1].errors["response"]
    assert not AspirationEvent.objects.filter(reses_meeting=meeting).exists()
    assert ResesMeeting.objects.get().attendance_female is None
    assert not AgendaItem.objects.exclude(response="").exists()


def test_followup_before_meeting_refused(dprd, meeting, items):
    meeting.starts_at = timezone.now() + datetime.timedelta(days=3)
    meeting.save()

    response = dprd.get(reverse("reses:meeting_followup", args=[meeting.pk]), follow=True)

    assert "Tindak lanjut bisa dicatat setelah pertemuan berlangsung." in response.text


def test_followup_page_offers_the_responses_to_the_facilitator(facilitator, meeting, items):
    response = facilitator.get(reverse("reses:meeting_followup", args=[meeting.pk]))

    assert "Diteruskan" in response.text


def test_detail_shows_attendance_and_responses(officer, meeting, items):
    meeting.attendance_female, meeting.attendance_male = 25, 12
    meeting.attendance_poor, meeting.attendance_disability = 10, 2
    meeting.save()
    AgendaItem.objects.filter(pk=items[0].pk).update(response="pokir", response_note="Masuk")

    response = officer.get(meeting.get_absolute_url())

    assert "dimasukkan ke Pokir – Masuk" in response.text
    assert response.context["meeting"].attendance_total == 37


def test_followup_attendance_beyond_the_database_integer_refused(dprd, meeting, items):
    url = reverse("reses:meeting_followup", args=[meeting.pk])

    response = dprd.post(url, _post_data(items, [""] * 4, attendance_female="2147483648"))

    assert response.status_code == 400
    assert ResesMeeting.objects.get().attendance_female is None
    assert response.context["attendance"].errors["attendance_female"] == [
        "Pastikan nilai ini lebih kecil dari atau sama dengan 2147483647."
    ]
    assert 'max="2147483647"' in dprd.get(url).text
