"""Admin changelists of tables with millions of rows (aspirations, their timeline events,
members, budget outcomes, the access log …) that answer in the time of one page.

Django's changelist counts its rows twice (the filtered count for the paginator, the whole
table for "N total") and, with ``date_hierarchy``, runs a ``DISTINCT`` of the date's years over
the whole table: 1.33 s for the aspirations' changelist at two million rows (issue 14).
``LargeTableAdmin`` drops the second count (``show_full_result_count``) and counts with
``EstimatedCountPaginator``; the apps' admins of big tables use a date ``list_filter``
("Any date, Today, Past 7 days, This month, This year", no query) instead of
``date_hierarchy``, and an ``ordering`` an index serves.
"""

import json

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

#: Up to this many rows a changelist's count is exact; above it PostgreSQL's estimate is used.
EXACT_COUNT_LIMIT = 10_000


class EstimatedCountPaginator(Paginator):
    """A paginator whose ``count`` is exact up to ``EXACT_COUNT_LIMIT`` rows and an estimate
    above it, on PostgreSQL; exact elsewhere (SQLite holds a demo, not millions).

    - The whole table (no ``WHERE``): the table's row estimate kept by ``ANALYZE`` and
      autovacuum (``pg_class.reltuples``), read in a microsecond; exact when that is at most
      the limit, or the table has never been analysed (``-1``).
    - Filtered: the rows counted up to ``EXACT_COUNT_LIMIT + 1`` (an index range or a scan
      that stops there); past it, the planner's estimate of the filtered query (``EXPLAIN``),
      never below the limit.

    The pages' links follow the estimate: the last page may hold fewer rows than announced,
    or none (the admin shows it empty). ``estimated`` says whether the count is an estimate.
    """

    estimated = False

    @cached_property
    def count(self):
        rows = self.object_list
        connection = connections[rows.db]
        if connection.vendor != "postgresql":
            return rows.count()
        if not rows.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [rows.model._meta.db_table],
                )
                (estimate,) = cursor.fetchone()
            if estimate > EXACT_COUNT_LIMIT:
                self.estimated = True
                return estimate
            return rows.count()
        counted = rows.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
        if counted <= EXACT_COUNT_LIMIT:
            return counted
        sql, params = rows.order_by().values("pk").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
            (plan,) = cursor.fetchone()
        plan = json.loads(plan) if isinstance(plan, str) else plan
        self.estimated = True
        return max(int(plan[0]["Plan"]["Plan Rows"]), counted)


class LargeTableAdmin(admin.ModelAdmin):
    """A ``ModelAdmin`` for a table of hundreds of thousands of rows or more: no count of the
    whole table beside the filtered one, ``EstimatedCountPaginator`` for the filtered one.

    Set ``list_select_related`` for every relation ``list_display`` shows, a date
    ``list_filter`` instead of ``date_hierarchy``, and an ``ordering`` served by an index
    (``"-pk"`` when the model's own ordering has none).
    """

    show_full_result_count = False
    paginator = EstimatedCountPaginator
