"""Server-rendered SVG charts: readable at a glance on a laptop and on a 360 px phone.

Charts are inline ``<svg>`` with presentation attributes and classes only (no ``style=``:
the Content Security Policy forbids inline styles; colours live in ``static/css/app.css``).
Every chart has a ``<title>`` and sits beside a table with the same numbers, which is what
screen readers and printers use (issue 6, point 2).
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from kk_portal.formats import format_number

#: Geometry in SVG user units; the SVG scales to its container's width.
_WIDTH = 320
_LABEL_WIDTH = 130
_ROW = 22
_BAR = 15


def bar_chart(title, bars, *, percent=False, targets=()):
    """A horizontal bar chart as safe HTML.

    ``bars`` is ``[(label, value, css_class)]`` with ``value`` a number ≥ 0 or ``None`` for
    a suppressed cell (drawn as an empty row labelled "<5"); ``css_class`` picks the fill
    (``""`` for the default). With ``percent`` the scale is 0-100 and values are shown with
    ``%``; ``targets`` are percentages drawn as dashed reference lines (e.g. the programme's
    70 % and 95 %).
    """
    values = [value for _label, value, _css in bars if value is not None]
    scale = 100 if percent else max(values, default=0) or 1
    span = _WIDTH - _LABEL_WIDTH - 45
    height = _ROW * len(bars) + 6
    rows = []
    for index, (label, value, css) in enumerate(bars):
        y = index * _ROW + 4
        width = 0 if value is None else round(span * float(value) / scale, 1)
        if value is None:
            shown = "<5"
        elif percent:
            shown = f"{value:.0f}%"
        else:
            shown = format_number(value)
        rows.append(
            format_html(
                '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" class="bar {}"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}</text>',
                _LABEL_WIDTH - 4,
                y + _BAR - 3,
                _shorten(str(label)),
                _LABEL_WIDTH,
                y,
                width,
                _BAR,
                css,
                _LABEL_WIDTH + width + 3,
                y + _BAR - 3,
                shown,
            )
        )
    lines = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="0" y2="{1}" class="chart-target"></line>',
        ((_LABEL_WIDTH + round(span * target / 100, 1), height) for target in targets),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>{}{}</svg>',
        _WIDTH,
        height,
        title,
        title,
        mark_safe("".join(rows)),  # noqa: S308 - every part built by format_html
        lines,
    )


def _shorten(text, limit=22):
    """Labels longer than ``limit`` characters end in "…" in the chart; tables keep them whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
