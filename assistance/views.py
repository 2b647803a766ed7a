"""Case pages: list, export, open, detail, print, edit, steps, handlers, consent, documents,
and the copy of a person's data (JSON, PDF) for a person helped who is not a member.

Every view starts from ``AssistanceCase.objects.visible_to(user)``: a case outside the
user's circle answers 404 exactly as a missing one, on every page, print, document and
export; programme and DPRD staff get 404 on all of them (counts only, on the dashboard).
In the circle but read only (a facilitator on a confidential case) gets 403 on the forms.
Each sight of a confidential case (page, print, document), every export and every copy of
a person's data is logged (``audit.services``). Nothing identifying goes into titles, URLs
or messages: a case is "Case #12" everywhere but in the body of its own pages.
"""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from aspirations.attachments import is_photo
from assistance import services
from assistance.filters import CaseFilter
from assistance.forms import (
    STEP_FIELDS,
    CaseEditForm,
    CaseForm,
    ConsentWithdrawForm,
    HandlersForm,
    StepForm,
)
from assistance.models import AssistanceCase, CaseDocument, Status, StepKind
from assistance.personal_data import case_held, case_person_data
from audit.history import record_edits
from audit.models import Action
from audit.services import log_case_access, log_case_data, log_export
from groups.models import ConstituentGroup
from kk_portal.exports import (
    CODE,
    DATE,
    NUMBER,
    Column,
    choice_label,
    export_format,
    export_response,
)
from kk_portal.files import stored_file_response
from kk_portal.forms import create_once, filtered_rows, refuse_foreign_choices
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404, writable
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from kk_portal.zones import today_in
from members.pdf import member_data_pdf

#: Choice fields whose choices come from the user's scope: a foreign id there answers 404.
SCOPED_FIELDS = ["group", "member", "person_village", "handlers"]
#: What a step's service function is called with, by step kind.
STEP_SERVICES = {
    StepKind.ACCOMPANIED: (services.case_accompany, ("occurred_on", "service", "note")),
    StepKind.SUBMITTED: (services.case_submit, ("occurred_on", "service", "note")),
    StepKind.REFERRED: (
        services.case_refer,
        ("occurred_on", "service", "contact", "follow_up_on", "note"),
    ),
    StepKind.FOLLOWED_UP: (services.case_follow_up, ("occurred_on", "note", "service")),
    StepKind.OBTAINED: (services.case_obtain, ("occurred_on", "service", "note")),
    StepKind.REFUSED: (services.case_refuse, ("occurred_on", "service")),
    StepKind.CLOSED: (services.case_close, ("occurred_on", "outcome", "note")),
    StepKind.REOPENED: (services.case_reopen, ("occurred_on",)),
}
#: Steps offered on an open case, and on a closed one.
OPEN_STEPS = (
    StepKind.ACCOMPANIED,
    StepKind.SUBMITTED,
    StepKind.REFERRED,
    StepKind.FOLLOWED_UP,
    StepKind.OBTAINED,
    StepKind.REFUSED,
    StepKind.CLOSED,
)
CLOSED_STEPS = (StepKind.REOPENED,)


def visible_cases(user):
    """``AssistanceCase`` rows ``user`` may see; raises ``Http404`` for roles that see none."""
    if AssistanceCase.objects.all().scope_q(user) is None:
        raise Http404
    return AssistanceCase.objects.visible_to(user)


def _cases(user):
    return visible_cases(user).select_related(
        "group__village__subdistrict__regency", "person_village", "member", "recorded_by"
    )


def case_or_404(user, pk):
    """The case ``pk`` if ``user`` may see it, else ``Http404`` (as for a missing case)."""
    return get_visible_or_404(_cases(user), user, pk=pk)


def writable_case_or_403(user, pk, action="change"):
    """The case ``pk`` if ``user`` may do ``action`` to it (``write_rules`` of
    ``AssistanceCaseQuerySet``): 404 outside the circle, 403 in it but read only."""
    return get_writable_or_404(_cases(user), user, action, readers_get=403, pk=pk)


def _apply(form, action):
    """Run a service call; put its ``ValidationError`` beside the fields. The result, or
    ``None`` when refused."""
    try:
        return action()
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _saved(request, case, message):
    """Redirect after ``case`` was saved, with the success ``message``: to the case, or to
    the list when the user is outside its circle now (an administrator who opened a case
    of violence for a group, an officer who handed one on), saying who sees it."""
    messages.success(request, message)
    if visible_cases(request.user).filter(pk=case.pk).exists():
        return redirect(case)
    messages.info(
        request,
        _(
            "Case #%(id)s is confidential: only its handling officers and the regency "
            "facilitator can see it."
        )
        % {"id": case.pk},
    )
    return redirect("assistance:list")


