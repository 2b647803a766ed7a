"""Pages of the aspiration's way: move, correct, carry over, and "where is it stuck".

Who may act is the ``"move"`` rule of ``Aspiration`` for a move (DPRD staff too, for their
steps: ``services.targets_for``) and its ``"change"`` rule for the rest
(``kk_portal.permissions``); which move is allowed is ``services.check_move``. Aspirations
outside the user's scope answer 404; in scope but read-only answer 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aspirations import services
from aspirations.attachments import attachment_store
from aspirations.models import Aspiration
from aspirations.pipeline_forms import CorrectionForm, MoveForm, SameNeedForm
from aspirations.sipd import sipd_checklist
from aspirations.stages import OPEN, Stage
from kk_portal.permissions import get_writable_or_404
from kk_portal.zones import today_in

#: Rows per stage on the "stuck" overview, and per page on one stage's list.
STUCK_PREVIEW = 5
STUCK_PER_PAGE = 25


def _movable_aspiration(request, pk, action="change"):
    return get_writable_or_404(
        Aspiration.objects.select_related(
            "group__village__subdistrict__regency", "village__subdistrict__regency"
        ),
        request.user,
        action,
        readers_get=403,
        pk=pk,
    )


def _add_errors(form, error):
    """Put a service's ``ValidationError`` beside the fields it names; messages about a
    field the form does not show (or hides) go above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = form.fields.get(name)
        form.add_error(name if field is not None and not field.widget.is_hidden else None, errors)


def _stage_page(request, aspiration, form, *, mode, write, done, context=None):
    """The move and correction pages: on a valid POST, ``write(cleaned_data)`` (one service
    call); a ``ValidationError`` it raises goes beside the fields and nothing is saved; on
    success the message ``done`` (with ``%(stage)s``, the new stage) and back to the
    aspiration. ``context`` adds to the template's."""
    if request.method == "POST" and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, done % {"stage": Stage(aspiration.stage).label})
            return redirect(aspiration)
    return render(
        request,
        "aspirations/move_form.html",
        {"aspiration": aspiration, "form": form, "mode": mode, **(context or {})},
    )


def _record_move(aspiration, form, actor):
    """The move of ``form`` (a valid ``MoveForm``): ``services.aspiration_move``, or
    ``services.aspiration_move_at_new_forum`` when a new forum was typed, and the event's
    attachment, all or nothing."""
    move = form.move_arguments()
    forum = form.new_forum_arguments()
    upload = form.cleaned_data.get("attachment")
    with transaction.atomic():
        if forum is None:
            event = services.aspiration_move(aspiration, actor=actor, **move)
        else:
            move.pop("musrenbang_forum", None)
            event = services.aspiration_move_at_new_forum(
                aspiration, actor=actor, forum=forum, **move
            )
        if upload:
            attachment = attachment_store(aspiration=aspiration, upload=upload, actor=actor)
            attachment.event = event
            attachment.save(update_fields=["event"])
    return event


@login_required
def aspiration_move_view(request, pk):
    """Record a move of one aspiration to one stage (one mobile page).

    Without a stage (``?to=``, or ``to`` posted) the page lists the stages the user may
    record (``services.targets_for``: the ``"move"`` rule lets DPRD staff record conveyed
    and Pokir), one button each; with one, the form asks only what that stage needs
    (``MoveForm``). ``?forum=`` preselects a Musrenbang forum.
    """
    aspiration = _movable_aspiration(request, pk, "move")
    initial = {"occurred_on": today_in(aspiration.group)}
    if request.GET.get("forum", "").isdigit():
        initial["musrenbang_forum"] = request.GET["forum"]
    if request.GET.get("to"):
        initial["to"] = request.GET["to"]
    form = MoveForm(
        request.POST or None,
        request.FILES or None,
        aspiration=aspiration,
        user=request.user,
        initial=initial,
    )
    return _stage_page(
        request,
        aspiration,
        form,
        mode="move",
        write=lambda data: _record_move(aspiration, form, request.user),
        done=_("Moved to “%(stage)s”."),
        context={
            "next_steps": services.next_steps(aspiration, request.user),
            "checklist": (
                sipd_checklist(aspiration, list(aspiration.attachments.all()))
                if form.stage == Stage.POKIR
                else ()
            ),
        },
    )


