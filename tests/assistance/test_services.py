"""Cases of assistance: the write functions, consent, confidentiality and who sees what."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assistance import services
from assistance.models import (
    AgeGroup,
    AssistanceCase,
    CaseDocument,
    CaseStep,
    ConsentBy,
    Kind,
    Need,
    Outcome,
    Service,
    Status,
    StepKind,
)
from kk_portal.permissions import can, writable
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _today(world):
    return today_in(world.group_a1)


def _officer(world, username="pengurus-kasus", group=None):
    return f.UserFactory(username=username, role=Role.OFFICER, group=group or world.group_a1)


def _open(world, actor, **overrides):
    today = _today(world)
    arguments = {
        "group": world.group_a1,
        "actor": actor,
        "need": Need.VIOLENCE_WOMAN,
        "opened_on": today - 10 * DAY,
        "person_village": world.village_a1,
        "consent_given_on": today - 10 * DAY,
        "consent_by": ConsentBy.PERSON,
        "person_name": "  Maria  Goreti Bere ",
        "person_sex": "F",
        "person_age_group": AgeGroup.AGE_30_44,
        "person_phone": "0812-3456-7890",
        "description": "Dipukul suami, butuh rumah aman.",
    }
    arguments.update(overrides)
    case, created = services.case_open(**arguments)
    assert created
    return case


def test_case_open_violence_is_confidential_and_handled_by_the_officer(world):
    officer = _officer(world)

    case = _open(world, officer)

    assert (case.kind, case.confidential, case.status) == (Kind.VIOLENCE, True, Status.OPEN)
    assert list(case.handlers.all()) == [officer]
    assert case.person_name == "Maria Goreti Bere"
    assert case.person_phone == "+6281234567890"
    assert list(case.steps.values_list("kind", flat=True)) == [StepKind.OPENED]
    assert str(case) == f"Kasus #{case.pk}"


def test_case_open_kind_follows_need(world):
    case = _open(world, _officer(world), need=Need.BIRTH_CERTIFICATE)

    assert (case.kind, case.confidential) == (Kind.CIVIL_REGISTRATION, False)


def test_case_open_violence_by_facilitator_without_handler_refused(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)

    with pytest.raises(ValidationError) as error:
        _open(world, facilitator)

    assert error.value.message_dict["handlers"] == [
        "Kasus yang dirahasiakan perlu sedikitnya satu pengurus yang menanganinya."
    ]
    assert AssistanceCase.objects.count() == 0


def test_case_open_handler_from_another_group_refused(world):
    stranger = _officer(world, "pengurus-lain", group=world.group_a2)

    with pytest.raises(ValidationError) as error:
        _open(world, _officer(world), handlers=[stranger])

    assert "handlers" in error.value.message_dict


def test_case_open_without_consent_keeps_only_anonymous_count(world):
    officer = _officer(world)
    opened = _today(world) - 10 * DAY

    case = _open(world, officer, consent_given_on=None, opened_on=opened)

    case.refresh_from_db()
    assert case.is_anonymous
    assert (case.kind, case.person_village, case.opened_on) == (
        Kind.VIOLENCE,
        world.village_a1,
        opened.replace(day=1),
    )
    assert (case.person_name, case.person_phone, case.description, case.person_sex) == (
        "",
        "",
        "",
        "",
    )
    assert case.status == Status.CLOSED
    assert case.steps.count() == 0


def test_case_open_member_takes_details_from_member(world):
    member = f.MemberFactory(
        group=world.group_a1, full_name="Yohana Mambrasar", birth_year=1950, is_poor=True
    )

    case = _open(world, _officer(world), member=member, need=Need.BPJS_KIS, person_name="")

    assert case.person_label == "Yohana Mambrasar"
    assert case.person_name == ""
    assert (case.person_sex, case.person_age_group, case.person_is_poor) == (
        "F",
        AgeGroup.AGE_60_PLUS,
        True,
    )


def test_case_open_member_of_another_group_refused(world):
    member = f.MemberFactory(group=world.group_b1)

    with pytest.raises(ValidationError) as error:
        _open(world, _officer(world), member=member)

    assert "member" in error.value.message_dict


@pytest.mark.parametrize(
    ("opened_on", "message"),
    [
        (None, "Isi tanggal kasus dibuka."),
        ("tomorrow", "Tanggal tidak boleh setelah hari ini."),
        (
            datetime.date(2013, 12, 31),
            "Tanggal tidak boleh sebelum 1 Januari 2014, saat kelompok pertama program dibentuk.",
        ),
    ],
)
def test_case_open_bad_date_refused(world, opened_on, message):
    if opened_on == "tomorrow":
        opened_on = _today(world) + DAY

    with pytest.raises(ValidationError) as error:
        _open(world, _officer(world), opened_on=opened_on)

    assert error.value.message_dict["opened_on"] == [message]


def test_case_open_village_outside_subdistrict_refused(world):
    with pytest.raises(ValidationError) as error:
        _open(world, _officer(world), person_village=world.village_b1)

    assert error.value.message_dict["person_village"] == [
        "Pilih desa/kelurahan di kecamatan kelompok ini."
    ]


def test_case_open_bad_phone_refused_beside_field(world):
    with pytest.raises(ValidationError) as error:
        _open(world, _officer(world), person_phone="12345")

    assert list(error.value.message_dict) == ["person_phone"]


def test_case_open_same_submission_token_returns_first_case(world):
    officer = _officer(world)
    token = "3f2b8f0e-8a57-4a0e-9d4f-2a1c7c0b9e11"
    first = _open(world, officer, submission_token=token)

    again, created = services.case_open(
        group=world.group_a1,
        actor=officer,
        need=Need.KTP,
        opened_on=_today(world),
        person_village=world.village_a1,
        submission_token=token,
    )

    assert (again, created) == (first, False)
    assert AssistanceCase.objects.count() == 1


def test_case_refer_sets_follow_up_and_contact(world):
    officer = _officer(world)
    case = _open(world, officer)
    today = _today(world)

    step = services.case_refer(
        case,
        actor=officer,
        occurred_on=today - 2 * DAY,
        service=Service.UPTD_PPA,
        contact="Ibu Rina, 0813 1111 2222",
        follow_up_on=today + 5 * DAY,
    )

    assert (step.kind, step.service, step.contact) == (
        StepKind.REFERRED,
        Service.UPTD_PPA,
        "Ibu Rina, 0813 1111 2222",
    )
    assert case.follow_up_on == today + 5 * DAY


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"service": ""}, "service"),
        ({"service": "dukun"}, "service"),
        ({"contact": "  "}, "contact"),
        ({"follow_up_on": None}, "follow_up_on"),
        ({"follow_up_on": "before"}, "follow_up_on"),
        ({"occurred_on": "future"}, "occurred_on"),
        ({"occurred_on": "before_opened"}, "occurred_on"),
    ],
)
def test_case_refer_bad_input_refused_and_nothing_written(world, changes, field):
    officer = _officer(world)
    case = _open(world, officer)
    today = _today(world)
    arguments = {
        "occurred_on": today,
        "service": Service.POLICE,
        "contact": "Unit PPA Polres",
        "follow_up_on": today + 7 * DAY,
    }
    arguments.update(changes)
    if arguments["follow_up_on"] == "before":
        arguments["follow_up_on"] = today - DAY
    if arguments["occurred_on"] == "future":
        arguments["occurred_on"] = today + DAY
    if arguments["occurred_on"] == "before_opened":
        arguments["occurred_on"] = case.opened_on - DAY

    with pytest.raises(ValidationError) as error:
        services.case_refer(case, actor=officer, **arguments)

    assert list(error.value.message_dict) == [field]
    assert list(case.steps.values_list("kind", flat=True)) == [StepKind.OPENED]
    case.refresh_from_db()
    assert case.follow_up_on is None


def test_case_follow_up_sets_next_date_and_needs_note(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.RASTRA_BPNT)
    today = _today(world)

    with pytest.raises(ValidationError) as error:
        services.case_follow_up(case, actor=officer, occurred_on=today, note=" ")
    services.case_follow_up(
        case, actor=officer, occurred_on=today, note="Nama sudah diusulkan.", next_follow_up_on=None
    )

    assert error.value.message_dict == {"note": ["Tulis apa hasil tindak lanjutnya."]}
    assert case.follow_up_on is None
    assert case.steps.last().note == "Nama sudah diusulkan."


def test_case_obtain_then_close_keeps_outcome_and_clears_follow_up(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.KTP)
    today = _today(world)
    services.case_submit(case, actor=officer, occurred_on=today - 5 * DAY, service=Service.DUKCAPIL)
    services.case_refer(
        case,
        actor=officer,
        occurred_on=today - 4 * DAY,
        service=Service.DUKCAPIL,
        contact="Loket 2",
        follow_up_on=today + DAY,
    )

    services.case_obtain(case, actor=officer, occurred_on=today - DAY, service=Service.DUKCAPIL)
    services.case_close(case, actor=officer, occurred_on=today)

    assert (case.status, case.outcome, case.closed_on, case.follow_up_on) == (
        Status.CLOSED,
        Outcome.OBTAINED,
        today,
        None,
    )
    assert list(case.steps.values_list("kind", flat=True)) == [
        StepKind.OPENED,
        StepKind.SUBMITTED,
        StepKind.REFERRED,
        StepKind.OBTAINED,
        StepKind.CLOSED,
    ]


def test_case_close_without_outcome_refused(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.PKH)

    with pytest.raises(ValidationError) as error:
        services.case_close(case, actor=officer, occurred_on=_today(world))

    assert error.value.message_dict == {"outcome": ["Pilih hasil kasus."]}


def test_case_refuse_needs_reason(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.PKH)

    with pytest.raises(ValidationError) as error:
        services.case_refuse(
            case, actor=officer, occurred_on=_today(world), service=Service.DINAS_SOSIAL, reason=""
        )

    assert error.value.message_dict == {"note": ["Tulis mengapa ditolak."]}


def test_case_closed_takes_no_step_until_reopened(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.BACK_TO_SCHOOL)
    today = _today(world)
    services.case_close(case, actor=officer, occurred_on=today, outcome=Outcome.STOPPED)

    with pytest.raises(ValidationError) as error:
        services.case_accompany(case, actor=officer, occurred_on=today, service=Service.SCHOOL)
    with pytest.raises(ValidationError) as no_reason:
        services.case_reopen(case, actor=officer, occurred_on=today, reason="")
    services.case_reopen(case, actor=officer, occurred_on=today, reason="Anak mau sekolah lagi.")
    services.case_accompany(case, actor=officer, occurred_on=today, service=Service.SCHOOL)

    assert error.value.messages == ["Kasus ini sudah ditutup: buka kembali dulu."]
    assert no_reason.value.message_dict == {"note": ["Tulis mengapa kasus dibuka kembali."]}
    assert (case.status, case.outcome, case.closed_on) == (Status.OPEN, Outcome.NONE, None)


def test_case_set_handlers_keeps_at_least_one_for_confidential(world):
    officer = _officer(world)
    other = _officer(world, "pengurus-dua")
    case = _open(world, officer)

    with pytest.raises(ValidationError) as error:
        services.case_set_handlers(case, actor=officer, handlers=[], occurred_on=_today(world))
    services.case_set_handlers(case, actor=officer, handlers=[other], occurred_on=_today(world))

    assert "handlers" in error.value.message_dict
    assert list(case.handlers.all()) == [other]
    assert case.steps.last().note == str(other)


def test_case_update_keeps_history_and_violence_stays_confidential(world):
    officer = _officer(world)
    case = _open(world, officer)

    services.case_update(case, actor=officer, need=Need.OTHER, person_name="Maria G. Bere")

    assert (case.kind, case.confidential) == (Kind.OTHER, True)
    newest, oldest = case.history.order_by("-history_id")[:2]
    delta = newest.diff_against(oldest)
    assert {c.field: (c.old, c.new) for c in delta.changes} == {
        "kind": (Kind.VIOLENCE, Kind.OTHER),
        "need": (Need.VIOLENCE_WOMAN, Need.OTHER),
        "person_name": ("Maria Goreti Bere", "Maria G. Bere"),
    }
    assert newest.history_user == officer


def test_case_update_to_violence_makes_confidential(world):
    officer = _officer(world)
    case = _open(world, officer, need=Need.OTHER)

    services.case_update(case, actor=officer, need=Need.VIOLENCE_CHILD)

    assert (case.kind, case.confidential) == (Kind.VIOLENCE, True)


def test_case_withdraw_consent_anonymises_steps_documents_history(world):
    officer = _officer(world)
    case = _open(world, officer)
    services.case_refer(
        case,
        actor=officer,
        occurred_on=_today(world),
        service=Service.UPTD_PPA,
        contact="Ibu Rina",
        follow_up_on=_today(world) + DAY,
    )
    services.case_update(case, actor=officer, description="Sudah di rumah aman.")
    document = services.case_document_add(
        case,
        actor=officer,
        upload=SimpleUploadedFile("visum.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf"),
    )
    stored = document.file.path

    step = services.case_withdraw_consent(case, actor=officer, occurred_on=_today(world))

    case.refresh_from_db()
    assert case.is_anonymous
    assert (case.person_name, case.person_phone, case.description, case.member) == (
        "",
        "",
        "",
        None,
    )
    assert list(CaseStep.objects.filter(case=case)) == [step]
    assert step.kind == StepKind.ANONYMISED
    assert CaseDocument.objects.filter(case=case).count() == 0
    assert not document.file.storage.exists(stored)
    assert list(case.history.values_list("person_name", "description")) == [("", "")]
    assert list(case.handlers.all()) == [officer]
    with pytest.raises(ValidationError):
        services.case_accompany(
            case, actor=officer, occurred_on=_today(world), service=Service.POLICE
        )


def test_case_overdue_follow_up(world):
    officer = _officer(world)
    today = _today(world)
    late = _open(world, officer, need=Need.KK)
    services.case_refer(
        late,
        actor=officer,
        occurred_on=today - 9 * DAY,
        service=Service.DUKCAPIL,
        contact="Loket",
        follow_up_on=today - DAY,
    )
    on_time = _open(world, officer, need=Need.KK)
    services.case_refer(
        on_time,
        actor=officer,
        occurred_on=today - 9 * DAY,
        service=Service.DUKCAPIL,
        contact="Loket",
        follow_up_on=today,
    )

    assert list(AssistanceCase.objects.overdue(today)) == [late]


@pytest.fixture
def cases(world):
    handler = _officer(world, "pengurus-penanganan")
    confidential = f.AssistanceCaseFactory(
        group=world.group_a1,
        kind=Kind.VIOLENCE,
        need=Need.VIOLENCE_CHILD,
        confidential=True,
        handlers=[handler],
    )
    plain = f.AssistanceCaseFactory(group=world.group_a1)
    other_group = f.AssistanceCaseFactory(group=world.group_a2)
    other_regency = f.AssistanceCaseFactory(group=world.group_b1)
    return handler, confidential, plain, other_group, other_regency


def test_visible_to_each_role(world, cases):
    handler, confidential, plain, other_group, other_regency = cases
    users = {
        "handler": handler,
        "officer_same_group": _officer(world, "pengurus-biasa"),
        "officer_other_group": _officer(world, "pengurus-a2", group=world.group_a2),
        "facilitator": f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a),
        "facilitator_b": f.UserFactory(role=Role.FACILITATOR, regency=world.regency_b),
        "programme": f.UserFactory(role=Role.PROGRAMME),
        "dprd": f.UserFactory(role=Role.DPRD, representative=world.representative),
        "admin": f.UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True),
    }

    seen = {name: set(AssistanceCase.objects.visible_to(user)) for name, user in users.items()}

    assert seen == {
        "handler": {confidential, plain},
        "officer_same_group": {plain},
        "officer_other_group": {other_group},
        "facilitator": {confidential, plain, other_group},
        "facilitator_b": {other_regency},
        "programme": set(),
        "dprd": set(),
        "admin": {plain, other_group, other_regency},
    }


def test_write_rules_facilitator_reads_confidential_only(world, cases):
    handler, confidential, plain, other_group, _other_regency = cases
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    admin = f.UserFactory(role=Role.ADMIN, is_superuser=True, is_staff=True)

    assert set(writable(facilitator, "change", AssistanceCase)) == {plain, other_group}
    assert set(writable(handler, "change", AssistanceCase)) == {confidential, plain}
    assert confidential in writable(facilitator, "name_handlers", AssistanceCase)
    assert confidential not in writable(admin, "change", AssistanceCase)
    assert not can(f.UserFactory(role=Role.PROGRAMME), "change", plain)


def test_handler_deactivated_sees_nothing(world, cases):
    handler, *_rest = cases
    handler.is_active = False
    handler.save()

    assert list(AssistanceCase.objects.visible_to(handler)) == []


def test_member_anonymise_deletes_old_values_from_history(world):
    member = f.MemberFactory(
        group=world.group_a1, full_name="Ma'ruf Letsoin", phone="+6281299998888"
    )
    member.full_name = "Ma'ruf Letsoin, S.Pd."
    member.save()

    member.anonymise()

    assert list(member.history.values_list("full_name", "phone")) == [("", "")]
