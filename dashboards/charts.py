"""Server-rendered SVG charts: readable at a glance on a laptop and on a 360 px phone.

Charts are inline ``<svg>`` with presentation attributes and classes only (no ``style=``:
the Content Security Policy forbids inline styles; colours live in ``static/css/app.css``).
Every chart has a ``<title>`` and sits beside a table with the same numbers, which is what
screen readers and printers use.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kk_portal.formats import format_number
from kk_portal.forms import escape_html

#: Geometry in SVG user units; the SVG scales to its container's width. Each label sits on
#: its own line above its bar, starting at the left edge, so no label is clipped however
#: long it is or however narrow the screen (a label column beside the bars cut labels off
#: at 360 px); ``_VALUE_ROOM`` keeps the value after the longest bar inside the box.
_WIDTH = 320
_LABEL_LINE = 15
_BAR = 13
_ROW = _LABEL_LINE + _BAR + 6
_VALUE_ROOM = 64
#: Room above the bars for the labels of reference lines.
_TARGET_ROOM = 16


def bar_chart(title, bars, *, percent=False, targets=()):
    """A horizontal bar chart as safe HTML.

    ``bars`` is ``[(label, value, css_class)]`` with ``value`` a number ≥ 0 or ``None`` for
    a suppressed cell (drawn as an empty row labelled "<5"); ``css_class`` picks the fill
    (``""`` for the default). With ``percent`` the scale is 0-100 and values are shown with
    ``%``; ``targets`` are percentages drawn as dashed reference lines (e.g. the programme's
    70 % and 95 %), each labelled above the bars ("target 70%").
    """
    values = [value for _label, value, _css in bars if value is not None]
    scale = 100 if percent else max(values, default=0) or 1
    span = _WIDTH - _VALUE_ROOM
    top = _TARGET_ROOM if targets else 0
    height = top + _ROW * len(bars) + 2
    rows = []
    for index, (label, value, css) in enumerate(bars):
        y = top + index * _ROW + _LABEL_LINE + 2
        width = 0 if value is None else round(span * float(value) / scale, 1)
        if value is None:
            shown = "<5"
        elif percent:
            shown = f"{value:.0f}%"
        else:
            shown = format_number(value)
        # An f-string with each text escaped, not ``format_html``: the same markup at a
        # fraction of the cost, and a national page draws hundreds of bars.
        rows.append(
            f'<text x="0" y="{y - 3}" class="chart-label">'
            f"{escape_html(_shorten(str(label)))}</text>"
            f'<rect x="0" y="{y}" width="{width}" height="{_BAR}" class="bar {escape_html(css)}">'
            f'</rect><text x="{width + 3}" y="{y + _BAR - 3}" class="chart-value">'
            f"{escape_html(shown)}</text>"
        )
    lines = format_html_join(
        "",
        '<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" class="chart-target"></line>'
        '<text x="{0}" y="12" text-anchor="end" class="chart-target-label">{3}</text>',
        (
            (round(span * target / 100, 1), top - 2, height, _("target %(n)s%%") % {"n": target})
            for target in targets
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
        'preserveAspectRatio="xMinYMin meet"><title>{}</title>{}{}</svg>',
        _WIDTH,
        height,
        title,
        title,
        mark_safe("".join(rows)),  # noqa: S308 - every text escaped by escape_html
        lines,
    )


def _shorten(text, limit=48):
    """Labels longer than ``limit`` characters end in "…" in the chart; tables keep them whole."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
