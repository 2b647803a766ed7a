"""The user model: each role needs its scope object (a database constraint)."""

import pytest

from kk_portal.models import User
from kk_portal.scoping import Role
from tests.helpers import refused

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.OFFICER, Role.FACILITATOR, Role.DPRD])
def test_user_role_refused_without_its_scope(role):
    assert refused(lambda: User.objects.create(username=f"tanpa-{role}", role=role))


def test_user_officer_superuser_needs_no_group():
    assert not refused(
        lambda: User.objects.create(username="root", role=Role.OFFICER, is_superuser=True)
    )