def _store_files(case, uploads, actor, step=None):
    for upload in uploads:
        services.case_document_add(case, actor=actor, upload=upload, step=step)


#: Session key of the name searched on the case list. A survivor's name typed there must
#: not reach a URL (server log, browser history, pagination and export links), so the
#: search is posted and kept in the session; a ``q`` in the query string is ignored.
CASE_SEARCH = "assistance_case_search"


def _case_filter(request):
    """``CaseFilter`` bound to the query string's filters and the session's name search."""
    data = request.GET.copy()
    data.pop("q", None)
    search = request.session.get(CASE_SEARCH, "")
    if search:
        data["q"] = search
    cases = visible_cases(request.user).select_related("group", "person_village", "member")
    filterset = CaseFilter(data, queryset=cases, user=request.user, today=timezone.localdate())
    refuse_foreign_choices(filterset.form, ["group"])
    return filterset


def _case_search_post(request):
    """Keep the posted name search in the session (``clear`` drops it) and redirect to the
    list with the same filters, on its first page."""
    search = "" if "clear" in request.POST else request.POST.get("q", "").strip()[:100]
    if search:
        request.session[CASE_SEARCH] = search
    else:
        request.session.pop(CASE_SEARCH, None)
    query = request.GET.copy()
    for name in ("q", "page"):
        query.pop(name, None)
    url = reverse("assistance:list")
    return redirect(f"{url}?{query.urlencode()}" if query else url)


#: The case list's sorts (within one group or regency).
CASE_SORT_KEYS = {
    "opened": SortKey(gettext_lazy("Opened"), ("opened_on", "pk")),
    "follow_up": SortKey(gettext_lazy("Follow-up"), ("follow_up_on", "pk")),
}


@login_required
def case_list(request):
    """The cases the user sees, filtered (``CaseFilter``) and paginated. A POST sets or
    clears the name search (``CASE_SEARCH``) and redirects here."""
    filterset = _case_filter(request)
    if request.method == "POST":
        return _case_search_post(request)
    rows, sort = sort_rows(request, filtered_rows(filterset), CASE_SORT_KEYS, "-opened")
    page = paginate(request, rows)
    return render(
        request,
        "assistance/case_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "search": request.session.get(CASE_SEARCH, ""),
            "page_obj": page,
            "today": timezone.localdate(),
            "can_add": writable(request.user, "change", ConstituentGroup).exists(),
        },
    )


def _redacted(case, value):
    """``value`` of the person for an export: blank for a confidential case, whose person
    is never written to a file."""
    return "" if case.confidential else value


#: Columns of the case export. A confidential case is listed without name, phone or text.
CASE_COLUMNS = (
    Column(gettext_lazy("ID"), "pk", NUMBER),
    Column(gettext_lazy("Group"), lambda c: c.group.name),
    Column(gettext_lazy("Kind"), choice_label("kind")),
    Column(gettext_lazy("What is needed"), choice_label("need")),
    Column(gettext_lazy("Confidential"), lambda c: _("yes") if c.confidential else _("no")),
    Column(gettext_lazy("Opened on"), "opened_on", DATE),
    Column(gettext_lazy("Status"), choice_label("status")),
    Column(gettext_lazy("Outcome"), choice_label("outcome")),
    Column(gettext_lazy("Closed on"), "closed_on", DATE),
    Column(gettext_lazy("Follow up on"), "follow_up_on", DATE),
    Column(gettext_lazy("Village code"), lambda c: c.person_village.code, CODE),
    Column(gettext_lazy("Village"), lambda c: c.person_village.name),
    Column(gettext_lazy("Sex"), choice_label("person_sex")),
    Column(gettext_lazy("Age group"), choice_label("person_age_group")),
    Column(gettext_lazy("Poor"), lambda c: _("yes") if c.person_is_poor else _("no")),
    Column(
        gettext_lazy("Has a disability"), lambda c: _("yes") if c.person_has_disability else _("no")
    ),
    Column(gettext_lazy("Name"), lambda c: _redacted(c, c.person_label)),
    Column(
        gettext_lazy("Phone"),
        lambda c: _redacted(c, c.member.phone if c.member_id else c.person_phone),
        CODE,
    ),
    Column(gettext_lazy("What happened, what is needed"), lambda c: _redacted(c, c.description)),
)


@login_required
def case_export(request):
    """The case list as XLSX (default) or CSV: the list's scope and filters exactly, logged
    with the user's scope, the filters and the number of rows."""
    filterset = _case_filter(request)
    rows = filtered_rows(filterset)
    log_export(request, Action.CASE_EXPORT, rows.count(), filterset=filterset)
    return export_response(
        rows.iterator(chunk_size=2000),
        CASE_COLUMNS,
        filename="kasus-pendampingan",
        fmt=export_format(request),
        title=_("Cases of assistance"),
    )


