"""The access log's writers (``audit.services``): exports of personal data are logged with
the user's scope, the filters (a searched name masked) and the number of rows."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from audit.models import AccessLog, Action
from audit.services import filters_text
from kk_portal.scoping import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_member_export_logged_with_scope_filters_and_rows(officer, world):
    f.MemberFactory(group=world.group_a1, full_name="Yohana Mambrasar")
    f.MemberFactory(group=world.group_a1, sex="M")

    officer.get(reverse("members:export") + "?sex=F&q=Yohana&format=csv&page=2")

    entry = AccessLog.objects.data_access().get()
    assert (entry.user, entry.action, entry.rows, entry.scope, entry.filters) == (
        officer.user,
        Action.MEMBER_EXPORT,
        1,
        "KK Mawar",
        "q=*&sex=F",
    )
    assert (entry.group, entry.regency) == (world.group_a1, world.regency_a)


def test_filters_text_masks_search_and_drops_page_and_format():
    query = QueryDict("q=0812 3456&kind=violence&page=3&format=csv&status=")

    assert filters_text(query) == "kind=violence&q=*"


def test_access_log_rows_survive_user_rename(world):
    user = f.UserFactory(username="pengurus-lama", role=Role.OFFICER, group=world.group_a1)
    entry = f.AccessLogFactory(user=user)
    user.username = "pengurus-baru"
    user.save()

    entry.refresh_from_db()
    assert entry.username == "pengurus-lama"
