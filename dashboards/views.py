"""The home page of each role, the dashboard and the exports of its figures.

Home: each role lands where its work is. An officer lands on their group: member counts,
the latest aspirations, those that wait (not moved for ``settings.STALE_ASPIRATION_DAYS``
days) and the cases of assistance she follows up whose follow-up is overdue. A facilitator
lands on the groups of their regency, with their open cases and overdue follow-ups.
Programme staff and administrators see the dashboard's headline figures and what changed
this month (moves by stage, the newest moves). DPRD staff see their representative's next
reses meetings (local times, WITA or WIT), the open aspirations of their scope by stage and
the agenda items of held meetings still waiting for a response. Everyone else with no group
or regency sees the latest aspirations they may read, as do these two roles below their own.

Dashboard: one page per role's scope: officers see their group, facilitators their regency,
DPRD staff their district, programme staff everything (``dashboards.figures`` starts every
figure from ``visible_to``). Each figure is a ``Table``: the page draws it as a chart and a
table, the export writes the same rows. Counts link to the list they count, with the list's
own filter parameters, for those who may see the rows.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from activities.models import Activity
from aspirations.models import Aspiration
from aspirations.stages import CLOSED, FUNNEL_STEPS, Stage
from assistance.models import AssistanceCase
from assistance.models import Kind as CaseKind
from dashboards import figures as d
from dashboards import summaries, suppression
from dashboards.charts import bar_chart
from groups.models import ConstituentGroup, Province, Regency, Subdistrict, Village
from kk_portal.exports import CODE, MONEY, NUMBER, TEXT, Column, export_format, export_response
from kk_portal.formats import NOT_FILLED_KEY, format_number, format_rupiah
from kk_portal.forms import escape_html
from kk_portal.scoping import Role
from kk_portal.zones import today_in
from members.models import Member, Sex

PERCENT = "percent"
#: How many rows each home list shows.
LATEST = 5
WAITING = 10


def _count_per_group(queryset):
    """Subquery counting ``queryset``'s rows of the outer group (0 when none)."""
    counted = (
        queryset.filter(group=OuterRef("pk"))
        .order_by()
        .values("group")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def member_counts(members):
    """``{"total", "women", "poor_women"}`` of the active members in ``members``."""
    women = Q(sex=Sex.FEMALE)
    return members.active().aggregate(
        total=Count("pk"),
        women=Count("pk", filter=women),
        poor_women=Count("pk", filter=women & Q(is_poor=True)),
    )


@login_required
def home(request):
    """The signed-in user's start page: their group, their regency's groups, or the latest
    aspirations they may read."""
    user = request.user
    context = {"stale_days": settings.STALE_ASPIRATION_DAYS}
    aspirations = Aspiration.objects.visible_to(user).select_related("village", "group")
    if user.role == Role.OFFICER and user.group_id:
        group = user.group
        waiting = aspirations.waiting(today_in(group)).order_by("stage_changed_on", "pk")
        overdue = (
            AssistanceCase.objects.followed_up_by(user)
            .overdue(today_in(group))
            .order_by("follow_up_on", "pk")
        )
        context.update(
            group=group,
            counts=member_counts(Member.objects.visible_to(user)),
            latest=aspirations[:LATEST],
            waiting=waiting[:WAITING],
            waiting_count=waiting.count(),
            overdue_cases=overdue[:WAITING],
            overdue_count=overdue.count(),
        )
        return render(request, "home.html", context)
    if user.role == Role.FACILITATOR and user.regency_id:
        today = today_in(user.regency)
        cases = AssistanceCase.objects.visible_to(user)
        overdue = cases.overdue(today).select_related("group").order_by("follow_up_on", "pk")
        context.update(
            open_cases=cases.open().count(),
            overdue_cases=overdue[:WAITING],
            overdue_count=overdue.count(),
        )
        active = Member.objects.active()
        women = active.filter(sex=Sex.FEMALE)
        groups = (
            ConstituentGroup.objects.visible_to(user)
            .select_related("village")
            .annotate(
                members_total=_count_per_group(active),
                members_women=_count_per_group(women),
                members_poor_women=_count_per_group(women.filter(is_poor=True)),
                aspirations_total=_count_per_group(Aspiration.objects.all()),
                aspirations_waiting=_count_per_group(Aspiration.objects.waiting(today)),
                cases_open=_count_per_group(AssistanceCase.objects.open()),
                cases_overdue=_count_per_group(AssistanceCase.objects.overdue(today)),
            )
        )
        context.update(regency=user.regency, groups=groups)
        return render(request, "home.html", context)
    context.update(latest=aspirations[:LATEST])
    if user.is_superuser or user.role in (Role.PROGRAMME, Role.ADMIN):
        today = today_in(user)
        first, moved, newest = d.moves_this_month(user, today)
        cells, total = home_counts(user, moved, total=True)
        context.update(
            headline=Dashboard(user, d.Filters()).headline(today),
            month_start=first,
            moved=[
                (stage, label, cell)
                for (stage, label, _count), cell in zip(moved, cells, strict=True)
            ],
            moved_total=total,
            moved_protected=any(cell.hidden for cell in [*cells, total]),
            protection_note=protection_note(),
            newest_moves=newest,
        )
    elif user.role == Role.DPRD and user.representative_id:
        now = timezone.now()
        waiting_total, waiting_items = d.awaiting_response(user, now)
        aspiration_list = reverse("aspirations:list")
        open_stages = d.open_by_stage(user)
        cells, _total = home_counts(user, open_stages)
        for (stage, _label, _count), cell in zip(open_stages, cells, strict=True):
            if not cell.hidden:
                cell.url = f"{aspiration_list}?{urlencode({'stage': stage})}"
        context.update(
            representative=user.representative,
            meetings=d.upcoming_meetings(user, now),
            open_stages=[
                (label, cell)
                for (_stage, label, _count), cell in zip(open_stages, cells, strict=True)
            ],
            open_protected=any(cell.hidden for cell in cells),
            protection_note=protection_note(),
            response_total=waiting_total,
            response_items=waiting_items,
        )
    return render(request, "home.html", context)


def protection_note():
    """What "<5" and "·" mean, under a table where cells are hidden (the dashboard's and
    the home pages')."""
    return _(
        "To protect the people counted, counts of 1 to 4 show as %(small)s, and cells "
        "that would let one work them out show as %(complement)s."
    ) % {"small": suppression.SMALL, "complement": suppression.COMPLEMENT}


def home_counts(user, rows, *, total=False):
    """The counts of a home page's table by stage (``rows``: ``[(stage, label, count)]``,
    a count of aspirations or of their moves) as ``user`` is shown them: ``([Cell], total
    Cell or None)``, the total (the sum, shown when ``total``) after the rows.

    The dashboard's small-cell rule (``suppression``), for those who do not see members'
    personal data (programme and DPRD staff, ``figures.sees_personal_data``): counts of 1
    to 4 show as "<5", and complementary suppression hides the cells that would let one
    work them out from the column's sum, which is known whether the page shows it (the
    month's moves) or not (the open aspirations, whose total the dashboard gives).
    """
    cells = [Cell(count) for _stage, _label, count in rows]
    whole = Cell(sum(cell.value for cell in cells)) if total else None
    if d.sees_personal_data(user):
        return cells, whole
    values = dict(enumerate(cell.value for cell in cells))
    if whole is not None:
        values["total"] = whole.value
    small, complements = suppression.protect(values, [list(values)])
    for position, cell in [*enumerate(cells), ("total", whole)]:
        if cell is not None:
            cell.suppressed = position in small
            cell.complement = position in complements
    return cells, whole


@dataclass
class Cell:
    """One table cell: ``value`` (a number, ``Decimal`` Rupiah, text, or ``None`` for a
    suppressed count), its ``kind`` (an ``exports`` kind or ``PERCENT``) and the ``url`` of
    the list it counts (``""`` for none)."""

    value: object
    kind: str = NUMBER
    url: str = ""
    #: A small count (``suppression.SMALL``), or a cell hidden so that none can be derived
    #: (``suppression.COMPLEMENT``).
    suppressed: bool = False
    complement: bool = False

    @property
    def hidden(self):
        return self.suppressed or self.complement

    @property
    def text(self):
        if self.suppressed:
            return suppression.SMALL
        if self.complement:
            return suppression.COMPLEMENT
        if self.kind == MONEY:
            return format_rupiah(self.value)
        if self.kind == NUMBER:
            return format_number(self.value)
        if self.kind == PERCENT:
            return "–" if self.value is None else formats.number_format(self.value, 1) + "%"
        return str(self.value)

    @property
    def export_value(self):
        return self.text if self.hidden else self.value

    @property
    def numeric(self):
        return self.kind in (NUMBER, MONEY, PERCENT)


@dataclass
class Table:
    """A dashboard figure: ``headers`` and ``rows`` of ``Cell`` (the first is the label),
    optionally drawn as a chart of one column."""

    key: str
    title: str
    headers: list
    rows: list
    chart: str = ""
    note: str = ""
    #: Columns shown on a phone (under 600 px), the label's included; the rest from 600 px
    #: and in the download.
    phone_columns: int = 3
    #: Some cells are hidden by the small-cell rule (``Dashboard.protect``).
    protected: bool = False

    @property
    def protection_note(self):
        """What "<5" and "·" mean, under a table where cells are hidden."""
        return protection_note()

    @property
    def phone_hidden(self):
        """How many columns a phone does not show."""
        return max(len(self.headers) - self.phone_columns, 0)

    def head_html(self):
        """The table's ``<thead>`` as safe HTML: the first header is the label's, the others
        are right-aligned (``num``), those after ``phone_columns`` hidden on a phone
        (``extra``)."""
        cells = "".join(
            f'<th scope="col" class="{_column_class(index > 0, index, self.phone_columns)}">'
            f"{escape_html(header)}</th>"
            for index, header in enumerate(self.headers)
        )
        return mark_safe(f"<thead><tr>{cells}</tr></thead>")  # noqa: S308 - every part escaped

    def body_html(self):
        """The table's ``<tbody>`` as safe HTML: each row's first cell a row header, each
        cell linked to its list when it has a ``url``.

        Built here rather than in the template: the page has thousands of cells (a national
        view's regions), and a template loop costs about ten times as much per cell."""
        phone = self.phone_columns
        rows = []
        for row in self.rows:
            cells = [f'<th scope="row">{_cell_html(row[0])}</th>'] if row else []
            cells.extend(
                f'<td class="{_column_class(cell.numeric, index, phone)}">{_cell_html(cell)}</td>'
                for index, cell in enumerate(row[1:], start=1)
            )
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe(f"<tbody>{''.join(rows)}</tbody>")  # noqa: S308 - every part escaped


def _column_class(numeric, index, phone_columns):
    """The class of the cell in column ``index`` (from 0): ``num`` for a number, ``extra``
    from column ``phone_columns`` on (shown from 600 px)."""
    return ("num" if numeric else "") + (" extra" if index >= phone_columns else "")


def _cell_html(cell):
    """A ``Cell``'s text, escaped, as a link to ``cell.url`` when it has one."""
    text = escape_html(cell.text)
    if cell.url:
        return f'<a href="{escape_html(cell.url)}">{text}</a>'
    return text


class Dashboard:
    """The figures of one user's dashboard under the page's filters; tables are built on
    demand so an export computes only its own."""

    def __init__(self, user, filters):
        self.user = user
        self.filters = filters
        self.rows = d.aspirations(user, filters)
        #: Read the aspiration and money figures from the summary tables through this
        #: ``summaries.Cover`` (``None``: counted from the rows).
        self.from_summary = summaries.usable(user, filters)
        self.level = d.region_level(user, filters)
        self.aspiration_links = user.is_authenticated
        self.member_links = user.role in (Role.OFFICER, Role.FACILITATOR)

    @cached_property
    def cube(self):
        if self.from_summary:
            return summaries.SummaryCube(self.user, self.filters, self.from_summary)
        return d.AspirationCube(self.rows)

    @cached_property
    def funnel_counts(self):
        return self.cube.funnel()

    @cached_property
    def money_totals(self):
        return summaries.dashboard_money(self.user, self.filters, summary=self.from_summary)

    @cached_property
    def member_attributes(self):
        return summaries.programme_cached(
            self.user,
            self.filters,
            "members_by_attribute",
            lambda: d.members_by_attribute(self.user, self.filters),
        )

    # Links -------------------------------------------------------------------------------

    def _url(self, name):
        """``reverse(name)``, once per page: a national page links hundreds of cells to the
        same few lists."""
        urls = self.__dict__.setdefault("_urls", {})
        if name not in urls:
            urls[name] = reverse(name)
        return urls[name]

    @cached_property
    def _aspiration_params(self):
        """The aspiration list's filters of the page: ``{name: value}``."""
        # The figures count each need once (``Aspiration.objects.counted``); so does the list.
        params = {"counted": "1", **self._place()}
        if self.filters.topic is not None:
            params["topic"] = self.filters.topic.pk
        if self.filters.start:
            params["raised_from"] = self.filters.start.isoformat()
        if self.filters.end:
            params["raised_to"] = self.filters.end.isoformat()
        return params

    def aspiration_url(self, count, **conditions):
        """The aspiration list with the page's filters and ``conditions``; ``""`` for 0."""
        if not count or not self.aspiration_links:
            return ""
        params = {**self._aspiration_params, **conditions}
        return f"{self._url('aspirations:list')}?{urlencode(params)}"

    def _place(self):
        """The page's region code and group id as list filters (``region``, ``group``)."""
        params = {}
        if self.filters.region is not None:
            params["region"] = self.filters.region.code
        if self.filters.group is not None:
            params["group"] = self.filters.group.pk
        return params

    def row_place(self, code):
        """The list filter of a row of a region table at ``self.level``: ``{"group": id}``
        at the group level, else ``{"region": code}``."""
        return {"group": code} if self.level == "group" else {"region": code}

    def drill_url(self, code):
        """This dashboard one level down: in the region ``code`` of a row at ``self.level``
        (a group's id at the group level, within the page's region), with the page's period
        and topic; ``""`` on a group's own dashboard, the bottom of the drill-down."""
        if self.filters.group is not None:
            return ""
        if self.level == "group":
            params = {"region": self.filters.region.code, "group": code}
        else:
            params = {"region": code}
        return self.dashboard_url(params)

    def dashboard_url(self, params):
        """This dashboard with ``params`` (region, group) and the page's period and topic."""
        params = dict(params)
        if self.filters.topic is not None:
            params["topic"] = self.filters.topic.pk
        if self.filters.start:
            params["start"] = self.filters.start.isoformat()
        if self.filters.end:
            params["end"] = self.filters.end.isoformat()
        return f"{self._url('dashboard:index')}?{urlencode(params)}"

    def breadcrumb(self, root):
        """The way back up from the page's region and group: ``[(label, url)]`` from the
        user's whole scope (labelled ``root``) down to the page's place, whose url is ``""``.
        Levels above ``self.user``'s own regency are left out (a facilitator's scope starts
        there). At most four queries, one per level above the page's."""
        places = []
        place = self.filters.group or self.filters.region
        while place is not None:
            places.append(place)
            place = _parent(place)
        places.reverse()
        own = getattr(self.user, "regency_id", None)
        if own is not None and any(isinstance(p, Regency) and p.pk == own for p in places):
            places = places[[isinstance(p, Regency) for p in places].index(True) + 1 :]
        crumbs = [(root, self._url("dashboard:index"))]
        for place in places:
            if isinstance(place, ConstituentGroup):
                params = {"region": place.village.code, "group": place.pk}
            else:
                params = {"region": place.code}
            crumbs.append((place.name, self.dashboard_url(params)))
        if len(crumbs) > 1:
            crumbs[-1] = (crumbs[-1][0], "")
        return crumbs

    def headline(self, today):
        """The headline figures (``figures.headlines``, read from the summaries where
        they serve) as ``{"current", "previous",
        "figures": [{"label", "value", "text", "change", "url"}]}``, ``change`` the difference
        from the previous window (``None`` when both are 0); for programme and DPRD staff a
        small count reads "<5" (``value`` ``None``) and a change touching one is ``None``."""
        (current, previous), rows = summaries.dashboard_headlines(
            self.user,
            self.filters,
            today,
            summary=self.from_summary,
            # The page's cube, when its tables built one (the home page builds none).
            cube=self.__dict__.get("cube") if self.from_summary else None,
        )
        figures = []
        for key, label, now, before in rows:
            period = {"raised_from": current[0].isoformat(), "raised_to": current[1].isoformat()}
            condition = {} if key == "recorded" else {"reached": key}
            figure = {
                "label": label,
                "value": now,
                "text": format_number(now),
                "change": None if not (now or before) else now - before,
                "url": self.aspiration_url(now, **period, **condition),
            }
            # The small-cell rule: a small count is hidden, and so is the change that would
            # give it (or the previous window's) away.
            if not self.exact and suppression.is_small(now):
                figure.update(value=None, text=suppression.SMALL, url="")
            if not self.exact and (suppression.is_small(now) or suppression.is_small(before)):
                figure["change"] = None
            figures.append(figure)
        return {"current": current, "previous": previous, "figures": figures}

    def member_url(self, count, **conditions):
        """The member list of those in their group on the period's last day, with
        ``conditions``, for officers and facilitators (whose scope is one group or one
        regency, so no region is needed; the list filters by group but not by subdistrict
        or village, so those give no link)."""
        if not count or not self.member_links or self._finer_than_a_list():
            return ""
        day = self.filters.member_day.isoformat()
        params = {"active_on": day, **conditions}
        if self.filters.group is not None:
            params["group"] = self.filters.group.pk
        return f"{self._url('members:list')}?{urlencode(params)}"

    def _finer_than_a_list(self):
        """True on a subdistrict's or village's dashboard, which the member and case lists
        cannot filter by."""
        return self.filters.group is None and isinstance(self.filters.region, Subdistrict | Village)

    def meeting_url(self, count):
        """The reses meeting list with the page's period and regency (its filter knows no
        province, so a province filter gives no link)."""
        if not count or isinstance(self.filters.region, Province | Subdistrict | Village):
            return ""
        params = {}
        if self.filters.region is not None:
            params["regency"] = self.filters.region.pk
        if self.filters.start:
            params["date_from"] = self.filters.start.isoformat()
        if self.filters.end:
            params["date_to"] = self.filters.end.isoformat()
        return f"{self._url('reses:meeting_list')}?{urlencode(params)}"

    def case_url(self, count, **conditions):
        """The case list with the page's period and ``conditions``, for officers and
        facilitators (who see the cases they count); ``""`` for 0 and for others."""
        if not count or not self.member_links or self._finer_than_a_list():
            return ""
        params = {}
        if self.filters.group is not None:
            params["group"] = self.filters.group.pk
        if self.filters.start:
            params["opened_from"] = self.filters.start.isoformat()
        if self.filters.end:
            params["opened_to"] = self.filters.end.isoformat()
        params.update(conditions)
        return f"{self._url('assistance:list')}?{urlencode(params)}"

    def _region_period(self, start="start", end="end"):
        params = self._place()
        if self.filters.start:
            params[start] = self.filters.start.isoformat()
        if self.filters.end:
            params[end] = self.filters.end.isoformat()
        return params

    def activity_url(self, count, **conditions):
        """The activity list with the page's region and period and ``conditions``, for
        officers and facilitators (who see the activities they count)."""
        if not count or not self.member_links:
            return ""
        params = {**self._region_period(), **conditions}
        return f"{self._url('activities:list')}?{urlencode(params)}"

    def attendance_url(self, count, **conditions):
        """The attendance list (one row per person per activity, as the people counts)
        with the page's region and period and ``conditions``, for officers and
        facilitators."""
        # The attendance list has no group filter.
        if not count or not self.member_links or "group" in {**self._place(), **conditions}:
            return ""
        params = {**self._region_period(), **conditions}
        return f"{self._url('activities:attendance_list')}?{urlencode(params)}"

    def role_url(self, count, **conditions):
        """The public-role list of the roles held on the period's last day in the page's
        region, with ``conditions`` (a ``None`` condition is left out, ``held_on=None`` lists
        roles held on any day), for officers and facilitators."""
        if not count or not self.member_links:
            return ""
        params = {"held_on": self.filters.member_day.isoformat(), **conditions}
        params = {name: value for name, value in params.items() if value is not None}
        params.update(self._place())
        return f"{self._url('members:role_list')}?{urlencode(params)}"

    def budget_url(self, count, **conditions):
        """The budget-access list in the page's region and the period's years."""
        return self._yearly_list_url("activities:budget_list", count, conditions)

    def practice_url(self, count, **conditions):
        """The practice list in the page's region and the period's years."""
        return self._yearly_list_url("activities:practice_list", count, conditions)

    def _yearly_list_url(self, url_name, count, conditions):
        """A list filtered by year (``year_min``/``year_max``) in the page's region; "" for 0."""
        if not count:
            return ""
        first, last = self.filters.fiscal_years
        params = self._place()
        if first:
            params["year_min"] = first
        if last:
            params["year_max"] = last
        params.update(conditions)
        return f"{self._url(url_name)}?{urlencode(params)}"

    def people(self, count, url=""):
        """A cell counting people; ``table`` hides it where the rule says (``protect``)."""
        return Cell(count, url=url)

    # Tables ------------------------------------------------------------------------------

    def funnel(self):
        result = self.funnel_counts
        total = result.steps[0][3]
        rows = [
            [
                Cell(label, TEXT),
                Cell(count, url=self.aspiration_url(count, reached=key)),
                Cell(_share(count, total), PERCENT),
            ]
            for key, label, _rank, count in result.steps
        ]
        chart = bar_chart(
            _("Aspirations by furthest stage reached"),
            [(label, count, "bar-funnel") for key, label, _rank, count in result.steps],
        )
        return Table(
            "funnel",
            _("Aspiration funnel"),
            [_("Step reached"), _("Aspirations"), _("% of recorded")],
            rows,
            chart,
            note=_(
                "Counted by the furthest stage reached: every aspiration that reached a step "
                "also counts in the steps before it."
            ),
        )

    def trend(self):
        """The funnel per calendar year raised: how each year's aspirations went on."""
        steps = [(key, label) for key, label, _rank in FUNNEL_STEPS]
        rows = []
        bars = []
        if self.from_summary:
            years = summaries.trend_by_year(self.user, self.filters, self.cube, self.from_summary)
        else:
            years = d.trend_by_year(self.rows)
        for year, counts in years:
            start = max(datetime.date(year, 1, 1), self.filters.start or datetime.date.min)
            end = min(datetime.date(year, 12, 31), self.filters.end or datetime.date.max)
            period = {"raised_from": start.isoformat(), "raised_to": end.isoformat()}
            row = [Cell(str(year), TEXT)]
            for key, _label in steps:
                condition = {} if key == "recorded" else {"reached": key}
                # The year's own bounds replace the page's period in the link.
                url = self.aspiration_url(counts[key], **period, **condition)
                row.append(Cell(counts[key], url=url))
            rows.append(row)
            bars.append((str(year), counts["recorded"], "bar-funnel"))
        return Table(
            "trend",
            _("Trend by year raised"),
            [_("Year raised"), *(label for _key, label in steps)],
            rows,
            bar_chart(_("Aspirations recorded per year"), bars),
            note=_("Each year's aspirations by the furthest step they have reached so far."),
        )

    def closed(self):
        result = self.funnel_counts
        labels = [str(Stage(stage).label) for stage in CLOSED]
        rows = []
        for index, (stopped, label, _count) in enumerate(result.closed[CLOSED[0].value]):
            row = [Cell(label, TEXT)]
            for stage in CLOSED:
                count = result.closed[stage.value][index][2]
                row.append(
                    Cell(
                        count, url=self.aspiration_url(count, stage=stage.value, stopped_at=stopped)
                    )
                )
            if any(cell.value for cell in row[1:]):
                rows.append(row)
        return Table(
            "closed",
            _("Not accommodated and withdrawn, by the stage where they stopped"),
            [_("Stopped at"), *labels],
            rows,
        )

    def breakdown(self, by):
        titles = {
            "topic": (_("By topic"), _("Topic")),
            "urusan": (_("By urusan"), _("Urusan")),
            "channel": (_("By channel"), _("Channel")),
            "province": (_("By province"), _("Province")),
            "regency": (_("By regency"), _("Regency")),
            "subdistrict": (_("By subdistrict"), _("Subdistrict")),
            "village": (_("By village"), _("Village")),
            "group": (_("By group"), _("Group")),
        }
        keys = [key for key, _label in d.funnel_labels()]
        headers = [label for _key, label in d.funnel_labels()]
        by_region = by in d.LEVELS
        rows = []
        bars = []
        if by_region:
            groups = summaries.dashboard_funnel_by_region(
                self.user, self.filters, by, summary=self.from_summary
            )
        else:
            groups = self.cube.breakdown(by)
        for key, label, counts in groups:
            # A region opens its own dashboard, one level down.
            row = [Cell(label, TEXT, url=self.drill_url(key) if by_region else "")]
            for column in keys:
                if by_region:
                    condition = self.row_place(key)
                else:
                    condition = {by: "null" if key == NOT_FILLED_KEY else key}
                if column in {s.value for s in CLOSED}:
                    condition["stage"] = column
                elif column != "recorded":
                    condition["reached"] = column
                row.append(
                    Cell(counts[column], url=self.aspiration_url(counts[column], **condition))
                )
            rows.append(row)
            bars.append((label, counts["recorded"], ""))
        return Table(
            f"by_{by}",
            titles[by][0],
            [titles[by][1], *headers],
            rows,
            bar_chart(titles[by][0], bars) if bars else "",
        )

    def beneficiaries(self):
        rows = []
        for key, label, count in self.cube.beneficiaries():
            rows.append(
                [Cell(label, TEXT), Cell(count, url=self.aspiration_url(count, benefits=key))]
            )
        return Table(
            "beneficiaries",
            _("Who benefits"),
            [_("Benefits"), _("Aspirations")],
            rows,
            bar_chart(_("Who benefits"), [(r[0].value, r[1].value, "") for r in rows]),
            note=_("An aspiration may benefit several groups of people."),
        )

    def money(self, by):
        title = _("Money by regency") if by == "regency" else _("Money by topic")
        rows = [
            [Cell(label, TEXT), Cell(budgeted, MONEY), Cell(realised, MONEY), Cell(outcomes)]
            for _key, label, budgeted, realised, outcomes in self.money_totals[by]
        ]
        return Table(
            f"money_{by}",
            title,
            [
                _("Regency") if by == "regency" else _("Topic"),
                _("Budgeted"),
                _("Realised"),
                _("Budget outcomes"),
            ],
            rows,
            note=_("Money is counted by fiscal year: the years of the chosen period."),
            # Two amounts in Rupiah do not fit beside a name at 360 px.
            phone_columns=2,
        )

    def durations(self):
        recorded = self.funnel_counts.steps[0][3]
        durations, bounded = summaries.scope_cached(
            self.user,
            self.filters,
            "durations",
            lambda: d.stage_durations(self.rows, recorded),
        )
        rows = [
            [Cell(label, TEXT), Cell(days), Cell(moves)] for _s, label, days, moves in durations
        ]
        note = _("Days between the dates of consecutive steps on the timeline.")
        if bounded:
            note += " " + _("Over the latest %(moves)s moves recorded.") % {
                "moves": format_number(d.DURATION_MOVES)
            }
        return Table(
            "durations",
            _("Median days between stages"),
            [_("To reach"), _("Median days from the stage before"), _("Moves")],
            rows,
            bar_chart(
                _("Median days between stages"), [(r[0].value, r[1].value, "") for r in rows]
            ),
            note=note,
        )

    def reses(self):
        counts = d.reses_attendance(self.user, self.filters)
        rows = [
            [
                Cell(_("Reses meetings"), TEXT),
                Cell(counts["meetings"], url=self.meeting_url(counts["meetings"])),
            ],
            [Cell(_("Women attending"), TEXT), Cell(counts["female"])],
            [Cell(_("Men attending"), TEXT), Cell(counts["male"])],
            [Cell(_("Poor people attending"), TEXT), Cell(counts["poor"])],
            [Cell(_("People with disability attending"), TEXT), Cell(counts["disability"])],
            [Cell(_("Meetings with attendance not filled"), TEXT), Cell(counts["not_filled"])],
        ]
        return Table(
            "reses",
            _("Reses meetings and attendance"),
            [_("Figure"), _("Number")],
            rows,
            bar_chart(
                _("Reses attendance by sex"),
                [(_("women"), counts["female"], "bar-women"), (_("men"), counts["male"], "")],
            ),
            note=_("The topic filter does not apply to meetings."),
        )

    def members(self):
        rows = []
        bars = []
        by_region = summaries.programme_cached(
            self.user,
            self.filters,
            f"members_by_{self.level}",
            lambda: d.members_by_region(self.user, self.filters, self.level),
        )
        for code, name, counts in by_region:
            women = self.people(counts["women"], self.member_url(counts["women"], sex="F"))
            poor = self.people(
                counts["poor_women"], self.member_url(counts["poor_women"], sex="F", is_poor="yes")
            )
            chairs = self.people(
                counts["chairs"], self.member_url(counts["chairs"], position="chair")
            )
            women_chairs = self.people(
                counts["women_chairs"],
                self.member_url(counts["women_chairs"], sex="F", position="chair"),
            )
            members = self.people(counts["members"], self.member_url(counts["members"]))
            women_share = _share(counts["women"], counts["members"])
            poor_share = _share(counts["poor_women"], counts["members"])
            chair_share = _share(counts["women_chairs"], counts["chairs"])
            rows.append(
                [
                    Cell(name, TEXT, url=self.drill_url(code)),
                    Cell(code, CODE),
                    Cell(counts["groups"]),
                    members,
                    women,
                    Cell(women_share, PERCENT),
                    poor,
                    Cell(poor_share, PERCENT),
                    chairs,
                    women_chairs,
                    Cell(chair_share, PERCENT),
                ]
            )
            bars.append((name, women_share, "bar-women"))
        titles = {
            "province": _("Groups and members by province"),
            "regency": _("Groups and members by regency"),
            "subdistrict": _("Groups and members by subdistrict"),
            "village": _("Groups and members by village"),
            "group": _("Groups and members by group"),
        }
        return Table(
            "members_region",
            titles[self.level],
            [
                _("Region"),
                _("Code"),
                _("Groups"),
                _("Members"),
                _("Women"),
                _("% women"),
                _("Poor women"),
                _("% poor women"),
                _("Chairs"),
                _("Women chairs"),
                _("% women among chairs"),
            ],
            rows,
            bar_chart(_("Share of women among members"), bars, percent=True, targets=(70,))
            if bars
            else "",
            note=_(
                "Members in their group on the last day of the period (today without one). The "
                "programme reports over 70 % women members and over 95 % women among chairs. "
                "The topic does not apply to groups and members."
            ),
        )

    def member_attribute(self, attribute):
        result = self.member_attributes
        param = {"age": "age", "sex": "sex", "disability": "has_disability"}[attribute]
        titles = {
            "age": _("Members by age"),
            "sex": _("Members by sex"),
            "disability": _("Members by disability"),
        }
        rows = [
            [Cell(label, TEXT), self.people(count, self.member_url(count, **{param: key}))]
            for key, label, count in result[attribute]
        ]
        rows.append(
            [
                Cell(_("Total"), TEXT),
                self.people(result["members"], self.member_url(result["members"])),
            ]
        )
        bars = [(r[0].value, r[1].value, "") for r in rows[:-1]]
        return Table(
            f"members_{attribute}",
            titles[attribute],
            [_("Bucket"), _("Members")],
            rows,
            bar_chart(titles[attribute], bars),
        )

    @cached_property
    def case_rows(self):
        return d.cases(self.user, self.filters)

    def cases_by_kind(self):
        rows = []
        for kind, label, counts in d.cases_by_kind(self.case_rows):
            row = [Cell(label, TEXT)]
            row.append(self.people(counts["cases"], self.case_url(counts["cases"], kind=kind)))
            for column, _label, _condition, listed in d.CASE_PARTS:
                url = self.case_url(counts[column], kind=kind, **listed)
                row.append(self.people(counts[column], url))
            rows.append(row)
        return Table(
            "cases_kind",
            _("Cases of assistance by kind and outcome"),
            [_("Kind"), *(label for _key, label in d.CASE_COLUMNS)],
            rows,
            bar_chart(
                _("Cases of assistance by kind"),
                [(r[0].value, r[1].value, "") for r in rows if not r[1].suppressed],
            )
            if rows
            else "",
            note=_(
                "Cases opened in the period, each counted once by its current state, so the "
                "parts add up to the cases. Programme staff, DPRD staff and administrators "
                "count cases of violence only per regency and year, below; an officer counts "
                "only the confidential cases she handles."
            ),
        )

    def cases_by_region(self):
        rows = [
            [
                Cell(name, TEXT, url=self.drill_url(code)),
                Cell(code, CODE),
                *(self.people(counts[column]) for column, _label in d.CASE_COLUMNS),
            ]
            for code, name, counts in d.cases_by_region(self.case_rows, self.level)
        ]
        titles = {
            "province": _("Cases of assistance by province"),
            "regency": _("Cases of assistance by regency"),
            "subdistrict": _("Cases of assistance by subdistrict"),
            "village": _("Cases of assistance by village"),
            "group": _("Cases of assistance by group"),
        }
        return Table(
            "cases_region",
            titles[self.level],
            [_("Region"), _("Code"), *(label for _key, label in d.CASE_COLUMNS)],
            rows,
            note=_("Counted where the person helped lives."),
        )

    def cases_by_year(self):
        years = d.cases_by_year(self.case_rows)
        # The kinds counted: no column of violence where it is counted only per regency.
        kinds = [kind for kind in CaseKind if any(counts[kind.value] for _y, counts in years)]
        rows = [
            [
                Cell(str(year), TEXT),
                *(self.people(counts[kind.value]) for kind in kinds),
                self.people(sum(counts.values())),
            ]
            for year, counts in years
        ]
        return Table(
            "cases_year",
            _("Cases of assistance by year opened"),
            [_("Year"), *(kind.label for kind in kinds), _("Total")],
            rows,
        )

    def cases_violence(self):
        rows = [
            [Cell(name, TEXT), Cell(code, CODE), Cell(str(year), TEXT), self.people(count)]
            for code, name, year, count in d.violence_by_regency_year(self.user, self.filters)
        ]
        return Table(
            "cases_violence",
            _("Cases of violence against women or children, per regency and year"),
            [_("Regency"), _("Code"), _("Year"), _("Cases")],
            rows,
            note=_(
                "Confidential cases: only a count per regency and year, counts under 5 shown "
                "as <5 to those who may not see personal data; not shown to DPRD staff."
            ),
        )

    def _attendance_cells(self, counts, **conditions):
        people = {
            "present": {},
            "women": {"sex": Sex.FEMALE},
            "men": {"sex": Sex.MALE},
            "poor": {"poor": "true"},
            "disability": {"disability": "true"},
        }
        return [
            self.people(counts[name], self.attendance_url(counts[name], **conditions, **narrowing))
            for name, narrowing in people.items()
        ]

    def _attendance_headers(self):
        return [_("Present"), _("Women"), _("Men"), _("Poor"), _("With a disability")]

    def activities_by(self, field_name):
        choices = dict(Activity._meta.get_field(field_name).choices)
        rows = [
            [
                Cell(str(choices[value]), TEXT),
                Cell(
                    counts["activities"],
                    url=self.activity_url(counts["activities"], **{field_name: value}),
                ),
                *self._attendance_cells(counts, **{field_name: value}),
            ]
            for value, counts in d.activities_by(self.user, self.filters, field_name)
        ]
        titles = {"kind": _("Activities by kind"), "topic": _("Activities by topic")}
        headers = {"kind": _("Kind"), "topic": _("Topic")}
        return Table(
            f"activities_{field_name}",
            titles[field_name],
            [headers[field_name], _("Activities"), *self._attendance_headers()],
            rows,
            note=_(
                "People counted from the attendance lists; one person at two activities "
                "counts twice."
            ),
        )

    def activities_region(self):
        rows = [
            [
                Cell(name, TEXT, url=self.drill_url(code)),
                Cell(code, CODE),
                Cell(
                    counts["activities"],
                    url=self.activity_url(counts["activities"], **self.row_place(code)),
                ),
                *self._attendance_cells(counts, **self.row_place(code)),
            ]
            for code, name, counts in d.attendance_by_region(self.user, self.filters, self.level)
        ]
        return Table(
            "activities_region",
            _("Activities and participants by region"),
            [_("Region"), _("Code"), _("Activities"), *self._attendance_headers()],
            rows,
            note=_("Counted where the host group lives, in the period."),
        )

    def _role_cells(self, counts, **conditions):
        return [
            self.people(counts["roles"], self.role_url(counts["roles"], **conditions)),
            self.people(counts["women"], self.role_url(counts["women"], sex="F", **conditions)),
            self.people(
                counts["poor_women"],
                self.role_url(counts["poor_women"], sex="F", poor="true", **conditions),
            ),
        ]

    def _role_headers(self):
        return [_("Public roles"), _("Held by women"), _("Held by poor women")]

    def roles_kind(self):
        kinds = d.roles_by_kind(self.user, self.filters)
        rows = [
            [Cell(str(label), TEXT), *self._role_cells(counts, kind=kind)]
            for kind, label, counts in kinds
        ]
        chart = bar_chart(
            _("Public roles held by women"),
            [(str(row[0].value), row[2].value, "") for row in rows],
        )
        return Table(
            "roles_kind",
            _("Members in public roles, by kind"),
            [_("Kind"), *self._role_headers()],
            rows,
            chart if rows else "",
            note=_("Roles held on the last day of the period (today without an end)."),
        )

    def roles_region(self):
        rows = [
            [
                Cell(name, TEXT, url=self.drill_url(code)),
                Cell(code, CODE),
                *self._role_cells(counts, **self.row_place(code)),
            ]
            for code, name, counts in d.roles_by_region(self.user, self.filters, self.level)
        ]
        return Table(
            "roles_region",
            _("Members in public roles, by region"),
            [_("Region"), _("Code"), *self._role_headers()],
            rows,
        )

    def roles_year(self):
        rows = [
            # Roles taken up that year, whether or not still held: no day to hold them on.
            [Cell(str(year), TEXT), *self._role_cells(counts, year=year, held_on=None)]
            for year, counts in d.roles_by_year(self.user, self.filters)
        ]
        return Table(
            "roles_year",
            _("Public roles taken up, by year"),
            [_("Year"), *self._role_headers()],
            rows,
        )

    def roles_year_end(self):
        rows = [
            [Cell(str(year), TEXT), *self._role_cells(counts, held_on=day.isoformat())]
            for year, day, counts in d.roles_by_year_end(self.user, self.filters)
        ]
        chart = bar_chart(
            _("Women members in public roles at the year's end"),
            [(str(row[0].value), row[2].value, "") for row in rows],
        )
        return Table(
            "roles_year_end",
            _("Public roles held at each year's end"),
            [_("Year"), *self._role_headers()],
            rows,
            chart if rows else "",
            note=_("Roles held on 31 December; this year's on the last day of the period."),
        )

    def budget_by(self, field_name):
        rows = [
            [
                Cell(str(label), TEXT),
                Cell(sums["rows"], url=self.budget_url(sums["rows"], **{field_name: value})),
                Cell(sums["amount"], MONEY),
                Cell(sums["women"]),
                Cell(sums["men"]),
            ]
            for value, label, sums in d.budget_by(self.user, self.filters, field_name)
        ]
        titles = {"source": _("Budget access by source"), "purpose": _("Budget access by purpose")}
        headers = {"source": _("Source"), "purpose": _("Purpose")}
        return Table(
            f"budget_{field_name}",
            titles[field_name],
            [
                headers[field_name],
                _("Times obtained"),
                _("Amount"),
                _("Women benefiting"),
                _("Men benefiting"),
            ],
            rows,
            note=_("Money the groups obtained in the period's years, in Rupiah."),
        )

    def practices_region(self):
        rows = [
            [
                Cell(name, TEXT, url=self.drill_url(code)),
                Cell(code, CODE),
                Cell(
                    counts["practices"],
                    url=self.practice_url(counts["practices"], **self.row_place(code)),
                ),
                Cell(
                    counts["taken_up"],
                    url=self.practice_url(
                        counts["taken_up"], **self.row_place(code), taken_up="true"
                    ),
                ),
                Cell(counts["adoptions"]),
            ]
            for code, name, counts in d.practices_by_region(self.user, self.filters, self.level)
        ]
        return Table(
            "practices_region",
            _("Practices replicated, by region"),
            [
                _("Region"),
                _("Code"),
                _("Practices"),
                _("Taken up by other groups"),
                _("Times taken up"),
            ],
            rows,
            note=_(
                "Counted where the group that started the practice lives, by the year it started."
            ),
        )

    def table(self, key):
        """The table named ``key``; raises ``Http404`` for an unknown name."""
        builders = {
            "funnel": self.funnel,
            "trend": self.trend,
            "closed": self.closed,
            "by_topic": lambda: self.breakdown("topic"),
            "by_urusan": lambda: self.breakdown("urusan"),
            "by_channel": lambda: self.breakdown("channel"),
            "by_region": lambda: self.breakdown(self.level),
            "beneficiaries": self.beneficiaries,
            "money_regency": lambda: self.money("regency"),
            "money_topic": lambda: self.money("topic"),
            "durations": self.durations,
            "reses": self.reses,
            "members_region": self.members,
            "members_age": lambda: self.member_attribute("age"),
            "members_sex": lambda: self.member_attribute("sex"),
            "members_disability": lambda: self.member_attribute("disability"),
            "cases_kind": self.cases_by_kind,
            "cases_region": self.cases_by_region,
            "cases_year": self.cases_by_year,
            "cases_violence": self.cases_violence,
            "activities_kind": lambda: self.activities_by("kind"),
            "activities_topic": lambda: self.activities_by("topic"),
            "activities_region": self.activities_region,
            "roles_kind": self.roles_kind,
            "roles_region": self.roles_region,
            "roles_year": self.roles_year,
            "roles_year_end": self.roles_year_end,
            "budget_source": lambda: self.budget_by("source"),
            "budget_purpose": lambda: self.budget_by("purpose"),
            "practices_region": self.practices_region,
        }
        if key not in builders:
            raise Http404
        table = builders[key]()
        table.key = key
        if key in d.GUARDS and not self.exact:
            self.protect(table, d.GUARDS[key])
        return table

    @cached_property
    def exact(self):
        """True when the user may see members' rows, and so every count exactly."""
        return d.sees_personal_data(self.user)

    def protect(self, table, guard):
        """Hide the small counts of ``table`` and the cells that would let one work them out
        (``figures.hidden_cells``), their links and the shares built on them, in place. The
        chart is left out when a cell is hidden: its bars would show the values."""
        cells = [[(cell.kind, cell.value) for cell in row] for row in table.rows]
        small, complements = d.hidden_cells(cells, len(table.headers), guard)
        rows = range(len(table.rows)) if guard.rows is None else guard.rows
        for r, c in small | complements:
            cell = table.rows[r][c]
            cell.value, cell.url = None, ""
            cell.suppressed = (r, c) in small
            cell.complement = (r, c) in complements
        for r in rows:
            row = table.rows[r]
            for percent, numerator, denominator in guard.shares:
                if row[numerator].hidden or (denominator is not None and row[denominator].hidden):
                    row[percent] = Cell(None, PERCENT)
        if small:
            table.protected = True
            table.chart = ""

    TABLES = (
        "funnel",
        "trend",
        "closed",
        "by_region",
        "by_topic",
        "by_urusan",
        "by_channel",
        "beneficiaries",
        "money_regency",
        "money_topic",
        "durations",
        "reses",
        "members_region",
        "members_age",
        "members_sex",
        "members_disability",
        "cases_kind",
        "cases_region",
        "cases_year",
        "cases_violence",
        "activities_kind",
        "activities_topic",
        "activities_region",
        "roles_kind",
        "roles_region",
        "roles_year",
        "roles_year_end",
        "budget_source",
        "budget_purpose",
        "practices_region",
    )


def _parent(place):
    """The region ``place`` (a group or region) lies in; ``None`` above a province."""
    for attribute in ("village", "subdistrict", "regency", "province"):
        if hasattr(place, f"{attribute}_id"):
            return getattr(place, attribute)
    return None


def _share(part, whole):
    """``part`` as a percentage of ``whole`` (a float), ``None`` when ``whole`` is 0."""
    return round(100 * part / whole, 1) if whole else None


def _filter_form(request):
    return d.DashboardFilterForm(request.GET or None, user=request.user)


@login_required
def dashboard(request):
    """The dashboard of the signed-in user's scope under the filters in the query string."""
    form = _filter_form(request)
    tables = []
    headline = None
    scope = _scope_label(request.user)
    breadcrumb = []
    if form.is_bound and not form.is_valid():
        filters = None
    else:
        filters = _filters_in_scope(request.user, form)
        board = Dashboard(request.user, filters)
        tables = [board.table(key) for key in Dashboard.TABLES]
        headline = board.headline(today_in(request.user))
        breadcrumb = board.breadcrumb(scope)
    return render(
        request,
        "dashboard/index.html",
        {
            "form": form,
            "headline": headline,
            "tables": tables,
            "query": _query_without(request.GET, "format"),
            "scope": scope,
            "breadcrumb": breadcrumb,
        },
    )


def _filters_in_scope(user, form):
    """The ``Filters`` of a valid (or unbound) form; raises ``Http404`` when they name a
    region or group where ``user`` sees no group (``figures.in_scope``)."""
    filters = form.filters() if form.is_bound else d.Filters()
    if not d.in_scope(user, filters):
        raise Http404
    return filters


def _scope_label(user):
    """What the user's dashboard covers, in words: their group, regency or district."""
    if user.role == Role.OFFICER and user.group_id:
        return _("Group %(name)s") % {"name": user.group}
    if user.role == Role.FACILITATOR and user.regency_id:
        return str(user.regency)
    if user.role == Role.DPRD and user.representative_id:
        return _("District %(district)s of %(name)s") % {
            "district": user.representative.district,
            "name": user.representative,
        }
    return _("All regions")


def _query_without(query, *names):
    copy = query.copy()
    for name in names:
        copy.pop(name, None)
    return copy.urlencode()


@login_required
def export_table(request, key):
    """One dashboard table as XLSX (default) or CSV, with the page's filters and scope."""
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        messages = [str(m) for errors in form.errors.values() for m in errors]
        return HttpResponseBadRequest(" ".join(messages), content_type="text/plain; charset=utf-8")
    filters = _filters_in_scope(request.user, form)
    table = Dashboard(request.user, filters).table(key)
    columns = [
        Column(str(header), _cell_getter(index), _export_kind(table, index))
        for index, header in enumerate(table.headers)
    ]
    return export_response(
        table.rows, columns, filename=f"dasbor-{key}", fmt=export_format(request), title=table.title
    )


def _cell_getter(index):
    return lambda row: row[index].export_value


def _export_kind(table, index):
    kinds = {cell.kind for row in table.rows for cell in row[index : index + 1]}
    if kinds <= {MONEY}:
        return MONEY
    if kinds <= {NUMBER, PERCENT}:
        return NUMBER
    if kinds <= {CODE}:
        return CODE
    return TEXT
