"""Member pages: list, create, detail, edit, leave; the member's personal data (page, JSON,
PDF) and its erasure by anonymisation; officer terms; public roles (list, export, record,
edit).

Every view starts from ``Member.objects.visible_to(user)``; roles that see no members'
personal data (programme and DPRD staff) get 404 on every member page, as outsiders do.
"""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.models import Action
from audit.services import log_export, log_member_data
from groups.models import ConstituentGroup
from kk_portal.exports import CODE, DATE, NUMBER, Column, choice_label, export_list
from kk_portal.formats import yes_no
from kk_portal.forms import (
    create_once,
    filtered_rows,
    refuse_foreign_choices,
    save_checked,
    submission_json,
    wants_json,
)
from kk_portal.pagination import paginate
from kk_portal.permissions import get_writable_or_404, writable
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from kk_portal.zones import today_in
from members import services
from members.filters import MemberFilter, PublicRoleFilter
from members.forms import (
    AnonymiseForm,
    MemberCreateForm,
    MemberForm,
    OfficerTermEndForm,
    OfficerTermForm,
    PublicRoleCreateForm,
    PublicRoleForm,
)
from members.models import Member, OfficerTerm, PublicRole
from members.pdf import member_data_pdf
from members.personal_data import member_held, member_personal_data
from members.services import (
    officer_term_end,
    officer_term_start,
    public_role_add,
)

#: The member list's sorts (within one group or regency).
MEMBER_SORT_KEYS = {
    "name": SortKey(gettext_lazy("Name"), ("name_folded", "pk")),
    "joined": SortKey(gettext_lazy("Joined"), ("joined_on", "pk")),
    "birth_year": SortKey(gettext_lazy("Birth year"), ("birth_year", "pk")),
}
#: The public-role list's sorts.
ROLE_SORT_KEYS = {
    "started": SortKey(gettext_lazy("Started"), ("started_on", "pk")),
    "kind": SortKey(gettext_lazy("Role"), ("kind", "pk")),
}


def visible_members(user):
    """``Member`` rows ``user`` may see; raises ``Http404`` for roles that see none."""
    if Member.objects.all().scope_q(user) is None:
        raise Http404
    return Member.objects.visible_to(user)


@login_required
def member_list(request):
    """List the members the user sees, filtered (``MemberFilter``) and paginated."""
    members = visible_members(request.user).select_related("group")
    filterset = MemberFilter(request.GET, queryset=members, user=request.user)
    refuse_foreign_choices(filterset.form, ["group"])
    rows, sort = sort_rows(request, filtered_rows(filterset), MEMBER_SORT_KEYS, "name")
    page = paginate(request, rows)
    return render(
        request,
        "members/member_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page,
            "can_add": writable(request.user, "change", ConstituentGroup).exists(),
        },
    )


@login_required
def member_create(request):
    """Add a member to the officer's group (or a facilitator's chosen group); a repeated
    submission token leads to the member already made."""
    if not writable(request.user, "change", ConstituentGroup).exists():
        raise Http404
    form = MemberCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            member = form.save(commit=False)
            if request.user.group_id:
                member.group = request.user.group
            member.created_by = request.user
            member.submission_token = data["submission_token"]
            member.save()
            return member

        member, created = create_once(request, form, Member, create, scoped_fields=["group"])
        if member is not None and not created:
            member = get_visible_or_404(Member, request.user, pk=member.pk)
        if created:
            messages.success(request, _("Member saved."))
        if wants_json(request):
            return submission_json(form, member, created)
        if member is not None:
            return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": None})


@login_required
def member_detail(request, pk):
    """One member's data; 404 outside the user's scope."""
    member = get_visible_or_404(
        visible_members(request.user).select_related("group"), request.user, pk=pk
    )
    roles = member.public_roles.all().visible_to(request.user)
    return render(request, "members/member_detail.html", {"member": member, "roles": roles})


@login_required
def member_edit(request, pk):
    """Edit a member of a group the user writes for; anonymised members stay as they are."""
    member = get_writable_or_404(Member, request.user, "change", pk=pk)
    if member.is_anonymised:
        messages.error(request, _("An anonymised member cannot be edited."))
        return redirect(member)
    form = MemberForm(request.POST or None, instance=member, user=request.user)
    refuse_foreign_choices(form, ["group"])
    if request.method == "POST" and form.is_valid() and save_checked(form):
        messages.success(request, _("Member saved."))
        return redirect(member)
    return render(request, "members/member_form.html", {"form": form, "member": member})


