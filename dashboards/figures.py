"""Figures of the dashboards: the funnel, its breakdowns, money, time, reses and members,
each scoped by ``visible_to`` and cut by the page's filters.

Every function here returns plain numbers; views turn them into tables, charts and links.
The rules a figure shares with its drill-down list live with the rows they count: the funnel
steps and beneficiaries on ``Aspiration``'s QuerySet (``reached``, ``benefiting``), the age
buckets and "in the group on a day" on ``Member``'s (``aged``, ``in_group_on``), the "not
filled" bucket in ``kk_portal.formats``. The small-cell rule is in ``suppression``.

Query counts do not grow with rows: each figure is one or two grouped queries.
"""

import datetime
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db import connections
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, Attendance, BudgetAccess, ReplicatedPractice
from aspirations.models import (
    Aspiration,
    AspirationEvent,
    Beneficiary,
    Channel,
    EventKind,
    Topic,
    Urusan,
    reached_q,
    summary_columns,
)
from aspirations.stages import CLOSED, FORWARD, FUNNEL_STEPS, Stage
from assistance.models import AssistanceCase, Kind
from assistance.models import Outcome as CaseOutcome
from assistance.models import Status as CaseStatus
from assistance.services import CLOSING_OUTCOMES
from dashboards import suppression
from groups.models import (
    ConstituentGroup,
    Province,
    Regency,
    Subdistrict,
    Village,
    region_by_code,
    region_choices,
    region_q,
)
from kk_portal.exports import NUMBER
from kk_portal.formats import NOT_FILLED, NOT_FILLED_KEY
from kk_portal.forms import DateInput, InputRulesMixin, LongSelect
from kk_portal.scoping import Role
from members.models import (
    AGE_BUCKETS,
    Member,
    PublicRole,
    PublicRoleKind,
    Sex,
    age_bucket_q,
    in_group_on_q,
)
from reses.models import AgendaItem, ResesMeeting

#: The lookup from an aspiration, a reses meeting or a group to its regency.
REGENCY = "village__subdistrict__regency"
#: The lookup from a row of a group's own work (members, activities …) to its regency.
_HOST_REGENCY = "group__village__subdistrict__regency"
#: Who an aspiration benefits, and the bucket of those that name no one.
BENEFIT_CHOICES = [*Beneficiary.choices, (NOT_FILLED_KEY, NOT_FILLED)]


# --- filters ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The page's filters. ``region`` is a ``Province``, ``Regency``, ``Subdistrict`` or
    ``Village`` (or ``None``); ``group`` a ``ConstituentGroup`` (or ``None``), narrowing the
    region further; ``start``/``end`` bound the date raised, both inclusive; the fiscal years
    of money are the calendar years from ``start`` to ``end``."""

    region: object = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    topic: Topic | None = None
    group: ConstituentGroup | None = None

    @property
    def member_day(self):
        """The day members are counted on: the end of the period, else today."""
        return self.end or timezone.localdate()

    @property
    def fiscal_years(self):
        """``(first, last)`` fiscal year of the period; either may be ``None``."""
        return (self.start.year if self.start else None, self.end.year if self.end else None)


class DashboardFilterForm(InputRulesMixin, forms.Form):
    """Region (a province ``73``, regency ``73.08``, subdistrict ``73.08.01`` or village
    ``73.08.01.2001`` code), group (its id, from a drill-down link), period and topic.

    The region is picked from the provinces and regencies where ``user`` sees groups; the
    finer levels come from the dashboard's drill-down links. Whether the user may look there
    is the view's question (``in_scope``). An unknown code or group, or an end before the
    start, is a form error with a message, never a server error.
    """

    region = forms.CharField(label=_("Region"), required=False, max_length=13)
    start = forms.DateField(label=_("Raised from"), required=False, widget=DateInput)
    end = forms.DateField(label=_("Raised until (inclusive)"), required=False, widget=DateInput)
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, widget=LongSelect
    )
    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=ConstituentGroup.objects.select_related("village"),
        required=False,
        widget=forms.HiddenInput,
        # Hidden, so the message names what the link asked for.
        error_messages={"invalid_choice": _("No group has the id %(value)s.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = region_choices(user)
        typed = (self.data.get("region") or "").strip()
        listed = {code for _g, options in choices[1:] for code, _label in options}
        #: The region typed into the address (from a drill-down link), read once.
        self.typed_region = region_by_code(typed) if typed else None
        if typed and typed not in listed:
            # A code from the address that is not offered still shows as chosen, by name.
            label = self.typed_region.name if self.typed_region is not None else typed
            choices.append((typed, label))
        # Written in Python: programme staff choose among 514 regencies and their provinces.
        self.fields["region"].widget = LongSelect(choices=choices)

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = self.typed_region if code == (self.data.get("region") or "").strip() else None
        region = region or region_by_code(code)
        if region is None:
            raise forms.ValidationError(
                _("No region has the code %(code)s."), params={"code": code}
            )
        return region

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period is before its start."))
        elif start and not end and start > timezone.localdate():
            # Without an end the period runs to today (WITA, the site's zone).
            self.add_error("start", _("The start of the period is after today."))
        group, region = data.get("group"), data.get("region")
        if group is not None and region is not None and not _code_within(group.village, region):
            # Another region chosen on a group's dashboard: the region's, not the group's.
            data["group"] = None
        return data

    def filters(self):
        """``Filters`` of a valid form."""
        data = self.cleaned_data
        return Filters(
            region=data.get("region"),
            start=data.get("start"),
            end=data.get("end"),
            topic=data.get("topic"),
            group=data.get("group"),
        )


def _code_within(place, region):
    """True when ``place`` (a region) lies in ``region``: Kemendagri codes nest
    (``73.08.01.2001`` lies in ``73.08``)."""
    return place.code == region.code or place.code.startswith(f"{region.code}.")


def in_scope(user, filters):
    """True when ``user`` sees a group in the filters' region and group (``visible_to``), or
    no region or group is asked for: a facilitator may not look into another regency."""
    if filters.region is None and filters.group is None:
        return True
    return groups_in_place(ConstituentGroup.objects.visible_to(user), filters).exists()


def place_q(filters, regency_path, group_path=None):
    """``Q`` of rows in the filters' region, through ``regency_path`` from the rows to their
    regency (``groups.models.region_q``), and in its group through ``group_path`` (the rows'
    group; ``None`` where rows have no group, e.g. reses meetings, which are then counted in
    the region only)."""
    q = region_q(filters.region, regency_path)
    if filters.group is not None and group_path is not None:
        q &= Q(**{group_path: filters.group.pk})
    return q


def groups_in_place(groups, filters):
    """``groups`` (a ``ConstituentGroup`` QuerySet) in the filters' region and group."""
    return groups.filter(place_q(filters, REGENCY, "pk"))


