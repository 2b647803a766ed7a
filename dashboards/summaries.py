"""Keeping and reading the summary tables of the dashboards (DESIGN.md: "summary tables
kept up to date by the move function are welcome where live aggregates are too slow").

``AspirationSummary`` counts aspirations per cell (see its docstring) and ``MoneySummary``
sums budget outcomes per regency, topic and fiscal year. Both are kept exact and in the same
transaction as the write: every function of ``aspirations.services`` that changes an
aspiration's stage, dimensions or budget outcomes sends ``aspirations_will_change`` after
locking the row and ``aspirations_changed`` after the change (``aspirations.signals``);
``dashboards.apps`` connects them to ``remove(ids)`` and ``add(ids)`` here (two
``INSERT … SELECT … ON CONFLICT`` upserts each, cells and money, through the same grouped
queries that ``rebuild`` runs over all rows, compiled once per process and number of ids).
The admin edits aspirations through those functions too.

The dashboard reads them where its filters are expressible in the cells (``usable``):
a scope of whole regencies (programme-wide; a facilitator's regency; the regencies lying
wholly in a DPRD district, ``Cover``), a province or regency, a topic, any period: its
whole years from the yearly grains, its whole months from the monthly ones and the days at
either end (at most two partial months) from the aspirations (``split``). Other scopes use
the live queries of ``dashboards.figures``, which remain the definition:
``tests/dashboards/test_summaries.py`` compares both, for random periods, regions, topics,
scopes and rows. A database whose summaries were built before the monthly grains needs
``manage.py rebuild_summaries`` after ``migrate``. Both count each need once: linked
duplicates (``Aspiration.objects.counted``) are in neither.
"""

import calendar
import contextlib
import contextvars
import datetime
import functools
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear
from django.dispatch import receiver
from django.utils import timezone, translation

from aspirations.models import Aspiration, BudgetOutcome, summary_columns
from aspirations.signals import aspirations_changed, aspirations_will_change
from aspirations.stages import FUNNEL_STEPS
from dashboards import figures as d
from dashboards.models import AspirationSummary, MoneySummary
from groups.models import ConstituentGroup, Province, Regency

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
#: The grain by month of each grain by year: a period that starts or ends inside a year
#: reads its whole years from the first, its whole months from the second and only its
#: days at either end from the aspirations (``split``).
MONTHLY = {grain: f"{grain}_month" for grain in ("region", "channel", "region_channel")}
GRAINS.update({MONTHLY[grain]: {**GRAINS[grain], "month": True} for grain in MONTHLY})
KEY = ("grain", "regency_id", "topic_id", "urusan_id", "channel", "year", "month")
#: The order a rebuild writes the cells in: a period's cells are read together.
ORDER = ("grain", "year", "month")
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
        "k_month": ExtractMonth("raised_on") if spec.get("month") else Value(0),
    }
    counts = {
        f"c_{name}": (Count("pk", filter=q) if q is not None else Count("pk")) * Value(sign)
        for name, q in COLUMNS.items()
    }
    query = rows.order_by().values(**keys).annotate(**counts).query
    if list(query.annotation_select) != [*keys, *counts]:
        raise RuntimeError("Unexpected column order in the summary query.")
    return query.sql_with_params()


def _upsert(table, key, columns, selects, *, ordered=False):
    """``(sql, params)`` of ``INSERT INTO table … SELECT … ON CONFLICT (key) DO UPDATE``
    adding the counts of ``selects`` (``[(sql, params)]``) to the cells; ``ordered``: rows
    written in the order of ``ORDER`` (a rebuild), so that the cells of one grain and period
    lie together on disk."""
    sql = " UNION ALL ".join(s for s, _p in selects)
    if ordered:
        sql += " ORDER BY " + ", ".join(str(key.index(name) + 1) for name in ORDER)
    params = [p for _s, ps in selects for p in ps]
    names = ", ".join([*key, *columns])
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {table} ({names}) {sql} "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET {updates}",
        params,
    )


