"""Aspiration pages: list, create, detail, edit, export, and scoped attachment downloads.

Every view starts from ``Aspiration.objects.visible_to(user)`` (or ``Attachment``'s); a
row outside the scope answers 404 exactly as a missing one. Writing follows the ``"change"``
rule (``kk_portal.permissions``); programme and DPRD staff read only.
"""

import os
from collections import defaultdict
from itertools import batched

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from aspirations import services
from aspirations.attachments import attachment_store, is_photo
from aspirations.filters import AspirationFilter
from aspirations.forms import AspirationCreateForm, AspirationForm, BulkPokirForm
from aspirations.models import Aspiration, Attachment, Beneficiary, BudgetOutcome
from aspirations.pipeline_forms import SameNeedForm
from aspirations.sipd import sipd_checklist
from aspirations.stages import Stage
from groups.models import ConstituentGroup
from kk_portal.exports import (
    CHUNK,
    CODE,
    DATE,
    MONEY,
    NUMBER,
    Column,
    choice_label,
    export_list,
    flag_label,
    text_or,
)
from kk_portal.files import stored_file_response
from kk_portal.formats import NOT_FILLED
from kk_portal.forms import (
    create_once,
    filtered_rows,
    refuse_foreign_choices,
    submission_json,
    wants_json,
)
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404, writable
from kk_portal.scoping import get_visible_or_404
from kk_portal.sorting import SortKey, sort_rows
from kk_portal.zones import today_in

#: Choice fields whose choices come from the user's scope: a foreign id there answers 404.
SCOPED_FIELDS = ["group", "village", "representative"]
SCOPED_FILTERS = ["group", "village", "representative", "urusan"]
#: A list unfiltered, or filtered only by its text search, counts at most this many rows and
#: says "more than" (programme staff see two million, and a word every title holds matches
#: them all); any other filter's count stays exact, as the dashboard's drill-down needs.
UNFILTERED_COUNT_LIMIT = 10_000
#: Thumbnails shown on the detail page; with 240 px thumbnails the page stays under 150 KB.
MAX_THUMBNAILS = 8
#: The list's sorts (each served by an index of ``Aspiration``).
SORT_KEYS = {
    "raised_on": SortKey(gettext_lazy("Date raised"), ("raised_on", "pk")),
    "moved": SortKey(gettext_lazy("Last move"), ("stage_changed_on", "pk")),
    "progress": SortKey(gettext_lazy("Progress"), ("furthest_rank", "pk")),
    "title": SortKey(gettext_lazy("Title"), ("title", "pk")),
}


@login_required
def aspiration_list(request):
    """List the aspirations the user sees, filtered (``AspirationFilter``), sorted
    (``SORT_KEYS``, newest first by default) and paginated; with checkboxes and the
    "taken into Pokir" form for those who may move many at once (``"move_many"``)."""
    return _list_page(request)


def _list_page(request, bulk_form=None):
    """The list page of ``aspiration_list``; ``bulk_form`` is a bound ``BulkPokirForm`` to
    show again with its errors and its ticks (``aspiration_move_bulk``)."""
    user = request.user
    # The page's 20 rows fetch their group, village and topic by id afterwards: joined in the
    # page's query, a search estimated at hundreds of matches hashed all 83,762 villages.
    aspirations = Aspiration.objects.visible_to(user).prefetch_related("group", "village", "topic")
    filterset = AspirationFilter(request.GET, queryset=aspirations, user=user)
    refuse_foreign_choices(filterset.form, SCOPED_FILTERS)
    rows, sort = sort_rows(request, filtered_rows(filterset), SORT_KEYS, "-raised_on")
    rough = filterset.is_valid() and not any(
        value for name, value in filterset.form.cleaned_data.items() if name != "q"
    )
    # A searched list scans the full-text index once for its count and first page.
    page_obj = paginate(
        request,
        rows,
        limit=UNFILTERED_COUNT_LIMIT if rough else None,
        with_first_page=rough and bool(filterset.form.cleaned_data.get("q")),
    )
    bulk_move = can(user, "move_many", Aspiration)
    if bulk_move:
        bulk_form = bulk_form or BulkPokirForm()
        _mark_pokir_rows(user, list(page_obj), bulk_form)
    return render(
        request,
        "aspirations/aspiration_list.html",
        {
            "filter": filterset,
            "sort": sort,
            "page_obj": page_obj,
            "can_add": writable(user, "change", ConstituentGroup).exists(),
            "bulk_move": bulk_move,
            "bulk_form": bulk_form,
        },
    )


