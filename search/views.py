"""The results of the header's search box: aspirations, and members for those who may see
members, each through its model's own search (``AspirationQuerySet.search``,
``MemberQuerySet.search``) within ``visible_to``."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from aspirations.models import Aspiration
from kk_portal.pagination import paginate
from kk_portal.permissions import can
from members.models import Member

#: Members shown on the results page; the rest are on the member list, searched the same way.
MEMBERS_SHOWN = 10


class SearchForm(forms.Form):
    """``?q=``: what was typed in the search box (at most 200 characters)."""

    q = forms.CharField(label=_("Search"), max_length=200, required=False, strip=True)


@login_required
@require_GET
def results(request):
    """Aspirations matching ``?q=`` the user sees, best first and paginated (``?page=``),
    and, for a user who may see members (not programme or DPRD staff), the first
    ``MEMBERS_SHOWN`` members found, with their count and a link to the member list searched
    for the same text. A blank or invalid ``q`` shows the box and no rows. GET only: the
    box is a plain form, so a page of results can be bookmarked and shared."""
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"] if form.is_valid() else ""
    user = request.user
    aspirations = Aspiration.objects.none()
    members = Member.objects.none()
    if text:
        aspirations = (
            Aspiration.objects.visible_to(user)
            .search(text)
            .select_related("group", "village", "topic")
        )
        members = Member.objects.visible_to(user).search(text).select_related("group__village")
    sees_members = can(user, "view", Member)
    shown = list(members[:MEMBERS_SHOWN]) if sees_members else []
    # Counted only when the first rows do not already say how many there are.
    member_count = members.count() if len(shown) == MEMBERS_SHOWN else len(shown)
    return render(
        request,
        "search/results.html",
        {
            "form": form,
            "text": text,
            "page_obj": paginate(request, aspirations),
            "sees_members": sees_members,
            "members": shown,
            "member_count": member_count,
        },
    )