#: The levels of the drill-down, each broken down by the next: the whole country by
#: province, a province by regency, a regency by subdistrict, a subdistrict by village, a
#: village by group.
LEVELS = ("province", "regency", "subdistrict", "village", "group")
#: The level a region's rows are broken down by.
_CHILD_LEVEL = {
    Province: "regency",
    Regency: "subdistrict",
    Subdistrict: "village",
    Village: "group",
}


def area(level, village_path, group_path):
    """The expression rows are first grouped by for ``per_region`` at ``level``: their
    group (``group_path``) at the group level, else their village (``village_path``)."""
    return F(group_path) if level == "group" else F(village_path)


def aspirations(user, filters, *, period=True):
    """Aspirations ``user`` sees, in the filters' region and topic and, with ``period``,
    raised in the period. The region is the region of the village the aspiration concerns.
    Each need counts once: linked duplicates are left out (``counted``)."""
    return narrowed(Aspiration.objects.visible_to(user).counted(), filters, period=period)


def narrowed(rows, filters, *, period=True):
    """``rows`` (an ``Aspiration`` QuerySet) in the filters' region and topic and, with
    ``period``, raised in the period: ``aspirations`` without the user's scope, for rows
    already known to be in it (``dashboards.summaries.Cover``)."""
    rows = rows.filter(place_q(filters, REGENCY, "group"))
    if filters.topic is not None:
        rows = rows.filter(topic=filters.topic)
    if period and filters.start:
        rows = rows.filter(raised_on__gte=filters.start)
    if period and filters.end:
        rows = rows.filter(raised_on__lte=filters.end)
    return rows


# --- the funnel ---------------------------------------------------------------------------


def funnel_columns():
    """Conditional counts of the funnel: one per step (cumulative by furthest rank reached,
    DESIGN.md) plus the two closing stages. Keys: the step keys of ``FUNNEL_STEPS``,
    ``not_accommodated`` and ``withdrawn``."""
    columns = {
        key: Count("pk", filter=reached_q(key)) if rank > 1 else Count("pk")
        for key, _label, rank in FUNNEL_STEPS
    }
    for stage in CLOSED:
        columns[stage.value] = Count("pk", filter=Q(stage=stage))
    return columns


def funnel_keys():
    """The keys of ``funnel_columns``, in its order, without building its expressions (the
    page sums cells by them hundreds of times)."""
    return [key for key, _label, _rank in FUNNEL_STEPS] + [stage.value for stage in CLOSED]


def funnel_labels():
    """``[(key, label)]`` of ``funnel_columns``, in its order: the dashboard's headers."""
    return [(key, label) for key, label, _rank in FUNNEL_STEPS] + [
        (stage.value, stage.label) for stage in CLOSED
    ]


#: The headline steps: recorded, in a planning forum, budgeted, realised.
HEADLINE_STEPS = ("recorded", "planning_forum", "budgeted", "realised")


def headline_windows(filters, today):
    """``(current, previous)`` windows of the headline figures, each ``(first, last)`` day,
    both inclusive: the page's period and the period of the same length just before it; with
    no whole period, this calendar year up to ``today`` (or up to the period's end) and the
    same span of the year before. ``today`` is the user's local date."""
    if filters.start and filters.end:
        length = filters.end - filters.start
        previous_end = filters.start - datetime.timedelta(days=1)
        return (filters.start, filters.end), (previous_end - length, previous_end)
    end = filters.end or today
    start = filters.start or end.replace(month=1, day=1)
    return (start, end), (_year_before(start), _year_before(end))