@login_required
def aspiration_correct_view(request, pk):
    """Set an aspiration's stage back (or reopen it) with a reason."""
    aspiration = _movable_aspiration(request, pk)
    form = CorrectionForm(
        request.POST or None,
        aspiration=aspiration,
        initial={"occurred_on": today_in(aspiration.group)},
    )
    return _stage_page(
        request,
        aspiration,
        form,
        mode="correct",
        write=lambda data: services.aspiration_correct(aspiration, actor=request.user, **data),
        done=_("Corrected to “%(stage)s”."),
    )


@login_required
@require_POST
def aspiration_carry_over_view(request, pk):
    """Bring a not-accommodated aspiration into next year's cycle (today, group's zone)."""
    aspiration = _movable_aspiration(request, pk)
    try:
        successor = services.aspiration_carry_over(
            aspiration, actor=request.user, occurred_on=today_in(aspiration.group)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(aspiration)
    messages.success(request, _("Carried over into this year's cycle as a new aspiration."))
    return redirect(successor)


@login_required
@require_POST
def aspiration_set_public_view(request, pk):
    """Show or hide the aspiration on the public tracker (``?public=1`` or ``0`` in the
    POST body), after the page's confirmation."""
    aspiration = _movable_aspiration(request, pk)
    public = request.POST.get("public") == "1"
    try:
        services.aspiration_set_public(aspiration, public=public, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Shown on the public tracker.") if public else _("Hidden from the public tracker."),
        )
    return redirect(aspiration)


@login_required
@require_POST
def aspiration_link_duplicate_view(request, pk):
    """Mark the aspiration as the same need as one of its probable duplicates
    (``SameNeedForm``, ``same_as`` in the POST body), then back to its page."""
    aspiration = _movable_aspiration(request, pk)
    form = SameNeedForm(request.POST, aspiration=aspiration, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["same_as"]))
        return redirect(aspiration)
    try:
        services.aspiration_link_duplicate(
            aspiration, same_as=form.cleaned_data["same_as"], actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Marked as the same need: it counts once."))
    return redirect(aspiration)


@login_required
@require_POST
def aspiration_unlink_duplicate_view(request, pk):
    """Count a linked duplicate on its own again, after the page's confirmation."""
    aspiration = _movable_aspiration(request, pk)
    services.aspiration_unlink_duplicate(aspiration, actor=request.user)
    messages.success(request, _("Counted on its own again."))
    return redirect(aspiration)


@login_required
def stuck(request):
    """Open aspirations per stage, oldest move first, with the days since their last move.

    Without ``?stage=`` one page shows each stage's count and its oldest few; with it, one
    stage's full list, paginated. Days count from ``stage_changed_on`` to today in the
    user's zone. Query count does not grow with the rows.
    """
    visible = Aspiration.objects.visible_to(request.user).filter(stage__in=OPEN)
    counts = dict(visible.values_list("stage").annotate(n=Count("pk")).order_by())
    today = timezone.localdate()
    stage = request.GET.get("stage", "")
    if stage not in OPEN:
        stage = ""
    rows = visible.select_related("group", "village").order_by("stage_changed_on", "pk")
    page = None
    if stage:
        page = Paginator(rows.filter(stage=stage), STUCK_PER_PAGE).get_page(request.GET.get("page"))
        preview = {stage: list(page.object_list)}
    else:
        # One small query per open stage (a fixed number): each walks the
        # aspiration_stage_since index. A window function over all open rows took 7 s on
        # the 2,000,000-aspiration benchmark; these take milliseconds each.
        preview = {
            open_stage: list(rows.filter(stage=open_stage)[:STUCK_PREVIEW]) for open_stage in OPEN
        }
    sections = []
    for open_stage in OPEN:
        if stage and open_stage != stage:
            continue
        items = preview.get(open_stage, [])
        for aspiration in items:
            aspiration.days_waiting = (today - aspiration.stage_changed_on).days
        sections.append(
            {"stage": open_stage, "count": counts.get(open_stage, 0), "aspirations": items}
        )
    return render(
        request,
        "aspirations/stuck.html",
        {
            "sections": sections,
            "stage": stage,
            "stages": [(s, counts.get(s, 0)) for s in OPEN],
            "page_obj": page,
            "preview_size": STUCK_PREVIEW,
        },
    )