@login_required
def case_create(request):
    """Open a case through ``services.case_open``; all of it is saved, or nothing and a
    message beside each field. A repeated submission leads to the case already made."""
    user = request.user
    if not writable(user, "change", ConstituentGroup).exists():
        raise Http404
    initial = {"opened_on": timezone.localdate(), "consent_given_on": timezone.localdate()}
    if user.group_id:
        initial["person_village"] = user.group.village_id
    form = CaseForm(request.POST or None, request.FILES or None, user=user, initial=initial)
    if request.method == "POST":

        def open_case(data):
            case, _created = services.case_open(
                group=data.get("group") or user.group,
                actor=user,
                submission_token=data["submission_token"],
                **form.service_arguments(),
            )
            if not case.is_anonymous:
                _store_files(case, data["files"], user)
            return case

        def create():
            return create_once(
                request, form, AssistanceCase, open_case, scoped_fields=SCOPED_FIELDS
            )

        # A refusal of case_open (ValidationError) stands beside the fields, nothing saved.
        case, created = _apply(form, create) or (None, False)
        if case is not None and case.is_anonymous:
            if created:
                messages.success(
                    request,
                    _(
                        "Without consent only an anonymous count was kept: the kind, the month "
                        "and the village."
                    ),
                )
            return redirect("assistance:list")
        if case is not None:
            # A repeated tap is told the same as the first: its answer may be all they see.
            return _saved(request, case, _("Case saved."))
    return render(request, "assistance/case_form.html", {"form": form, "case": None})


def _step_actions(case):
    return CLOSED_STEPS if case.status == Status.CLOSED else OPEN_STEPS


@login_required
def case_detail(request, pk):
    """One case with its steps, documents and edits; a confidential one is logged."""
    case = case_or_404(request.user, pk)
    if case.confidential:
        log_case_access(request, case, Action.CASE_VIEW)
    can_write = can(request.user, "change", case)
    can_name_handlers = can(request.user, "name_handlers", case)
    steps = list(case.steps.select_related("recorded_by").prefetch_related("documents"))
    documents = list(case.documents.all())
    return render(
        request,
        "assistance/case_detail.html",
        {
            "case": case,
            "steps": steps,
            "photos": [d for d in documents if is_photo(d)],
            "files": [d for d in documents if not is_photo(d)],
            "handlers": list(case.handlers.all()),
            "edits": record_edits(case, hidden=("person_name_folded",)),
            "can_write": can_write and not case.is_anonymous,
            "can_name_handlers": can_name_handlers and not case.is_anonymous,
            "step_actions": [StepKind(kind) for kind in _step_actions(case)],
            "today": timezone.localdate(),
        },
    )


@login_required
def case_print(request, pk):
    """The case as a sheet to print and take to a service (A4); logged when confidential."""
    case = case_or_404(request.user, pk)
    if case.is_anonymous:
        raise Http404
    if case.confidential:
        log_case_access(request, case, Action.CASE_PRINT)
    steps = list(case.steps.select_related("recorded_by"))
    return render(request, "assistance/case_print.html", {"case": case, "steps": steps})


def person_case_or_404(user, pk):
    """The case ``pk`` of a person who is not a member, if ``user`` may see it; else
    ``Http404``, also for an anonymous case (it names no one) and a member's case (her
    member's copy holds it, ``members:data``)."""
    case = case_or_404(user, pk)
    if case.is_anonymous or case.member_id:
        raise Http404
    return case


@never_cache  # personal data: never kept by a shared phone's browser or a proxy
@login_required
@require_GET
def case_data_json(request, pk):
    """The data of the person helped in the case (not a member) as a JSON file, her copy
    (``personal_data.case_person_data``), for those who see the case; logged."""
    case = person_case_or_404(request.user, pk)
    data = case_person_data(case)
    log_case_data(request, case, "json")
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-kasus-{case.pk}.json"'
    return response


