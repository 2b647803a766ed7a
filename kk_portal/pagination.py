"""Pagination shared by every list page (with ``templates/_pagination.html``)."""

from django.core.paginator import Paginator

#: Rows per page on phone lists.
PER_PAGE = 20


def paginate(request, queryset, per_page=PER_PAGE):
    """Return the ``Page`` of ``queryset`` asked for by ``?page=``.

    A page number that is not a number gives page 1; one past the end (a stale link after
    the filter changed, handed case K18) gives the last page; never a 404.
    """
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