def _mark_pokir_rows(user, rows, bulk_form):
    """Set ``bulk_movable`` (a checkbox is drawn: the user may move the row, and Pokir is
    among its targets) and ``bulk_checked`` (ticked in the form sent) on each row of the
    page; one query for the whole page."""
    movable = set(
        writable(user, "move_many", Aspiration)
        .filter(pk__in=[row.pk for row in rows])
        .values_list("pk", flat=True)
    )
    ticked = set(bulk_form.data.getlist("aspiration")) if bulk_form.is_bound else set()
    for row in rows:
        row.bulk_movable = row.pk in movable and Stage.POKIR in services.targets_for(row, user)
        row.bulk_checked = str(row.pk) in ticked


@login_required
@require_POST
def aspiration_move_bulk(request):
    """Record "taken into Pokir" for the aspirations ticked on the list, with one date and
    document number (``services.aspirations_move_bulk``), then back to the list with its
    filters (the form's query string) and a message counting what moved and naming what
    did not. 403 for those without ``"move_many"``; an invalid form shows the list again."""
    if not can(request.user, "move_many", Aspiration):
        raise PermissionDenied
    form = BulkPokirForm(request.POST)
    if not form.is_valid():
        return _list_page(request, bulk_form=form)
    data = form.cleaned_data
    result = services.aspirations_move_bulk(
        data["aspiration"],
        to=Stage.POKIR,
        actor=request.user,
        occurred_on=data["occurred_on"],
        document_reference=data["document_reference"],
        note=data["note"],
    )
    _report_bulk_move(request, result)
    query = request.GET.urlencode()
    return redirect(reverse("aspirations:list") + (f"?{query}" if query else ""))


def _report_bulk_move(request, result):
    """One message: how many moved; how many did not, each by title with the reason; how
    many ticked ids were not the user's. A warning when some did not, an error when none
    moved."""
    moved = len(result.moved)
    text = ngettext(
        "%(count)s aspiration taken into Pokir", "%(count)s aspirations taken into Pokir", moved
    ) % {"count": moved}
    if result.refused:
        text += "; " + ngettext(
            "%(count)s not: %(rows)s", "%(count)s not: %(rows)s", len(result.refused)
        ) % {
            "count": len(result.refused),
            "rows": "; ".join(f"{row.title} ({reason})" for row, reason in result.refused),
        }
    text += "."
    if result.ignored:
        text += " " + ngettext(
            "%(count)s ticked aspiration is not yours to move and was left alone.",
            "%(count)s ticked aspirations are not yours to move and were left alone.",
            result.ignored,
        ) % {"count": result.ignored}
    if not moved:
        messages.error(request, text)
    elif result.refused or result.ignored:
        messages.warning(request, text)
    else:
        messages.success(request, text)


@login_required
def aspiration_create(request):
    """Log an aspiration with its photos and documents through
    ``services.aspiration_create``; all of it is saved, or nothing and a message per field."""
    user = request.user
    if not writable(user, "change", ConstituentGroup).exists():
        raise Http404
    if user.group_id:
        initial = {"village": user.group.village_id, "raised_on": today_in(user.group)}
    else:
        initial = {"raised_on": today_in(user)}
    form = AspirationCreateForm(
        request.POST or None, request.FILES or None, user=user, initial=initial
    )
    if request.method == "POST":

        def create(data):
            fields = {k: v for k, v in data.items() if k in form._meta.fields}
            group = fields.pop("group", None) or user.group
            aspiration, _created = services.aspiration_create(
                group=group, actor=user, submission_token=data["submission_token"], **fields
            )
            for upload in data["files"]:
                attachment_store(aspiration=aspiration, upload=upload, actor=user)
            if data["same_as"] is not None:
                services.aspiration_link_duplicate(
                    aspiration, same_as=data["same_as"], actor=user, occurred_on=data["raised_on"]
                )
            return aspiration

        aspiration, created = create_once(
            request, form, Aspiration, create, scoped_fields=SCOPED_FIELDS
        )
        if aspiration is not None and not created:
            aspiration = get_visible_or_404(Aspiration, user, pk=aspiration.pk)
        if created:
            messages.success(request, _("Aspiration saved."))
        if wants_json(request):
            return submission_json(form, aspiration, created)
        if aspiration is not None:
            return redirect(aspiration)
    return render(request, "aspirations/aspiration_form.html", {"form": form, "aspiration": None})


