"""The read-only JSON API for other systems, ``/api/v1/`` (Django Ninja).

Each request acts as the user of its token (``Authorization: Bearer <secret>``, ``ApiToken``)
and sees exactly what that user's pages show: every list starts from
``Model.objects.visible_to(user)`` and filters through the FilterSet of its list page with
the same query parameters (``?stage=pokir&village=12``); an invalid filter answers 400 with
the form's messages rather than an empty list. Lists are paginated with ``?page=`` and
``?page_size=`` (``PAGE_SIZE``, at most ``MAX_PAGE_SIZE``), newest first as on the pages.
Each token may make ``settings.API_RATE`` requests (default 60 a minute); one more answers
429 with ``Retry-After`` in seconds. The OpenAPI document is ``/api/v1/openapi.json``, the
docs page ``/api/v1/docs`` (Swagger UI served from this site's static files, no CDN).
"""

import math

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import HttpError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle

from api import schemas
from api.services import api_token_authenticate
from aspirations.filters import AspirationFilter
from aspirations.models import Aspiration, AspirationEvent
from dashboards import figures, summaries, suppression
from groups.filters import GroupFilter
from groups.models import ConstituentGroup
from kk_portal.exports import NUMBER, TEXT
from kk_portal.formats import format_number
from kk_portal.scoping import get_visible_or_404
from kk_portal.zones import today_in
from reses.filters import ResesMeetingFilter
from reses.models import ResesMeeting

#: Rows per page unless ``?page_size=`` asks otherwise, as on the list pages.
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: Query parameters of the API itself, not of a FilterSet.
PAGING = ("page", "page_size")


class BearerToken(HttpBearer):
    """``Authorization: Bearer <secret>``: the request acts as the token's user; an unknown
    or revoked token, or one of a deactivated user, answers 401."""

    def authenticate(self, request, token):
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        request.user = api_token.user
        return api_token


class TokenRateThrottle(SimpleRateThrottle):
    """``settings.API_RATE`` requests per token (by its id), counted in Django's cache."""

    scope = "api_token"

    def get_rate(self):
        return settings.API_RATE

    def allow_request(self, request):
        # Read the rate at each request, not once at import: a changed setting applies.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "auth", None)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


api = NinjaAPI(
    title="KK Portal API",
    version="1",
    description=__doc__,
    auth=BearerToken(),
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)


@api.exception_handler(Throttled)
def too_many_requests(request, exc):
    response = api.create_response(request, {"detail": "Too many requests."}, status=429)
    response["Retry-After"] = str(max(1, math.ceil(exc.wait or 1)))
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _filter_parameters(filterset_class):
    """The OpenAPI query parameters of a list: its FilterSet's filters and the paging."""
    names = [*filterset_class.base_filters, *PAGING]
    return {
        "parameters": [
            {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
            for name in names
        ]
    }


def _filtered(filterset):
    """The FilterSet's rows; a 400 with the form's messages when a filter is invalid."""
    if not filterset.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in filterset.errors.items()}
        raise FilterError(errors)
    return filterset.qs


class FilterError(HttpError):
    def __init__(self, errors):
        super().__init__(400, "Invalid filter.")
        self.errors = errors


@api.exception_handler(FilterError)
def invalid_filter(request, exc):
    return api.create_response(
        request, {"detail": "Invalid filter.", "errors": exc.errors}, status=400
    )


def _page(request, rows, present):
    """``Page`` fields and ``results`` (each row through ``present``) for ``?page=`` and
    ``?page_size=``; a page past the end gives the last page, as on the list pages."""
    try:
        size = min(max(int(request.GET.get("page_size", PAGE_SIZE)), 1), MAX_PAGE_SIZE)
    except ValueError:
        size = PAGE_SIZE
    paginator = Paginator(rows, size)
    page = paginator.get_page(request.GET.get("page"))
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": size,
        "results": [present(row) for row in page],
    }


def _query(request):
    """The query string without the paging, for the FilterSets."""
    data = request.GET.copy()
    for name in PAGING:
        data.pop(name, None)
    return data


def _aspiration(row):
    return {
        "id": row.pk,
        "title": row.title,
        "stage": row.stage,
        "stage_changed_on": row.stage_changed_on,
        "raised_on": row.raised_on,
        "channel": row.channel,
        "group_id": row.group_id,
        "group": row.group.name,
        "village_code": row.village.code,
        "village": row.village.name,
        "topic": row.topic.name,
        "urusan_id": row.urusan_id,
        "representative_id": row.representative_id,
        "is_public": row.is_public,
    }


