"""Figures of the public tracker and the scorecards: the funnel and money per regency, and
per representative and implementing agency (OPD, by urusan).

Every figure counts a base QuerySet of aspirations handed in by the caller:
``Aspiration.objects.public()`` for the public pages, ``visible_to(user).counted()`` for
staff. Each counted figure carries the list filters (``params``) whose list shows exactly the
rows it counts (``tests/tracker/test_figures.py`` checks); the rules themselves are
QuerySet methods of ``Aspiration`` (``reached``, ``went_through``, ``heard_by``,
``benefiting``). Query counts do not grow with rows.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aspirations.models import (
    AspirationEvent,
    Beneficiary,
    BudgetOutcome,
    EventKind,
    Urusan,
    reached_q,
)
from aspirations.stages import FUNNEL_STEPS, Stage
from dashboards.figures import funnel_columns
from groups.models import Regency
from reses.models import AgendaItem

#: Seconds the public figures are kept in the cache (``cached``): edits show within this.
CACHE_SECONDS = 600


def cached(name, compute):
    """``compute()`` kept ``CACHE_SECONDS`` in the shared cache under ``name`` and the
    language (the figures carry labels)."""
    return cache.get_or_set(f"tracker:{name}:{translation.get_language()}", compute, CACHE_SECONDS)


def _rupiah(value):
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


# --- the funnel and money per regency -----------------------------------------------------


def by_regency(rows):
    """Funnel counts and Rupiah per regency of the village concerned, in two queries:
    ``[{"code", "name", "counts": funnel_columns dict, "budgeted", "realised"}]`` sorted by
    name, regencies without rows left out."""
    counts = {
        row.pop("regency"): row
        for row in rows.order_by()
        .values(regency=F("village__subdistrict__regency"))
        .annotate(**funnel_columns())
    }
    money = {
        row["regency"]: row
        for row in BudgetOutcome.objects.filter(aspiration__in=rows.order_by().values("pk"))
        .order_by()
        .values(regency=F("aspiration__village__subdistrict__regency"))
        .annotate(budgeted=Sum("amount"), realised=Sum("realised_amount"))
    }
    result = []
    for regency in Regency.objects.filter(pk__in=counts).order_by("name"):
        cell = money.get(regency.pk, {})
        result.append(
            {
                "code": regency.code,
                "name": regency.name,
                "steps": [
                    (key, label, counts[regency.pk][key]) for key, label, _rank in FUNNEL_STEPS
                ],
                "budgeted": _rupiah(cell.get("budgeted")),
                "realised": _rupiah(cell.get("realised")),
            }
        )
    return result


# --- scorecards ---------------------------------------------------------------------------


@dataclass
class Figure:
    """One figure of a scorecard: ``label``, ``count`` and the list filters ``params`` whose
    list counts the same rows; ``amount`` (Rupiah) and ``share`` (0-100 %) where they
    apply."""

    label: str
    count: int
    params: dict = field(default_factory=dict)
    amount: Decimal | None = None
    share: int | None = None
    #: The list's address with ``params``, set by the page that shows the figure.
    url: str = ""


@dataclass
class Scorecard:
    """A representative's scorecard: ``figures`` (``Figure`` list, over aspirations),
    ``meetings_held`` (a ``Figure`` of reses meetings) and ``meetings`` held per term year
    (``Figure`` list, years without meetings left out), and the median days from reses to
    Pokir and to budget (``None`` when no aspiration made the step)."""

    figures: list
    meetings_held: Figure
    meetings: list
    days_to_pokir: int | None
    days_to_budget: int | None


def _share(part, whole):
    return round(100 * part / whole) if whole else None


def representative_scorecard(rows, representative, *, meetings, held_until):
    """The ``Scorecard`` of ``representative`` over the aspirations ``rows``: those heard at
    their reses or addressed to them (``heard_by``), how many went through Pokir, were
    planned, budgeted (Rupiah of their budget outcomes) and realised (Rupiah realised), and
    the share for women, the poor and people with disability, and those answered at their
    reses (``responded_by``, a response recorded). Meetings held are those of ``meetings``
    (a ``ResesMeeting`` QuerySet: ``visible_to(user)`` for staff, so the count matches the
    meeting list it links to) on or before
    local day ``held_until`` (a date, usually today), counted by term year
    (``ResesMeetingQuerySet.held_by_term_year``); their ``params`` are the reses meeting
    list's filters. Median days run from the first reses meeting of the representative
    that heard the aspiration (else the date raised) to its move to Pokir and to budgeted.
    About eight queries, whatever the rows."""
    pk = representative.pk
    heard = rows.heard_by(pk)
    base = {"heard_by": pk}
    columns = {
        "heard": Count("pk"),
        "pokir": Count("pk", filter=Q(pk__in=heard.went_through(Stage.POKIR).values("pk"))),
        "responded": Count("pk", filter=Q(pk__in=heard.responded_by(pk).values("pk"))),
        **{key: Count("pk", filter=reached_q(key)) for key, _l, _rank in FUNNEL_STEPS[1:]},
        **{b.value: Count("pk", filter=Q(**{b.flag: True})) for b in Beneficiary},
    }
    counts = heard.order_by().aggregate(**columns)
    money = BudgetOutcome.objects.filter(aspiration__in=heard.order_by().values("pk")).aggregate(
        budgeted=Sum("amount"), realised=Sum("realised_amount")
    )
    total = counts["heard"]
    figures = [
        Figure(_("Aspirations heard at reses or addressed"), total, dict(base)),
        Figure(
            _("Reached Pokir"),
            counts["pokir"],
            {**base, "went_through": Stage.POKIR.value},
            share=_share(counts["pokir"], total),
        ),
        Figure(
            _("Planned"),
            counts["planned"],
            {**base, "reached": "planned"},
            share=_share(counts["planned"], total),
        ),
        Figure(
            _("Budgeted"),
            counts["budgeted"],
            {**base, "reached": "budgeted"},
            amount=_rupiah(money["budgeted"]),
            share=_share(counts["budgeted"], total),
        ),
        Figure(
            _("Realised"),
            counts["realised"],
            {**base, "reached": "realised"},
            amount=_rupiah(money["realised"]),
            share=_share(counts["realised"], total),
        ),
        *(
            Figure(
                b.benefits_label,
                counts[b.value],
                {**base, "benefits": b.value},
                share=_share(counts[b.value], total),
            )
            for b in (Beneficiary.WOMEN, Beneficiary.POOR, Beneficiary.DISABILITY)
        ),
        Figure(
            _("Responses recorded"),
            counts["responded"],
            {**base, "responded_by": pk},
            share=_share(counts["responded"], total),
        ),
    ]
    meetings = [
        Figure(
            _("Term year %(number)s (%(first)s–%(last)s)")
            % {
                "number": number,
                "first": representative.term_start + number - 1,
                "last": representative.term_start + number,
            },
            count,
            {"representative": pk, "date_from": first.isoformat(), "date_to": last.isoformat()},
        )
        for number, first, last, count in meetings.held_by_term_year(
            representative, until=held_until
        )
    ]
    meetings_held = Figure(
        _("Reses meetings held"),
        sum(figure.count for figure in meetings),
        {"representative": pk, "date_to": held_until.isoformat()},
    )
    days_to_pokir, days_to_budget = _median_days(heard, pk)
    return Scorecard(figures, meetings_held, meetings, days_to_pokir, days_to_budget)


def _median_days(heard, representative_id):
    """Median whole days to Pokir and to budgeted of the aspirations ``heard`` (two
    queries): from the representative's first reses meeting that heard each one, else from
    the date raised."""
    starts = dict(
        heard.values_list("pk", "raised_on"),
    )
    for aspiration_id, starts_at in (
        AgendaItem.objects.filter(
            meeting__representative=representative_id, aspiration__in=list(starts)
        )
        .order_by("-meeting__starts_at")
        .values_list("aspiration", "meeting__starts_at")
    ):
        starts[aspiration_id] = starts_at.date()
    days = {Stage.POKIR: [], Stage.BUDGETED: []}
    moves = AspirationEvent.objects.filter(
        aspiration__in=list(starts), kind=EventKind.MOVE, to_stage__in=list(days)
    ).values_list("aspiration", "to_stage", "occurred_on")
    for aspiration_id, stage, occurred_on in moves:
        days[Stage(stage)].append(max((occurred_on - starts[aspiration_id]).days, 0))
    return tuple(
        round(statistics.median(days[stage])) if days[stage] else None
        for stage in (Stage.POKIR, Stage.BUDGETED)
    )


def agency_scorecards(rows):
    """Per implementing agency (OPD, by the aspiration's urusan), in three queries:
    ``[{"urusan", "routed": Figure, "budgeted": Figure, "realised": Figure}]`` sorted by
    urusan code; Rupiah of the budget outcomes of the aspirations routed to it."""
    counts = {
        row.pop("urusan"): row
        for row in rows.filter(urusan__isnull=False)
        .order_by()
        .values("urusan")
        .annotate(
            routed=Count("pk"),
            budgeted=Count("pk", filter=reached_q("budgeted")),
            realised=Count("pk", filter=reached_q("realised")),
        )
    }
    money = {
        row.pop("urusan"): row
        for row in BudgetOutcome.objects.filter(aspiration__in=rows.order_by().values("pk"))
        .order_by()
        .values(urusan=F("aspiration__urusan"))
        .annotate(budgeted=Sum("amount"), realised=Sum("realised_amount"))
    }
    result = []
    for urusan in Urusan.objects.filter(pk__in=counts).order_by("code"):
        cell, sums = counts[urusan.pk], money.get(urusan.pk, {})
        base = {"urusan": urusan.pk}
        result.append(
            {
                "urusan": urusan,
                "routed": Figure(_("Routed"), cell["routed"], dict(base)),
                "budgeted": Figure(
                    _("Budgeted"),
                    cell["budgeted"],
                    {**base, "reached": "budgeted"},
                    amount=_rupiah(sums.get("budgeted")),
                ),
                "realised": Figure(
                    _("Realised"),
                    cell["realised"],
                    {**base, "reached": "realised"},
                    amount=_rupiah(sums.get("realised")),
                ),
            }
        )
    return result
