"""Pages of the groups' activities (list, export, record, detail, edit, attendance, the
printable attendance sheet, the attendance export, the attendance list across activities)
and of budget access (list, export, record, edit) and replicated practices (list, record,
detail, taking one up).

Activities and their attendance are read like members' personal data: programme and DPRD
staff get 404 on these pages (they see the dashboard's counts). Budget access is read as
groups are.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from activities import services
from activities.filters import ActivityFilter, AttendanceFilter, BudgetAccessFilter, PracticeFilter
from activities.forms import (
    ActivityCreateForm,
    ActivityForm,
    AttendanceGuestForm,
    AttendanceMembersForm,
    BudgetAccessCreateForm,
    BudgetAccessForm,
    PracticeAdoptForm,
    PracticeForm,
)
from activities.models import (
    Activity,
    Attendance,
    BudgetAccess,
    PracticeAdoption,
    ReplicatedPractice,
)
from activities.pdf import attendance_sheet_pdf
from audit.models import Action
from audit.services import log_export
from groups.models import ConstituentGroup
from kk_portal.exports import (
    DATE,
    MONEY,
    NUMBER,
    Column,
    choice_label,
    export_format,
    export_list,
    export_response,
)
from kk_portal.formats import yes_no
from kk_portal.forms import create_once, filtered_rows, refuse_foreign_choices
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404, writable
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from members.models import Member


def visible_activities(user):
    """``Activity`` rows ``user`` sees, with their attendance counts (one query); raises
    ``Http404`` for roles that see none."""
    if Activity.objects.all().scope_q(user) is None:
        raise Http404
    return (
        Activity.objects.visible_to(user)
        .select_related("group__village__subdistrict__regency")
        .annotate(
            present=Count("attendance"),
            women=Count("attendance", filter=Q(attendance__sex="F")),
            poor=Count("attendance", filter=Q(attendance__is_poor=True)),
            disability=Count("attendance", filter=Q(attendance__has_disability=True)),
        )
        .order_by("-held_on", "-pk")
    )


#: The activity list's sorts (``activity_held_on`` index).
ACTIVITY_SORT_KEYS = {
    "held_on": SortKey(gettext_lazy("Date"), ("held_on", "pk")),
    "kind": SortKey(gettext_lazy("Kind"), ("kind", "held_on", "pk")),
}
#: The attendance list's sorts.
ATTENDANCE_SORT_KEYS = {
    "held_on": SortKey(
        gettext_lazy("Date"), ("activity__held_on", "activity", "name_folded", "pk")
    ),
    "name": SortKey(gettext_lazy("Name"), ("name_folded", "pk")),
}
#: The budget-access list's sorts (``budget_sort_*`` indexes).
BUDGET_SORT_KEYS = {
    "year": SortKey(gettext_lazy("Year"), ("year", "pk")),
    "amount": SortKey(gettext_lazy("Amount"), ("amount", "pk")),
}
#: The practice list's sorts (``practice_sort_*`` indexes).
PRACTICE_SORT_KEYS = {
    "started": SortKey(gettext_lazy("Started"), ("started_on", "pk")),
    "name": SortKey(gettext_lazy("Name"), ("name", "pk")),
}


@login_required
def activity_list(request):
    """The activities the user sees, filtered (``ActivityFilter``) and paginated."""
    activities = visible_activities(request.user)
    filterset = ActivityFilter(request.GET, queryset=activities, user=request.user)
    refuse_foreign_choices(filterset.form, ["group"])
    rows, sort = sort_rows(request, filtered_rows(filterset), ACTIVITY_SORT_KEYS, "-held_on")
    page = paginate(request, rows)
    return render(
        request,
        "activities/activity_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page,
            "can_add": writable(request.user, "change", ConstituentGroup).exists(),
        },
    )


#: Columns of the activity export: one row per activity, counts from the attendance.
EXPORT_COLUMNS = (
    Column(gettext_lazy("Date"), "held_on", DATE),
    Column(gettext_lazy("Kind"), choice_label("kind")),
    Column(gettext_lazy("Topic"), lambda a: a.topic_label),
    Column(gettext_lazy("Host group"), lambda a: a.group.name),
    Column(gettext_lazy("Regency"), lambda a: a.group.village.subdistrict.regency.name),
    Column(gettext_lazy("Place"), "place"),
    Column(gettext_lazy("Facilitator or resource person"), "resource_person"),
    Column(gettext_lazy("Organiser"), "organiser"),
    Column(gettext_lazy("Present"), "present", NUMBER),
    Column(gettext_lazy("Women"), "women", NUMBER),
    Column(gettext_lazy("Poor"), "poor", NUMBER),
    Column(gettext_lazy("With a disability"), "disability", NUMBER),
)


@login_required
def activity_export(request):
    """The activity list as XLSX (default) or CSV: its scope and filters exactly."""
    filterset = ActivityFilter(
        request.GET, queryset=visible_activities(request.user), user=request.user
    )
    return export_list(
        request,
        filterset,
        EXPORT_COLUMNS,
        filename="kegiatan",
        title=_("Activities"),
        sort=(ACTIVITY_SORT_KEYS, "-held_on"),
    )


@login_required
def activity_create(request):
    """Record an activity hosted by a group the user writes for; one per submission."""
    if not writable(request.user, "change", ConstituentGroup).exists():
        raise Http404
    form = ActivityCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            return services.activity_create(
                form.host,
                fields=form.activity_fields(),
                groups=data["groups"],
                actor=request.user,
                submission_token=data["submission_token"],
            )

        activity, created = create_once(
            request, form, Activity, create, scoped_fields=["group", "groups"]
        )
        if created:
            messages.success(request, _("Activity saved."))
        if activity is not None:
            return redirect(get_visible_or_404(Activity, request.user, pk=activity.pk))
    return render(request, "activities/activity_form.html", {"form": form, "activity": None})


def _detail_context(request, activity, **forms):
    rows = activity.attendance.select_related("member__group").by_name()
    may_change = can(request.user, "change", activity)
    context = {
        "activity": activity,
        "attendance": rows,
        "counts": rows.counts(),
        "taking_part": activity.groups.all(),
        "may_change": may_change,
    }
    if may_change:
        context["members_form"] = forms.get("members_form") or AttendanceMembersForm(
            activity=activity
        )
        context["guest_form"] = forms.get("guest_form") or AttendanceGuestForm()
    return context


def _activity(request, pk):
    return get_visible_or_404(
        Activity.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        pk=pk,
    )


@login_required
def activity_detail(request, pk):
    """An activity, its counts by sex, poverty and disability (from the attendance), who
    attended and, for its writers, the forms that record the signed attendance."""
    activity = _activity(request, pk)
    return render(request, "activities/activity_detail.html", _detail_context(request, activity))


@login_required
def activity_edit(request, pk):
    """Edit an activity of a group the user writes for."""
    activity = get_writable_or_404(
        Activity.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    form = ActivityForm(request.POST or None, instance=activity, user=request.user)
    refuse_foreign_choices(form, ["groups"])
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(
                activity, fields=form.activity_fields(), groups=form.cleaned_data["groups"]
            )
        except ValidationError as error:
            form.add_error("groups", error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity})


def _writable_activity(request, pk):
    return get_writable_or_404(
        Activity.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )


@login_required
@require_POST
def attendance_members(request, pk):
    """List the ticked members as present (members already listed are skipped)."""
    activity = _writable_activity(request, pk)
    form = AttendanceMembersForm(request.POST, activity=activity)
    if form.is_valid():
        try:
            added = services.attendance_add_members(
                activity, members=list(form.cleaned_data["members"])
            )
        except ValidationError as error:
            form.add_error("members", error)
        else:
            messages.success(request, _("%(count)d present added.") % {"count": added})
            return redirect(activity)
    context = _detail_context(request, activity, members_form=form)
    return render(request, "activities/activity_detail.html", context, status=400)


@login_required
@require_POST
def attendance_guest(request, pk):
    """List a non-member as present."""
    activity = _writable_activity(request, pk)
    form = AttendanceGuestForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_add_guest(activity, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("full_name", error)
        else:
            messages.success(request, _("Present added."))
            return redirect(activity)
    context = _detail_context(request, activity, guest_form=form)
    return render(request, "activities/activity_detail.html", context, status=400)


@login_required
@require_POST
def attendance_remove(request, pk):
    """Take one person off the attendance list."""
    row = get_writable_or_404(Attendance, request.user, "change", pk=pk)
    services.attendance_remove(row)
    messages.success(request, _("Removed from the attendance list."))
    return redirect(row.activity)


#: Number of empty lines on the sheet for people who are not members.
BLANK_LINES = 10


@login_required
def attendance_sheet(request, pk):
    """The attendance sheet as an A4 PDF: the members of the groups taking part who are in
    their group on the activity's day, then empty lines for others, each with a column to
    sign."""
    activity = _activity(request, pk)
    members = (
        Member.objects.in_group_on(activity.held_on)
        .filter(group__in=activity.groups.all(), anonymised_at__isnull=True)
        .select_related("group")
        .order_by("group__name", "name_folded")
    )
    context = {
        "activity": activity,
        "members": members,
        "blank_lines": range(BLANK_LINES),
        "taking_part": activity.groups.all(),
    }
    response = HttpResponse(attendance_sheet_pdf(context, request), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="daftar-hadir-{activity.pk}-{activity.held_on.isoformat()}.pdf"'
    )
    return response


#: Columns of the attendance export (personal data: logged).
ATTENDANCE_COLUMNS = (
    Column(gettext_lazy("Full name"), str),
    Column(gettext_lazy("Group"), lambda r: r.member.group.name if r.member_id else ""),
    Column(gettext_lazy("Sex"), choice_label("sex")),
    Column(gettext_lazy("Poor"), lambda r: yes_no(r.is_poor)),
    Column(gettext_lazy("Has a disability"), lambda r: yes_no(r.has_disability)),
)


@login_required
def attendance_export(request, pk):
    """The activity's attendance as XLSX or CSV; logged (``audit``) as personal data."""
    activity = _activity(request, pk)
    rows = activity.attendance.select_related("member__group").by_name()
    applied = AttendanceFilter(
        QueryDict(f"activity={activity.pk}"), queryset=rows, user=request.user
    )
    log_export(request, Action.ATTENDANCE_EXPORT, rows.count(), filterset=applied)
    return export_response(
        rows.iterator(chunk_size=2000),
        ATTENDANCE_COLUMNS,
        filename=f"hadir-{activity.pk}",
        fmt=export_format(request),
        title=_("Attendance"),
    )


