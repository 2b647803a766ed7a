"""Every rule that must never be wrong is a database constraint: each test writes a bad row
straight through the ORM (no form, no ``full_clean``) and expects the database to refuse it.
Removing the constraint makes the test fail."""

import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from aspirations.models import Aspiration, AspirationEvent, BudgetOutcome, MusrenbangForum
from groups.models import ConstituentGroup, Province, Regency, Subdistrict, Village
from kk_portal.models import User
from kk_portal.scoping import Role
from members.models import Member
from reses.models import DistrictVillage, ElectoralDistrict, Representative, ResesMeeting
from tests import factories as f

pytestmark = pytest.mark.django_db


def refused(write):
    """True when the database refuses ``write`` with an IntegrityError."""
    try:
        with transaction.atomic():
            write()
    except IntegrityError:
        return True
    return False


# Regions and groups ---------------------------------------------------------------------


def test_region_code_unique_at_every_level():
    village = f.VillageFactory()
    subdistrict, regency = village.subdistrict, village.subdistrict.regency

    assert refused(
        lambda: Province.objects.create(code="73", name="Dua", time_zone="Asia/Makassar")
    )
    assert refused(
        lambda: Regency.objects.create(
            code=regency.code,
            name="Lain",
            province=regency.province,
            kind="kota",
            time_zone="Asia/Makassar",
        )
    )
    assert refused(
        lambda: Subdistrict.objects.create(code=subdistrict.code, name="Lain", regency=regency)
    )
    assert refused(
        lambda: Village.objects.create(
            code=village.code, name="Lain", subdistrict=subdistrict, kind="desa"
        )
    )


@pytest.mark.parametrize(
    ("model", "field", "bad"),
    [
        (Province, "code", "7"),
        (Regency, "code", "73.8"),
        (Subdistrict, "code", "73.08.1"),
        (Village, "code", "73.08.1.2001"),
    ],
)
def test_region_code_format_refused_when_malformed(model, field, bad):
    row = {
        Province: f.ProvinceFactory,
        Regency: f.RegencyFactory,
        Subdistrict: f.SubdistrictFactory,
        Village: f.VillageFactory,
    }[model]()

    assert refused(lambda: model.objects.filter(pk=row.pk).update(**{field: bad}))


def test_region_time_zone_refused_when_not_indonesian():
    regency = f.RegencyFactory()

    assert refused(lambda: Province.objects.filter(pk=regency.province_id).update(time_zone="UTC"))
    assert refused(lambda: Regency.objects.filter(pk=regency.pk).update(time_zone="Europe/Berlin"))


def test_regency_kind_refused_when_unknown():
    regency = f.RegencyFactory()

    assert refused(lambda: Regency.objects.filter(pk=regency.pk).update(kind="kotamadya"))


def test_village_kind_refused_when_it_contradicts_the_code():
    desa = f.VillageFactory(code="73.08.01.2001", kind="desa")

    assert refused(lambda: Village.objects.filter(pk=desa.pk).update(kind="kelurahan"))
    assert refused(lambda: Village.objects.filter(pk=desa.pk).update(kind="desa_adat"))
    assert not refused(
        lambda: Village.objects.create(
            code="73.08.01.1001", name="Kelurahan", subdistrict=desa.subdistrict, kind="kelurahan"
        )
    )


def test_group_name_unique_in_village():
    group = f.ConstituentGroupFactory(name="KK Mawar")

    assert refused(
        lambda: ConstituentGroup.objects.create(
            village=group.village, name="KK Mawar", cohort_year=2015
        )
    )


def test_group_cohort_year_refused_when_implausible():
    group = f.ConstituentGroupFactory()

    assert refused(lambda: ConstituentGroup.objects.filter(pk=group.pk).update(cohort_year=1014))


# Members --------------------------------------------------------------------------------


def test_member_nik_unique_where_given_and_many_without():
    group = f.ConstituentGroupFactory()
    f.MemberFactory(group=group, nik="7308014506880001")

    assert refused(lambda: f.MemberFactory(group=group, nik="7308014506880001"))
    assert not refused(
        lambda: Member.objects.bulk_create(
            [Member(group=group, full_name=n, sex="F", nik=None) for n in ("Sumiyati", "Wa Ode")]
        )
    )
    assert Member.objects.filter(nik__isnull=True).count() == 2


@pytest.mark.parametrize("bad", ["730801450688000", "7308014506 88001", "73080145O6880001"])
def test_member_nik_refused_unless_16_digits(bad):
    member = f.MemberFactory()

    assert refused(lambda: Member.objects.filter(pk=member.pk).update(nik=bad))


def test_member_phone_refused_unless_normalised():
    member = f.MemberFactory()

    assert refused(lambda: Member.objects.filter(pk=member.pk).update(phone="081234567890"))


def test_member_birth_year_refused_when_implausible():
    member = f.MemberFactory()

    assert refused(lambda: Member.objects.filter(pk=member.pk).update(birth_year=1800))


def test_member_sex_refused_when_unknown():
    member = f.MemberFactory()

    assert refused(lambda: Member.objects.filter(pk=member.pk).update(sex="X"))


def test_member_left_on_refused_before_joined_on():
    member = f.MemberFactory(joined_on=datetime.date(2020, 1, 1))

    assert refused(
        lambda: Member.objects.filter(pk=member.pk).update(left_on=datetime.date(2019, 12, 31))
    )


