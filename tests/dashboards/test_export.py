"""Exports of the dashboard's figures: scoped, small cells suppressed, bad periods explained."""

import pytest

from tests import factories as f
from tests.helpers import csv_rows, xlsx_rows

pytestmark = pytest.mark.usefixtures("english")


def test_dashboard_table_export_is_scoped_and_suppressed(programme, facilitator_b, world):
    f.MemberFactory.create_batch(3, group=world.group_a1, sex="F")
    f.AspirationFactory.create_batch(6, group=world.group_a1)

    programme_rows = csv_rows(programme.get("/dashboard/export/members_region/?format=csv"))
    facilitator_funnel = csv_rows(facilitator_b.get("/dashboard/export/funnel/?format=csv"))
    programme_funnel = xlsx_rows(programme.get("/dashboard/export/funnel/"))

    assert programme_rows[1][3] == "<5"  # members
    assert programme_rows[1][4] == "<5"  # women
    assert facilitator_funnel[1][1] == "0"
    assert programme_funnel[1][1].value == 6 and programme_funnel[1][1].data_type == "n"


def test_dashboard_table_export_unknown_table_not_found(programme):
    assert programme.get("/dashboard/export/nothing/").status_code == 404


def test_dashboard_table_export_with_impossible_period_explains(programme):
    response = programme.get(
        "/dashboard/export/funnel/", {"start": "2024-09-01", "end": "2024-08-01"}
    )
    assert response.status_code == 400
    assert "before its start" in response.content.decode()
