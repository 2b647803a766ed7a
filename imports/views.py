"""Pages of imports: the uploader's list, the upload form, the job's page (progress while a
step runs, then the preview or the summary), choosing ambiguous rows, confirming, deleting
an import that wrote nothing, and the template download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from imports import (
    activities,
    aspirations,
    attendance,
    budget_access,
    cases,
    members,
    public_roles,
    reses_meetings,
    services,
    tasks,
)
from imports.forms import UploadForm
from imports.models import ImportJob, ImportRow
from imports.workbook import template_xlsx
from kk_portal.pagination import paginate
from kk_portal.permissions import can
from kk_portal.scoping import get_visible_or_404

#: The preview's filters: the URL's ``?show=`` → the actions listed (one outcome each, or
#: the rows needing the uploader, or all).
SHOW = {
    "problems": (ImportRow.Action.ERROR, ImportRow.Action.AMBIGUOUS),
    "all": tuple(ImportRow.Action.values),
    **{action: (action,) for action in ImportRow.Action.values},
}
#: The job's count of each outcome of the preview (``ImportJob``'s fields).
COUNTS = {
    ImportRow.Action.CREATE: "created",
    ImportRow.Action.UPDATE: "updated",
    ImportRow.Action.UNCHANGED: "unchanged",
    ImportRow.Action.ERROR: "errors",
    ImportRow.Action.AMBIGUOUS: "ambiguous",
}


def _importer(user):
    if not can(user, "import", ImportJob):
        raise Http404
    return user


@login_required
def job_list(request):
    """The user's imports (an administrator's: everyone's), newest first: per job its file,
    upload time in the regency's zone, uploader, kind, target, status and counts;
    ``?status=`` and ``?kind=`` filter."""
    _importer(request.user)
    jobs = ImportJob.objects.visible_to(request.user).select_related(
        "group", "regency", "activity", "created_by"
    )
    status, kind = request.GET.get("status", ""), request.GET.get("kind", "")
    if status in ImportJob.Status.values:
        jobs = jobs.filter(status=status)
    if kind in ImportJob.Kind.values:
        jobs = jobs.filter(kind=kind)
    context = {
        "page_obj": paginate(request, jobs),
        "status": status,
        "kind": kind,
        "statuses": ImportJob.Status.choices,
        "kinds": ImportJob.Kind.choices,
    }
    return render(request, "imports/job_list.html", context)


@login_required
def upload(request):
    """Upload a file; its preview is built in the background and the job's page shows it."""
    _importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        group, activity, meeting = data["group"], data["activity"], data["meeting"]
        if activity is not None:
            regency_id = activity.group.village.subdistrict.regency_id
        elif meeting is not None:
            regency_id = meeting.village.subdistrict.regency_id
        elif group is not None:
            regency_id = group.village.subdistrict.regency_id
        else:
            regency_id = data["regency"].pk
        job = ImportJob.objects.create(
            created_by=request.user,
            kind=data["kind"],
            group=group,
            activity=activity,
            meeting=meeting,
            regency_id=regency_id,
            file=data["file"],
            file_name=data["file"].name[:200],
            date_format=data["date_format"],
            language=get_language() or "id",
        )
        tasks.preview_import.enqueue(job.pk)
        return redirect(job)
    return render(request, "imports/upload.html", {"form": form})


def _job(request, pk):
    _importer(request.user)
    return get_visible_or_404(
        ImportJob.objects.select_related("group", "regency", "activity", "meeting"),
        request.user,
        pk=pk,
    )


@login_required
def job_detail(request, pk):
    """The job: a progress bar while a step runs; then the preview (per row its action and
    errors, ambiguous rows with their choice) or the summary of the written import."""
    job = _job(request, pk)
    show = request.GET.get("show")
    if show not in SHOW:
        show = "problems" if job.errors or job.ambiguous else "all"
    page = None
    if job.status == ImportJob.Status.PREVIEWED:
        rows = job.rows.filter(action__in=SHOW[show]).select_related("member")
        page = paginate(request, rows)
        page.object_list = services.import_rows_shown(job, page.object_list)
    outcomes = [
        (action, label, getattr(job, COUNTS[action])) for action, label in ImportRow.Action.choices
    ]
    context = {
        "job": job,
        "show": show,
        "outcomes": outcomes,
        "page_obj": page,
        "unresolved": services.unresolved(job).count(),
        "written": job.created + job.updated,
        "may_delete": can(request.user, "delete", job),
    }
    return render(request, "imports/job_detail.html", context)