@login_required
def aspiration_detail(request, pk):
    """One aspiration with its attachments and timeline; 404 outside the user's scope."""
    aspiration = get_visible_or_404(
        Aspiration.objects.select_related(
            "group", "village", "topic", "urusan", "representative", "recorded_by", "duplicate_of"
        ),
        request.user,
        pk=pk,
    )
    attachments = list(aspiration.attachments.all())
    photos = [a for a in attachments if is_photo(a)]
    # "The same need as …" for a record not linked yet, to those who may change it.
    same_need = (
        SameNeedForm(aspiration=aspiration, user=request.user)
        if aspiration.duplicate_of_id is None and can(request.user, "change", aspiration)
        else None
    )
    return render(
        request,
        "aspirations/aspiration_detail.html",
        {
            "aspiration": aspiration,
            # Thumbnails beyond the first few are listed by name: the page stays light.
            "photos": photos[:MAX_THUMBNAILS],
            "documents": photos[MAX_THUMBNAILS:] + [a for a in attachments if not is_photo(a)],
            "attachment_count": len(attachments),
            "benefits": [str(beneficiary.label) for beneficiary in aspiration.beneficiaries],
            "sipd": sipd_checklist(aspiration, attachments),
            "duplicates": aspiration.duplicates.visible_to(request.user),
            "same_need": same_need if same_need and same_need.suggestions else None,
        },
    )


@login_required
def aspiration_edit(request, pk):
    """Edit an aspiration of a group the user writes for, and add attachments."""
    aspiration = get_writable_or_404(Aspiration, request.user, "change", pk=pk)
    form = AspirationForm(
        request.POST or None, request.FILES or None, instance=aspiration, user=request.user
    )
    refuse_foreign_choices(form, SCOPED_FIELDS)
    if request.method == "POST" and form.is_valid():
        fields = {
            name: form.cleaned_data[name] for name in form.changed_data if name in form._meta.fields
        }
        with transaction.atomic():
            services.aspiration_update(aspiration, actor=request.user, **fields)
            for upload in form.cleaned_data["files"]:
                attachment_store(aspiration=aspiration, upload=upload, actor=request.user)
        messages.success(request, _("Aspiration saved."))
        return redirect(aspiration)
    return render(
        request, "aspirations/aspiration_form.html", {"form": form, "aspiration": aspiration}
    )


@login_required
@require_GET
def attachment_download(request, pk, variant="file"):
    """Serve an attachment (or its thumbnail) to a user who may see its aspiration."""
    attachment = get_visible_or_404(Attachment, request.user, pk=pk)
    stored = attachment.thumbnail if variant == "thumbnail" else attachment.file
    if not stored:
        raise Http404
    response = stored_file_response(
        request,
        stored,
        content_type=attachment.content_type,
        as_attachment=variant == "file" and not is_photo(attachment),
        # Photos are stored as JPEG whatever was sent (HEIC, PNG …): name them so.
        filename=(
            os.path.splitext(attachment.original_name)[0] + ".jpg"
            if is_photo(attachment)
            else attachment.original_name
        ),
    )
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _latest(key):
    """A column value: field ``key`` of the row's latest budget outcome (the last of its
    ``"outcomes"``, ordered by fiscal year then recording), ``None`` without one."""

    def get(row):
        outcomes = row["outcomes"]
        if not outcomes:
            return None
        return outcomes[-1][key]

    return get


_source_label = choice_label("source", model=BudgetOutcome)


def _latest_source(row):
    outcomes = row["outcomes"]
    return _source_label(outcomes[-1]) if outcomes else None


#: Fields of each exported aspiration (``values()``: no model instances for 20,000 rows).
EXPORT_FIELDS = (
    "pk",
    "title",
    "description",
    "group__name",
    "village__code",
    "village__name",
    "village__subdistrict__regency__name",
    "topic__name",
    "urusan__code",
    "channel",
    "raised_on",
    "stage",
    "stage_changed_on",
    "furthest_rank",
    "stopped_at",
    *(b.flag for b in Beneficiary),
)
#: Fields of each budget outcome the aspiration export's first sheet reads.
OUTCOME_FIELDS = ("aspiration_id", "fiscal_year", "source", "amount", "realised_amount")