@api.get(
    "/aspirations",
    response=schemas.AspirationPage,
    url_name="aspirations",
    openapi_extra=_filter_parameters(AspirationFilter),
    summary="Aspirations the token's user sees, filtered as on the aspiration list",
)
def aspirations(request):
    user = request.user
    rows = Aspiration.objects.visible_to(user).select_related("group", "village", "topic")
    filterset = AspirationFilter(_query(request), queryset=rows, user=user)
    return _page(request, _filtered(filterset).order_by("-raised_on", "-pk"), _aspiration)


@api.get(
    "/aspirations/{aspiration_id}",
    response={200: schemas.AspirationDetailOut, 404: schemas.ErrorOut},
    url_name="aspiration",
    summary="One aspiration with its timeline (the stage events) and budget outcomes",
)
def aspiration(request, aspiration_id: int):
    rows = Aspiration.objects.select_related("group", "village", "topic").prefetch_related(
        Prefetch("events", AspirationEvent.objects.order_by("occurred_on", "recorded_at")),
        "budget_outcomes",
    )
    row = get_visible_or_404(rows, request.user, pk=aspiration_id)
    return {
        **_aspiration(row),
        "description": row.description,
        "timeline": list(row.events.all()),
        "budget_outcomes": sorted(row.budget_outcomes.all(), key=lambda b: (b.fiscal_year, b.pk)),
    }


def _group(row):
    village = row.village
    return {
        "id": row.pk,
        "name": row.name,
        "village_code": village.code,
        "village": village.name,
        "subdistrict": village.subdistrict.name,
        "regency": village.subdistrict.regency.name,
        "founded_on": row.founded_on,
        "cohort_year": row.cohort_year,
        "status": row.status,
    }


@api.get(
    "/groups",
    response=schemas.GroupPage,
    url_name="groups",
    openapi_extra=_filter_parameters(GroupFilter),
    summary="Groups the token's user sees, filtered as on the group list",
)
def groups(request):
    rows = ConstituentGroup.objects.visible_to(request.user).select_related(
        "village__subdistrict__regency"
    )
    filterset = GroupFilter(_query(request), queryset=rows, user=request.user)
    return _page(request, _filtered(filterset).order_by("name", "pk"), _group)


def _meeting(row):
    return {
        "id": row.pk,
        "representative_id": row.representative_id,
        "representative": str(row.representative),
        "reses_period": row.reses_period,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "venue": row.venue,
        "village_code": row.village.code,
        "village": row.village.name,
        "organising_group_id": row.organising_group_id,
        "expected_attendance": row.expected_attendance,
        "attendance_female": row.attendance_female,
        "attendance_male": row.attendance_male,
    }


@api.get(
    "/reses-meetings",
    response=schemas.MeetingPage,
    url_name="reses_meetings",
    openapi_extra=_filter_parameters(ResesMeetingFilter),
    summary="Reses meetings the token's user sees, filtered as on the meeting list",
)
def reses_meetings(request):
    rows = ResesMeeting.objects.visible_to(request.user).select_related(
        "representative__district", "village"
    )
    filterset = ResesMeetingFilter(_query(request), queryset=rows, request=request)
    return _page(request, _filtered(filterset).order_by("-starts_at", "-pk"), _meeting)


#: The dashboard's filters as OpenAPI query parameters.
DASHBOARD_PARAMETERS = {
    "parameters": [
        {"name": name, "in": "query", "required": False, "schema": {"type": "string"}}
        for name in figures.DashboardFilterForm.base_fields
    ]
}


@api.get(
    "/dashboard",
    response={200: schemas.DashboardOut, 400: schemas.ErrorOut, 404: schemas.ErrorOut},
    url_name="dashboard",
    openapi_extra=DASHBOARD_PARAMETERS,
    summary="The dashboard's headline figures, with its small-cell rule",
)
def dashboard(request):
    """The headline figures of the dashboard (``figures.headlines``, from the summaries
    where they serve: ``summaries.dashboard_headlines``) for ``?region=``,
    ``?group=``, ``?start=``, ``?end=``, ``?topic=`` as on the page; for users who do not
    see members' personal data (programme and DPRD staff) a count of 1 to 4 is ``None``
    with text ``"<5"``, and a change touching one is ``None`` (``dashboards.suppression``)."""
    user = request.user
    filters = _dashboard_filters(request)
    exact = figures.sees_personal_data(user)
    (current, previous), rows = summaries.dashboard_headlines(user, filters, today_in(user))
    headlines = []
    for key, label, now, before in rows:
        small = not exact and suppression.is_small(now)
        hide_change = not exact and (small or suppression.is_small(before))
        headlines.append(
            {
                "key": key,
                "label": str(label),
                "value": None if small else now,
                "text": suppression.SMALL if small else format_number(now),
                "change": None if hide_change or not (now or before) else now - before,
            }
        )
    return {
        "current_from": current[0],
        "current_to": current[1],
        "previous_from": previous[0],
        "previous_to": previous[1],
        "headlines": headlines,
    }