@login_required
@require_GET
def job_progress(request, pk):
    """``{"status", "done", "total", "running"}`` of the job, for the page's progress bar."""
    job = _job(request, pk)
    return JsonResponse(
        {"status": job.status, "done": job.done, "total": job.total, "running": job.running}
    )


@login_required
@require_POST
def job_resolve(request, pk):
    """Save the choices posted as ``row-<id>`` for the job's ambiguous rows."""
    job = _job(request, pk)
    if job.status != ImportJob.Status.PREVIEWED:
        raise Http404
    ambiguous = job.rows.filter(action=ImportRow.Action.AMBIGUOUS)
    for row in ambiguous.filter(pk__in=_posted_rows(request.POST)):
        choice = request.POST.get(f"row-{row.pk}", "")
        if not choice:
            continue
        try:
            services.import_row_resolve(row, choice=choice)
        except ValidationError as error:
            messages.error(
                request,
                _("Row %(row)d: %(error)s") % {"row": row.number, "error": error.messages[0]},
            )
    return redirect(f"{job.get_absolute_url()}?show=problems")


def _posted_rows(data):
    ids = []
    for key in data:
        number = key.removeprefix("row-")
        if key.startswith("row-") and number.isdigit() and len(number) < 19:
            ids.append(int(number))
    return ids


@login_required
@require_POST
def job_confirm(request, pk):
    """Write the previewed import in the background (one transaction); refused while the
    preview has errors or rows to choose."""
    job = _job(request, pk)
    if job.errors or services.unresolved(job).exists():
        messages.error(
            request,
            _("Nothing was imported: correct the errors and choose the ambiguous rows first."),
        )
    elif services.import_job_start(job):
        tasks.confirm_import.enqueue(job.pk)
    return redirect(job)


@login_required
@require_POST
def job_retry(request, pk):
    """Run the failed step of a failed import again (the preview, or the import)."""
    job = _job(request, pk)
    if services.import_job_retry(job):
        step = (
            tasks.preview_import
            if job.failed_step == ImportJob.Step.PREVIEW
            else tasks.confirm_import
        )
        step.enqueue(job.pk)
    return redirect(job)


@login_required
def job_delete(request, pk):
    """Delete an import that wrote nothing (a preview never confirmed, a refused or failed
    one) with its rows and file, after a confirmation page (GET asks, POST deletes); a
    written or running import is refused with a message on its page."""
    job = _job(request, pk)
    if not can(request.user, "delete", job):
        messages.error(request, _refusal(job))
        return redirect(job)
    if request.method == "POST":
        if services.import_job_delete(job, user=request.user):
            messages.success(
                request,
                _("The import %(file)s was deleted with its preview and its file.")
                % {"file": job.file_name},
            )
            return redirect("imports:list")
        current = ImportJob.objects.filter(pk=job.pk).first()
        if current is None:  # deleted meanwhile, in another tab
            return redirect("imports:list")
        messages.error(request, _refusal(current))
        return redirect(current)
    return render(request, "imports/job_delete.html", {"job": job})


def _refusal(job):
    if job.running:
        return _("This import is running and cannot be deleted now.")
    return _("This import was confirmed and written: it stays as the record of what was imported.")


@login_required
@require_GET
def template_download(request, kind):
    """The XLSX template of ``kind`` (headers, an example row, the explanation sheet)."""
    _importer(request.user)
    modules = {
        ImportJob.Kind.MEMBERS: members,
        ImportJob.Kind.ATTENDANCE: attendance,
        ImportJob.Kind.RESES_ATTENDANCE: attendance,
        ImportJob.Kind.ASPIRATIONS: aspirations,
        ImportJob.Kind.RESES_MEETINGS: reses_meetings,
        ImportJob.Kind.PUBLIC_ROLES: public_roles,
        ImportJob.Kind.ACTIVITIES: activities,
        ImportJob.Kind.BUDGET_ACCESS: budget_access,
        ImportJob.Kind.CASES: cases,
    }
    if kind not in modules:
        raise Http404
    response = HttpResponse(
        template_xlsx(modules[kind]),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="templat-{kind}.xlsx"'
    return response
