"""Pages of the public tracker (no login) and the staff scorecards (login, scoped).

Public pages start from ``Aspiration.objects.public()`` and show no person (``README.md``);
staff pages from ``Aspiration.objects.visible_to(user).counted()``. Figures come from
``tracker.figures``; each links to the list that counts the same rows.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from aspirations.attachments import is_photo
from aspirations.models import Aspiration
from aspirations.sipd import sipd_missing
from aspirations.stages import Stage
from kk_portal.exports import (
    CODE,
    DATE,
    MONEY,
    NUMBER,
    Column,
    choice_label,
    export_format,
    export_response,
)
from kk_portal.forms import filtered_rows
from kk_portal.pagination import paginate
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from reses.models import ResesMeeting
from tracker import figures
from tracker.filters import PublicAspirationFilter, Representative


def _link(figure_list, list_url, extra=None):
    """Give every ``Figure`` of ``figure_list`` its ``url``: ``list_url`` with the figure's
    params (and ``extra``); none for a zero."""
    for figure in figure_list:
        if figure.count:
            figure.url = f"{list_url}?{urlencode({**(extra or {}), **figure.params})}"
    return figure_list


@require_GET
def index(request):
    """The funnel and money of public aspirations per regency, and where to read more."""
    rows = Aspiration.objects.public()
    return render(
        request,
        "tracker/index.html",
        {
            "regencies": figures.cached("regencies", lambda: figures.by_regency(rows)),
            # Addressed by a public aspiration or heard one at a reses meeting.
            "representatives": Representative.objects.filter(
                Q(pk__in=rows.order_by().values("representative"))
                | Q(pk__in=rows.order_by().values("agenda_items__meeting__representative"))
            ).order_by("full_name"),
        },
    )


#: The public list's sorts (``Aspiration``'s indexes).
SORT_KEYS = {
    "raised_on": SortKey(gettext_lazy("Date raised"), ("raised_on", "pk")),
    "title": SortKey(gettext_lazy("Title"), ("title", "pk")),
}


@require_GET
def aspiration_list(request):
    """Public aspirations by regency, village, topic and stage, paginated."""
    filterset = PublicAspirationFilter(
        request.GET, queryset=Aspiration.objects.public().select_related("village", "topic")
    )
    rows, sort = sort_rows(request, filtered_rows(filterset), SORT_KEYS, "-raised_on")
    return render(
        request,
        "tracker/aspiration_list.html",
        {"filter": filterset, "page_obj": paginate(request, rows), "sort": sort},
    )


@require_GET
def aspiration_detail(request, pk):
    """One public aspiration: title, place, topic, stage, its dated way and its money; 404
    for any other."""
    aspiration = get_object_or_404(
        Aspiration.objects.public().select_related(
            "village__subdistrict__regency", "topic", "urusan"
        ),
        pk=pk,
    )
    events = aspiration.events.select_related(
        "musrenbang_forum__village",
        "musrenbang_forum__subdistrict",
        "musrenbang_forum__regency",
        "implementing_urusan",
    ).exclude(kind="note")
    return render(
        request,
        "tracker/aspiration_detail.html",
        {
            "aspiration": aspiration,
            "events": events,
            "outcomes": aspiration.budget_outcomes.select_related("implementing_urusan"),
        },
    )


@require_GET
def representative(request, pk):
    """A representative's scorecard over public aspirations."""
    person = get_object_or_404(Representative, pk=pk)
    card = figures.cached(
        f"representative:{pk}",
        lambda: figures.representative_scorecard(
            Aspiration.objects.public(),
            person,
            # A meeting held is a public fact; only the count is shown, never its list.
            meetings=ResesMeeting.objects.all(),
            held_until=timezone.localdate(),
        ),
    )
    # Meetings are not linked: the reses meeting list is behind login.
    _link(card.figures, reverse("tracker:list"))
    return render(
        request,
        "tracker/representative.html",
        {"representative": person, "card": card, "public": True},
    )


@require_GET
def agencies(request):
    """Items routed to each implementing agency (OPD, by urusan), budgeted and realised,
    over public aspirations."""
    rows = figures.cached(
        "agencies", lambda: figures.agency_scorecards(Aspiration.objects.public())
    )
    for row in rows:
        _link([row["routed"], row["budgeted"], row["realised"]], reverse("tracker:list"))
    return render(
        request, "tracker/agencies.html", {"rows": rows, "public": True, "representatives": []}
    )


