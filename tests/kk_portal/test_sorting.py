"""The one sort helper of every list (``kk_portal.sorting``): a whitelist of keys, the
direction, the links that keep the filters and start on page 1."""

from django.http import QueryDict

from kk_portal.sorting import Sorting, SortKey

KEYS = {
    "raised_on": SortKey("Date", ("raised_on", "pk")),
    "title": SortKey("Title", ("title", "pk")),
}


def test_a_known_key_sorts_each_way_with_the_primary_key_last():
    assert Sorting(QueryDict("sort=title"), KEYS, "-raised_on").order_by() == ["title", "pk"]
    assert Sorting(QueryDict("sort=-title"), KEYS, "-raised_on").order_by() == ["-title", "-pk"]


def test_an_unknown_or_tampered_key_gives_the_default_order():
    for asked in ("password", "--title", "group__name", "-", ""):
        sorting = Sorting(QueryDict(f"sort={asked}"), KEYS, "-raised_on")
        assert sorting.order_by() == ["-raised_on", "-pk"]
        assert sorting.is_default


def test_links_keep_the_filters_drop_the_page_and_reverse_the_current_key():
    sorting = Sorting(QueryDict("topic=3&page=4&sort=title"), KEYS, "-raised_on")

    links = sorting.links()

    assert [(link["label"], link["url"], link["current"]) for link in links] == [
        ("Date", "?topic=3&sort=-raised_on", False),
        ("Title", "?topic=3&sort=-title", True),
    ]
    assert links[1]["descending"] is False