def _year_before(day):
    """The same day a year before; 29 February gives 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def headlines(user, filters, today):
    """The headline figures in ONE query: for each of ``HEADLINE_STEPS``, the aspirations
    raised in the current window that reached it and those of the previous window
    (``headline_windows``), in the filters' region and topic: ``(windows, [(key, label,
    current, previous)])``."""
    current, previous = headline_windows(filters, today)
    rows = aspirations(user, filters, period=False)
    labels = {key: label for key, label, _rank in FUNNEL_STEPS}
    counts = {}
    for name, (first, last) in (("current", current), ("previous", previous)):
        raised = Q(raised_on__gte=first, raised_on__lte=last)
        for key in HEADLINE_STEPS:
            condition = raised if key == "recorded" else raised & reached_q(key)
            counts[f"{name}_{key}"] = Count("pk", filter=condition)
    totals = rows.order_by().aggregate(**counts)
    return (current, previous), [
        (key, labels[key], totals[f"current_{key}"], totals[f"previous_{key}"])
        for key in HEADLINE_STEPS
    ]


def trend_by_year(rows):
    """Funnel counts of ``rows`` per calendar year raised, in ONE query: ``[(year, counts)]``
    oldest first, ``counts`` the ``funnel_columns`` dict."""
    grouped = (
        rows.order_by()
        .annotate(year=ExtractYear("raised_on"))
        .values("year")
        .annotate(**funnel_columns())
        .order_by("year")
    )
    return [(row.pop("year"), row) for row in grouped]


@dataclass
class Funnel:
    """Counts of the funnel: ``steps`` is ``[(key, label, rank, count)]`` in order;
    ``closed`` is ``{closing stage: [(stopped-at key, label, count)]}`` with the
    ``NOT_FILLED`` bucket last for closed rows without a recorded stop."""

    steps: list
    closed: dict = field(default_factory=dict)


def within(queryset, rows, path="aspiration"):
    """``queryset`` restricted to the aspirations in ``rows`` through ``path``.

    When ``rows`` is every aspiration (programme staff without filters) no restriction is
    added: a semi-join with two million rows would cost seconds for nothing.
    """
    if not rows.query.where:
        return queryset
    return queryset.filter(**{f"{path}__in": rows.order_by().values("pk")})


def per_region(grouped, level, columns, keys=()):
    """Sum ``columns`` of ``grouped`` per region of ``level`` (one of ``LEVELS``), in SQL:
    ONE query at every level.

    ``grouped`` is a QuerySet of ``values(area=<village id>, *keys).annotate(*columns)``
    (``area=<group id>`` at the group level, see ``area``): grouping by the village id first
    and joining the places after is about twice as fast at national scale as joining two
    million rows to their regency. Returns rows of ``(code, name, *keys, *sums)`` in order of
    code; a group's code is its id, as text.
    """
    sql, params = grouped.query.sql_with_params()
    outer_keys = "".join(f", x.{key}" for key in keys)
    sums = "".join(f", SUM(x.{column})" for column in columns)
    if level == "group":
        joins = f"JOIN {ConstituentGroup._meta.db_table} g ON g.id = x.area "
        code, name = "g.id", "g.name"
    else:
        joins = (
            f"JOIN {Village._meta.db_table} v ON v.id = x.area "
            f"JOIN {Subdistrict._meta.db_table} s ON s.id = v.subdistrict_id "
            f"JOIN {Regency._meta.db_table} r ON r.id = s.regency_id "
            f"JOIN {Province._meta.db_table} p ON p.id = r.province_id "
        )
        alias = {"province": "p", "regency": "r", "subdistrict": "s", "village": "v"}[level]
        code, name = f"{alias}.code", f"{alias}.name"
    # The database ``grouped`` reads from: the replica when the request may (kk_portal/routers.py).
    with connections[grouped.db].cursor() as cursor:
        cursor.execute(
            f"SELECT {code}, {name}{outer_keys}{sums} FROM ({sql}) x {joins}"
            f"GROUP BY {code}, {name}{outer_keys} ORDER BY {code}",
            params,
        )
        rows = cursor.fetchall()
    if level == "group":
        return [(str(row[0]), *row[1:]) for row in rows]
    return rows


def breakdown_by_region(rows, level):
    """Funnel counts of ``rows`` per ``level`` (one of ``LEVELS``: the region of the village
    concerned, or the group that raised it), in ONE query: ``[(code, name, counts)]`` with
    ``counts`` the ``funnel_columns`` dict, sorted by name."""
    columns = funnel_keys()
    grouped = (
        rows.order_by().values(area=area(level, "village", "group")).annotate(**funnel_columns())
    )
    result = [
        (code, name, dict(zip(columns, (int(v) for v in sums), strict=True)))
        for code, name, *sums in per_region(grouped, level, columns)
    ]
    return sorted(result, key=lambda item: item[1])


#: The columns of ``AspirationCube``: every dimension the funnel's figures are cut by,
#: except the region, which needs joins.
CUBE_FIELDS = ("topic", "urusan", "channel")


class AspirationCube:
    """The funnel, its closed rows, and the breakdowns by topic, urusan, channel and
    beneficiary of an ``Aspiration`` QuerySet, from ONE grouped query (plus one each for
    the topic and urusan names).

    It counts the columns of the summaries (``aspirations.models.summary_columns``: the
    funnel, the beneficiaries and the closed rows by the stage where they stopped) per
    combination of ``CUBE_FIELDS`` (about a hundred cells at national scale, whatever the
    number of aspirations); every figure is then a sum over cells. One pass over the rows:
    a second query for the closed ones would make PostgreSQL read every closed aspiration
    of the country to find a district's.
    """

    def __init__(self, rows):
        columns = {
            name: Count("pk", filter=q) if q is not None else Count("pk")
            for name, q in summary_columns().items()
        }
        self.cells = list(rows.order_by().values(*CUBE_FIELDS).annotate(**columns))
        self.stops = self.stops_of(self.cells)

    @staticmethod
    def stops_of(cells):
        """``[{"stage", "stopped_at", "n"}]``: the closed rows of ``cells`` per closing
        stage and the stage where they stopped (``""`` when not recorded)."""
        return [
            {
                "stage": stage.value,
                "stopped_at": "" if stopped == NOT_FILLED_KEY else stopped,
                "n": sum(cell[f"stop_{stage.value}_{stopped}"] for cell in cells),
            }
            for stage in CLOSED
            for stopped in [*(s.value for s in FORWARD), NOT_FILLED_KEY]
        ]

    def cells_by(self, by):
        """The cells that hold dimension ``by`` (all of them here)."""
        return self.cells

    @staticmethod
    def counts(cells):
        """The ``funnel_columns`` dict summed over ``cells``."""
        return {key: sum(cell[key] for cell in cells) for key in funnel_keys()}

    def funnel(self):
        """The ``Funnel`` of all cells."""
        counts = self.counts(self.cells)
        steps = [(key, label, rank, counts[key]) for key, label, rank in FUNNEL_STEPS]
        stops = {
            (row["stage"], row["stopped_at"] or NOT_FILLED_KEY): row["n"] for row in self.stops
        }
        closed = {}
        for stage in CLOSED:
            closed[stage.value] = [
                (stopped.value, stopped.label, stops.get((stage.value, stopped.value), 0))
                for stopped in FORWARD
            ] + [(NOT_FILLED_KEY, NOT_FILLED, stops.get((stage.value, NOT_FILLED_KEY), 0))]
        return Funnel(steps=steps, closed=closed)

    def breakdown(self, by):
        """Funnel counts per ``by`` (``"topic"``, ``"urusan"`` or ``"channel"``):
        ``[(key, label, counts)]`` with ``NOT_FILLED_KEY`` for a missing urusan; sorted by
        label (urusan by code)."""
        groups = {}
        for cell in self.cells_by(by):
            groups.setdefault(cell[by], []).append(cell)
        if by == "topic":
            labels = dict(Topic.objects.filter(pk__in=groups).values_list("pk", "name"))
        elif by == "urusan":
            labels = {
                pk: f"{code} {name}"
                for pk, code, name in Urusan.objects.filter(pk__in=groups).values_list(
                    "pk", "code", "name"
                )
            }
        else:
            labels = dict(Channel.choices)
        result = [
            (
                NOT_FILLED_KEY if key is None else key,
                NOT_FILLED if key is None else labels.get(key, key),
                self.counts(cells),
            )
            for key, cells in groups.items()
        ]
        return sorted(result, key=lambda item: str(item[1]))

    def beneficiaries(self):
        """How many benefit each group of people: ``[(key, label, count)]`` with a
        ``NOT_FILLED`` bucket for aspirations that name no one. An aspiration may benefit
        several groups, so the counts may add up to more than the total."""
        return [
            (key, label, sum(cell[f"benefit_{key}"] for cell in self.cells))
            for key, label in BENEFIT_CHOICES
        ]


# --- the small-cell rule of the tables ----------------------------------------------------


@dataclass(frozen=True)
class Guard:
    """Which cells of a table count people or their aspirations, for the small-cell rule
    (``suppression``): the ``NUMBER`` cells from column ``first`` on, except ``skip``, in
    the ``rows`` given (``None``: all). ``additive``: each column's cells add up to a total
    the reader knows (the funnel, a total row, the region's row one level up).
    ``rows_add_up``: in each row the first protected cell is the sum of the others, or the
    last one is (a total column). ``shares``: ``(percent, numerator, denominator)`` columns,
    a share hidden with either of its counts (``denominator`` may be ``None``)."""

    first: int = 1
    skip: tuple = ()
    rows: tuple | None = None
    additive: bool = True
    rows_add_up: bool = False
    shares: tuple = ()


#: The tables of the dashboard (``views.Dashboard.TABLES``) counting people or their
#: aspirations, and how their cells add up. Money, durations, groups, activities and
#: practices are not counts of people.
GUARDS = {
    "funnel": Guard(additive=False, shares=((2, 1, None),)),
    "trend": Guard(),
    "closed": Guard(),
    "by_topic": Guard(),
    "by_urusan": Guard(),
    "by_channel": Guard(),
    "by_region": Guard(),
    # An aspiration may benefit several groups of people: the rows do not add up.
    "beneficiaries": Guard(additive=False),
    # The meetings (first and last rows) are not people; attendance by sex, poverty and
    # disability overlap.
    "reses": Guard(rows=(1, 2, 3, 4), additive=False),
    "members_region": Guard(first=3, shares=((5, 4, 3), (7, 6, 3), (10, 9, 8))),
    "members_age": Guard(),
    "members_sex": Guard(),
    "members_disability": Guard(),
    "cases_kind": Guard(rows_add_up=True),
    "cases_region": Guard(first=2, rows_add_up=True),
    "cases_year": Guard(rows_add_up=True),
    # Cases of violence are published only per regency and year: no total to subtract from.
    "cases_violence": Guard(first=3, additive=False),
    "activities_kind": Guard(first=2),
    "activities_topic": Guard(first=2),
    "activities_region": Guard(first=3),
    "roles_kind": Guard(),
    "roles_region": Guard(first=2),
    "roles_year": Guard(),
    # Roles held at each year's end are counted again every year: the years do not add up.
    "roles_year_end": Guard(additive=False),
    "budget_source": Guard(first=3),
    "budget_purpose": Guard(first=3),
}


def hidden_cells(rows, width, guard):
    """The cells of a dashboard table that the small-cell rule (``suppression.protect``)
    hides from those who do not see members' personal data, the page's and the API's alike.

    ``rows`` is the table's rows, each a list of ``width`` cells ``(kind, value)`` with a
    ``kk_portal.exports`` kind (counts are ``NUMBER``, ``None`` counting as 0), the label
    first; ``guard`` (a ``Guard``, ``GUARDS[key]``) says which cells count people and what
    they add up to. Returns ``(small, complements)``: sets of ``(row, column)`` positions.
    """
    guarded = range(len(rows)) if guard.rows is None else guard.rows
    columns = [
        index
        for index in range(guard.first, width)
        if index not in guard.skip and all(rows[r][index][0] == NUMBER for r in guarded)
    ]
    values = {(r, c): rows[r][c][1] or 0 for r in guarded for c in columns}
    relations = []
    if guard.additive:
        relations += [[(r, c) for r in guarded] for c in columns]
    if guard.rows_add_up:
        relations += [[(r, c) for c in columns] for r in guarded]
    return suppression.protect(values, relations)


# --- money --------------------------------------------------------------------------------


def money(user, filters):
    """Rupiah budgeted and realised per regency and per topic, from ONE query grouped by
    both (a few thousand cells at national scale), and one each for their names.

    Counts the budget outcomes of the aspirations ``user`` sees in the filters' region and
    topic, for the fiscal years of the period (the period means the fiscal year for money).
    The query starts from the aspirations so that a small scope is narrowed first.
    Returns ``{"regency": rows, "topic": rows}`` with rows ``[(key, label, budgeted,
    realised, outcomes)]``: ``Decimal`` Rupiah sums and the number of budget outcomes,
    sorted by label.
    """
    return money_tables(money_cells(aspirations(user, filters, period=False), filters))


def money_cells(rows, filters):
    """The budget outcomes of the aspirations ``rows`` in the fiscal years of the filters'
    period, summed per regency and topic of the aspiration, ONE query: a QuerySet of dicts
    with ``regency_key``, ``topic_key``, ``budgeted``, ``realised`` and ``outcomes`` (the
    cells of ``money_tables``)."""
    first, last = filters.fiscal_years
    # One filter() call, so that every condition and the sums use the same join.
    conditions = {"budget_outcomes__isnull": False}
    if first:
        conditions["budget_outcomes__fiscal_year__gte"] = first
    if last:
        conditions["budget_outcomes__fiscal_year__lte"] = last
    return (
        rows.filter(**conditions)
        .order_by()
        .values(regency_key=F("village__subdistrict__regency"), topic_key=F("topic"))
        .annotate(
            budgeted=Sum("budget_outcomes__amount"),
            realised=Sum("budget_outcomes__realised_amount"),
            outcomes=Count("budget_outcomes"),
        )
    )


def money_tables(cells):
    """The rows of ``money`` from ``cells``: dicts with ``regency_key``, ``topic_key``,
    ``budgeted``, ``realised`` (Rupiah sums or ``None``) and ``outcomes``. A cell whose
    key is ``None`` counts in the other table only (the summaries send per-regency and
    per-topic cells)."""
    totals = {"regency": {}, "topic": {}}
    for cell in cells:
        for by in totals:
            key = cell[f"{by}_key"]
            if key is None:
                continue
            entry = totals[by].setdefault(key, [key, None, Decimal(0), Decimal(0), 0])
            entry[2] += _rupiah(cell["budgeted"])
            entry[3] += _rupiah(cell["realised"])
            entry[4] += cell["outcomes"]
    names = {
        # All regencies (514 in the country): one query, whatever the cells hold.
        "regency": dict(Regency.objects.values_list("pk", "name")),
        "topic": dict(Topic.objects.values_list("pk", "name")),
    }
    for by, rows in totals.items():
        for key, entry in rows.items():
            entry[1] = names[by].get(key)
    return {
        by: sorted((tuple(entry) for entry in rows.values()), key=lambda item: str(item[1]))
        for by, rows in totals.items()
    }


def _rupiah(value):
    """A database SUM as ``Decimal`` Rupiah (SQLite returns a float, PostgreSQL a Decimal)."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# --- time between stages ------------------------------------------------------------------


#: The median days between stages are taken over at most this many of the latest moves.
DURATION_MOVES = 20_000
#: No aspiration has more forward moves than this (ranks 2 to 8, rank 5 twice).
MOVES_PER_ASPIRATION = 8


def stage_durations(rows, count):
    """Median whole days each forward stage took to reach from the stage before it.

    Days run between the real-world dates of an aspiration's consecutive timeline steps
    (its "recorded" event on the date raised, then its moves): each move stores the date of
    the step before it (``AspirationEvent.previous_on``, kept by
    ``aspirations.services.link_steps``). Taken over the latest ``DURATION_MOVES`` moves
    (by when they were recorded) of the aspirations in ``rows``, in ONE bounded query of
    those moves alone, read from the index ``event_move_steps`` on PostgreSQL (no window
    over timelines: issue 14). ``count`` is the number of aspirations in ``rows``; when
    they cannot have more moves than the bound, all are read in no order.
    Returns ``([(stage, label, median days, moves)], bounded)`` in the order of the way,
    leaving out stages nobody reached; ``bounded`` is True when older moves were left out.
    """
    forward = [stage.value for stage in FORWARD if stage != Stage.RECORDED]
    moves = within(AspirationEvent.objects.all(), rows).filter(
        kind=EventKind.MOVE, to_stage__in=forward
    )
    if count * MOVES_PER_ASPIRATION > DURATION_MOVES:
        moves = moves.order_by("-pk")[: DURATION_MOVES + 1]
    else:
        # A small scope: all its moves, found through its aspirations, in no order.
        moves = moves.order_by()
    moves = list(moves.values_list("to_stage", "occurred_on", "previous_on"))
    bounded = len(moves) > DURATION_MOVES
    days = {}
    for stage, occurred_on, before in moves[:DURATION_MOVES]:
        if before is not None:
            days.setdefault(stage, []).append((occurred_on - before).days)
    result = [
        (stage, Stage(stage).label, round(statistics.median(days[stage])), len(days[stage]))
        for stage in forward
        if stage in days
    ]
    return result, bounded


# --- reses --------------------------------------------------------------------------------


def reses_attendance(user, filters):
    """Reses meetings ``user`` sees in the region and period (by local meeting date), and
    their attendance, in ONE query: a dict with ``meetings``, ``female``, ``male``, ``poor``,
    ``disability`` and ``not_filled`` (meetings whose attendance by sex is not recorded).
    The topic filter does not apply to meetings."""
    rows = (
        ResesMeeting.objects.visible_to(user)
        .filter(place_q(filters, REGENCY))
        .on_local_days(filters.start or None, filters.end or None)
    )
    counts = rows.order_by().aggregate(
        meetings=Count("pk"),
        female=Sum("attendance_female"),
        male=Sum("attendance_male"),
        poor=Sum("attendance_poor"),
        disability=Sum("attendance_disability"),
        not_filled=Count(
            "pk", filter=Q(attendance_female__isnull=True) | Q(attendance_male__isnull=True)
        ),
    )
    return {key: value or 0 for key, value in counts.items()}


# --- cases of assistance -----------------------------------------------------------------

#: The parts of the case figures, each case in exactly one by its current state (a later
#: obtained or refused step overwrites the case's ``outcome``, so steps are never counted):
#: ``(key, label, condition, list filter)``; the list filter is the case list's query
#: (``assistance.filters.CaseFilter``) showing the same cases.
CASE_PARTS = (
    (
        "open",
        _("Open, no outcome yet"),
        Q(status=CaseStatus.OPEN, outcome=CaseOutcome.NONE),
        {"status": CaseStatus.OPEN.value, "outcome": "none"},
    ),
    *(
        (outcome.value, outcome.label, Q(outcome=outcome), {"outcome": outcome.value})
        for outcome in CLOSING_OUTCOMES
    ),
    (
        "closed_none",
        _("Closed without outcome"),
        Q(status=CaseStatus.CLOSED, outcome=CaseOutcome.NONE),
        {"status": CaseStatus.CLOSED.value, "outcome": "none"},
    ),
)
#: The columns of the case figures: ``(key, label)``, the total then the ``CASE_PARTS``,
#: which add up to it.
CASE_COLUMNS = (("cases", _("Cases")), *((key, label) for key, label, _q, _f in CASE_PARTS))
#: Where a case is counted: the village of the person helped.
CASE_REGION = "person_village__subdistrict__regency"


def _case_columns():
    columns = {"cases": Count("pk")}
    for key, _label, condition, _filter in CASE_PARTS:
        columns[key] = Count("pk", filter=condition)
    return columns


def _cases_in(rows, filters):
    rows = rows.filter(place_q(filters, CASE_REGION, "group"))
    if filters.start:
        rows = rows.filter(opened_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(opened_on__lte=filters.end)
    return rows


def cases(user, filters):
    """Cases of assistance counted on ``user``'s dashboard
    (``AssistanceCase.objects.counted_for``: no violence for programme, DPRD staff and
    administrators), in the filters' region (of the person's village) and opened in the
    period. The topic filter does not apply to cases."""
    return _cases_in(AssistanceCase.objects.counted_for(user), filters)


def cases_by_kind(rows):
    """``[(kind, label, counts)]`` of ``rows`` in ONE query, in the order of ``Kind``, kinds
    without cases left out; ``counts`` holds the ``CASE_COLUMNS``."""
    counted = {
        row["kind"]: row for row in rows.order_by().values("kind").annotate(**_case_columns())
    }
    return [(kind.value, kind.label, counted[kind.value]) for kind in Kind if kind.value in counted]


def cases_by_region(rows, level):
    """``[(code, name, counts)]`` of ``rows`` per ``level`` (one of ``LEVELS``: the region of
    the person's village, or the case's group), in ONE query; ``counts`` holds the
    ``CASE_COLUMNS``."""
    columns = _case_columns()
    if rows.query.is_empty():
        return []
    grouped = (
        rows.order_by().values(area=area(level, "person_village", "group")).annotate(**columns)
    )
    return [
        (code, name, dict(zip(columns, sums, strict=True)))
        for code, name, *sums in per_region(grouped, level, list(columns))
    ]


def cases_by_year(rows):
    """``[(year, {kind: count})]`` of ``rows`` by the year opened, in ONE query, oldest
    first; every kind is a key, 0 where none."""
    years = {}
    grouped = (
        rows.order_by()
        .annotate(year=ExtractYear("opened_on"))
        .values("year", "kind")
        .annotate(n=Count("pk"))
    )
    for row in grouped:
        years.setdefault(row["year"], dict.fromkeys(Kind.values, 0))[row["kind"]] = row["n"]
    return sorted(years.items())


def violence_by_regency_year(user, filters):
    """Cases of violence per regency (of the person's village) and year opened
    (``AssistanceCase.objects.violence_counted_for``: none for DPRD staff), in ONE query:
    ``[(code, name, year, count)]``."""
    rows = _cases_in(AssistanceCase.objects.violence_counted_for(user), filters)
    if rows.query.is_empty():
        return []
    grouped = (
        rows.order_by()
        .annotate(year=ExtractYear("opened_on"))
        .values("year", area=F("person_village"))
        .annotate(cases=Count("pk"))
    )
    return per_region(grouped, "regency", ["cases"], keys=("year",))


# --- groups and members -------------------------------------------------------------------


def sees_personal_data(user):
    """True when ``user`` may see members' rows (officers, facilitators, administrators)."""
    return Member.objects.all().scope_q(user) is not None


def members_in_scope(user, filters):
    """Members counted on ``user``'s dashboard: in the filters' region and in their group at
    the end of the period (``members.models.in_group_on_q``; today without an end).

    THE rule for member aggregates: those who may see members' personal data count
    ``Member.objects.visible_to(user)``; programme and DPRD staff, who see aggregates only,
    count the members of the groups they see (``ConstituentGroup.objects.visible_to``) and get
    their small cells suppressed (``suppression``, applied by the views). The topic does not
    apply to members.
    """
    if sees_personal_data(user):
        rows = Member.objects.visible_to(user)
    else:
        rows = Member.objects.filter(group__in=ConstituentGroup.objects.visible_to(user))
    return rows.filter(in_group_on_q(filters.member_day), place_q(filters, _HOST_REGENCY, "group"))


def groups_in_scope(user, filters):
    """Groups ``user`` sees in the filters' region, founded by the day members are counted
    on (or with no founding date known)."""
    founded = Q(founded_on__isnull=True) | Q(founded_on__lte=filters.member_day)
    return groups_in_place(ConstituentGroup.objects.visible_to(user), filters).filter(founded)


def member_columns():
    """Conditional counts of members: women, poor women, chairs, women chairs."""
    chair = Q(position=Member.Position.CHAIR)
    return {
        "members": Count("pk"),
        "women": Count("pk", filter=Q(sex=Sex.FEMALE)),
        "poor_women": Count("pk", filter=Q(sex=Sex.FEMALE, is_poor=True)),
        "chairs": Count("pk", filter=chair),
        "women_chairs": Count("pk", filter=chair & Q(sex=Sex.FEMALE)),
    }


def members_by_region(user, filters, level):
    """Groups and members per ``level`` (one of ``LEVELS``), two queries.

    Returns ``[(code, name, counts)]`` with ``counts`` holding ``groups`` and the
    ``member_columns`` keys, sorted by code.
    """
    columns = list(member_columns())
    groups = (
        groups_in_scope(user, filters)
        .order_by()
        .values(area=area(level, "village", "pk"))
        .annotate(groups=Count("pk"))
    )
    members = (
        members_in_scope(user, filters)
        .order_by()
        .values(area=area(level, "group__village", "group"))
        .annotate(**member_columns())
    )
    empty = dict.fromkeys(columns, 0)
    table = {}
    for code, name, count in per_region(groups, level, ["groups"]):
        table[code] = [name, {"groups": int(count), **empty}]
    for code, name, *sums in per_region(members, level, columns):
        entry = table.setdefault(code, [name, {"groups": 0, **empty}])
        entry[1].update(zip(columns, (int(v) for v in sums), strict=True))
    return [(code, name, counts) for code, (name, counts) in sorted(table.items())]


def members_by_attribute(user, filters):
    """Members by age bucket, sex and disability in ONE query.

    Returns ``{"age": [(key, label, count)], "sex": [...], "disability": [...]}``; each list
    adds up to the number of active members in scope, ``NOT_FILLED`` included.
    """
    today = timezone.localdate()
    columns = {"members": Count("pk")}
    for key, _label, _low, _high in AGE_BUCKETS:
        columns[f"age_{key}"] = Count("pk", filter=age_bucket_q(key, today))
    columns[f"age_{NOT_FILLED_KEY}"] = Count("pk", filter=age_bucket_q(NOT_FILLED_KEY, today))
    for value, _label in Sex.choices:
        columns[f"sex_{value}"] = Count("pk", filter=Q(sex=value))
    columns["disability_yes"] = Count("pk", filter=Q(has_disability=True))
    columns["disability_no"] = Count("pk", filter=Q(has_disability=False))
    counts = members_in_scope(user, filters).order_by().aggregate(**columns)
    return {
        "members": counts["members"],
        "age": [(key, label, counts[f"age_{key}"]) for key, label, _l, _h in AGE_BUCKETS]
        + [(NOT_FILLED_KEY, NOT_FILLED, counts[f"age_{NOT_FILLED_KEY}"])],
        "sex": [(value, label, counts[f"sex_{value}"]) for value, label in Sex.choices],
        "disability": [
            ("yes", _("with a disability"), counts["disability_yes"]),
            ("no", _("without a disability"), counts["disability_no"]),
        ],
    }


def region_level(user, filters):
    """The level (one of ``LEVELS``) regions are broken down by: provinces for a national
    view (programme staff and administrators without a region filter), regencies for the
    other scopes without one, the next level below the region asked for, and the group
    itself when one is."""
    if filters.group is not None:
        return "group"
    if filters.region is None:
        national = user.is_superuser or user.role in (Role.PROGRAMME, Role.ADMIN)
        return "province" if national else "regency"
    return _CHILD_LEVEL[type(filters.region)]


# --- the groups' own work: activities, public roles, budget access ----------------------


def activities_in_scope(user, filters):
    """Activities counted on ``user``'s dashboard: hosted in the filters' region, held in
    the period (the host group's local date, both ends inclusive).

    Those who see attendance (officers, facilitators, administrators) count
    ``Activity.objects.visible_to(user)``; programme and DPRD staff, who see aggregates
    only, count the activities hosted by the groups they see (small cells suppressed).
    """
    if Activity.objects.all().scope_q(user) is not None:
        rows = Activity.objects.visible_to(user)
    else:
        rows = Activity.objects.filter(group__in=ConstituentGroup.objects.visible_to(user))
    rows = rows.filter(place_q(filters, _HOST_REGENCY, "group"))
    if filters.start:
        rows = rows.filter(held_on__gte=filters.start)
    if filters.end:
        rows = rows.filter(held_on__lte=filters.end)
    return rows


def attendance_columns():
    """Conditional counts of attendance rows: present, women, men, poor, with a disability."""
    return {
        "present": Count("pk"),
        "women": Count("pk", filter=Q(sex=Sex.FEMALE)),
        "men": Count("pk", filter=Q(sex=Sex.MALE)),
        "poor": Count("pk", filter=Q(is_poor=True)),
        "disability": Count("pk", filter=Q(has_disability=True)),
    }


def activities_by(user, filters, field_name):
    """Activities and their attendance by ``field_name`` (``"kind"`` or ``"topic"``), in
    TWO queries: ``[(value, {"activities", "present", "women", "men", "poor",
    "disability"})]`` in the order of the field's choices, values without activities left
    out."""
    rows = activities_in_scope(user, filters)
    activities = dict(
        rows.order_by().values_list(field_name).annotate(n=Count("pk")).values_list(field_name, "n")
    )
    people = {
        row.pop(f"activity__{field_name}"): row
        for row in Attendance.objects.filter(activity__in=rows.order_by().values("pk"))
        .order_by()
        .values(f"activity__{field_name}")
        .annotate(**attendance_columns())
    }
    empty = dict.fromkeys(attendance_columns(), 0)
    choices = Activity._meta.get_field(field_name).choices
    return [
        (value, {"activities": activities[value], **people.get(value, empty)})
        for value, _label in choices
        if value in activities
    ]


def attendance_by_region(user, filters, level):
    """Activities and their participants by sex, poverty and disability per ``level`` (one
    of ``LEVELS``, of the host group), TWO queries:
    ``[(code, name, counts)]`` sorted by code."""
    rows = activities_in_scope(user, filters)
    columns = list(attendance_columns())
    activities = (
        rows.order_by()
        .values(area=area(level, "group__village", "group"))
        .annotate(activities=Count("pk"))
    )
    people = (
        Attendance.objects.filter(activity__in=rows.order_by().values("pk"))
        .order_by()
        .values(area=area(level, "activity__group__village", "activity__group"))
        .annotate(**attendance_columns())
    )
    table = {}
    for code, name, count in per_region(activities, level, ["activities"]):
        table[code] = [name, {"activities": int(count), **dict.fromkeys(columns, 0)}]
    for code, name, *sums in per_region(people, level, columns):
        entry = table.setdefault(code, [name, {"activities": 0, **dict.fromkeys(columns, 0)}])
        entry[1].update(zip(columns, (int(v) for v in sums), strict=True))
    return [(code, name, counts) for code, (name, counts) in sorted(table.items())]


def roles_in_scope(user, filters):
    """Public roles counted on ``user``'s dashboard: of members in the filters' region,
    held on the day members are counted on (the period's end, else today). Scoped as
    ``members_in_scope``: programme and DPRD staff count the roles of the members of the
    groups they see."""
    if sees_personal_data(user):
        rows = PublicRole.objects.visible_to(user)
    else:
        rows = PublicRole.objects.filter(
            member__group__in=ConstituentGroup.objects.visible_to(user)
        )
    return rows.filter(place_q(filters, f"member__{_HOST_REGENCY}", "member__group"))


def role_conditions():
    """Which public roles each role column counts: all, held by women, by poor women."""
    return {
        "roles": Q(),
        "women": Q(member__sex=Sex.FEMALE),
        "poor_women": Q(member__sex=Sex.FEMALE, member__is_poor=True),
    }


def role_columns():
    """Conditional counts of public roles: all, held by women, held by poor women."""
    return {name: Count("pk", filter=q) for name, q in role_conditions().items()}


def roles_by_kind(user, filters):
    """Public roles held on ``filters.member_day`` by kind, ONE query:
    ``[(kind, label, counts)]`` in the order of ``PublicRoleKind``, kinds without roles
    left out."""
    held = roles_in_scope(user, filters).held_on(filters.member_day)
    counts = {
        row.pop("kind"): row for row in held.order_by().values("kind").annotate(**role_columns())
    }
    return [(kind, label, counts[kind]) for kind, label in PublicRoleKind.choices if kind in counts]


def roles_by_region(user, filters, level):
    """Public roles held on ``filters.member_day`` per ``level`` (one of ``LEVELS``), ONE
    query."""
    columns = list(role_columns())
    grouped = (
        roles_in_scope(user, filters)
        .held_on(filters.member_day)
        .order_by()
        .values(area=area(level, "member__group__village", "member__group"))
        .annotate(**role_columns())
    )
    return [
        (code, name, dict(zip(columns, (int(v) for v in sums), strict=True)))
        for code, name, *sums in per_region(grouped, level, columns)
    ]


def roles_by_year(user, filters):
    """Public roles taken up per year (the year of ``started_on``) within the period's
    years, ONE query: ``[(year, counts)]`` in year order; over time, how many roles
    members, and women among them, took up."""
    first, last = filters.fiscal_years
    rows = roles_in_scope(user, filters)
    if first:
        rows = rows.filter(started_on__year__gte=first)
    if last:
        rows = rows.filter(started_on__year__lte=last)
    grouped = (
        rows.order_by()
        .values(year=ExtractYear("started_on"))
        .annotate(**role_columns())
        .order_by("year")
    )
    return [(row.pop("year"), row) for row in grouped]


def role_year_ends(user, filters):
    """The days roles held are counted on, one a year: 31 December of each year from the
    period's start (else the year the first role in scope began) to the year of
    ``filters.member_day``, whose own year ends on that day. ``[(year, date)]``, at most
    one query."""
    last = filters.member_day
    if filters.start:
        first = filters.start.year
    else:
        first = roles_in_scope(user, filters).aggregate(first=Min("started_on__year"))["first"]
    if first is None:
        return []
    return [(year, min(datetime.date(year, 12, 31), last)) for year in range(first, last.year + 1)]


def roles_by_year_end(user, filters):
    """Public roles held at each year's end (``role_year_ends``), the stock the yearly
    intake of ``roles_by_year`` builds, TWO queries at most: ``[(year, day, counts)]`` in
    year order, ``counts`` as ``role_columns``."""
    days = role_year_ends(user, filters)
    if not days:
        return []
    columns = {
        f"{name}_{year}": Count("pk", filter=PublicRole.objects.held_on_q(day) & q)
        for year, day in days
        for name, q in role_conditions().items()
    }
    counts = roles_in_scope(user, filters).aggregate(**columns)
    return [
        (year, day, {name: counts[f"{name}_{year}"] for name in role_conditions()})
        for year, day in days
    ]


def budget_in_scope(user, filters):
    """Budget access of the groups ``user`` sees, in the filters' region and the period's
    years (``Filters.fiscal_years``)."""
    rows = BudgetAccess.objects.visible_to(user).filter(place_q(filters, _HOST_REGENCY, "group"))
    first, last = filters.fiscal_years
    if first:
        rows = rows.filter(year__gte=first)
    if last:
        rows = rows.filter(year__lte=last)
    return rows


def budget_columns():
    """Sums of budget-access rows: count, Rupiah, women and men benefiting."""
    return {
        "rows": Count("pk"),
        "amount": Sum("amount"),
        "women": Sum("women"),
        "men": Sum("men"),
    }


def budget_by(user, filters, field_name):
    """Budget access by ``field_name`` (``"source"`` or ``"purpose"``), ONE query:
    ``[(value, label, sums)]`` in the order of the field's choices."""
    sums = {
        row.pop(field_name): row
        for row in budget_in_scope(user, filters)
        .order_by()
        .values(field_name)
        .annotate(**budget_columns())
    }
    choices = BudgetAccess._meta.get_field(field_name).choices
    return [(value, label, sums[value]) for value, label in choices if value in sums]


def practices_in_scope(user, filters):
    """Replicated practices ``user`` sees (``ReplicatedPractice.objects.visible_to``),
    started in the filters' region (the group that started it) and the period's years."""
    rows = ReplicatedPractice.objects.visible_to(user).filter(
        place_q(filters, _HOST_REGENCY, "group")
    )
    first, last = filters.fiscal_years
    if first:
        rows = rows.filter(started_on__year__gte=first)
    if last:
        rows = rows.filter(started_on__year__lte=last)
    return rows


def practices_by_region(user, filters, level):
    """Practices per ``level`` (one of ``LEVELS``) of the group that started them, ONE query:
    ``[(code, name, {"practices", "taken_up", "adoptions"})]`` in order of code:
    practices started, those some other group took up, and the times groups took them up
    (one group taking up two practices counts twice)."""
    columns = ["practices", "taken_up", "adoptions"]
    grouped = (
        practices_in_scope(user, filters)
        .order_by()
        .values(area=area(level, "group__village", "group"))
        .annotate(
            practices=Count("pk", distinct=True),
            taken_up=Count("pk", filter=Q(adoptions__isnull=False), distinct=True),
            adoptions=Count("adoptions"),
        )
    )
    return [
        (code, name, dict(zip(columns, (int(v) for v in sums), strict=True)))
        for code, name, *sums in per_region(grouped, level, columns)
    ]


# --- home pages ---------------------------------------------------------------------------


def moves_this_month(user, today, newest=10):
    """What changed this month in ``user``'s scope: the moves (timeline events of kind
    "moved") dated from the first of ``today``'s month (the user's local date) to ``today``,
    of the aspirations ``user`` sees, in TWO queries.

    Returns ``(first day, [(stage, label, count)], newest moves)``: the counts per stage
    moved to, in the order of the way, stages nobody moved to left out; the ``newest``
    latest moves (``AspirationEvent`` with their aspiration and its village), by date then
    by when they were recorded.
    """
    first = today.replace(day=1)
    moves = AspirationEvent.objects.visible_to(user).filter(
        kind=EventKind.MOVE, occurred_on__gte=first, occurred_on__lte=today
    )
    counts = dict(moves.order_by().values_list("to_stage").annotate(n=Count("pk")))
    stages = [(stage.value, stage.label, counts[stage.value]) for stage in Stage if stage in counts]
    latest = moves.select_related("aspiration__village").order_by("-occurred_on", "-pk")[:newest]
    return first, stages, list(latest)


def open_by_stage(user):
    """The open aspirations ``user`` sees (``Aspiration.objects.open``: neither realised
    nor closed) per stage, ONE query: ``[(stage, label, count)]`` in the order of the way,
    stages without any left out. For DPRD staff, the aspirations addressed to their
    representative or concerning a village of the district."""
    counts = dict(
        Aspiration.objects.visible_to(user)
        .open()
        .order_by()
        .values_list("stage")
        .annotate(n=Count("pk"))
    )
    return [(stage.value, stage.label, counts[stage.value]) for stage in Stage if stage in counts]


def upcoming_meetings(user, now, count=5):
    """The next ``count`` reses meetings ``user`` sees starting from ``now`` (an aware
    datetime), soonest first, with their village and regency (whose zone, WITA or WIT,
    their times are shown in), ONE query."""
    return list(
        ResesMeeting.objects.visible_to(user)
        .filter(starts_at__gte=now)
        .select_related("village__subdistrict__regency", "representative")
        .order_by("starts_at", "pk")[:count]
    )


def awaiting_response(user, now, count=10):
    """Agenda items waiting for the representative's response: accepted items of reses
    meetings ``user`` sees that have started by ``now`` (held) with no response recorded.
    ``(total, [AgendaItem])``, the oldest meetings first, TWO queries."""
    items = AgendaItem.objects.filter(
        meeting__in=ResesMeeting.objects.visible_to(user).filter(starts_at__lte=now).values("pk"),
        accepted=True,
        response="",
    )
    listed = items.select_related("aspiration", "meeting__village__subdistrict__regency").order_by(
        "meeting__starts_at", "meeting", "order", "pk"
    )[:count]
    return items.count(), list(listed)