@login_required
def attendance_list(request):
    """Who attended the activities the user sees, one row per person per activity,
    filtered (``AttendanceFilter``) and paginated: the list the dashboard's people counts
    link to, so it counts the same rows. Personal data: 404 for programme and DPRD staff."""
    if Attendance.objects.all().scope_q(request.user) is None:
        raise Http404
    rows = (
        Attendance.objects.visible_to(request.user)
        .select_related("activity__group", "member")
        .order_by("-activity__held_on", "activity", "name_folded", "pk")
    )
    filterset = AttendanceFilter(request.GET, queryset=rows, user=request.user)
    rows, sort = sort_rows(request, filtered_rows(filterset), ATTENDANCE_SORT_KEYS, "-held_on")
    return render(
        request,
        "activities/attendance_list.html",
        {"filter": filterset, "page_obj": paginate(request, rows), "sort": sort},
    )


def _budget_rows(user):
    return BudgetAccess.objects.visible_to(user).select_related(
        "group__village__subdistrict__regency"
    )


@login_required
def budget_list(request):
    """Budget access of the groups the user sees, filtered and paginated."""
    filterset = BudgetAccessFilter(
        request.GET, queryset=_budget_rows(request.user), user=request.user
    )
    refuse_foreign_choices(filterset.form, ["group"])
    rows, sort = sort_rows(request, filtered_rows(filterset), BUDGET_SORT_KEYS, "-year")
    page = paginate(request, rows)
    editable = writable(request.user, "change", BudgetAccess).filter(
        pk__in=[row.pk for row in page]
    )
    return render(
        request,
        "activities/budget_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page,
            "editable": set(editable.values_list("pk", flat=True)),
            "total": rows.order_by().aggregate(
                amount=Sum("amount"), women=Sum("women"), men=Sum("men")
            ),
            "can_add": writable(request.user, "change", ConstituentGroup).exists(),
        },
    )


