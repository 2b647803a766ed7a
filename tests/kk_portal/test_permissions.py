"""The write-permission layer: rules declared on each model's QuerySet, answered in one place."""

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.template import Context, Template

from aspirations.models import Aspiration, MusrenbangForum
from groups.models import ConstituentGroup, Village
from kk_portal.models import User
from kk_portal.permissions import Rule, can, get_writable_or_404, writable
from kk_portal.scoping import Role
from tests import factories as f


@pytest.fixture
def aspiration_a1(world):
    return f.AspirationFactory(group=world.group_a1)


def test_an_undeclared_action_says_where_to_declare_it(world):
    user = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    with pytest.raises(ImproperlyConfigured, match="write_rules of its QuerySet"):
        writable(user, "archive", Aspiration)


def test_a_rule_cannot_narrow_a_role_it_does_not_allow():
    with pytest.raises(ImproperlyConfigured):
        Rule(Role.OFFICER, where={Role.DPRD: lambda user: None})


def test_writers_change_only_the_rows_they_see(world, aspiration_a1):
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    other_officer = f.UserFactory(role=Role.OFFICER, group=world.group_a2)
    dprd = f.UserFactory(role=Role.DPRD, representative=world.representative)

    assert list(writable(officer, "change", Aspiration)) == [aspiration_a1]
    assert list(writable(other_officer, "change", Aspiration)) == []
    assert list(writable(dprd, "change", Aspiration)) == []
    assert Aspiration.objects.visible_to(dprd).get() == aspiration_a1


def test_a_superuser_acts_as_administrator_whatever_their_role(world, aspiration_a1):
    root = f.UserFactory(role=Role.PROGRAMME, is_superuser=True)

    assert can(root, "change", aspiration_a1) is True
    assert can(root, "manage", User) is True


def test_a_deactivated_user_may_do_nothing(world, aspiration_a1):
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1, is_active=False)

    assert can(officer, "change", aspiration_a1) is False
    assert can(officer, "change", ConstituentGroup) is False


def test_on_a_model_class_the_role_and_its_scope_decide(world):
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    programme = f.UserFactory(role=Role.PROGRAMME)

    assert can(facilitator, "manage", "kk_portal.User") is True
    assert can(programme, "manage", "kk_portal.User") is False
    assert can(programme, "view", "members.Member") is False
    assert can(facilitator, "view", "members.Member") is True


def test_where_narrows_one_role_only(world):
    admin = f.UserFactory(role=Role.ADMIN, is_superuser=True)
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)

    # Administrators organise reses in villages of a district; facilitators in any village
    # of their regency (the meeting form then checks the representative's district).
    assert list(writable(admin, "organise_reses", Village)) == [world.village_a1]
    assert sorted(v.name for v in writable(facilitator, "organise_reses", Village)) == [
        "Desa Alfa Dua",
        "Desa Alfa Satu",
    ]


def test_forum_levels_follow_the_places_a_user_may_hold_them_in(world):
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    facilitator = f.UserFactory(role=Role.FACILITATOR, regency=world.regency_a)
    admin = f.UserFactory(role=Role.ADMIN, is_superuser=True)

    assert MusrenbangForum.objects.levels_creatable_by(officer) == ("desa", "kecamatan")
    assert MusrenbangForum.objects.levels_creatable_by(facilitator) == (
        "desa",
        "kecamatan",
        "kabkota",
    )
    assert MusrenbangForum.objects.levels_creatable_by(admin) == ()


def test_get_writable_or_404_answers_404_to_outsiders_and_to_readers(world, aspiration_a1):
    outsider = f.UserFactory(role=Role.OFFICER, group=world.group_b1)
    reader = f.UserFactory(role=Role.PROGRAMME)

    for user in (outsider, reader):
        with pytest.raises(Http404):
            get_writable_or_404(Aspiration, user, "change", pk=aspiration_a1.pk)


def test_get_writable_or_404_answers_403_to_readers_when_asked(world, aspiration_a1):
    outsider = f.UserFactory(role=Role.OFFICER, group=world.group_b1)
    reader = f.UserFactory(role=Role.PROGRAMME)

    with pytest.raises(PermissionDenied):
        get_writable_or_404(Aspiration, reader, "change", readers_get=403, pk=aspiration_a1.pk)
    with pytest.raises(Http404):
        get_writable_or_404(Aspiration, outsider, "change", readers_get=403, pk=aspiration_a1.pk)
    with pytest.raises(Http404):
        get_writable_or_404(Aspiration, reader, "change", readers_get=403, pk="abc")


def test_the_template_tag_asks_the_layer(world, aspiration_a1):
    template = Template(
        '{% load kk %}{% can "change" aspiration as may %}{% if may %}yes{% else %}no{% endif %}'
    )
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)
    reader = f.UserFactory(role=Role.PROGRAMME)

    shown = [
        template.render(Context({"user": user, "aspiration": aspiration_a1}))
        for user in (officer, reader)
    ]

    assert shown == ["yes", "no"]