#: Columns of the aspiration list export, over the rows of ``_export_rows``.
EXPORT_COLUMNS = (
    Column(gettext_lazy("ID"), "pk", NUMBER),
    Column(gettext_lazy("Title"), "title"),
    Column(gettext_lazy("Description"), "description"),
    Column(gettext_lazy("Group"), "group__name"),
    Column(gettext_lazy("Village code"), "village__code", CODE),
    Column(gettext_lazy("Village"), "village__name"),
    Column(gettext_lazy("Regency"), "village__subdistrict__regency__name"),
    Column(gettext_lazy("Topic"), "topic__name"),
    Column(gettext_lazy("Urusan code"), text_or("urusan__code", NOT_FILLED), CODE),
    Column(gettext_lazy("Channel"), choice_label("channel", model=Aspiration)),
    Column(gettext_lazy("Raised on"), "raised_on", DATE),
    Column(gettext_lazy("Stage"), choice_label("stage", model=Aspiration)),
    Column(gettext_lazy("Stage changed on"), "stage_changed_on", DATE),
    Column(gettext_lazy("Furthest rank reached"), "furthest_rank", NUMBER),
    Column(gettext_lazy("Stopped at"), choice_label("stopped_at", model=Aspiration)),
    *(Column(capfirst(b.benefits_label), flag_label(b.flag)) for b in Beneficiary),
    Column(gettext_lazy("Budget outcomes"), lambda row: len(row["outcomes"]), NUMBER),
    Column(gettext_lazy("Latest budget: fiscal year"), _latest("fiscal_year"), NUMBER),
    Column(gettext_lazy("Latest budget: source"), _latest_source, width=20),
    Column(gettext_lazy("Latest budget: amount (Rp)"), _latest("amount"), MONEY),
    Column(gettext_lazy("Latest budget: realised (Rp)"), _latest("realised_amount"), MONEY),
    Column(gettext_lazy("Latest budget: realised on"), _latest("realised_on"), DATE),
)


def _export_rows(aspirations):
    """The export's rows: a dict of ``EXPORT_FIELDS`` per aspiration of ``aspirations`` (in
    their order), with ``"outcomes"``: its budget outcomes (dicts of ``OUTCOME_FIELDS`` and
    ``realised_on``) by fiscal year, then as recorded. Fetched ``CHUNK`` aspirations at a
    time with one query for their outcomes, so memory stays flat in rows."""
    rows = aspirations.values(*EXPORT_FIELDS).iterator(chunk_size=CHUNK)
    for chunk in batched(rows, CHUNK):
        outcomes = defaultdict(list)
        for outcome in (
            BudgetOutcome.objects.filter(aspiration__in=[row["pk"] for row in chunk])
            .order_by("aspiration_id", "fiscal_year", "pk")
            .values(*OUTCOME_FIELDS, "realised_on")
        ):
            outcomes[outcome["aspiration_id"]].append(outcome)
        for row in chunk:
            row["outcomes"] = outcomes.get(row["pk"], ())
            yield row


#: Columns of the export's second sheet: every budget outcome of the exported aspirations.
BUDGET_COLUMNS = (
    Column(gettext_lazy("Aspiration ID"), "aspiration_id", NUMBER),
    Column(gettext_lazy("Title"), lambda o: o.aspiration.title),
    Column(gettext_lazy("Village code"), lambda o: o.aspiration.village.code, CODE),
    Column(gettext_lazy("Village"), lambda o: o.aspiration.village.name),
    Column(gettext_lazy("Fiscal year"), "fiscal_year", NUMBER),
    Column(gettext_lazy("Source of funds"), choice_label("source"), width=20),
    Column(gettext_lazy("Amount budgeted (Rp)"), "amount", MONEY),
    Column(gettext_lazy("Amount realised (Rp)"), "realised_amount", MONEY),
    Column(gettext_lazy("Realised on"), "realised_on", DATE),
    Column(
        gettext_lazy("Implementing urusan code"),
        lambda o: o.implementing_urusan.code if o.implementing_urusan else "",
        CODE,
    ),
    Column(gettext_lazy("Implementing agency"), "implementing_agency"),
    Column(gettext_lazy("Evidence"), "evidence"),
)


def _budget_sheet(aspirations):
    """The second sheet: every budget outcome of ``aspirations`` (the export's filtered,
    scoped rows), by aspiration then fiscal year."""
    outcomes = (
        BudgetOutcome.objects.filter(aspiration__in=aspirations.order_by().values("pk"))
        .select_related("aspiration__village", "implementing_urusan")
        .order_by("aspiration_id", "fiscal_year", "pk")
    )
    return [(_("Budget outcomes"), outcomes.iterator(chunk_size=2000), BUDGET_COLUMNS)]


@login_required
def aspiration_export(request):
    """The aspiration list as XLSX (default) or CSV: the list's scope and filters exactly,
    one row per aspiration with its latest budget outcome; the XLSX adds a sheet with every
    budget outcome and one describing the filters and the export's time.

    Starts from ``Aspiration.objects.visible_to``; a tampered id in a filter is a filter
    error and gives an empty file, never another scope's rows.
    """
    rows = Aspiration.objects.visible_to(request.user)
    filterset = AspirationFilter(request.GET, queryset=rows, user=request.user)
    return export_list(
        request,
        filterset,
        EXPORT_COLUMNS,
        filename="aspirasi",
        title=_("Aspirations"),
        sheets=_budget_sheet,
        sort=(SORT_KEYS, "-raised_on"),
        fetch=_export_rows,
    )