#: Columns of the budget-access export (amounts stay numbers, in Rupiah).
BUDGET_COLUMNS = (
    Column(gettext_lazy("Group"), lambda b: b.group.name),
    Column(gettext_lazy("Regency"), lambda b: b.group.village.subdistrict.regency.name),
    Column(gettext_lazy("Year"), "year", NUMBER),
    Column(gettext_lazy("Source"), choice_label("source")),
    Column(gettext_lazy("Purpose"), choice_label("purpose")),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Amount (Rupiah)"), "amount", MONEY),
    Column(gettext_lazy("Women benefiting"), "women", NUMBER),
    Column(gettext_lazy("Men benefiting"), "men", NUMBER),
)


@login_required
def budget_export(request):
    """The budget-access list as XLSX (default) or CSV, its scope and filters exactly."""
    filterset = BudgetAccessFilter(
        request.GET, queryset=_budget_rows(request.user), user=request.user
    )
    return export_list(
        request,
        filterset,
        BUDGET_COLUMNS,
        filename="akses-anggaran",
        title=_("Budget access"),
        sort=(BUDGET_SORT_KEYS, "-year"),
    )


@login_required
def budget_create(request):
    """Record money a group the user writes for obtained; one row per submission."""
    if not writable(request.user, "change", ConstituentGroup).exists():
        raise Http404
    form = BudgetAccessCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            names = ("source", "amount", "year", "purpose", "description", "women", "men")
            return services.budget_access_add(
                form.group,
                fields={name: data[name] for name in names},
                submission_token=data["submission_token"],
            )

        row, created = create_once(request, form, BudgetAccess, create, scoped_fields=["group"])
        if created:
            messages.success(request, _("Budget access saved."))
        if row is not None:
            return redirect("activities:budget_list")
    return render(request, "activities/budget_form.html", {"form": form, "row": None})


