"""The copy of an assisted person's data when she is not a member (UU PDP 27/2022):
``assistance/personal_data.py`` and the case's JSON and PDF downloads."""

import datetime
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from assistance.models import ConsentBy, Kind, Need, Service, StepKind
from audit.models import AccessLog, Action
from tests import factories as f


@pytest.fixture
def case(world, officer):
    """A confidential case of group A1 for Agustina Lende, not a member, handled by the
    officer persona, with a step and a document."""
    case = f.AssistanceCaseFactory(
        group=world.group_a1,
        kind=Kind.VIOLENCE,
        need=Need.VIOLENCE_WOMAN,
        confidential=True,
        person_name="Agustina Lende",
        person_sex="F",
        person_age_group="18_29",
        person_phone="+6281234567890",
        person_is_poor=True,
        description="Didampingi melapor ke polisi.",
        opened_on=datetime.date(2026, 9, 1),
        consent_given_on=datetime.date(2026, 9, 1),
        consent_by=ConsentBy.PERSON,
        handlers=[officer.user],
    )
    step = f.CaseStepFactory(
        case=case,
        kind=StepKind.ACCOMPANIED,
        occurred_on=datetime.date(2026, 9, 3),
        service=Service.POLICE,
        contact="Bripka Yakobus, 0812-1111-2222",
        note="Laporan diterima.",
    )
    f.CaseDocumentFactory(case=case, step=step, original_name="surat-polisi.pdf")
    return case


def _pdf_text(response):
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_data_json_holds_the_person_the_case_its_steps_and_documents(officer, case):
    response = officer.get(reverse("assistance:data_json", args=[case.pk]))

    data = json.loads(response.content)
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == (
        f'attachment; filename="data-pribadi-kasus-{case.pk}.json"'
    )
    assert data["person"] == {
        "person_name": "Agustina Lende",
        "person_sex": "F",
        "person_sex_label": "perempuan",
        "person_age_group": "18_29",
        "person_age_group_label": "18–29",
        "person_phone": "+6281234567890",
        "person_is_poor": True,
        "person_has_disability": False,
        "person_village": case.person_village_id,
        "person_village_name": "Desa Alfa Satu",
    }
    [held] = data["assistance_cases"]
    assert (held["id"], held["kind"], held["confidential"], held["description"]) == (
        case.pk,
        "violence",
        True,
        "Didampingi melapor ke polisi.",
    )
    assert (held["consent_given_on"], held["consent_by"]) == ("2026-09-01", "person")
    assert [(s["kind"], s["occurred_on"], s["service"], s["note"]) for s in held["steps"]] == [
        ("accompanied", "2026-09-03", "police", "Laporan diterima.")
    ]
    assert "Bripka" not in response.content.decode()
    assert [d["file_name"] for d in held["documents"]] == ["surat-polisi.pdf"]
    assert [h["type"] for h in data["edit_history"]] == ["+"]


def test_data_pdf_says_what_is_held_why_since_when_and_who_sees_it(facilitator, case):
    facilitator.cookies["django_language"] = "en"

    response = facilitator.get(reverse("assistance:data_pdf", args=[case.pk]))

    text = _pdf_text(response)
    assert response["Content-Type"] == "application/pdf"
    assert "Data pribadi orang yang dibantu" in text  # Indonesian whatever the page language
    assert "Agustina Lende" in text
    assert "+6281234567890" in text
    assert "diberikan pada 1 September 2026 oleh orang yang dibantu" in text
    assert "hanya pengurus yang menanganinya dan fasilitator kabupaten/kota" in text
    assert "Laporan diterima." in text
    assert "surat-polisi.pdf" in text
    assert "Bripka" not in text


@pytest.mark.parametrize(("name", "file_format"), [("data_json", "json"), ("data_pdf", "pdf")])
def test_each_copy_is_written_to_the_access_log(officer, case, name, file_format):
    officer.get(reverse(f"assistance:{name}", args=[case.pk]))

    entry = AccessLog.objects.data_access().get()
    assert (entry.action, entry.object_id, entry.username, entry.filters) == (
        Action.CASE_DATA,
        case.pk,
        "pengurus-a1",
        f"format={file_format}",
    )


def test_a_members_case_and_an_anonymous_case_have_no_such_copy(officer, world):
    member_case = f.AssistanceCaseFactory(
        group=world.group_a1, member=f.MemberFactory(group=world.group_a1), person_name=""
    )
    anonymous = f.AssistanceCaseFactory(
        group=world.group_a1,
        person_name="",
        consent_given_on=None,
        anonymised_at=datetime.datetime(2026, 9, 2, tzinfo=datetime.UTC),
    )

    answers = [
        officer.get(reverse(f"assistance:{name}", args=[row.pk])).status_code
        for row in (member_case, anonymous)
        for name in ("data_json", "data_pdf")
    ]

    assert answers == [404, 404, 404, 404]
    assert AccessLog.objects.data_access().count() == 0


def test_case_page_links_the_copy_for_a_person_who_is_not_a_member(officer, case, world):
    member_case = f.AssistanceCaseFactory(
        group=world.group_a1, member=f.MemberFactory(group=world.group_a1), person_name=""
    )

    page = officer.get(reverse("assistance:detail", args=[case.pk])).text
    member_page = officer.get(reverse("assistance:detail", args=[member_case.pk])).text

    assert f'href="{reverse("assistance:data_pdf", args=[case.pk])}"' in page
    assert f'href="{reverse("assistance:data_json", args=[case.pk])}"' in page
    assert reverse("assistance:data_pdf", args=[member_case.pk]) not in member_page