def _upserts(rows, outcomes, sign, *, ordered=False):
    """The two upserts, ``[(sql, params)]``, that add the cells of ``rows`` (Aspiration
    QuerySet) and the money of ``outcomes`` (BudgetOutcome QuerySet) times ``sign``."""
    table = AspirationSummary._meta.db_table
    cells = _upsert(
        table, KEY, list(COLUMNS), [_grain_select(g, rows, sign) for g in GRAINS], ordered=ordered
    )
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
    return [cells, _upsert(MoneySummary._meta.db_table, MONEY_KEY, MONEY_COLUMNS, money)]


def _execute(statements):
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


class _Id:
    """Where the ``n``-th aspiration id goes in the parameters of a compiled statement
    (``_statements_for_ids``); an object of its own, so that no other parameter is taken
    for it."""

    def __init__(self, n):
        self.n = n


@functools.lru_cache(maxsize=8)
def _statements_for_ids(count, sign):
    """``_upserts`` of ``count`` aspirations given by id, times ``sign``, compiled once per
    process: ``[(sql, params)]`` with an ``_Id`` in the parameters where each id goes.

    Building the two upserts through the ORM (six grouped queries of 40 counts each) takes
    about 60 ms of Python, twice per move (``remove``, then ``add``); the SQL itself runs
    in a few milliseconds (bench/RESULTS.md, stage moves)."""
    slots = [_Id(n) for n in range(count)]
    ids = RawSQL(", ".join(["%s"] * count), slots)
    statements = _upserts(
        Aspiration.objects.counted().filter(pk__in=ids),
        BudgetOutcome.objects.filter(aspiration__in=ids, aspiration__duplicate_of=None),
        sign,
    )
    for _sql, params in statements:
        found = sum(isinstance(p, _Id) for p in params)
        if not found or found % count:
            raise RuntimeError("The ids are missing from a compiled summary statement.")
    return statements


