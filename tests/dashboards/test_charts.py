"""The server-rendered charts keep long labels whole."""

import pytest

pytestmark = pytest.mark.django_db


def test_chart_label_long_stage_name_kept_whole_and_left_aligned():
    """The label column beside the bars cut "masuk forum perencanaan" to "…perencana…" and
    clipped it at the left edge; labels now sit above their bars from x=0."""
    from dashboards.charts import bar_chart

    svg = str(bar_chart("Corong", [("masuk forum perencanaan", 4, ""), ("tercatat", 6, "")]))

    assert ">masuk forum perencanaan</text>" in svg
    assert 'text-anchor="end"' not in svg
    assert svg.count('<text x="0"') == 2