@login_required
def budget_edit(request, pk):
    """Edit a budget-access row of a group the user writes for."""
    row = get_writable_or_404(
        BudgetAccess.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        "change",
        pk=pk,
    )
    form = BudgetAccessForm(request.POST or None, instance=row, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Budget access saved."))
        return redirect("activities:budget_list")
    return render(request, "activities/budget_form.html", {"form": form, "row": row})


def _practices(user):
    return (
        ReplicatedPractice.objects.visible_to(user)
        .select_related("group__village__subdistrict__regency")
        .annotate(taken_up=Count("adoptions", distinct=True))
        .order_by("-started_on", "-pk")
    )


@login_required
def practice_list(request):
    """The practices the user sees, each with the number of groups that took it up,
    filtered (``PracticeFilter``) and paginated."""
    filterset = PracticeFilter(request.GET, queryset=_practices(request.user), user=request.user)
    refuse_foreign_choices(filterset.form, ["group"])
    rows, sort = sort_rows(request, filtered_rows(filterset), PRACTICE_SORT_KEYS, "-started")
    return render(
        request,
        "activities/practice_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": paginate(request, rows),
            "can_add": writable(request.user, "change", ConstituentGroup).exists(),
        },
    )


@login_required
def practice_create(request):
    """Record a practice a group the user writes for started; one per submission."""
    if not writable(request.user, "change", ConstituentGroup).exists():
        raise Http404
    form = PracticeForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            return services.practice_record(
                form.group,
                name=data["name"],
                description=data["description"],
                started_on=data["started_on"],
                submission_token=data["submission_token"],
            )

        try:
            practice, created = create_once(
                request, form, ReplicatedPractice, create, scoped_fields=["group"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, _("Practice saved."))
            if practice is not None:
                return redirect(practice)
    return render(request, "activities/practice_form.html", {"form": form})


def _practice_context(request, practice, form=None):
    adoptions = practice.adoptions.select_related("group__village__subdistrict__regency")
    if form is None and writable(request.user, "change", ConstituentGroup).exists():
        form = PracticeAdoptForm(user=request.user, practice=practice)
    if form is not None and not form.fields["group"].queryset.exists():
        form = None
    return {"practice": practice, "adoptions": adoptions, "adopt_form": form}


@login_required
def practice_detail(request, pk):
    """A practice, the group that started it and the groups that took it up with their
    dates; for those who write for other groups, the form to record one taking it up."""
    practice = get_visible_or_404(
        ReplicatedPractice.objects.select_related("group__village__subdistrict__regency"),
        request.user,
        pk=pk,
    )
    return render(request, "activities/practice_detail.html", _practice_context(request, practice))


@login_required
@require_POST
def practice_adopt(request, pk):
    """Record that a group the user writes for took the practice up; one per submission."""
    practice = get_visible_or_404(
        ReplicatedPractice.objects.select_related("group"), request.user, pk=pk
    )
    if not writable(request.user, "change", ConstituentGroup).exists():
        raise Http404
    form = PracticeAdoptForm(request.POST, user=request.user, practice=practice)

    def create(data):
        return services.practice_adopt(
            practice,
            group=data["group"],
            adopted_on=data["adopted_on"],
            submission_token=data["submission_token"],
        )

    try:
        adoption, created = create_once(
            request, form, PracticeAdoption, create, scoped_fields=["group"]
        )
    except ValidationError as error:
        form.add_error(None, error)
        adoption = None
    else:
        if created:
            messages.success(
                request, _("Saved: %(group)s took up the practice.") % {"group": adoption.group}
            )
        if adoption is not None:
            return redirect(practice)
    context = _practice_context(request, practice, form)
    context["adopt_form"] = form
    return render(request, "activities/practice_detail.html", context, status=400)
