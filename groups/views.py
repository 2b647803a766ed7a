"""Group pages outside the admin: list, export, found, profile, edit and the decree scan.

Reading starts from ``ConstituentGroup.objects.visible_to(user)``; writing from the
``"change"`` rule (the group's officers, its regency's facilitators, administrators) and,
for a new group, the villages the user may ``"found_group"`` in. Officers' names are
members' personal data: the page shows the terms ``OfficerTerm.objects.visible_to(user)``
returns, none for programme and DPRD staff.
"""

import mimetypes
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from groups.filters import GroupFilter
from groups.forms import GroupCreateForm, GroupForm
from groups.models import ConstituentGroup, Village
from kk_portal.exports import CODE, DATE, NUMBER, Column, choice_label, export_list
from kk_portal.files import stored_file_response
from kk_portal.forms import create_once, filtered_rows, refuse_foreign_choices, save_checked
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from kk_portal.zones import today_in

_ACTIVE = Q(members__left_on__isnull=True)
#: The group list's sorts (``ConstituentGroup``'s ``group_sort_*`` indexes).
SORT_KEYS = {
    "name": SortKey(gettext_lazy("Name"), ("name", "pk")),
    "founded": SortKey(gettext_lazy("Founded"), ("founded_on", "pk")),
}


def _groups(user):
    """The groups ``user`` sees with their region and active-member counts (one query)."""
    return (
        ConstituentGroup.objects.visible_to(user)
        .select_related("village__subdistrict__regency")
        .annotate(
            members_count=Count("members", filter=_ACTIVE),
            women_count=Count("members", filter=_ACTIVE & Q(members__sex="F")),
        )
        .order_by("name", "pk")
    )


@login_required
def group_list(request):
    """The groups the user sees, filtered (``GroupFilter``) and paginated."""
    filterset = GroupFilter(request.GET, queryset=_groups(request.user), user=request.user)
    rows, sort = sort_rows(request, filtered_rows(filterset), SORT_KEYS, "name")
    page = paginate(request, rows)
    return render(
        request,
        "groups/group_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page,
            "can_add": can(request.user, "found_group", Village),
        },
    )


#: Columns of the group list export (no personal data: names of groups and places).
EXPORT_COLUMNS = (
    Column(gettext_lazy("Group"), "name"),
    Column(gettext_lazy("Village code"), lambda g: g.village.code, CODE),
    Column(gettext_lazy("Village"), lambda g: g.village.name),
    Column(gettext_lazy("Subdistrict"), lambda g: g.village.subdistrict.name),
    Column(gettext_lazy("Regency"), lambda g: g.village.subdistrict.regency.name),
    Column(gettext_lazy("Founded on"), "founded_on", DATE),
    Column(gettext_lazy("Cohort year"), "cohort_year", NUMBER),
    Column(gettext_lazy("Decree (SK) number"), "decree_number", CODE),
    Column(gettext_lazy("Decree (SK) date"), "decree_date", DATE),
    Column(gettext_lazy("Status"), choice_label("status")),
    Column(gettext_lazy("Status since"), "status_since", DATE),
    Column(gettext_lazy("Members"), "members_count", NUMBER),
    Column(gettext_lazy("Women members"), "women_count", NUMBER),
)


@login_required
def group_export(request):
    """The group list as XLSX (default) or CSV: the list's scope and filters exactly."""
    filterset = GroupFilter(request.GET, queryset=_groups(request.user), user=request.user)
    return export_list(
        request,
        filterset,
        EXPORT_COLUMNS,
        filename="kelompok",
        title=_("Groups"),
        sort=(SORT_KEYS, "name"),
    )


@login_required
def group_create(request):
    """Found a group in a village the user may ``"found_group"`` in (facilitators in their
    regency, administrators anywhere); a repeated submission leads to the group made."""
    if not can(request.user, "found_group", Village):
        raise Http404
    form = GroupCreateForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":

        def create(data):
            group = form.save(commit=False)
            group.submission_token = data["submission_token"]
            group.save()
            return group

        group, created = create_once(
            request, form, ConstituentGroup, create, scoped_fields=["village"]
        )
        if created:
            messages.success(request, _("Group saved."))
        if group is not None:
            return redirect(get_visible_or_404(ConstituentGroup, request.user, pk=group.pk))
    return render(request, "groups/group_form.html", {"form": form, "group": None})


def _member_counts(group):
    """Active members of ``group`` by sex, poverty and disability (one query)."""
    active = group.members.filter(left_on__isnull=True)
    return active.aggregate(
        total=Count("pk"),
        women=Count("pk", filter=Q(sex="F")),
        men=Count("pk", filter=Q(sex="M")),
        poor=Count("pk", filter=Q(is_poor=True)),
        poor_women=Count("pk", filter=Q(is_poor=True, sex="F")),
        disability=Count("pk", filter=Q(has_disability=True)),
    )


@login_required
def group_detail(request, pk):
    """A group's profile: place, founding, decree, status, officers (current and past, for
    those who see members), member counts and links to its members' and its own work."""
    group = get_visible_or_404(
        ConstituentGroup.objects.select_related("village__subdistrict__regency__province"),
        request.user,
        pk=pk,
    )
    terms = group.officer_terms.all().visible_to(request.user).select_related("member")
    today = today_in(group.regency)
    current = [t for t in terms if t.started_on <= today and (t.ended_on or today) >= today]
    past = [t for t in terms if t not in current]
    return render(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "counts": _member_counts(group),
            "current_terms": current,
            "past_terms": past,
            "sees_officers": can(request.user, "view", terms.model),
            "may_change": can(request.user, "change", group),
        },
    )


@login_required
def group_edit(request, pk):
    """Edit a group's profile; officers edit all but its village and cohort."""
    group = get_writable_or_404(
        ConstituentGroup.objects.select_related("village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    form = GroupForm(request.POST or None, request.FILES or None, instance=group, user=request.user)
    refuse_foreign_choices(form, ["village"])
    if request.method == "POST" and form.is_valid() and save_checked(form):
        messages.success(request, _("Group saved."))
        return redirect(group)
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@login_required
def decree_scan(request, pk):
    """The group's decree scan, to the users who see the group; 404 when it has none."""
    group = get_visible_or_404(ConstituentGroup, request.user, pk=pk)
    if not group.decree_scan:
        raise Http404
    extension = os.path.splitext(group.decree_scan.name)[1].lower()
    response = stored_file_response(
        request,
        group.decree_scan,
        content_type=mimetypes.types_map.get(extension, "application/octet-stream"),
        as_attachment=extension == ".pdf",
        filename=f"sk-{group.pk}{extension}",
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