@never_cache  # personal data: never kept by a shared phone's browser or a proxy
@login_required
@require_GET
def case_data_pdf(request, pk):
    """The data of the person helped in the case (not a member) as an A4 PDF in Indonesian:
    what is held, why, since when and who may see it, for those who see the case; logged."""
    case = person_case_or_404(request.user, pk)
    with override("id"):
        context = {
            "case": case,
            "held": case_held(case),
            "now": timezone.now(),
            "tz": case.time_zone,
        }
        pdf = member_data_pdf(context, request, "assistance/data_pdf.html")
    log_case_data(request, case, "pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-kasus-{case.pk}.pdf"'
    return response


@login_required
def case_edit(request, pk):
    """Edit a case's details (``services.case_update``); the edit history keeps each change."""
    case = writable_case_or_403(request.user, pk)
    if case.is_anonymous:
        raise Http404
    form = CaseEditForm(request.POST or None, instance=case)
    refuse_foreign_choices(form, ["person_village"])
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        if _apply(form, lambda: services.case_update(case, actor=request.user, **fields)):
            messages.success(request, _("Case saved."))
            return redirect(case)
    return render(request, "assistance/case_form.html", {"form": form, "case": case})


@login_required
def case_step(request, pk, kind):
    """Record one step (``STEP_SERVICES``: accompanied, submitted, referred, followed up,
    obtained, refused, closed, reopened) with its documents, all or nothing."""
    try:
        kind = StepKind(kind)
    except ValueError:
        raise Http404 from None
    if kind not in STEP_FIELDS:
        raise Http404
    case = writable_case_or_403(request.user, pk)
    if case.is_anonymous or kind not in _step_actions(case):
        raise Http404
    form = StepForm(
        request.POST or None,
        request.FILES or None,
        kind=kind,
        case=case,
        initial={"occurred_on": today_in(case.group)},
    )
    if request.method == "POST" and form.is_valid():
        function, names = STEP_SERVICES[kind]
        arguments = {name: form.cleaned_data[name] for name in names}
        if kind == StepKind.REFUSED:
            arguments["reason"] = form.cleaned_data["note"]
        if kind == StepKind.REOPENED:
            arguments["reason"] = form.cleaned_data["note"]
        if kind == StepKind.FOLLOWED_UP:
            arguments["next_follow_up_on"] = form.cleaned_data["follow_up_on"]

        def record():
            with transaction.atomic():
                step = function(case, actor=request.user, **arguments)
                _store_files(case, form.cleaned_data.get("files", []), request.user, step)
                return step

        if _apply(form, record):
            messages.success(request, _("Step saved."))
            return redirect(case)
    return render(request, "assistance/step_form.html", {"form": form, "case": case, "kind": kind})


@login_required
def case_handlers(request, pk):
    """Name the officers who handle the case (``services.case_set_handlers``)."""
    case = writable_case_or_403(request.user, pk, "name_handlers")
    if case.is_anonymous:
        raise Http404
    form = HandlersForm(
        request.POST or None, case=case, initial={"handlers": list(case.handlers.all())}
    )
    refuse_foreign_choices(form, ["handlers"])
    if request.method == "POST" and form.is_valid():
        handlers = list(form.cleaned_data["handlers"])
        if _apply(
            form,
            lambda: services.case_set_handlers(
                case,
                actor=request.user,
                handlers=handlers,
                occurred_on=today_in(case.group),
            ),
        ):
            return _saved(request, case, _("The handling officers are saved."))
    return render(request, "assistance/handlers_form.html", {"form": form, "case": case})


@login_required
def case_consent(request, pk):
    """Consent withdrawn: anonymise the case (``services.case_withdraw_consent``)."""
    case = writable_case_or_403(request.user, pk)
    if case.is_anonymous:
        raise Http404
    form = ConsentWithdrawForm(request.POST or None, initial={"occurred_on": today_in(case.group)})
    if request.method == "POST" and form.is_valid():
        occurred_on = form.cleaned_data["occurred_on"]
        if _apply(
            form,
            lambda: services.case_withdraw_consent(
                case, actor=request.user, occurred_on=occurred_on
            ),
        ):
            messages.success(request, _("The case is anonymised."))
            return redirect(case)
    return render(request, "assistance/consent_form.html", {"form": form, "case": case})


@login_required
@require_GET
def document_download(request, pk, variant="file"):
    """Serve a case's document (or its thumbnail) to a user who may see the case; logged
    when the case is confidential."""
    document = get_visible_or_404(
        CaseDocument.objects.select_related("case__group__village__subdistrict__regency"),
        request.user,
        pk=pk,
    )
    stored = document.thumbnail if variant == "thumbnail" else document.file
    if not stored:
        raise Http404
    if document.case.confidential:
        log_case_access(request, document.case, Action.CASE_DOCUMENT)
    response = stored_file_response(
        request,
        stored,
        content_type=document.content_type,
        as_attachment=variant == "file" and not is_photo(document),
        # A neutral name: the name the phone gave the file may say who is in it.
        filename=f"kasus-{document.case_id}-{document.pk}"
        + (".jpg" if is_photo(document) else ".pdf"),
    )
    response["Cache-Control"] = "private, no-store"
    return response
