"""A member's personal data under UU PDP 27/2022: her copy (page, JSON, PDF), correction,
erasure by anonymisation, consent with its purpose, and the retention rule."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from assistance.models import Kind, Need
from audit.models import AccessLog, Action
from members.models import DEFAULT_CONSENT_PURPOSE, Member
from members.services import members_anonymise_departed
from tests import factories as f


@pytest.fixture
def member(world):
    """Maria Bere of group A1, chair since 2020, at one activity and one reses meeting,
    helped in two cases: one
    open to the group, one confidential handled by another officer."""
    maria = f.MemberFactory(
        group=world.group_a1,
        full_name="Maria Bere",
        nik="9471024506880007",
        phone="+6281234567890",
        address="RT 003 / RW 001",
        birth_date=datetime.date(1980, 5, 6),
        is_poor=True,
        poverty_evidence=Member.PovertyEvidence.PKH,
        consent_given_on=datetime.date(2024, 1, 10),
    )
    f.OfficerTermFactory(member=maria, started_on=datetime.date(2020, 1, 1))
    f.AttendanceFactory(
        activity=f.ActivityFactory(group=world.group_a1, place="Balai Desa Alfa"),
        member=maria,
        full_name="",
    )
    f.ResesAttendanceFactory(
        meeting=f.ResesMeetingFactory(
            representative=world.representative, village=world.village_a1
        ),
        member=maria,
        full_name="",
    )
    f.AssistanceCaseFactory(group=world.group_a1, member=maria, person_name="")
    handler = f.UserFactory(username="penangan", role="officer", group=world.group_a1)
    f.AssistanceCaseFactory(
        group=world.group_a1,
        member=maria,
        person_name="",
        kind=Kind.VIOLENCE,
        need=Need.VIOLENCE_WOMAN,
        confidential=True,
        handlers=[handler],
    )
    return maria


def _pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_data_json_holds_the_member_row_as_stored(officer, member):
    response = officer.get(reverse("members:data_json", args=[member.pk]))

    data = json.loads(response.content)
    stored = Member.objects.get(pk=member.pk)
    row = data["member"]
    assert response["Content-Type"] == "application/json"
    assert row["id"] == stored.pk
    assert row["full_name"] == stored.full_name == "Maria Bere"
    assert row["nik"] == stored.nik
    assert row["phone"] == stored.phone
    assert row["address"] == stored.address
    assert row["birth_date"] == stored.birth_date.isoformat() == "1980-05-06"
    assert row["poverty_evidence"] == "pkh"
    assert row["consent_given_on"] == "2024-01-10"
    assert row["consent_purpose"] == stored.consent_purpose == DEFAULT_CONSENT_PURPOSE
    assert row["group"] == stored.group_id
    assert row["group_name"] == "KK Mawar"
    assert "name_folded" not in row
    assert "submission_token" not in row


def test_data_json_holds_terms_attendance_cases_and_history_dates(officer, member):
    data = json.loads(officer.get(reverse("members:data_json", args=[member.pk])).content)

    assert [(t["position"], t["started_on"]) for t in data["officer_terms"]] == [
        ("chair", "2020-01-01")
    ]
    attendance = member.attendance.get()
    assert [(a["activity"], a["held_on"], a["place"]) for a in data["activity_attendance"]] == [
        (attendance.activity_id, "2025-03-08", "Balai Desa Alfa")
    ]
    meeting = member.reses_attendance.get().meeting
    assert data["reses_attendance"] == [
        {
            "meeting": meeting.pk,
            "title": str(meeting),
            "starts_at": "2025-03-10T01:00:00+00:00",
            "venue": "Balai desa",
            "representative": "Hj. Andi Rahmawati",
        }
    ]
    # The confidential case is handled by another officer: not in this officer's copy.
    open_case = member.assistance_cases.get(confidential=False)
    assert [c["id"] for c in data["assistance_cases"]] == [open_case.pk]
    history = list(member.history.order_by("history_date"))
    assert [h["date"] for h in data["edit_history"]] == [
        h.history_date.isoformat() for h in history
    ]
    assert "old" not in json.dumps(data["edit_history"])


def test_facilitator_copy_holds_the_confidential_case_too(facilitator, member):
    data = json.loads(facilitator.get(reverse("members:data_json", args=[member.pk])).content)

    assert sorted(c["confidential"] for c in data["assistance_cases"]) == [False, True]


@pytest.mark.parametrize(("name", "file_format"), [("data_json", "json"), ("data_pdf", "pdf")])
def test_each_download_is_written_to_the_access_log(officer, member, name, file_format):
    officer.get(reverse(f"members:{name}", args=[member.pk]))

    entry = AccessLog.objects.data_access().get()
    assert (entry.action, entry.object_id, entry.username) == (
        Action.MEMBER_DATA,
        member.pk,
        "pengurus-a1",
    )
    assert entry.filters == f"format={file_format}"
    assert entry.group_id == member.group_id


def test_data_page_alone_writes_nothing_to_the_log(officer, member):
    officer.get(reverse("members:data", args=[member.pk]))

    assert AccessLog.objects.data_access().count() == 0


def test_data_pdf_says_what_is_held_why_since_when_and_who_sees_it(officer, member):
    officer.cookies["django_language"] = "en"

    response = officer.get(reverse("members:data_pdf", args=[member.pk]))

    text = _pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Data pribadi anggota" in text  # Indonesian whatever the page language
    assert "Maria Bere" in text
    assert "9471024506880007" in text
    assert "+6281234567890" in text
    assert DEFAULT_CONSENT_PURPOSE in text
    assert "diberikan pada 10 Januari 2024" in text
    assert "Pengurus kelompoknya: membaca dan memperbaiki." in text
    assert "730 hari setelah keluar" in text
    assert "Balai Desa Alfa" in text


def test_data_page_links_correction_and_downloads(officer, member):
    page = officer.get(reverse("members:data", args=[member.pk])).text

    assert reverse("members:edit", args=[member.pk]) in page
    assert "Perbaiki data" in page
    assert reverse("members:data_json", args=[member.pk]) in page
    assert reverse("members:data_pdf", args=[member.pk]) in page
    assert "Maria Bere" in page


def test_member_page_links_the_data_page(officer, member):
    page = officer.get(reverse("members:detail", args=[member.pk])).text

    assert reverse("members:data", args=[member.pk]) in page


def test_anonymise_removes_name_nik_phone_and_logs_the_reason(officer, member):
    response = officer.post(
        reverse("members:anonymise", args=[member.pk]),
        {"reason": "Anggota meminta datanya dihapus", "confirm": "on"},
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.full_name, member.nik, member.phone, member.address) == ("", None, "", "")
    assert member.is_anonymised
    entry = AccessLog.objects.get(action=Action.MEMBER_ANONYMISE)
    assert (entry.object_id, entry.username, entry.reason) == (
        member.pk,
        "pengurus-a1",
        "Anggota meminta datanya dihapus",
    )
    stored = Member.objects.filter(pk=member.pk).values()[0]
    assert "Anggota meminta" not in json.dumps(stored, default=str)


def test_anonymise_without_reason_or_confirmation_changes_nothing(officer, member):
    response = officer.post(reverse("members:anonymise", args=[member.pk]), {"reason": " "})

    member.refresh_from_db()
    assert member.full_name == "Maria Bere"
    assert "Tulis alasan data anggota dihapus." in response.text
    assert AccessLog.objects.filter(action=Action.MEMBER_ANONYMISE).count() == 0


def test_anonymise_twice_is_refused_with_a_message(officer, member):
    url = reverse("members:anonymise", args=[member.pk])
    officer.post(url, {"reason": "Persetujuan ditarik", "confirm": "on"})

    response = officer.post(url, {"reason": "Lagi", "confirm": "on"}, follow=True)

    assert "Data pribadi anggota ini sudah dihapus." in response.text
    assert AccessLog.objects.filter(action=Action.MEMBER_ANONYMISE).count() == 1


def test_anonymise_by_another_group_is_refused(officer_b, member):
    response = officer_b.post(
        reverse("members:anonymise", args=[member.pk]), {"reason": "x", "confirm": "on"}
    )

    member.refresh_from_db()
    assert response.status_code == 404
    assert member.full_name == "Maria Bere"


def _form_data(member, **changes):
    data = {
        "full_name": member.full_name,
        "sex": member.sex,
        "birth_year": member.birth_year or "",
        "nik": member.nik or "",
        "phone": member.phone,
        "address": member.address,
        "position": member.position,
        "poverty_evidence": member.poverty_evidence,
        "joined_on": member.joined_on.isoformat() if member.joined_on else "",
        "left_on": "",
        "consent_purpose": member.consent_purpose,
    }
    if member.is_poor:
        data["is_poor"] = "on"
    data.update(changes)
    return data


def test_consent_purpose_is_on_the_form_and_the_member_page(officer, member):
    form_page = officer.get(reverse("members:edit", args=[member.pk])).text
    assert "Tujuan persetujuan" in form_page
    assert DEFAULT_CONSENT_PURPOSE in form_page

    officer.post(
        reverse("members:edit", args=[member.pk]),
        _form_data(member, consent_purpose="Keanggotaan dan undangan kegiatan"),
    )

    member.refresh_from_db()
    page = officer.get(reverse("members:detail", args=[member.pk])).text
    assert member.consent_purpose == "Keanggotaan dan undangan kegiatan"
    assert "Keanggotaan dan undangan kegiatan" in page
    assert "diberikan pada 10 Januari 2024" in page


def test_an_empty_purpose_keeps_the_default(officer, member):
    officer.post(reverse("members:edit", args=[member.pk]), _form_data(member, consent_purpose=""))

    member.refresh_from_db()
    assert member.consent_purpose == DEFAULT_CONSENT_PURPOSE


def test_member_without_consent_shows_it_clearly(officer, world):
    member = f.MemberFactory(group=world.group_a1, consent_given_on=None)

    page = officer.get(reverse("members:detail", args=[member.pk])).text

    assert "Belum ada persetujuan yang tercatat" in page


def _left(world, days_ago, name):
    today = timezone.localdate()
    return f.MemberFactory(
        group=world.group_a1,
        full_name=name,
        nik=None,
        phone="+6281200000000",
        joined_on=datetime.date(2000, 1, 1),
        left_on=today - datetime.timedelta(days=days_ago),
    )


def test_retention_command_anonymises_those_left_more_than_730_days_ago(world, settings):
    settings.MEMBER_RETENTION_DAYS = 730
    long_gone = _left(world, 731, "Lama Pergi")
    recent = _left(world, 729, "Baru Pergi")
    still_here = f.MemberFactory(group=world.group_a1, full_name="Masih Ada")
    out = io.StringIO()

    call_command("anonymise_departed", stdout=out)

    for member in (long_gone, recent, still_here):
        member.refresh_from_db()
    assert (long_gone.full_name, long_gone.phone) == ("", "")
    assert long_gone.is_anonymised
    assert recent.full_name == "Baru Pergi"
    assert still_here.full_name == "Masih Ada"
    assert "1 member(s) left more than 730 days ago anonymised." in out.getvalue()
    entry = AccessLog.objects.get(action=Action.MEMBER_ANONYMISE)
    assert (entry.object_id, entry.username, entry.user) == (
        long_gone.pk,
        "anonymise_departed",
        None,
    )
    assert "730" in entry.reason


def test_retention_dry_run_counts_and_changes_nothing(world, settings):
    settings.MEMBER_RETENTION_DAYS = 730
    long_gone = _left(world, 731, "Lama Pergi")
    out = io.StringIO()

    call_command("anonymise_departed", "--dry-run", stdout=out)

    long_gone.refresh_from_db()
    assert long_gone.full_name == "Lama Pergi"
    assert "1 member(s) left more than 730 days ago would be anonymised (dry run)." in (
        out.getvalue()
    )
    assert AccessLog.objects.data_access().count() == 0


def test_retention_is_idempotent(world):
    _left(world, 800, "Lama Pergi")
    today = timezone.localdate()

    first = members_anonymise_departed(today, days=730)
    second = members_anonymise_departed(today, days=730)

    assert (first, second) == (1, 0)
    assert AccessLog.objects.filter(action=Action.MEMBER_ANONYMISE).count() == 1


def test_privacy_page_is_public_and_linked_from_sign_in(anonymous):
    sign_in = anonymous.get(reverse("login")).text
    page = anonymous.get(reverse("privacy")).text

    assert reverse("privacy") in sign_in
    assert "Siapa yang melihatnya" in page
    assert "730 hari setelah keluar" in page
    assert "salinan" in page


def test_privacy_page_in_english(anonymous):
    anonymous.cookies["django_language"] = "en"

    page = anonymous.get(reverse("privacy")).text

    assert "Who sees it" in page
    assert "How long" in page


@pytest.mark.parametrize("name", ["data", "data_json", "data_pdf"])
def test_personal_data_is_never_cached(officer, member, name):
    response = officer.get(reverse(f"members:{name}", args=[member.pk]))

    assert "no-store" in response["Cache-Control"]


def test_retention_reads_the_members_in_batches(world, monkeypatch):
    monkeypatch.setattr("members.services.RETENTION_BATCH", 1)
    first, second = _left(world, 900, "Satu Pergi"), _left(world, 1000, "Dua Pergi")

    count = members_anonymise_departed(timezone.localdate(), days=730)

    assert count == 2
    assert list(
        Member.objects.filter(pk__in=[first.pk, second.pk]).values_list("full_name", flat=True)
    ) == ["", ""]
