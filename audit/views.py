"""The access log page: facilitators read their regency's rows, administrators all; every
other role gets 404, as for a page that does not exist. The page only reads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from audit.filters import AccessLogFilter
from audit.models import AccessLog
from kk_portal.forms import filtered_rows
from kk_portal.pagination import paginate
from kk_portal.sorting import SortKey, sort_rows

#: The log's sorts (``access_log_regency_at`` for a facilitator's regency).
SORT_KEYS = {"at": SortKey(gettext_lazy("Time"), ("at", "pk"))}


@login_required
def access_log_list(request):
    """The log rows the user may read, newest first, filtered and paginated."""
    if AccessLog.objects.all().scope_q(request.user) is None:
        raise Http404
    rows = AccessLog.objects.visible_to(request.user).select_related("group", "regency")
    filterset = AccessLogFilter(request.GET, queryset=rows)
    rows, sort = sort_rows(request, filtered_rows(filterset), SORT_KEYS, "-at")
    page = paginate(request, rows)
    return render(
        request,
        "audit/access_log_list.html",
        {"filter": filterset, "page_obj": page, "sort": sort},
    )
