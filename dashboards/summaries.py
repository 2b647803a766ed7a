"""Keeping and reading the summary tables of the dashboards (DESIGN.md: "summary tables
kept up to date by the move function are welcome where live aggregates are too slow").

``AspirationSummary`` counts aspirations per cell (see its docstring) and ``MoneySummary``
sums budget outcomes per regency, topic and fiscal year. Both are kept exact and in the same
transaction as the write: every function of ``aspirations.services`` that changes an
aspiration's stage, dimensions or budget outcomes sends ``aspirations_will_change`` after
locking the row and ``aspirations_changed`` after the change (``aspirations.signals``);
``dashboards.apps`` connects them to ``remove(ids)`` and ``add(ids)`` here (one
``INSERT … SELECT … ON CONFLICT`` upsert each, through the same grouped query that
``rebuild`` runs over all rows). The admin edits aspirations through those functions too.

The dashboard reads them only where its filters are expressible in the cells
(``usable``): programme-wide scope, whole calendar years, a province or regency, a topic.
Other scopes and day ranges use the live queries of ``dashboards.figures``, which remain
the definition: ``tests/dashboards/test_summaries.py`` compares both. Both count each need
once: linked duplicates (``Aspiration.objects.counted``) are in neither.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.dispatch import receiver
from django.utils import timezone, translation

from aspirations.models import Aspiration, BudgetOutcome, summary_columns
from aspirations.signals import aspirations_changed, aspirations_will_change
from aspirations.stages import CLOSED, FORWARD
from dashboards import figures as d
from dashboards.models import AspirationSummary, MoneySummary
from groups.models import ConstituentGroup, Province, Regency
from kk_portal.formats import NOT_FILLED_KEY

#: ``{column: Q or None}`` for each ``AspirationSummary`` count (``None``: every row).
COLUMNS = summary_columns()
REGENCY = "village__subdistrict__regency"
#: The grains of ``AspirationSummary`` and the key of each: ``None`` = "all" (0 or "").
#: ``region_all`` is ``region`` over all years (``year`` 0): a dashboard without a period
#: reads 5,000 cells for its regions instead of 41,000.
GRAINS = {
    "region": {"regency_id": F(REGENCY), "urusan_id": True, "channel": None, "year": True},
    "region_all": {"regency_id": F(REGENCY), "urusan_id": True, "channel": None, "year": None},
    "channel": {"regency_id": None, "urusan_id": True, "channel": F("channel"), "year": True},
    "region_channel": {
        "regency_id": F(REGENCY),
        "urusan_id": None,
        "channel": F("channel"),
        "year": True,
    },
}
KEY = ("grain", "regency_id", "topic_id", "urusan_id", "channel", "year")
MONEY_KEY = ("regency_id", "topic_id", "fiscal_year")
MONEY_COLUMNS = ("budgeted", "realised", "outcomes")


def _grain_select(grain, rows, sign):
    """SQL and params of the cells of ``grain`` over ``rows`` (Aspiration QuerySet), counts
    multiplied by ``sign``; columns in the order ``KEY`` + ``COLUMNS``."""
    spec = GRAINS[grain]
    keys = {
        "k_grain": Value(grain),
        "k_regency": spec["regency_id"] or Value(0),
        "k_topic": F("topic"),
        "k_urusan": Coalesce(F("urusan"), Value(0)) if spec["urusan_id"] else Value(0),
        "k_channel": spec["channel"] or Value(""),
        "k_year": ExtractYear("raised_on") if spec["year"] else Value(0),
    }
    counts = {
        f"c_{name}": (Count("pk", filter=q) if q is not None else Count("pk")) * Value(sign)
        for name, q in COLUMNS.items()
    }
    query = rows.order_by().values(**keys).annotate(**counts).query
    if list(query.annotation_select) != [*keys, *counts]:
        raise RuntimeError("Unexpected column order in the summary query.")
    return query.sql_with_params()


def _upsert(table, key, columns, selects):
    """``INSERT INTO table … SELECT … ON CONFLICT (key) DO UPDATE`` adding the counts."""
    sql = " UNION ALL ".join(s for s, _p in selects)
    params = [p for _s, ps in selects for p in ps]
    names = ", ".join([*key, *columns])
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) {sql} "
            f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
            params,
        )


def _apply(rows, outcomes, sign):
    table = AspirationSummary._meta.db_table
    _upsert(table, KEY, list(COLUMNS), [_grain_select(g, rows, sign) for g in GRAINS])
    # Per fiscal year, and over all years (``fiscal_year`` 0) for a dashboard without a
    # period.
    money = [
        outcomes.order_by()
        .values(
            k_regency=F(f"aspiration__{REGENCY}"),
            k_topic=F("aspiration__topic"),
            k_year=year,
        )
        .annotate(
            c_budgeted=Sum("amount") * Value(sign),
            c_realised=Coalesce(Sum("realised_amount"), Value(0), output_field=DecimalField())
            * Value(sign),
            c_outcomes=Count("pk") * Value(sign),
        )
        .query.sql_with_params()
        for year in (F("fiscal_year"), Value(0))
    ]
    _upsert(MoneySummary._meta.db_table, MONEY_KEY, MONEY_COLUMNS, money)


def _apply_ids(ids, sign):
    ids = list(ids)
    if ids:
        _apply(
            Aspiration.objects.counted().filter(pk__in=ids),
            BudgetOutcome.objects.filter(aspiration__in=ids, aspiration__duplicate_of=None),
            sign,
        )


def add(ids):
    """Count the aspirations with primary keys ``ids`` in the summaries: just created, or
    changed after ``remove``. Call inside the transaction that wrote them."""
    _apply_ids(ids, 1)


def remove(ids):
    """Take the aspirations with primary keys ``ids`` out of the summaries before changing
    them (their stage, dimensions or budget outcomes); ``add`` them back after the change,
    in the same transaction, with their rows locked (``select_for_update``) in between."""
    _apply_ids(ids, -1)


@receiver(aspirations_will_change, dispatch_uid="dashboards.summaries.remove")
def _before_change(sender, ids, **kwargs):
    remove(ids)


@receiver(aspirations_changed, dispatch_uid="dashboards.summaries.add")
def _after_change(sender, ids, **kwargs):
    add(ids)


def rebuild():
    """Recompute both summaries from all aspirations and budget outcomes (after seeding in
    bulk, or after rows were changed outside ``aspirations.services``): one
    ``INSERT … SELECT`` per table. At national scale about a minute."""
    with transaction.atomic():
        AspirationSummary.objects.all().delete()
        MoneySummary.objects.all().delete()
        _apply(
            Aspiration.objects.counted(),
            BudgetOutcome.objects.filter(aspiration__duplicate_of=None),
            1,
        )


@contextmanager
def rebuilt_after():
    """Within the block, the writes of ``aspirations.services`` leave the summaries alone;
    when it ends without an error they are rebuilt from all rows (``rebuild``). For loading
    many aspirations through the services (``seed_demo``): keeping the cells costs two
    grouped upserts per write, about 80 ms on SQLite (four of the demo's five minutes),
    where one rebuild of the demo costs under a second. Inside the block the summaries are
    stale: nothing there may read them. Use it inside the transaction of the writes."""
    aspirations_will_change.disconnect(dispatch_uid="dashboards.summaries.remove")
    aspirations_changed.disconnect(dispatch_uid="dashboards.summaries.add")
    try:
        yield
    finally:
        aspirations_will_change.connect(_before_change, dispatch_uid="dashboards.summaries.remove")
        aspirations_changed.connect(_after_change, dispatch_uid="dashboards.summaries.add")
    rebuild()


# --- reading ------------------------------------------------------------------------------


def usable(user, filters):
    """True when ``user``'s dashboard under ``filters`` can be read from the summaries:
    the user sees every aspiration (programme staff, administrators) and the period is
    whole calendar years (1 January to 31 December, either end open). Region and topic
    are keys of the cells."""
    whole_start = filters.start is None or (filters.start.month, filters.start.day) == (1, 1)
    whole_end = filters.end is None or (filters.end.month, filters.end.day) == (12, 31)
    # The cells are per regency: a subdistrict, village or group is counted from the rows.
    coarse = filters.group is None and isinstance(filters.region, Province | Regency | None)
    return coarse and whole_start and whole_end and Aspiration.objects.scope_q(user) == Q()


def _regencies(region):
    if isinstance(region, Province):
        return Regency.objects.filter(province=region).values("pk")
    return [region.pk]


def _cells(grain, filters):
    if grain == "region" and filters.start is None and filters.end is None:
        grain = "region_all"
    cells = AspirationSummary.objects.filter(grain=grain, recorded__gt=0)
    if filters.region is not None:
        cells = cells.filter(regency_id__in=_regencies(filters.region))
    if filters.topic is not None:
        cells = cells.filter(topic_id=filters.topic.pk)
    if filters.start:
        cells = cells.filter(year__gte=filters.start.year)
    if filters.end:
        cells = cells.filter(year__lte=filters.end.year)
    return cells.order_by()


def _sums(columns=None):
    return {name: Sum(name) for name in columns or COLUMNS}


class SummaryCube(d.AspirationCube):
    """``AspirationCube`` read from ``AspirationSummary`` (the same figures, a few hundred
    to a few thousand cells): the whole country from the ``channel`` grain; a region from
    ``region``, with the channels from ``region_channel``."""

    def __init__(self, filters):
        if filters.region is None:
            self.cells = self._read(_cells("channel", filters), "topic", "urusan", "channel")
            self.channel_cells = self.cells
        else:
            self.cells = self._read(_cells("region", filters), "topic", "urusan")
            self.channel_cells = self._read(_cells("region_channel", filters), "topic", "channel")
        self.stops = [
            {
                "stage": stage.value,
                "stopped_at": "" if stopped == NOT_FILLED_KEY else stopped,
                "n": sum(cell[f"stop_{stage.value}_{stopped}"] for cell in self.cells),
            }
            for stage in CLOSED
            for stopped in [*(s.value for s in FORWARD), NOT_FILLED_KEY]
        ]

    @staticmethod
    def _read(cells, *keys):
        names = {f"{key}_id": key for key in keys if key != "channel"}
        fields = [key if key == "channel" else f"{key}_id" for key in keys]
        rows = []
        for cell in cells.values(*fields).annotate(**_sums()):
            row = {names.get(name, name): value for name, value in cell.items()}
            if row.get("urusan") == 0:
                row["urusan"] = None
            rows.append(row)
        return rows

    def cells_by(self, by):
        return self.channel_cells if by == "channel" else self.cells


def breakdown_by_region(filters, level):
    """``dashboards.figures.breakdown_by_region`` from the ``region`` grain:
    ``[(code, name, counts)]`` sorted by name."""
    columns = list(d.funnel_columns())
    per_regency = _cells("region", filters).values("regency_id").annotate(**_sums(columns))
    regencies = {
        pk: (code, name, p_code, p_name)
        for pk, code, name, p_code, p_name in Regency.objects.values_list(
            "pk", "code", "name", "province__code", "province__name"
        )
    }
    totals = {}
    for row in per_regency:
        code, name, p_code, p_name = regencies[row["regency_id"]]
        key = (p_code, p_name) if level == "province" else (code, name)
        counts = totals.setdefault(key, dict.fromkeys(columns, 0))
        for column in columns:
            counts[column] += int(row[column])
    return sorted(
        ((code, name, counts) for (code, name), counts in totals.items()),
        key=lambda item: item[1],
    )


def money(filters):
    """``dashboards.figures.money`` from ``MoneySummary``."""
    first, last = filters.fiscal_years
    cells = MoneySummary.objects.filter(outcomes__gt=0)
    if first is None and last is None:
        cells = cells.filter(fiscal_year=0)
    else:
        cells = cells.exclude(fiscal_year=0)
    if filters.region is not None:
        cells = cells.filter(regency_id__in=_regencies(filters.region))
    if filters.topic is not None:
        cells = cells.filter(topic_id=filters.topic.pk)
    if first:
        cells = cells.filter(fiscal_year__gte=first)
    if last:
        cells = cells.filter(fiscal_year__lte=last)
    sums = {"budgeted": Sum("budgeted"), "realised": Sum("realised"), "outcomes": Sum("outcomes")}
    # Summed per regency and per topic in SQL: about 520 rows to add up in Python, not 5,000.
    per_regency = cells.order_by().values(regency_key=F("regency_id")).annotate(**sums)
    per_topic = cells.order_by().values(topic_key=F("topic_id")).annotate(**sums)
    return d.money_tables(
        [{**row, "topic_key": None} for row in per_regency]
        + [{**row, "regency_key": None} for row in per_topic]
    )


def dashboard_funnel_by_region(user, filters, level):
    """The funnel per region of ``level`` on ``user``'s dashboard under ``filters``, the
    page's table and the API's alike: ``figures.breakdown_by_region``'s ``[(code, name,
    counts)]``, read from the summaries where they serve (``usable``, at the province or
    regency level) and counted from the aspirations otherwise."""
    if level in ("province", "regency") and usable(user, filters):
        return breakdown_by_region(filters, level)
    return d.breakdown_by_region(d.aspirations(user, filters), level)


def dashboard_money(user, filters):
    """The money per regency and per topic on ``user``'s dashboard under ``filters``, the
    page's tables and the API's alike: ``figures.money``'s ``{"regency": rows, "topic":
    rows}``, read from ``MoneySummary`` where the summaries serve (``usable``)."""
    if usable(user, filters):
        return money(filters)
    return d.money(user, filters)


#: Seconds the member figures of the whole programme are kept (``programme_cached``).
PROGRAMME_CACHE_SECONDS = 600


def programme_cached(user, filters, name, compute):
    """``compute()``, kept for ``PROGRAMME_CACHE_SECONDS`` in the cache when ``user`` sees
    every group (programme staff, administrators); computed afresh for everyone else.

    For figures that no summary can hold and that have no drill-down for these users, so
    that no list disagrees with them: the members (600,000 at national scale, about 0.6 s;
    counted in their group on a given day, ages by today's date; ``Dashboard.member_links``)
    and the median days between stages (over the latest 20,000 moves, 0.1 s). They may lag
    behind edits by up to ten minutes. The key holds the name, region, topic, period,
    today's date and the language (the rows carry labels).
    """
    if ConstituentGroup.objects.scope_q(user) != Q():
        return compute()
    region = getattr(filters.region, "code", "")
    group = getattr(filters.group, "pk", "")
    topic = getattr(filters.topic, "pk", "")
    key = (
        f"dashboard:{name}:{region}:{group}:{topic}:{filters.start}:{filters.end}:"
        f"{timezone.localdate()}:{translation.get_language()}"
    )
    return cache.get_or_set(key, compute, PROGRAMME_CACHE_SECONDS)