@login_required
@require_POST
def member_leave(request, pk):
    """Mark a member as left today (group's date); the row is kept for the counts."""
    member = get_writable_or_404(
        Member.objects.select_related("group"), request.user, "change", pk=pk
    )
    try:
        member.leave(today_in(member.group))
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The member is marked as left."))
    return redirect(member)


def _member_data_page(request, member, form):
    """The member's personal-data page (``members/member_data.html``) with ``form``, the
    anonymisation form."""
    context = {
        "member": member,
        "form": form,
        "held": member_held(member, request.user),
        "retention_days": settings.MEMBER_RETENTION_DAYS,
    }
    return render(request, "members/member_data.html", context)


@never_cache  # personal data: never kept by a shared phone's browser or a proxy
@login_required
@require_GET
def member_data(request, pk):
    """The page "Data pribadi anggota": what is held about the member, her copy (JSON, PDF),
    the link to correct it and the form to erase it; for those who may change the member."""
    member = get_writable_or_404(
        Member.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    return _member_data_page(request, member, AnonymiseForm())


@never_cache  # personal data: never kept by a shared phone's browser or a proxy
@login_required
@require_GET
def member_data_json(request, pk):
    """The member's personal data as a JSON file (``member_personal_data``); logged."""
    member = get_writable_or_404(
        Member.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    data = member_personal_data(member, request.user)
    log_member_data(request, member, "json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{member.pk}.json"'
    return response


@never_cache  # personal data: never kept by a shared phone's browser or a proxy
@login_required
@require_GET
def member_data_pdf_download(request, pk):
    """The member's personal data as an A4 PDF in Indonesian: what is held, why, since when
    and who may see it; logged."""
    member = get_writable_or_404(
        Member.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    with override("id"):
        context = {
            "member": member,
            "held": member_held(member, request.user),
            "retention_days": settings.MEMBER_RETENTION_DAYS,
            "now": timezone.now(),
            "tz": member.group.time_zone,
        }
        pdf = member_data_pdf(context, request)
    log_member_data(request, member, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{member.pk}.pdf"'
    return response


@login_required
@require_POST
def member_anonymise(request, pk):
    """Erase the member's personal data (``services.member_anonymise``) on a confirmed form
    with a reason, which the access log keeps; an anonymised member is refused with a
    message, a form without reason or confirmation shows the data page again."""
    member = get_writable_or_404(
        Member.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    if member.is_anonymised:
        messages.error(request, _("This member has already been anonymised."))
        return redirect(member)
    form = AnonymiseForm(request.POST)
    if form.is_valid():
        try:
            services.member_anonymise(member, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error("reason", error)
        else:
            messages.success(request, _("The member's personal data has been removed."))
            return redirect(member)
    return _member_data_page(request, member, form)


#: Columns of the member list export.
EXPORT_COLUMNS = (
    Column(gettext_lazy("Full name"), "full_name"),
    Column(gettext_lazy("Group"), lambda m: m.group.name),
    Column(gettext_lazy("Sex"), choice_label("sex")),
    Column(gettext_lazy("Birth year"), "birth_year", NUMBER),
    Column(gettext_lazy("Birth date"), "birth_date", DATE),
    Column(gettext_lazy("NIK"), "nik", CODE),
    Column(gettext_lazy("Phone"), "phone", CODE),
    Column(gettext_lazy("Poor"), lambda m: yes_no(m.is_poor)),
    Column(gettext_lazy("Has a disability"), lambda m: yes_no(m.has_disability)),
    Column(gettext_lazy("Position"), choice_label("position")),
    Column(gettext_lazy("Address"), "address"),
    Column(gettext_lazy("Joined on"), "joined_on", DATE),
    Column(gettext_lazy("Left on"), "left_on", DATE),
)


@login_required
def member_export(request):
    """The member list as XLSX (default) or CSV, for officers and facilitators: the list's
    scope and filters exactly; 404 for roles that see no members' personal data. Logged
    (``audit``) with the user's scope, the filters and the number of rows."""
    rows = visible_members(request.user).select_related("group")
    filterset = MemberFilter(request.GET, queryset=rows, user=request.user)
    exported = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    log_export(request, Action.MEMBER_EXPORT, exported.count(), filterset=filterset)
    return export_list(
        request,
        filterset,
        EXPORT_COLUMNS,
        filename="anggota",
        title=_("Members"),
        sort=(MEMBER_SORT_KEYS, "name"),
    )


@login_required
def officer_start(request, pk):
    """Start an officer term in the group ``pk`` the user writes for
    (``services.officer_term_start`` ends the position's open term)."""
    group = get_writable_or_404(
        ConstituentGroup.objects.select_related("village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    form = OfficerTermForm(request.POST or None, group=group)
    refuse_foreign_choices(form, ["member"])
    if request.method == "POST" and form.is_valid():
        try:
            officer_term_start(group, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("started_on", error)
        else:
            messages.success(request, _("Officer term saved."))
            return redirect(group)
    return render(request, "members/officer_form.html", {"form": form, "group": group})


@login_required
def officer_end(request, pk):
    """End an open officer term on a date."""
    term = get_writable_or_404(
        OfficerTerm.objects.select_related("group__village__subdistrict__regency", "member"),
        request.user,
        "change",
        pk=pk,
        ended_on__isnull=True,
    )
    form = OfficerTermEndForm(request.POST or None, term=term)
    if request.method == "POST" and form.is_valid():
        officer_term_end(term, ended_on=form.cleaned_data["ended_on"])
        messages.success(request, _("Officer term ended."))
        return redirect(term.group)
    return render(
        request, "members/officer_form.html", {"form": form, "group": term.group, "term": term}
    )


def visible_roles(user):
    """``PublicRole`` rows ``user`` may see; raises ``Http404`` for roles that see none
    (programme and DPRD staff count them on the dashboard only)."""
    if PublicRole.objects.all().scope_q(user) is None:
        raise Http404
    return PublicRole.objects.visible_to(user).select_related("member__group")


@login_required
def role_list(request):
    """Public roles of the members the user sees, filtered and paginated."""
    filterset = PublicRoleFilter(
        request.GET, queryset=visible_roles(request.user), user=request.user
    )
    refuse_foreign_choices(filterset.form, ["group"])
    rows, sort = sort_rows(request, filtered_rows(filterset), ROLE_SORT_KEYS, "-started")
    page = paginate(request, rows)
    return render(
        request, "members/role_list.html", {"filter": filterset, "page_obj": page, "sort": sort}
    )


#: Columns of the public-role export (members' names: logged as a member export).
ROLE_COLUMNS = (
    Column(gettext_lazy("Full name"), lambda r: r.member.full_name),
    Column(gettext_lazy("Sex"), choice_label("member.sex")),
    Column(gettext_lazy("Group"), lambda r: r.member.group.name),
    Column(gettext_lazy("Kind"), choice_label("kind")),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Party"), "party"),
    Column(gettext_lazy("Election year"), "election_year", NUMBER),
    Column(gettext_lazy("Result"), choice_label("result")),
    Column(gettext_lazy("Started on"), "started_on", DATE),
    Column(gettext_lazy("Ended on"), "ended_on", DATE),
)


@login_required
def role_export(request):
    """The public-role list as XLSX or CSV, its scope and filters exactly; logged."""
    filterset = PublicRoleFilter(
        request.GET, queryset=visible_roles(request.user), user=request.user
    )
    exported = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    log_export(request, Action.MEMBER_EXPORT, exported.count(), filterset=filterset)
    return export_list(
        request,
        filterset,
        ROLE_COLUMNS,
        filename="peran-publik",
        title=_("Public roles"),
        sort=(ROLE_SORT_KEYS, "-started"),
    )


@login_required
def role_create(request, pk):
    """Record a public role of the member ``pk`` the user writes for; one row per
    submission."""
    member = get_writable_or_404(Member, request.user, "change", pk=pk)
    form = PublicRoleCreateForm(request.POST or None)
    if request.method == "POST":

        def create(data):
            fields = {name: data[name] for name in PublicRoleForm.Meta.fields}
            return public_role_add(member, fields=fields, submission_token=data["submission_token"])

        role, created = create_once(request, form, PublicRole, create)
        if created:
            messages.success(request, _("Public role saved."))
        if role is not None:
            return redirect(get_visible_or_404(Member, request.user, pk=role.member_id))
    return render(request, "members/role_form.html", {"form": form, "member": member})


@login_required
def role_edit(request, pk):
    """Edit (or end, with an end date) a public role of a member the user writes for."""
    role = get_writable_or_404(
        PublicRole.objects.select_related("member"), request.user, "change", pk=pk
    )
    form = PublicRoleForm(request.POST or None, instance=role)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Public role saved."))
        return redirect(role.member)
    return render(
        request, "members/role_form.html", {"form": form, "member": role.member, "role": role}
    )
