"""Pagination shared by every list page (with ``templates/_pagination.html``)."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

#: Rows per page on phone lists.
PER_PAGE = 20


class CappedPaginator(Paginator):
    """A paginator that counts at most ``limit`` rows (``capped`` says it stopped there).

    Counting two million aspirations costs a full pass of the table (bench/RESULTS.md); counting
    ``limit + 1`` of them reads a few thousand index entries. Only for unfiltered lists,
    where "more than N" is all a person needs: a filtered count stays exact, so that the
    count a dashboard links to equals the rows listed.
    """

    def __init__(self, object_list, per_page, *, limit, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def count(self):
        # Only the ids: a sliced count keeps the select list (and its select_related joins)
        # in its subquery.
        counted = self.object_list.order_by().values("pk")[: self.limit + 1]
        return min(counted.count(), self.limit + 1)

    @property
    def capped(self):
        return self.count > self.limit


def paginate(request, queryset, per_page=PER_PAGE, *, limit=None):
    """Return the ``Page`` of ``queryset`` asked for by ``?page=``.

    A page number that is not a number gives page 1; one past the end (a stale link after
    the filter changed) gives the last page; never a 404. With ``limit``
    the count stops after ``limit`` rows (``CappedPaginator``).
    """
    if limit is None:
        paginator = Paginator(queryset, per_page)
    else:
        paginator = CappedPaginator(queryset, per_page, limit=limit)
    return paginator.get_page(request.GET.get("page"))
