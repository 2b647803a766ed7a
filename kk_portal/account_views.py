"""A facilitator manages the officer accounts of their regency's groups (issue 3).

Officers change hands: the facilitator creates an account, deactivates it when the person
leaves office, and sets a new password when one is forgotten — no e-mail involved. Every
other role, and any officer outside the facilitator's regency, gets 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kk_portal.account_forms import OfficerCreateForm
from kk_portal.accounts import can_manage_officers, officer_set_active, officers_managed_by
from kk_portal.pagination import paginate


def _managed_officer(request, pk):
    if not can_manage_officers(request.user):
        raise Http404
    return get_object_or_404(officers_managed_by(request.user), pk=pk)


@login_required
def officer_list(request):
    """The officer accounts of the facilitator's regency."""
    if not can_manage_officers(request.user):
        raise Http404
    page = paginate(request, officers_managed_by(request.user))
    return render(request, "accounts/officer_list.html", {"page_obj": page})


@login_required
def officer_create(request):
    """Create an officer account with a first password the facilitator hands over."""
    if not can_manage_officers(request.user):
        raise Http404
    form = OfficerCreateForm(request.POST or None, facilitator=request.user)
    if request.method == "POST" and form.is_valid():
        officer = form.save()
        messages.success(
            request,
            _("Account %(username)s created. Give the password to the officer in person.")
            % {"username": officer.username},
        )
        return redirect("officers:list")
    return render(request, "accounts/officer_form.html", {"form": form, "officer": None})


@login_required
def officer_password(request, pk):
    """Set a new password for an officer who forgot theirs."""
    officer = _managed_officer(request, pk)
    form = SetPasswordForm(officer, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(
            request, _("New password set for %(username)s.") % {"username": officer.username}
        )
        return redirect("officers:list")
    return render(request, "accounts/officer_form.html", {"form": form, "officer": officer})


@login_required
@require_POST
def officer_active(request, pk):
    """Deactivate (``active=0``) or reactivate (``active=1``) an officer account."""
    officer = _managed_officer(request, pk)
    active = request.POST.get("active") == "1"
    officer_set_active(officer=officer, active=active)
    if active:
        messages.success(
            request, _("%(username)s can sign in again.") % {"username": officer.username}
        )
    else:
        messages.success(
            request, _("%(username)s can no longer sign in.") % {"username": officer.username}
        )
    return redirect("officers:list")