def _dashboard_filters(request):
    """The dashboard's ``Filters`` from the query string, as on the page: a 400 with the
    form's messages when one is invalid, a 404 for a region or group outside the scope."""
    form = figures.DashboardFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        raise FilterError(errors)
    filters = form.filters() if form.is_bound else figures.Filters()
    if not figures.in_scope(request.user, filters):
        raise Http404
    return filters


@api.get(
    "/dashboard/funnel",
    response={200: schemas.DashboardFunnelOut, 400: schemas.ErrorOut, 404: schemas.ErrorOut},
    url_name="dashboard_funnel",
    openapi_extra=DASHBOARD_PARAMETERS,
    summary="The dashboard's funnel per region, with its small-cell rule",
)
def dashboard_funnel(request):
    """The dashboard's funnel per region one level below the page's place (``level``:
    province, regency, subdistrict, village or group, ``figures.region_level``) under the
    dashboard's filters, the page's table "By province" (regency …) cell for cell: for
    each region the aspirations that reached each step and those closed
    (``figures.funnel_labels``). For programme and DPRD staff a count of 1 to 4 is
    ``None`` with text ``"<5"`` and the cells that would let one work it out from the
    column's total are ``None`` with text ``"·"`` (``figures.hidden_cells``, the page's
    complementary suppression); ``protected`` says some are."""
    user = request.user
    filters = _dashboard_filters(request)
    level = figures.region_level(user, filters)
    regions = summaries.dashboard_funnel_by_region(user, filters, level)
    columns = figures.funnel_labels()
    # The page's table: the region's name, then one count per column.
    cells = [
        [(TEXT, name), *((NUMBER, counts[key]) for key, _label in columns)]
        for _code, name, counts in regions
    ]
    small, complements = set(), set()
    if not figures.sees_personal_data(user):
        small, complements = figures.hidden_cells(
            cells, 1 + len(columns), figures.GUARDS["by_region"]
        )

    def count(row, column, value):
        if (row, column) in small:
            return {"value": None, "text": suppression.SMALL}
        if (row, column) in complements:
            return {"value": None, "text": suppression.COMPLEMENT}
        return {"value": value, "text": format_number(value)}

    return {
        "level": level,
        "columns": [{"key": key, "label": str(label)} for key, label in columns],
        "regions": [
            {
                "code": str(code),
                "name": name,
                "counts": {
                    key: count(row, column, counts[key])
                    for column, (key, _label) in enumerate(columns, start=1)
                },
            }
            for row, (code, name, counts) in enumerate(regions)
        ],
        "protected": bool(small),
    }


@api.get(
    "/dashboard/money",
    response={200: schemas.DashboardMoneyOut, 400: schemas.ErrorOut, 404: schemas.ErrorOut},
    url_name="dashboard_money",
    openapi_extra=DASHBOARD_PARAMETERS,
    summary="The dashboard's money by regency and by topic, in exact Rupiah",
)
def dashboard_money(request):
    """The dashboard's tables "Money by regency" and "Money by topic" under its filters
    (``summaries.dashboard_money``, ``figures.money``): the budget outcomes of the
    aspirations the user sees, for the fiscal years of the period (``first_fiscal_year``
    to ``last_fiscal_year``, either ``None`` when open), sorted by name. Amounts are
    Rupiah as exact decimal strings with two places (``"1500000.00"``), never floats;
    money counts no people, so no cell is hidden."""
    filters = _dashboard_filters(request)
    tables = summaries.dashboard_money(request.user, filters)
    first, last = filters.fiscal_years

    def rows(by):
        return [
            {
                "key": key,
                "name": None if name is None else str(name),
                "budgeted": str(budgeted),
                "realised": str(realised),
                "outcomes": outcomes,
            }
            for key, name, budgeted, realised, outcomes in tables[by]
        ]

    return {
        "first_fiscal_year": first,
        "last_fiscal_year": last,
        "regencies": rows("regency"),
        "topics": rows("topic"),
    }