def _apply_ids(ids, sign):
    ids = list(ids)
    if ids:
        _execute(
            (sql, [ids[p.n] if isinstance(p, _Id) else p for p in params])
            for sql, params in _statements_for_ids(len(ids), sign)
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


#: How many ids ``deferred`` counts again per statement.
DEFERRED_CHUNK = 500
#: Inside ``deferred()``: the ids taken out of the summaries (or created) and not yet put
#: back; inside ``deferred(rolled_back=True)``, ``_ROLLED_BACK``; ``None`` outside.
_deferred = contextvars.ContextVar("summaries_deferred", default=None)
_ROLLED_BACK = object()


@contextlib.contextmanager
def deferred(*, rolled_back=False):
    """Within the block, gather the summary updates of every write to aspirations: a row's
    old counts are taken out at its first change, and every row written is counted again
    once when the block ends, instead of twice per move (an import writes thousands of rows
    with several moves each). Use it inside the writes' transaction; nested blocks leave the
    work to the outermost. On an exception nothing is put back, so the transaction must be
    rolled back, as ``atomic`` does; so must any savepoint inside the block that is rolled
    back alone, or its rows would be counted twice.

    ``rolled_back=True`` is for writes whose transaction the caller always rolls back (an
    import's preview tries each row so): the summaries are then not touched at all."""
    if _deferred.get() is not None:
        yield
        return
    touched = _ROLLED_BACK if rolled_back else set()
    token = _deferred.set(touched)
    try:
        yield
    finally:
        _deferred.reset(token)
    if touched is _ROLLED_BACK:
        return
    ids = sorted(touched)
    # In chunks: each upsert repeats the ids once per grain, and PostgreSQL takes at most
    # 65,535 parameters in one statement.
    for start in range(0, len(ids), DEFERRED_CHUNK):
        add(ids[start : start + DEFERRED_CHUNK])


@receiver(aspirations_will_change, dispatch_uid="dashboards.summaries.remove")
def _before_change(sender, ids, **kwargs):
    touched = _deferred.get()
    if touched is None:
        remove(ids)
    elif touched is not _ROLLED_BACK:
        first = [pk for pk in ids if pk not in touched]
        remove(first)
        touched.update(first)


@receiver(aspirations_changed, dispatch_uid="dashboards.summaries.add")
def _after_change(sender, ids, **kwargs):
    touched = _deferred.get()
    if touched is None:
        add(ids)
    elif touched is not _ROLLED_BACK:
        touched.update(ids)


def rebuild():
    """Recompute both summaries from all aspirations and budget outcomes (after seeding in
    bulk, or after rows were changed outside ``aspirations.services``): one
    ``INSERT … SELECT`` per table. At national scale about a minute."""
    with transaction.atomic():
        AspirationSummary.objects.all().delete()
        MoneySummary.objects.all().delete()
        _execute(
            _upserts(
                Aspiration.objects.counted(),
                BudgetOutcome.objects.filter(aspiration__duplicate_of=None),
                1,
                ordered=True,
            )
        )
        if connection.vendor == "postgresql":
            # Fresh statistics, so that the planner knows a period's few thousand cells.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {AspirationSummary._meta.db_table}")


@contextlib.contextmanager
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


class Cover:
    """How the summaries serve one user's dashboard under its filters (``usable``): the
    cells of ``regencies`` (ids; ``None``: every regency, for those who see every
    aspiration), plus ``rest``, the aspirations the user sees in the filters' region and
    topic, raised on any day, that concern a village outside those regencies (an
    ``Aspiration`` QuerySet, ``figures.aspirations`` narrowed; ``None``: none), counted
    from the rows."""

    def __init__(self, regencies=None, rest=None):
        self.regencies = regencies
        self.rest = rest

    @functools.cached_property
    def rest_cells(self):
        """``[dict]``: ``rest`` counted per day raised, regency (``regency_id``) and
        ``figures.CUBE_FIELDS``, the summary's columns; ONE query, read once for all the
        page's figures (a few rows: the aspirations addressed to a representative from
        outside the district, those a facilitator's groups raised for another regency)."""
        if self.rest is None:
            return []
        return list(
            self.rest.order_by()
            .values("raised_on", *d.CUBE_FIELDS, regency_id=F(REGENCY))
            .annotate(**_counts())
        )

    def rest_in(self, first, last):
        """The ``rest_cells`` raised from ``first`` to ``last`` (dates, both inclusive;
        ``None``: open)."""
        return [
            row
            for row in self.rest_cells
            if (first is None or row["raised_on"] >= first)
            and (last is None or row["raised_on"] <= last)
        ]


def usable(user, filters):
    """The ``Cover`` through which ``user``'s dashboard under ``filters`` is read from the
    summaries, or ``None`` where it is counted from the rows. The region must be a
    province or a regency (keys of the cells) or none, and the user's scope whole regencies
    (``Aspiration.objects.whole_regencies``): programme staff and administrators (all of
    them); a facilitator's regency, unless another regency's group raised an aspiration
    concerning it; a DPRD district's regencies that lie wholly in it. What the user sees
    outside those regencies is counted from the rows (``Cover.rest``). Any period serves:
    whole years and months from the cells, the days at either end from the aspirations
    (``split``); the topic is a key of the cells.

    Raises nothing; one or two small queries for scoped users, none for the others."""
    # The cells are per regency: a subdistrict, village or group is counted from the rows.
    coarse = filters.group is None and isinstance(filters.region, Province | Regency | None)
    if not coarse:
        return None
    regencies, rest = Aspiration.objects.whole_regencies(user)
    if regencies is None:
        return Cover()
    if not regencies:
        return None
    # ``rest`` is the user's scope outside the regencies already: no need to add the whole
    # scope again (a DPRD scope is a union of two id lists, 0.1 s at national scale).
    return Cover(
        regencies, d.narrowed(Aspiration.objects.counted().filter(rest), filters, period=False)
    )


@dataclass(frozen=True)
class Period:
    """A period of days raised, as the summaries serve it.

    ``years`` is ``(first, last)``, the whole calendar years read from the yearly grains
    (either end ``None``: open; ``years`` ``None``: no whole year); ``months`` is
    ``((year, first month, last month), …)``, whole months read from the monthly grains (at
    most two runs, one in the first year and one in the last); ``days`` is ``((first day,
    last day), …)``, dates inclusive, at most two spans each within one month, counted from
    the aspirations themselves."""

    years: tuple | None
    months: tuple = ()
    days: tuple = ()


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def split(start, end):
    """The ``Period`` of the days ``start`` to ``end`` (dates, both inclusive; ``None``:
    open), e.g. 15 March to 30 September 2025: the days 15 to 31 March, the months April to
    September, no whole year."""
    days = []
    if start is not None and start.day != 1:
        last = _month_end(start)
        if end is not None and end <= last:
            return Period(None, (), ((start, end),))
        days.append((start, last))
        start = last + datetime.timedelta(days=1)
    if end is not None and end != _month_end(end):
        first = end.replace(day=1)
        days.append((first, end))
        end = first - datetime.timedelta(days=1)
    if start is not None and end is not None and start > end:
        return Period(None, (), tuple(days))
    months = []
    if start is not None and start.month != 1:
        last_month = end.month if end is not None and end.year == start.year else 12
        months.append((start.year, start.month, last_month))
        start = datetime.date(start.year + 1, 1, 1)
    if end is not None and end.month != 12 and (start is None or start <= end):
        months.append((end.year, 1, end.month))
        end = datetime.date(end.year - 1, 12, 31)
    if start is not None and end is not None and start > end:
        return Period(None, tuple(months), tuple(days))
    years = (start.year if start else None, end.year if end else None)
    return Period(years, tuple(months), tuple(days))


def _period_q(grain, period):
    """``Q`` of the cells of the yearly ``grain`` and of its monthly grain that hold the
    whole years and months of ``period``."""
    cells = Q(pk__in=[])
    if period.years is not None:
        first, last = period.years
        yearly = Q(grain=grain)
        if first is not None:
            yearly &= Q(year__gte=first)
        if last is not None:
            yearly &= Q(year__lte=last)
        cells |= yearly
    for year, first, last in period.months:
        cells |= Q(grain=MONTHLY[grain], year=year, month__gte=first, month__lte=last)
    return cells


def _regencies(region):
    if isinstance(region, Province):
        return Regency.objects.filter(province=region).values("pk")
    return [region.pk]


def _cells(grain, filters, period, cover, *, by_year=False):
    """The cells of ``grain`` (a yearly grain) holding ``period`` in the filters' region
    and topic and the ``Cover``'s regencies; without a period at all, ``region`` reads
    ``region_all`` unless the cells must tell the years apart (``by_year``)."""
    if grain == "region" and not by_year and period == Period((None, None)):
        cells = AspirationSummary.objects.filter(grain="region_all")
    else:
        cells = AspirationSummary.objects.filter(_period_q(grain, period))
    cells = cells.filter(recorded__gt=0)
    if filters.region is not None:
        cells = cells.filter(regency_id__in=_regencies(filters.region))
    if filters.topic is not None:
        cells = cells.filter(topic_id=filters.topic.pk)
    if cover.regencies is not None:
        cells = cells.filter(regency_id__in=cover.regencies)
    return cells.order_by()


def _days(user, filters, period, cover):
    """The aspirations of ``period``'s days at either end in the ``Cover``'s regencies, one
    QuerySet per span, narrowed as the live figures narrow them (``figures.aspirations``,
    the definition)."""
    if cover.regencies is None:
        rows = Aspiration.objects.visible_to(user).counted()
    else:
        # The user sees every aspiration of these regencies (``usable``): their scope need
        # not be added again.
        rows = Aspiration.objects.counted().filter(
            village__subdistrict__regency__in=cover.regencies
        )
    return [
        d.narrowed(rows, replace(filters, start=first, end=last)) for first, last in period.days
    ]


def _sums(columns=None):
    return {name: Sum(name) for name in columns or COLUMNS}


def _counts(columns=None):
    """The summary's columns counted from aspirations, as ``_grain_select`` counts them."""
    return {
        name: Count("pk", filter=COLUMNS[name]) if COLUMNS[name] is not None else Count("pk")
        for name in columns or COLUMNS
    }


def _total(rows):
    """``{column: count}`` of ``rows`` (dicts of the summary's columns) added up."""
    return {name: sum(row[name] for row in rows) for name in COLUMNS}


def _add_up(rows, keys):
    """``rows`` (dicts) with equal values of ``keys`` added up into one, column by column."""
    totals = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        if key not in totals:
            totals[key] = dict(row)
            continue
        entry = totals[key]
        for name, value in row.items():
            if name not in keys:
                entry[name] += value
    return list(totals.values())


class SummaryCube(d.AspirationCube):
    """``AspirationCube`` read from ``AspirationSummary`` (the same figures, a few hundred
    to a few thousand cells): the whole country from the ``channel`` grains; a region or a
    scope of regencies from ``region``, with the channels from ``region_channel``; the days
    of a period that are no whole month, and the ``Cover``'s rest, counted from the
    aspirations (``split``). ``cover``: ``usable``'s, computed when not given."""

    def __init__(self, user, filters, cover=None):
        cover = usable(user, filters) if cover is None else cover
        period = split(filters.start, filters.end)
        # Each span of days is counted once, by every key of the cube; the regional cells
        # and the span's totals (``days``, for the trend and the headlines) add them up.
        spans = [
            list(rows.order_by().values(*d.CUBE_FIELDS).annotate(**_counts()))
            for rows in _days(user, filters, period, cover)
        ]
        #: ``{(first, last): {column: count}}`` of each span of days.
        self.days = {span: _total(rows) for span, rows in zip(period.days, spans, strict=True)}
        live = [row for rows in spans for row in rows]
        live += cover.rest_in(filters.start, filters.end)
        if _grain_of(filters, cover) == "channel":
            keys = d.CUBE_FIELDS
            self.cells = self._read(_cells("channel", filters, period, cover), live, *keys)
            self.channel_cells = self.cells
        else:
            self.cells = self._read(
                _cells("region", filters, period, cover), live, "topic", "urusan"
            )
            self.channel_cells = self._read(
                _cells("region_channel", filters, period, cover), live, "topic", "channel"
            )
        self.stops = self.stops_of(self.cells)

    @staticmethod
    def _read(cells, live, *keys):
        names = {f"{key}_id": key for key in keys if key != "channel"}
        fields = [key if key == "channel" else f"{key}_id" for key in keys]
        rows = []
        for cell in cells.values(*fields).annotate(**_sums()):
            row = {names.get(name, name): value for name, value in cell.items()}
            if row.get("urusan") == 0:
                row["urusan"] = None
            rows.append(row)
        rows += ({key: row[key] for key in [*keys, *COLUMNS]} for row in live)
        return _add_up(rows, keys)

    def cells_by(self, by):
        return self.channel_cells if by == "channel" else self.cells


def breakdown_by_region(user, filters, level, cover=None):
    """``dashboards.figures.breakdown_by_region`` from the ``region`` grains (and the
    aspirations of the days no whole month holds, and the ``Cover``'s rest; ``cover``
    computed when not given): ``[(code, name, counts)]`` sorted by name."""
    cover = usable(user, filters) if cover is None else cover
    columns = d.funnel_keys()
    period = split(filters.start, filters.end)
    per_regency = list(
        _cells("region", filters, period, cover).values("regency_id").annotate(**_sums(columns))
    )
    for span in _days(user, filters, period, cover):
        per_regency += span.order_by().values(regency_id=F(REGENCY)).annotate(**_counts(columns))
    per_regency += cover.rest_in(filters.start, filters.end)
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


def _grain_of(filters, cover):
    """The yearly grain that holds the filters' region in the ``Cover``: the country's
    cells or the regencies'."""
    return "channel" if filters.region is None and cover.regencies is None else "region"


def trend_by_year(user, filters, cube=None, cover=None):
    """``dashboards.figures.trend_by_year`` of the dashboard's aspirations from the
    summaries: ``[(year, counts)]`` oldest first, ``counts`` the ``funnel_columns``. A span
    of days lies in one month, so in one year: ``cube`` (the page's ``SummaryCube``, if
    built) gives its counts without another query. ``cover``: ``usable``'s, computed when
    not given."""
    cover = usable(user, filters) if cover is None else cover
    columns = d.funnel_keys()
    period = split(filters.start, filters.end)
    cells = _cells(_grain_of(filters, cover), filters, period, cover, by_year=True)
    rows = list(cells.values("year").annotate(**_sums(columns)))
    for span in _span_totals(user, filters, period, cover, cube, columns):
        if not span["recorded"]:
            continue  # a year without aspirations has no row, as in the live trend
        rows.append({"year": span["first"].year, **{column: span[column] for column in columns}})
    for row in cover.rest_in(filters.start, filters.end):
        rows.append({"year": row["raised_on"].year, **{column: row[column] for column in columns}})
    return [
        (row["year"], {column: int(row[column]) for column in columns})
        for row in sorted(_add_up(rows, ("year",)), key=lambda row: row["year"])
    ]


def _span_totals(user, filters, period, cover, cube=None, columns=None):
    """``[{"first", **counts}]``: the summary's ``columns`` (default: all) counted over
    each span of days of ``period`` in the filters' region and topic and the ``Cover``'s
    regencies, taken from ``cube.days`` where it holds the span (the same filters, every
    column), else counted (one query a span, only ``columns``)."""
    known = cube.days if cube is not None else {}
    totals = []
    spans = _days(user, filters, period, cover)
    for (first, last), rows in zip(period.days, spans, strict=True):
        counts = known.get((first, last))
        if counts is None:
            counts = rows.order_by().aggregate(**_counts(columns))
        totals.append({"first": first, **counts})
    return totals


def headlines(user, filters, today, cube=None, cover=None):
    """``dashboards.figures.headlines`` from the summaries: each window a period of days
    (``split``), in the filters' region and topic; ``cube`` (the page's ``SummaryCube``)
    gives the spans of days it holds; ``cover``: ``usable``'s, computed when not given."""
    cover = usable(user, filters) if cover is None else cover
    windows = d.headline_windows(filters, today)
    labels = {key: label for key, label, _rank in FUNNEL_STEPS}
    totals = []
    for first, last in windows:
        window = replace(filters, start=first, end=last)
        period = split(first, last)
        cells = _cells(_grain_of(filters, cover), window, period, cover)
        sums = cells.aggregate(**_sums(d.HEADLINE_STEPS))
        counts = {key: int(sums[key] or 0) for key in d.HEADLINE_STEPS}
        mine = cube if (filters.start, filters.end) == (first, last) else None
        spans = _span_totals(user, window, period, cover, mine, d.HEADLINE_STEPS)
        for span in [*spans, *cover.rest_in(first, last)]:
            for key in d.HEADLINE_STEPS:
                counts[key] += span[key]
        totals.append(counts)
    current, previous = totals
    return windows, [(key, labels[key], current[key], previous[key]) for key in d.HEADLINE_STEPS]


def money(filters, cover=None):
    """``dashboards.figures.money`` from ``MoneySummary``, in the ``Cover``'s regencies
    (default: all), plus the budget outcomes of its rest counted from the rows."""
    cover = Cover() if cover is None else cover
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
    if cover.regencies is not None:
        cells = cells.filter(regency_id__in=cover.regencies)
    if first:
        cells = cells.filter(fiscal_year__gte=first)
    if last:
        cells = cells.filter(fiscal_year__lte=last)
    sums = {"budgeted": Sum("budgeted"), "realised": Sum("realised"), "outcomes": Sum("outcomes")}
    # Summed per regency and per topic in SQL: about 520 rows to add up in Python, not 5,000.
    per_regency = cells.order_by().values(regency_key=F("regency_id")).annotate(**sums)
    per_topic = cells.order_by().values(topic_key=F("topic_id")).annotate(**sums)
    # No rest aspiration on any day: no rest outcome either, and no query.
    rest = list(d.money_cells(cover.rest, filters)) if cover.rest_cells else []
    return d.money_tables(
        [{**row, "topic_key": None} for row in per_regency]
        + [{**row, "regency_key": None} for row in per_topic]
        + rest
    )


def dashboard_funnel_by_region(user, filters, level, *, summary=None):
    """The funnel per region of ``level`` on ``user``'s dashboard under ``filters``, the
    page's table and the API's alike: ``figures.breakdown_by_region``'s ``[(code, name,
    counts)]``, read from the summaries where they serve (``summary``: a ``Cover``, or
    false for none; default ``usable``'s; at the province or regency level) and counted
    from the aspirations otherwise."""
    summary = usable(user, filters) if summary is None else summary
    if level in ("province", "regency") and summary:
        return breakdown_by_region(user, filters, level, summary)
    return d.breakdown_by_region(d.aspirations(user, filters), level)


def dashboard_money(user, filters, *, summary=None):
    """The money per regency and per topic on ``user``'s dashboard under ``filters``, the
    page's tables and the API's alike: ``figures.money``'s ``{"regency": rows, "topic":
    rows}``, read from ``MoneySummary`` where the summaries serve (``summary``: a
    ``Cover``, or false for none; default ``usable``'s: money counts by fiscal year, the
    calendar years of the period, so any period of days is whole years to it)."""
    summary = usable(user, filters) if summary is None else summary
    if summary:
        return money(filters, summary)
    return d.money(user, filters)


def dashboard_headlines(user, filters, today, *, summary=None, cube=None):
    """The headline figures of ``user``'s dashboard (``figures.headlines``' ``(windows,
    rows)``), for the page, the home page and the API alike, from the summaries where they
    serve (``summary``: a ``Cover``, or false for none; default ``usable``'s; ``cube``: the
    page's ``SummaryCube``)."""
    summary = usable(user, filters) if summary is None else summary
    if summary:
        return headlines(user, filters, today, cube, summary)
    return d.headlines(user, filters, today)


#: Seconds the member figures of the whole programme are kept (``programme_cached``).
PROGRAMME_CACHE_SECONDS = 600


def programme_cached(user, filters, name, compute):
    """``compute()``, kept for ``PROGRAMME_CACHE_SECONDS`` in the cache when ``user`` sees
    every group (programme staff, administrators), or sees no member's data (DPRD staff:
    kept per representative, ``scope_cached``); computed afresh for everyone else.

    For figures that no summary can hold and that have no drill-down for these users, so
    that no list disagrees with them: the members (600,000 at national scale, about 0.6 s;
    a district's 60 ms; counted in their group on a given day, ages by today's date;
    ``Dashboard.member_links``); the median days between stages are kept for every scope
    (``scope_cached``). They may lag behind edits by up to ten minutes. The key holds the
    name, region, topic, period, today's date and the language (the rows carry labels).
    """
    if ConstituentGroup.objects.scope_q(user) != Q():
        if d.sees_personal_data(user):
            return compute()
        return scope_cached(user, filters, name, compute)
    return cache.get_or_set(_cache_key(name, None, filters), compute, PROGRAMME_CACHE_SECONDS)


def scope_cached(user, filters, name, compute):
    """``compute()`` (a figure of the aspirations ``user`` sees under ``filters``), kept for
    ``PROGRAMME_CACHE_SECONDS`` in the cache and shared by every user of the same scope:
    all aspirations (programme staff, administrators), one group, one regency, one
    representative's. Computed afresh for a user who sees none.

    For the median days between stages (``figures.stage_durations``): no summary holds
    medians, no list drills into them, and a district's or a regency's take 0.15–0.25 s at
    national scale (the latest 20,000 moves, read from the index ``event_move_steps``;
    bench/RESULTS.md). They may lag behind moves by
    up to ten minutes. The key holds the scope, region, group, topic, period, today's date
    and the language (the rows carry labels)."""
    q = Aspiration.objects.scope_q(user)
    if q is None:
        return compute()
    if q == Q():
        scope = "all"
    else:
        scope = f"{user.role}:{user.group_id}:{user.regency_id}:{user.representative_id}"
    return cache.get_or_set(_cache_key(name, scope, filters), compute, PROGRAMME_CACHE_SECONDS)


def _cache_key(name, scope, filters):
    """The cache key of figure ``name`` for ``scope`` (a string; ``None``: the whole
    programme's) under ``filters``: region, group, topic, period, today's date and the
    active language (the figures' rows carry labels)."""
    region = getattr(filters.region, "code", "")
    group = getattr(filters.group, "pk", "")
    topic = getattr(filters.topic, "pk", "")
    scope = "" if scope is None else f"{scope}:"
    return (
        f"dashboard:{name}:{scope}{region}:{group}:{topic}:{filters.start}:{filters.end}:"
        f"{timezone.localdate()}:{translation.get_language()}"
    )
