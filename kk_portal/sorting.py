"""Sorting of every list page: one helper, ``?sort=key`` (ascending) or ``?sort=-key``.

A list declares the keys people may sort by (a whitelist: an unknown key, or anything that is
not a key, gives the list's default order, never an error or a sort by an arbitrary column)
and calls ``sort_rows``; its template includes ``_sort.html`` (the links that sort) and
``_sort_input.html`` inside its filter form (so changing a filter keeps the sort). The page
links of ``_pagination.html`` keep ``sort`` with every other parameter, and a sort link
drops ``page``, so a new order starts on page 1.

Each key's fields end with the primary key, so rows of equal value keep one order across
pages. The sorts programme staff can use over all rows are served by indexes named
``*_sort_*`` (``aspirations``, ``groups``, ``reses``, ``activities`` models).
"""

from dataclasses import dataclass

PARAM = "sort"


@dataclass(frozen=True)
class SortKey:
    """One way to sort a list: its ``label`` and the ``fields`` of ``order_by`` in ascending
    order (e.g. ``("raised_on", "pk")``)."""

    label: str
    fields: tuple


class Sorting:
    """The order a list page shows: ``name`` (a key of ``keys``) and ``descending``.

    ``default`` is a key, ``"-"``-prefixed for descending (``"-raised_on"``).
    """

    def __init__(self, query, keys, default):
        self.query = query
        self.keys = keys
        self.default = default
        asked = query.get(PARAM, "")
        if asked.lstrip("-") not in keys or asked.count("-") > 1:
            asked = default
        self.name = asked.lstrip("-")
        self.descending = asked.startswith("-")

    @property
    def value(self):
        """The ``?sort=`` value of the current order (``"-raised_on"``)."""
        return ("-" if self.descending else "") + self.name

    @property
    def is_default(self):
        return self.value == self.default

    def order_by(self):
        """The ``order_by`` arguments of the current order."""
        prefix = "-" if self.descending else ""
        return [prefix + field for field in self.keys[self.name].fields]

    def links(self):
        """One link per key, in ``keys``' order: ``{"label", "url", "current", "descending"}``;
        the current key's link reverses its direction, the others sort ascending, except that
        a key whose default direction is descending starts descending."""
        default_name = self.default.lstrip("-")
        result = []
        for name, key in self.keys.items():
            current = name == self.name
            if current:
                descending = not self.descending
            else:
                descending = name == default_name and self.default.startswith("-")
            query = self.query.copy()
            query.pop("page", None)
            query[PARAM] = ("-" if descending else "") + name
            result.append(
                {
                    "label": key.label,
                    "url": "?" + query.urlencode(),
                    "current": current,
                    "descending": self.descending if current else None,
                }
            )
        return result


def sort_rows(request, rows, keys, default):
    """``(rows ordered as ?sort= asks, the Sorting)`` for a list page; ``keys`` maps each
    allowed ``?sort=`` name to its ``SortKey``, ``default`` is used for a missing or unknown
    one."""
    sorting = Sorting(request.GET, keys, default)
    return rows.order_by(*sorting.order_by()), sorting
