"""Views of the reses app: meetings, the agenda builder, the agenda pack and the follow-up.

Every view starts from ``ResesMeeting.objects.visible_to`` (read) or from the meeting's
``"manage"`` and ``"propose"`` write rules (``kk_portal.permissions``); rows outside a user's
scope answer 404 (DESIGN.md, "Who may see what").
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aspirations.models import Aspiration, Beneficiary
from kk_portal.forms import create_once, filtered_rows
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from reses import services
from reses.filters import ResesMeetingFilter
from reses.forms import (
    AgendaAddForm,
    AgendaOrderFormSet,
    AttendanceForm,
    CandidateFilterForm,
    ResesMeetingCreateForm,
    ResesMeetingForm,
    ResponseForm,
)
from reses.models import ResesMeeting
from reses.pdf import agenda_pdf

PAGE_SIZE = 20
#: The meeting list's sorts (``meeting_sort_starts`` index).
SORT_KEYS = {
    "starts": SortKey(gettext_lazy("Date"), ("starts_at", "pk")),
    "period": SortKey(gettext_lazy("Reses period"), ("reses_period", "starts_at", "pk")),
}
#: Candidates the agenda builder lists on one page; a district with more shows its villages
#: first (``agenda_build``).
CANDIDATE_LIMIT = 150


def _meetings():
    return ResesMeeting.objects.select_related(
        "representative__district", "village__subdistrict__regency", "organising_group"
    )


def _managed_or_404(user, pk):
    return get_writable_or_404(_meetings(), user, "manage", pk=pk)


def _visible_or_404(user, pk):
    return get_visible_or_404(_meetings(), user, pk=pk)


@login_required
def meeting_list(request):
    """The meetings the user may see, filtered and paginated (filters kept on every page)."""
    meetings = _meetings().visible_to(request.user)
    filterset = ResesMeetingFilter(request.GET, queryset=meetings, request=request)
    rows, sort = sort_rows(request, filtered_rows(filterset), SORT_KEYS, "-starts")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reses/meeting_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page,
            "query": query.urlencode(),
            "can_create": can(request.user, "manage", ResesMeeting),
        },
    )


@login_required
def meeting_create(request):
    """A new meeting: DPRD staff for their representative, facilitators in their regency."""
    if not can(request.user, "manage", ResesMeeting):
        raise PermissionDenied
    form = ResesMeetingCreateForm(request.POST or None, user=request.user)
    if request.method == "POST":

        def create(data):
            meeting = form.save(commit=False)
            meeting.created_by = request.user
            meeting.submission_token = data["submission_token"]
            meeting.save()
            return meeting

        meeting, created = create_once(request, form, ResesMeeting, create)
        if created:
            messages.success(request, _("The reses meeting is saved."))
            return redirect(meeting)
        if meeting is not None:
            return redirect(_visible_or_404(request.user, meeting.pk))
    return render(request, "reses/meeting_form.html", {"form": form})


@login_required
def meeting_update(request, pk):
    """Edit a meeting; its times stay in the village's zone (no drift on re-saving)."""
    meeting = _managed_or_404(request.user, pk)
    form = ResesMeetingForm(request.POST or None, instance=meeting, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The reses meeting is saved."))
        return redirect(meeting)
    return render(request, "reses/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_detail(request, pk):
    """One meeting, its attendance (the typed counts, and the people listed with their
    counts: names for those who may see them), its agenda and, for officers, their group's
    items to propose."""
    meeting = _visible_or_404(request.user, pk)
    items = services.agenda_items_read_by(meeting, request.user)
    attendees, listed = services.reses_attendance_read_by(meeting, request.user)
    context = {"meeting": meeting, "items": items, "attendees": attendees, "listed": listed}
    if can(request.user, "propose", meeting):
        context["propose_form"] = _propose_form(request, meeting)
    return render(request, "reses/meeting_detail.html", context)


def _propose_form(request, meeting, data=None):
    # The officer's candidates: the open aspirations they see, which are their group's.
    candidates = services.agenda_candidates(meeting, request.user)
    return AgendaAddForm(data, meeting=meeting, queryset=candidates, prefix="propose")


@login_required
@require_POST
def agenda_propose(request, pk):
    """An officer proposes their group's aspirations; staff accept them later."""
    meeting = get_writable_or_404(_meetings(), request.user, "propose", readers_get=403, pk=pk)
    form = _propose_form(request, meeting, request.POST)
    if form.is_valid():
        services.agenda_add(meeting, form.cleaned_data["aspirations"], proposed_by_group=True)
        messages.success(request, _("Proposed for the agenda; DPRD staff will review it."))
        return redirect(meeting)
    items = services.agenda_items_read_by(meeting, request.user)
    attendees, listed = services.reses_attendance_read_by(meeting, request.user)
    return render(
        request,
        "reses/meeting_detail.html",
        {
            "meeting": meeting,
            "items": items,
            "attendees": attendees,
            "listed": listed,
            "propose_form": form,
        },
        status=400,
    )


@login_required
def agenda_build(request, pk):
    """The agenda builder: order and accept the agenda's items; add candidates to it.

    Candidates are listed grouped by village and topic when they fit on one page
    (``CANDIDATE_LIMIT``); in a larger district the page lists the villages with their
    counts, folded by subdistrict (``services.candidate_villages``), and a village's link
    lists its candidates, ``CANDIDATE_LIMIT`` a page. So the page stays light however many
    villages and aspirations the district has, and works without JavaScript.
    """
    meeting = _managed_or_404(request.user, pk)
    filter_form = CandidateFilterForm(request.GET or None, meeting=meeting)
    candidates = filter_form.filter(services.agenda_candidates(meeting, request.user))
    # Any open aspiration the user may see is accepted here, so that one from another
    # district is refused by the district rule, with its own message.
    add_form = AgendaAddForm(
        request.POST if "add" in request.POST else None,
        meeting=meeting,
        queryset=Aspiration.objects.visible_to(request.user).open().select_related("village"),
        prefix="add",
    )
    formset = AgendaOrderFormSet(
        request.POST if "save_order" in request.POST else None,
        queryset=services.agenda_items(meeting),
        prefix="items",
    )
    if request.method == "POST":
        if "add" in request.POST and add_form.is_valid():
            added = services.agenda_add(meeting, add_form.cleaned_data["aspirations"])
            messages.success(
                request, _("%(count)s items added to the agenda.") % {"count": len(added)}
            )
            return redirect(request.get_full_path())
        if "save_order" in request.POST and formset.is_valid():
            formset.save()
            messages.success(request, _("The agenda is saved."))
            return redirect(request.get_full_path())
    village = filter_form.chosen_village
    fold = [] if village else services.candidate_villages(candidates)
    folded_count = sum(subdistrict["total"] for subdistrict in fold)
    page = None
    if folded_count <= CANDIDATE_LIMIT:
        fold = []
        page = paginate(request, candidates, CANDIDATE_LIMIT)
    return render(
        request,
        "reses/agenda_build.html",
        {
            "meeting": meeting,
            "add_form": add_form,
            "filter_form": filter_form,
            "village": village,
            "fold": fold,
            "candidate_count": folded_count,
            "village_count": sum(len(subdistrict["villages"]) for subdistrict in fold),
            "page_obj": page,
            "candidates": services.with_days_waiting(page.object_list) if page else [],
            "formset": formset,
        },
        status=400 if request.method == "POST" else 200,
    )


def _pack_context(request, meeting):
    return {
        "meeting": meeting,
        "meeting_day": services.meeting_local_date(meeting),
        "beneficiaries": {b.value: b.label for b in Beneficiary},
        "items": services.agenda_items_read_by(meeting, request.user, accepted=True),
        "profiles": services.village_profiles(meeting, request.user),
        "attendance_rows": range(1, 26),
    }


@login_required
def agenda_print(request, pk):
    """The agenda pack as a page for the browser's print (A4, black and white)."""
    meeting = _visible_or_404(request.user, pk)
    return render(request, "reses/agenda_print.html", _pack_context(request, meeting))


@login_required
def agenda_pdf_download(request, pk):
    """The agenda pack as an A4 PDF (WeasyPrint)."""
    meeting = _visible_or_404(request.user, pk)
    pdf = agenda_pdf(_pack_context(request, meeting), request)
    response = HttpResponse(pdf, content_type="application/pdf")
    day = services.meeting_local_date(meeting).isoformat()
    response["Content-Disposition"] = f'attachment; filename="agenda-reses-{meeting.pk}-{day}.pdf"'
    return response


@login_required
def meeting_followup(request, pk):
    """After the meeting: attendance by sex, poor and disability, and the responses.

    Each new response goes through ``services.agenda_item_respond`` (the pipeline's one move
    function); if any is refused, nothing of the submission is saved.
    """
    meeting = _managed_or_404(request.user, pk)
    if meeting.starts_at > timezone.now():
        messages.error(
            request, _("The follow-up can be recorded once the meeting has taken place.")
        )
        return redirect(meeting)
    items = list(services.agenda_items(meeting, accepted=True))
    open_items = [item for item in items if not item.response]
    data = request.POST if request.method == "POST" else None
    attendance = AttendanceForm(
        data,
        initial={
            "attendance_female": meeting.attendance_female,
            "attendance_male": meeting.attendance_male,
            "attendance_poor": meeting.attendance_poor,
            "attendance_disability": meeting.attendance_disability,
        },
    )
    forms = [ResponseForm(data, item=item, prefix=f"item-{item.pk}") for item in open_items]
    if data is not None and attendance.is_valid() and all(form.is_valid() for form in forms):
        try:
            with transaction.atomic():
                for field, value in attendance.cleaned_data.items():
                    setattr(meeting, field, value)
                meeting.save(update_fields=list(attendance.cleaned_data))
                for form in forms:
                    if form.cleaned_data["response"]:
                        _respond(form, request.user)
        except _FormRefused:
            pass
        else:
            messages.success(request, _("Attendance and responses are saved."))
            return redirect(meeting)
    return render(
        request,
        "reses/meeting_followup.html",
        {
            "meeting": meeting,
            "attendance": attendance,
            "forms": forms,
            "answered": [item for item in items if item.response],
        },
        status=400 if data is not None else 200,
    )


class _FormRefused(Exception):
    """A response the pipeline refused; the transaction is rolled back."""


def _respond(form, actor):
    try:
        services.agenda_item_respond(
            form.item,
            response=form.cleaned_data["response"],
            note=form.cleaned_data["note"],
            actor=actor,
        )
    except ValidationError as error:
        form.add_error("response", error.messages)
        raise _FormRefused from error
