"""The one small-cell rule of the dashboards, with complementary suppression.

THE RULE. A count of 1 to 4 people (or of their aspirations, cases, attendances or roles)
is hidden from viewers who may not see members' personal data (programme staff and DPRD
staff, ``figures.sees_personal_data``), on the dashboard, in its exports and on the home
pages (this month's moves by stage, DPRD staff's open aspirations by stage:
``views.home_counts``). The threshold,
``MIN_CELL = 5``, is the minimum cell size of the common statistical-disclosure rule that BPS
and most statistical offices apply to published tables; it is the product's choice, not a
figure set by law. Zero is shown: it identifies no one.

COMPLEMENTARY SUPPRESSION. A hidden cell is of no use if it can be worked out by
subtraction. A table states which of its cells add up to a known figure (``relations``):
the cells of a column add up to the column's total, which the page publishes elsewhere (the
funnel, the total row, the parent region's row one level up); the parts of a row add up to
the row's total cell. For every relation holding exactly one hidden cell, the smallest other
cell of it is hidden too (a non-zero one first), until no relation holds exactly one hidden
cell. A total is one of the cells of its relation, so it is hidden itself when it is the
smallest left. Totals are always computed from the exact values.

WHAT REMAINS POSSIBLE. The same rule runs at every drill-down level, so a region's table
and its sub-regions' table hide cells by the same threshold; a cell hidden only as a
complement on one level may still be shown on another (each level is protected on its
own), and two hidden cells of one relation reveal their sum. Sums across tables that
describe the same people by different cuts (by region and by topic) are protected per
table only.
"""

#: The smallest count of people shown to those who see aggregates only.
MIN_CELL = 5

#: How a hidden cell reads: a small count, and a cell hidden only so that another cannot
#: be derived.
SMALL = "<5"
COMPLEMENT = "·"


def is_small(count):
    """``True`` for a count of 1 to ``MIN_CELL - 1``; ``None`` and 0 are not small."""
    return count is not None and 0 < count < MIN_CELL


def protect(values, relations):
    """The cells to hide in a table of counts.

    ``values`` maps a position (any hashable, e.g. ``(row, column)``) to its exact count;
    ``relations`` is a list of lists of positions whose (signed) sum is known to the reader.
    Returns ``(small, complements)``: the positions of small counts (shown as ``SMALL``) and
    those hidden only so that no small one can be derived (shown as ``COMPLEMENT``). After
    it, no relation holds exactly one hidden position, except a relation of one position,
    whose value is known whatever is hidden.
    """
    small = {position for position, count in values.items() if is_small(count)}
    hidden = set(small)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            inside = [position for position in relation if position in hidden]
            shown = [position for position in relation if position not in hidden]
            if len(inside) != 1 or not shown:
                continue
            # Hide the smallest non-zero cell; a zero only when nothing else is left.
            hidden.add(min(shown, key=lambda position: (values[position] == 0, values[position])))
            changed = True
    return small, hidden - small


def derivable(hidden, relations):
    """The hidden positions a reader can work out: those alone among the hidden cells of a
    relation whose other cells are shown. Used by the tests; empty after ``protect``."""
    found = set()
    for relation in relations:
        inside = [position for position in relation if position in hidden]
        if len(inside) == 1:
            found.add(inside[0])
    return found
