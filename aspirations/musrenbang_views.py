"""Musrenbang forums: list, create and detail with the aspirations brought there.

Every page starts from ``MusrenbangForum.objects.visible_to``; officers create forums for
their own village or subdistrict, facilitators for their regency (the ``"hold_musrenbang"``
write rules of the places, ``MusrenbangForumQuerySet.levels_creatable_by``). A forum is
edited by the officer who recorded it, its regency's facilitators and administrators (the
``"edit"`` write rule of ``MusrenbangForum``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aspirations.models import AspirationEvent, MusrenbangForum
from aspirations.pipeline_forms import MusrenbangForumCreateForm, MusrenbangForumForm
from kk_portal.forms import create_once, next_path
from kk_portal.permissions import can, get_writable_or_404
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows

FORUMS_PER_PAGE = 25


#: The forum list's sorts (``forum_sort_*`` indexes).
SORT_KEYS = {
    "held_on": SortKey(gettext_lazy("Date"), ("held_on", "pk")),
    "fiscal_year": SortKey(gettext_lazy("Fiscal year"), ("fiscal_year", "held_on", "pk")),
}


@login_required
def musrenbang_list(request):
    """Forums the user may see, newest first, filtered by level and fiscal year."""
    forums = MusrenbangForum.objects.visible_to(request.user).select_related(
        "village", "subdistrict", "regency"
    )
    level = request.GET.get("level", "")
    if level in MusrenbangForum.Level.values:
        forums = forums.filter(level=level)
    else:
        level = ""
    year = request.GET.get("fiscal_year", "")
    if year.isdigit():
        forums = forums.filter(fiscal_year=int(year))
    else:
        year = ""
    forums, sort = sort_rows(request, forums, SORT_KEYS, "-held_on")
    page = Paginator(forums, FORUMS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "musrenbang/forum_list.html",
        {
            "page_obj": page,
            "sort": sort,
            "forums": page.object_list,
            "levels": MusrenbangForum.Level.choices,
            "level": level,
            "fiscal_year": year,
            "can_create": bool(MusrenbangForum.objects.levels_creatable_by(request.user)),
        },
    )


@login_required
def musrenbang_create(request):
    """Create a forum; with ``?next=`` (the move form) return there with the forum chosen.

    A repeated submission (same hidden ``submission_token``) leads to the forum already made.
    """
    if not MusrenbangForum.objects.levels_creatable_by(request.user):
        raise PermissionDenied
    next_url = next_path(request)
    form = MusrenbangForumCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            forum = form.save(commit=False)
            forum.submission_token = data["submission_token"]
            forum.created_by = request.user
            forum.save()
            return forum

        forum, created = create_once(request, form, MusrenbangForum, create)
        if created:
            messages.success(request, _("Musrenbang forum saved."))
        if forum is not None:
            forum = get_visible_or_404(MusrenbangForum, request.user, pk=forum.pk)
            if next_url:
                separator = "&" if "?" in next_url else "?"
                return HttpResponseRedirect(f"{next_url}{separator}forum={forum.pk}")
            return redirect("aspirations:musrenbang_detail", pk=forum.pk)
    return render(request, "musrenbang/forum_form.html", {"form": form, "next": next_url})


@login_required
def musrenbang_detail(request, pk):
    """One forum, its attendance and the aspirations (visible to the user) brought there."""
    forum = get_visible_or_404(
        MusrenbangForum.objects.select_related("village", "subdistrict", "regency"),
        request.user,
        pk=pk,
    )
    events = (
        AspirationEvent.objects.visible_to(request.user)
        .filter(musrenbang_forum=forum)
        .select_related("aspiration", "aspiration__group")
        .order_by("aspiration__title", "occurred_on", "pk")
    )
    return render(
        request,
        "musrenbang/forum_detail.html",
        {"forum": forum, "events": events, "can_edit": can(request.user, "edit", forum)},
    )


@login_required
def musrenbang_edit(request, pk):
    """Correct a forum's level, area, date, year, attendance or note (``MusrenbangForumForm``);
    404 outside the user's scope, 403 for those who see it but may not edit it."""
    forum = get_writable_or_404(
        MusrenbangForum.objects.select_related("village", "subdistrict", "regency"),
        request.user,
        "edit",
        readers_get=403,
        pk=pk,
    )
    form = MusrenbangForumForm(request.POST or None, instance=forum, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Musrenbang forum saved."))
        return redirect("aspirations:musrenbang_detail", pk=forum.pk)
    return render(request, "musrenbang/forum_form.html", {"form": form, "forum": forum})
