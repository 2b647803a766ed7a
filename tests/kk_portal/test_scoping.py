"""Read scoping (``kk_portal.scoping``): each role sees its rows."""

from aspirations.models import Aspiration
from kk_portal.scoping import Role
from tests import factories as f


def test_scoping_officer_sees_only_own_group(world):
    mine = f.AspirationFactory(group=world.group_a1)
    f.AspirationFactory(group=world.group_a2)
    f.AspirationFactory(group=world.group_b1)
    officer = f.UserFactory(role=Role.OFFICER, group=world.group_a1)

    assert list(Aspiration.objects.visible_to(officer)) == [mine]


def test_scoping_dprd_sees_district_villages(world):
    in_district = f.AspirationFactory(group=world.group_a1)
    addressed = f.AspirationFactory(group=world.group_b1, representative=world.representative)
    f.AspirationFactory(group=world.group_a2)
    staff = f.UserFactory(role=Role.DPRD, representative=world.representative)

    assert set(Aspiration.objects.visible_to(staff)) == {in_district, addressed}
