"""seed_demo: the programme's proportions, every stage, consistent timelines, one user per role,
determinism and a safe second run."""

import html
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Min
from django.urls import reverse

from activities.models import Activity, Attendance, ReplicatedPractice
from aspirations.models import Aspiration, AspirationEvent, BudgetOutcome, MusrenbangForum
from aspirations.stages import Stage
from aspirations.topics import PROTECTION_SLUG
from assistance.models import AssistanceCase, CaseStep, Kind, Status, StepKind
from dashboards import summaries
from dashboards.models import AspirationSummary, MoneySummary
from demo.management.commands.seed_demo import KNOWN_DUPLICATE, REFERENCE_DATE
from groups.models import ConstituentGroup
from kk_portal.models import User
from kk_portal.scoping import Role
from members.models import Member
from members.text import fold_name
from notifications.models import Preference
from reses.models import AgendaItem, ElectoralDistrict, Representative, ResesMeeting
from tests.helpers import sign_in, steps_before

pytestmark = pytest.mark.django_db


GROUPS = 12


def seed(*args):
    out = StringIO()
    call_command("seed_demo", "--groups", str(GROUPS), *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seed once for the module (about 20 s), inside a transaction rolled back at its end.

    Each test still runs in its own savepoint (``django_db``), so a test that seeds again
    leaves the next test the same demo.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed("--seed", "7", "--password", "rahasia-demo")
        transaction.set_rollback(True)


def fingerprint():
    return (
        list(ConstituentGroup.objects.values_list("name", "village__code", "decree_number")),
        list(Member.objects.order_by("pk").values_list("full_name", "sex", "nik", "position")),
        list(Aspiration.objects.order_by("pk").values_list("title", "stage", "raised_on")),
        list(AspirationEvent.objects.order_by("pk").values_list("to_stage", "occurred_on")),
        list(AssistanceCase.objects.order_by("pk").values_list("need", "opened_on", "person_name")),
        list(CaseStep.objects.order_by("pk").values_list("kind", "occurred_on", "service")),
    )


def test_seed_demo_members_mostly_women_and_chairs_women(demo):
    members = Member.objects.all()
    chairs = members.filter(position=Member.Position.CHAIR)

    assert members.filter(sex="F").count() / members.count() > 0.70
    assert chairs.filter(sex="F").count() / chairs.count() > 0.95
    assert chairs.count() == GROUPS
    assert members.filter(sex="F", is_poor=True).count() / members.filter(sex="F").count() > 0.3
    assert members.filter(has_disability=True).exists()
    assert 20 * GROUPS <= members.count() <= 30 * GROUPS


def test_seed_demo_every_member_has_her_first_history_row(demo):
    kept = Member.history.filter(history_type="+").values("id").distinct().count()

    assert kept == Member.objects.count() > 0


def test_seed_demo_names_include_single_names_titles_and_apostrophes(demo):
    names = list(Member.objects.values_list("full_name", flat=True))

    assert any(" " not in name for name in names)
    assert any("'" in name for name in names)
    assert any(
        name.startswith(("Hj. ", "H. ", "Andi ", "Baiq ", "Wa Ode ", "La Ode ")) for name in names
    )
    assert Member.objects.filter(nik__isnull=True).exists()
    assert all(
        len(nik) == 16 for nik in Member.objects.exclude(nik=None).values_list("nik", flat=True)
    )


def test_seed_demo_groups_in_all_nine_regencies_with_cohorts(demo):
    cohorts = dict(
        ConstituentGroup.objects.values_list("village__subdistrict__regency__code").annotate(
            year=Min("cohort_year")
        )
    )

    assert cohorts == {
        "52.71": 2014,
        "52.03": 2014,
        "81.71": 2014,
        "73.08": 2014,
        "73.18": 2015,
        "73.09": 2015,
        "73.72": 2015,
        "74.71": 2015,
        "53.04": 2015,
    }
    assert not ConstituentGroup.objects.filter(decree_number="").exists()


def test_seed_demo_every_stage_present_with_ascending_timelines(demo):
    stages = set(Aspiration.objects.values_list("stage", flat=True))

    assert stages == set(Stage.values)
    for aspiration in Aspiration.objects.prefetch_related("events"):
        events = list(aspiration.events.all())
        dates = [e.occurred_on for e in events]
        assert dates == sorted(dates)
        assert dates[0] == aspiration.raised_on
        assert events[-1].to_stage == aspiration.stage
        assert aspiration.stage_changed_on == dates[-1] <= REFERENCE_DATE


def test_seed_demo_moves_store_the_step_before_as_the_window(demo):
    stored, window = steps_before()

    assert stored == window
    assert sum(previous is not None for previous in stored.values()) > GROUPS


def test_seed_demo_budget_outcomes_forums_and_meetings(demo):
    budgeted = Aspiration.objects.filter(stage__in=[Stage.BUDGETED, Stage.REALISED])

    assert BudgetOutcome.objects.filter(aspiration__in=budgeted).count() == budgeted.count() > 0
    assert not BudgetOutcome.objects.filter(implementing_agency="").exists()
    realised = BudgetOutcome.objects.filter(aspiration__stage=Stage.REALISED)
    assert realised.count() == realised.filter(realised_on__isnull=False).count() > 0
    assert MusrenbangForum.objects.values("level").distinct().count() == 3
    assert AspirationEvent.objects.filter(musrenbang_forum__isnull=False).exists()
    assert AspirationEvent.objects.filter(
        reses_meeting__isnull=False, to_stage=Stage.POKIR
    ).exists()
    assert set(AgendaItem.objects.exclude(response="").values_list("response", flat=True)) >= {
        AgendaItem.Response.POKIR
    }
    assert ResesMeeting.objects.filter(attendance_female__isnull=False).exists()


def test_seed_demo_representatives_for_every_district(demo):
    districts = ElectoralDistrict.objects.annotate(n=Count("representatives"))

    assert districts.count() == 45
    assert not districts.filter(n=0).exists()
    assert Representative.objects.filter(sex="F").exists()
    assert set(Representative.objects.values_list("term_start", "term_end")) == {(2024, 2029)}


def test_seed_demo_one_user_per_role(demo):
    users = {u.username: u for u in User.objects.all()}
    officer, officer_2 = users["demo-pengurus"], users["demo-pengurus-2"]

    assert set(users) == {
        "demo-pengurus",
        "demo-pengurus-2",
        "demo-fasilitator",
        "demo-program",
        "demo-dprd",
        "demo-admin",
    }
    assert officer.role == officer_2.role == Role.OFFICER
    assert officer.group_id != officer_2.group_id
    assert users["demo-fasilitator"].regency == officer.group.regency
    assert users["demo-program"].role == Role.PROGRAMME
    assert users["demo-admin"].is_superuser and users["demo-admin"].role == Role.ADMIN
    assert Aspiration.objects.visible_to(users["demo-dprd"]).exists()
    assert Aspiration.objects.visible_to(officer).exists()
    assert sign_in(username="demo-dprd", password="rahasia-demo")
    assert "demo-fasilitator" in demo and "rahasia-demo" in demo


def test_seed_demo_users_get_reminders_by_sms(demo):
    channels = set(Preference.objects.values_list("user__username", "channel", "user__phone"))

    assert channels == {
        ("demo-pengurus", "sms", "+6281200000001"),
        ("demo-pengurus-2", "sms", "+6281200000002"),
        ("demo-fasilitator", "sms", "+6281200000003"),
        ("demo-program", "sms", "+6281200000004"),
        ("demo-dprd", "sms", "+6281200000005"),
        ("demo-admin", "sms", "+6281200000006"),
    }


def test_seed_demo_cases_of_every_kind_through_the_services(demo):
    cases = AssistanceCase.objects.all()
    recorded = cases.filter(anonymised_at__isnull=True)

    assert set(cases.values_list("kind", flat=True)) == set(Kind.values)
    assert not recorded.filter(steps__isnull=True).exists()
    assert not recorded.exclude(steps__kind=StepKind.OPENED).exists()
    assert set(CaseStep.objects.values_list("kind", flat=True)) >= {
        StepKind.ACCOMPANIED,
        StepKind.SUBMITTED,
        StepKind.REFERRED,
        StepKind.OBTAINED,
        StepKind.CLOSED,
        StepKind.ANONYMISED,
    }
    assert not CaseStep.objects.filter(occurred_on__gt=REFERENCE_DATE).exists()
    assert cases.filter(status=Status.OPEN, follow_up_on__isnull=False).exists()
    assert cases.filter(member__isnull=False).exists()


def test_seed_demo_confidential_cases_handled_by_the_demo_officers(demo):
    officer = User.objects.get(username="demo-pengurus")
    officer_2 = User.objects.get(username="demo-pengurus-2")
    violence = AssistanceCase.objects.filter(kind=Kind.VIOLENCE)
    recorded = violence.filter(anonymised_at__isnull=True)

    assert violence.filter(confidential=False).count() == 0
    assert set(recorded.values_list("handlers__username", flat=True)) == {
        "demo-pengurus",
        "demo-pengurus-2",
    }
    mine = AssistanceCase.objects.visible_to(officer).filter(kind=Kind.VIOLENCE)
    assert mine.filter(anonymised_at__isnull=True).count() >= 2
    assert not mine.filter(handlers=officer_2).exists()
    # Without consent, and after it was withdrawn, only the kind, month and village stay.
    anonymous = violence.filter(anonymised_at__isnull=False)
    assert anonymous.count() >= 2
    assert set(anonymous.values_list("person_name", "description")) == {("", "")}
    assert anonymous.filter(steps__kind=StepKind.ANONYMISED).exists()


def test_seed_demo_second_run_changes_nothing_and_says_so(demo):
    before = fingerprint()

    output = seed("--seed", "7")

    assert "already" in output
    assert fingerprint() == before


def test_seed_demo_same_seed_same_demo(demo):
    before = fingerprint()

    seed("--seed", "7", "--reset")

    assert fingerprint() == before
    assert User.objects.count() == 6


def test_seed_demo_known_duplicate_is_suggested_by_the_duplicate_guard(demo, client):
    first, second = (
        Aspiration.objects.get(title=title, channel=channel)
        for title, channel, _raised in KNOWN_DUPLICATE
    )
    officer = User.objects.get(username="demo-pengurus")
    client.force_login(officer)

    suggested = Aspiration.objects.visible_to(officer).similar_to(
        second.title, village=second.village, topic=second.topic, exclude_pk=second.pk
    )
    response = client.post(
        reverse("aspirations:create"),
        {
            "submission_token": "6f1b6d4e-1c1a-4d7e-9a55-7d0c2b8f0a11",
            "title": "Perbaikan Jalan Tani Dusun 2",
            "topic": second.topic_id,
            "village": second.village_id,
            "channel": "phone",
            "raised_on": "2026-10-01",
        },
    )

    assert (first.stage, second.stage, first.village) == ("pokir", "pokir", officer.group.village)
    assert [row for row, _score in suggested] == [first]
    assert [row.title for row, _score in response.context["form"].suggestions] == [
        "Perbaikan jalan tani Dusun 2",
        "perbaikan Jalan Tani di dusun 2",
    ]


def _public_urls():
    """Every public page of the tracker over the demo: the index, the agencies, every page
    of the list, every public aspiration and every representative's scorecard."""
    public = Aspiration.objects.public()
    pages = -(-public.count() // 25)
    return [
        reverse("tracker:index"),
        reverse("tracker:agencies"),
        *(f"{reverse('tracker:list')}?page={n}" for n in range(1, pages + 1)),
        *(reverse("tracker:detail", args=[pk]) for pk in public.values_list("pk", flat=True)),
        *(
            reverse("tracker:representative", args=[pk])
            for pk in Representative.objects.values_list("pk", flat=True)
        ),
    ]


def test_seed_demo_public_pages_show_no_member_case_or_protection_text(demo, client):
    representatives = set(Representative.objects.values_list("full_name", flat=True))
    names = {
        name
        for name in [
            *Member.objects.values_list("full_name", flat=True),
            *AssistanceCase.objects.exclude(person_name="").values_list("person_name", flat=True),
        ]
        if name and name not in representatives
    }
    numbers = {
        value
        for value in [
            *Member.objects.exclude(nik=None).values_list("nik", flat=True),
            *Member.objects.exclude(phone="").values_list("phone", flat=True),
            *AssistanceCase.objects.exclude(person_phone="").values_list("person_phone", flat=True),
        ]
        if value
    }
    protection = set(
        Aspiration.objects.filter(topic__slug=PROTECTION_SLUG).values_list("title", flat=True)
    ) | {"Perlindungan perempuan dan anak"}
    name_pattern = re.compile(
        r"(?<!\w)("
        + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        + r")(?!\w)"
    )
    urls = _public_urls()

    leaks = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = html.unescape(response.content.decode())
        # Representatives are public officials, shown by name; a member's single name may be
        # part of one ("Elisabeth" in "Elisabeth Rumbiak"): their names are taken out first.
        for representative in representatives:
            text = text.replace(representative, "")
        found = set(name_pattern.findall(text))
        found |= {n for n in numbers | protection if n in text}
        if found:
            leaks[url] = sorted(found)

    assert leaks == {}
    assert len(urls) > 20
    assert Aspiration.objects.public().count() > 10


def test_seed_demo_practices_started_by_one_group_and_taken_up_by_one_to_four_others(demo):
    practices = ReplicatedPractice.objects.annotate(n=Count("adoptions"))

    assert any(practice.n >= 1 for practice in practices)
    for practice in practices:
        assert practice.n <= 4
        for adoption in practice.adoptions.all():
            assert adoption.group_id != practice.group_id
            assert adoption.adopted_on >= practice.started_on
    assert "replicated practices taken up" in demo


def _summaries():
    """Both summary tables as sets of their rows without keys (``dashboards.summaries``)."""
    return (
        set(AspirationSummary.objects.values_list(*summaries.KEY, *summaries.COLUMNS)),
        set(MoneySummary.objects.values_list(*summaries.MONEY_KEY, *summaries.MONEY_COLUMNS)),
    )


def test_seed_demo_summaries_equal_a_rebuild(demo):
    seeded = _summaries()

    call_command("rebuild_summaries", stdout=StringIO())

    assert _summaries() == seeded
    assert AspirationSummary.objects.filter(grain="region", recorded__gt=0).exists()
    assert MoneySummary.objects.filter(outcomes__gt=0).exists()


def test_seed_demo_attendance_as_the_services_write_it(demo):
    """The activities are written in bulk (demo.groupwork.Activities): the rows are still
    the ones ``activities.services`` would write."""
    taking_part = set(Activity.groups.through.objects.values_list("activity", "constituentgroup"))
    rows = Attendance.objects.select_related("activity__group", "member")
    assert rows.count() > 5 * Activity.objects.count()

    for row in rows:
        activity = row.activity
        assert activity.group.founded_on < activity.held_on <= REFERENCE_DATE
        if row.member_id:
            member = row.member
            assert (activity.pk, member.group_id) in taking_part
            assert (row.sex, row.is_poor, row.has_disability) == (
                member.sex,
                member.is_poor,
                member.has_disability,
            )
            assert member.joined_on <= activity.held_on
        else:
            assert row.name_folded == fold_name(row.full_name) != ""
    for activity_id, host_id in Activity.objects.values_list("pk", "group"):
        assert (activity_id, host_id) in taking_part
