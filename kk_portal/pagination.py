"""Pagination shared by every list page (with ``templates/_pagination.html``)."""

from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import prefetch_related_objects
from django.utils.functional import cached_property

#: Rows per page on phone lists.
PER_PAGE = 20
#: The column of the combined query (``CappedPaginator``) that holds the capped count.
TOTAL = "capped_paginator_total"


class CappedPaginator(Paginator):
    """A paginator that counts at most ``limit`` rows (``capped`` says it stopped there).

    Counting two million aspirations costs a full pass of the table (bench/RESULTS.md); counting
    ``limit + 1`` of them reads a few thousand index entries. Only for unfiltered lists,
    where "more than N" is all a person needs: a filtered count stays exact, so that the
    count a dashboard links to equals the rows listed.

    With ``with_first_page`` (for a list whose rows are costly to find, such as a text
    search) the count and the first page come from one query when the list orders by its
    own columns: the capped rows, counted by a window and sorted, first ``per_page`` kept.
    A search ("Usulan 12345") then scans its full-text index once, not once for the count
    and again for the page (about 25 ms a scan at national scale, load 3; issue 14). When
    the count is capped the first page is read by its own query, as any other page. Not for
    an unfiltered list: sorting ``limit`` whole rows costs more than its cheap count.
    """

    def __init__(self, object_list, per_page, *, limit, with_first_page=False, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.with_first_page = with_first_page
        self._first_page = None

    @cached_property
    def count(self):
        combined = self._count_with_first_page() if self.with_first_page else None
        if combined is not None:
            return combined
        # Only the ids: a sliced count keeps the select list (and its select_related joins)
        # in its subquery.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1]
        return min(counted.count(), self.limit + 1)

    @property
    def capped(self):
        return self.count > self.limit

    def page(self, number):
        number = self.validate_number(number)
        if number == 1 and self._first_page is not None:
            return self._get_page(self._first_page, number, self)
        return super().page(number)

    def _count_with_first_page(self):
        """The capped count, keeping the first page's rows in ``_first_page`` when the count
        is not capped; ``None`` (nothing run) for a list this query cannot serve: not a
        plain model queryset, or ordered by anything but its own columns."""
        queryset = self.object_list
        query = getattr(queryset, "query", None)
        if query is None or query.select_related or query.distinct or query.combinator:
            return None
        order = self._order_columns(queryset)
        if order is None:
            return None
        capped = queryset.order_by()[: self.limit + 1]
        inner, params = capped.query.get_compiler(using=queryset.db).as_sql()
        quote = connections[queryset.db].ops.quote_name
        rows = list(
            queryset.model._default_manager.db_manager(queryset.db).raw(
                f"SELECT *, COUNT(*) OVER () AS {quote(TOTAL)} FROM ({inner}) AS capped "
                f"ORDER BY {order} LIMIT %s",
                [*params, self.per_page],
            )
        )
        total = getattr(rows[0], TOTAL) if rows else 0
        if total <= self.limit:
            if queryset._prefetch_related_lookups:
                prefetch_related_objects(rows, *queryset._prefetch_related_lookups)
            self._first_page = rows
        return min(total, self.limit + 1)

    @staticmethod
    def _order_columns(queryset):
        """``ORDER BY`` of ``queryset``'s ordering over the columns of its own table
        (``"raised_on" DESC, "id" DESC``), or ``None`` if it orders by anything else."""
        ordering = queryset.query.order_by
        if not ordering or not all(isinstance(name, str) for name in ordering):
            return None
        meta = queryset.model._meta
        quote = connections[queryset.db].ops.quote_name
        columns = []
        for name in ordering:
            field_name = name.removeprefix("-")
            try:
                field = meta.pk if field_name == "pk" else meta.get_field(field_name)
            except FieldDoesNotExist:  # a lookup through a relation, an annotation
                return None
            if getattr(field, "column", None) is None or field.is_relation:
                return None
            columns.append(f"{quote(field.column)} {'DESC' if name.startswith('-') else 'ASC'}")
        return ", ".join(columns)


def paginate(request, queryset, per_page=PER_PAGE, *, limit=None, with_first_page=False):
    """Return the ``Page`` of ``queryset`` asked for by ``?page=``.

    A page number that is not a number gives page 1; one past the end (a stale link after
    the filter changed) gives the last page; never a 404. With ``limit``
    the count stops after ``limit`` rows (``CappedPaginator``, which reads the first page
    with the count when ``with_first_page``).
    """
    if limit is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CappedPaginator(
            queryset, per_page, limit=limit, with_first_page=with_first_page
        )
    return paginator.get_page(request.GET.get("page"))