@login_required
@require_GET
def staff_representative(request, pk):
    """A representative's scorecard over every aspiration the user sees (each need once);
    404 for a representative outside the user's scope."""
    person = get_visible_or_404(Representative, request.user, pk=pk)
    card = figures.representative_scorecard(
        Aspiration.objects.visible_to(request.user).counted(),
        person,
        meetings=ResesMeeting.objects.visible_to(request.user),
        held_until=timezone.localdate(),
    )
    _link(card.figures, reverse("aspirations:list"), {"counted": "1"})
    _link([card.meetings_held, *card.meetings], reverse("reses:meeting_list"))
    return render(
        request,
        "tracker/representative.html",
        {"representative": person, "card": card, "public": False},
    )


@login_required
@require_GET
def staff_agencies(request):
    """The agency scorecards over every aspiration the user sees (each need once)."""
    rows = figures.agency_scorecards(Aspiration.objects.visible_to(request.user).counted())
    for row in rows:
        _link(
            [row["routed"], row["budgeted"], row["realised"]],
            reverse("aspirations:list"),
            {"counted": "1"},
        )
    return render(
        request,
        "tracker/agencies.html",
        {
            "rows": rows,
            "public": False,
            "representatives": Representative.objects.visible_to(request.user).order_by(
                "full_name"
            ),
        },
    )


def _photos(aspiration):
    return sum(1 for attachment in aspiration.attachments.all() if is_photo(attachment))


def _missing(aspiration):
    return "; ".join(
        str(r.label) for r in sipd_missing(aspiration, list(aspiration.attachments.all()))
    )


#: The columns SIPD e-Pokir's entry form asks for, in its order, then what is missing.
POKIR_COLUMNS = (
    Column(gettext_lazy("KK Portal ID"), "pk", NUMBER),
    Column(gettext_lazy("Proposal"), "title"),
    Column(gettext_lazy("Problem"), "description"),
    Column(gettext_lazy("Province"), lambda a: a.village.subdistrict.regency.province.name),
    Column(gettext_lazy("Regency"), lambda a: a.village.subdistrict.regency.name),
    Column(gettext_lazy("Subdistrict"), lambda a: a.village.subdistrict.name),
    Column(gettext_lazy("Village code"), lambda a: a.village.code, CODE),
    Column(gettext_lazy("Village"), lambda a: a.village.name),
    Column(gettext_lazy("Hamlet"), "hamlet"),
    Column(gettext_lazy("Urusan code"), lambda a: a.urusan.code if a.urusan else "", CODE),
    Column(
        gettext_lazy("Implementing agency (urusan)"), lambda a: a.urusan.name if a.urusan else ""
    ),
    Column(gettext_lazy("Volume"), "volume", NUMBER),
    Column(gettext_lazy("Unit"), "volume_unit"),
    Column(gettext_lazy("Estimated cost (Rp)"), "estimated_cost", MONEY),
    Column(gettext_lazy("Photos"), _photos, NUMBER),
    Column(gettext_lazy("Raised on"), "raised_on", DATE),
    Column(gettext_lazy("Stage"), choice_label("stage")),
    Column(gettext_lazy("Missing for SIPD"), _missing),
)


@login_required
@require_GET
def staff_pokir_export(request, pk):
    """The Pokir items of a representative (aspirations the user sees, heard by them, that
    went through Pokir, each need once) in SIPD e-Pokir's columns, XLSX or ``?format=csv``;
    404 for a representative outside the user's scope."""
    person = get_visible_or_404(Representative, request.user, pk=pk)
    rows = (
        Aspiration.objects.visible_to(request.user)
        .counted()
        .heard_by(person.pk)
        .went_through(Stage.POKIR)
        .select_related("village__subdistrict__regency__province", "urusan")
        .prefetch_related("attachments")
        .order_by("village__code", "raised_on", "pk")
    )
    return export_response(
        rows,
        POKIR_COLUMNS,
        filename=f"pokir-{slugify(person.full_name)}",
        fmt=export_format(request),
        title="Pokir",
    )