def test_member_submission_token_unique():
    token = uuid.uuid4()
    f.MemberFactory(submission_token=token)

    assert refused(lambda: f.MemberFactory(submission_token=token))


# Aspirations ----------------------------------------------------------------------------


def test_urusan_code_and_topic_slug_unique():
    topic = f.TopicFactory()

    assert refused(lambda: type(topic.default_urusan).objects.create(code="1.03", name="Lagi"))
    assert refused(lambda: type(topic).objects.create(slug=topic.slug, name="Lagi"))


def test_aspiration_stage_refused_when_unknown():
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(stage="approved"))


def test_aspiration_channel_refused_when_unknown():
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(channel="fax"))


@pytest.mark.parametrize("bad", [0, 9])
def test_aspiration_furthest_rank_refused_outside_1_to_8(bad):
    aspiration = f.AspirationFactory()

    assert refused(lambda: Aspiration.objects.filter(pk=aspiration.pk).update(furthest_rank=bad))


def test_aspiration_submission_token_unique():
    token = uuid.uuid4()
    f.AspirationFactory(submission_token=token)

    assert refused(lambda: f.AspirationFactory(submission_token=token))


def test_event_stages_refused_when_unknown():
    event = f.AspirationEventFactory()

    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(to_stage="done"))
    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(from_stage="x"))


def test_event_amount_refused_when_negative():
    event = f.AspirationEventFactory()

    assert refused(lambda: AspirationEvent.objects.filter(pk=event.pk).update(amount=Decimal("-1")))


def test_budget_amounts_refused_when_negative():
    outcome = f.BudgetOutcomeFactory()

    assert refused(
        lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(amount=Decimal("-0.01"))
    )
    assert refused(
        lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(realised_amount=Decimal("-5"))
    )


def test_budget_fiscal_year_refused_when_implausible():
    outcome = f.BudgetOutcomeFactory()

    assert refused(lambda: BudgetOutcome.objects.filter(pk=outcome.pk).update(fiscal_year=25))


def test_budget_amount_holds_a_national_budget_exactly():
    # APBN 2025 spending, about Rp 3,621 trillion, and a regency budget line with sen.
    apbn, line = Decimal("3621300000000000.00"), Decimal("617666666666.66")
    outcome = f.BudgetOutcomeFactory(amount=apbn, realised_amount=line)

    outcome.refresh_from_db()
    assert (outcome.amount, outcome.realised_amount) == (apbn, line)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps about 15 significant digits"
)
def test_budget_amount_keeps_sen_of_a_national_budget_on_postgresql():
    apbn = Decimal("3621300000000000.99")
    outcome = f.BudgetOutcomeFactory(amount=apbn)

    outcome.refresh_from_db()
    assert outcome.amount == apbn


def test_musrenbang_forum_area_must_match_level():
    forum = f.MusrenbangForumFactory()

    assert refused(lambda: MusrenbangForum.objects.filter(pk=forum.pk).update(village=None))
    assert refused(lambda: MusrenbangForum.objects.filter(pk=forum.pk).update(level="kecamatan"))


# Reses and users --------------------------------------------------------------------------


def test_district_name_unique_per_legislature_and_year():
    district = f.ElectoralDistrictFactory(name="BONE 1")

    assert refused(lambda: f.ElectoralDistrictFactory(name="BONE 1", regency=district.regency))


def test_district_seats_refused_when_zero():
    district = f.ElectoralDistrictFactory()

    assert refused(lambda: ElectoralDistrict.objects.filter(pk=district.pk).update(seats=0))


def test_district_of_dprd_kabkota_needs_a_regency():
    district = f.ElectoralDistrictFactory()

    assert refused(lambda: ElectoralDistrict.objects.filter(pk=district.pk).update(regency=None))


def test_district_village_once():
    link = f.DistrictVillageFactory()

    assert refused(
        lambda: DistrictVillage.objects.create(district=link.district, village=link.village)
    )


def test_representative_term_must_end_after_it_starts():
    representative = f.RepresentativeFactory()

    assert refused(
        lambda: Representative.objects.filter(pk=representative.pk).update(term_end=2024)
    )


def test_reses_meeting_must_end_after_it_starts():
    meeting = f.ResesMeetingFactory()

    assert refused(
        lambda: ResesMeeting.objects.filter(pk=meeting.pk).update(
            ends_at=meeting.starts_at - datetime.timedelta(minutes=1)
        )
    )


def test_agenda_item_aspiration_once_per_meeting():
    item = f.AgendaItemFactory()

    assert refused(lambda: f.AgendaItemFactory(meeting=item.meeting, aspiration=item.aspiration))


@pytest.mark.parametrize("role", [Role.OFFICER, Role.FACILITATOR, Role.DPRD])
def test_user_role_refused_without_its_scope(role):
    assert refused(lambda: User.objects.create(username=f"tanpa-{role}", role=role))


def test_user_officer_superuser_needs_no_group():
    assert not refused(
        lambda: User.objects.create(username="root", role=Role.OFFICER, is_superuser=True)
    )


def test_aware_datetime_stored_in_utc():
    meeting = f.ResesMeetingFactory()

    meeting.refresh_from_db()
    assert meeting.starts_at.utcoffset() == datetime.timedelta(0)
    assert timezone.is_aware(meeting.starts_at)
