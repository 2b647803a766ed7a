"""Members: the database refuses what must never be stored; probable duplicates fold the name."""

import datetime
import uuid

import pytest

from members.models import Member
from tests import factories as f
from tests.helpers import refused

pytestmark = pytest.mark.django_db


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


def test_probable_duplicates_folds_name_and_matches_year(world):
    from members.models import Member

    member = f.MemberFactory(group=world.group_a1, full_name="Ma’ruf Letsoin", birth_year=1975)

    found = Member.objects.probable_duplicates(world.group_a1, "MARUF  letsoin", 1975)

    assert list(found) == [member]
    assert not Member.objects.probable_duplicates(world.group_a1, "Maruf Letsoin", 1974).exists()
    assert not Member.objects.probable_duplicates(world.group_a2, "Maruf Letsoin", 1975).exists()
