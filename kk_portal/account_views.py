"""A facilitator manages the officer accounts of their regency's groups.

Officers change hands: the facilitator creates an account, deactivates it when the person
leaves office, sets a new password when one is forgotten — no e-mail involved — and
unlocks an account locked after failed sign-ins (the ``"unlock"`` rule). Every
other role, and any officer outside the facilitator's regency, gets 404 (the ``"manage"``
rule of ``kk_portal.models.UserQuerySet``).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.views import PasswordResetView
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from kk_portal.account_forms import OfficerCreateForm
from kk_portal.accounts import account_unlock, officer_set_active
from kk_portal.lockout import locked_usernames
from kk_portal.pagination import paginate
from kk_portal.permissions import can, get_writable_or_404, writable
from kk_portal.second_factor import backup_codes_left
from kk_portal.sorting import SortKey, sort_rows

#: The officer list's sorts (one regency's officers).
SORT_KEYS = {
    "group": SortKey(gettext_lazy("Group"), ("group__name", "username", "pk")),
    "username": SortKey(gettext_lazy("Username"), ("username", "pk")),
}


@login_required
@require_safe
def account(request):
    """The signed-in user's own account: who they are, the way to a new password, and
    whether the second factor is on and how many backup codes are left
    (``kk_portal.second_factor``)."""
    context = {
        "second_factor_on": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "backup_codes_left": backup_codes_left(request.user),
    }
    return render(request, "accounts/account.html", context)


_password_reset_by_email = PasswordResetView.as_view()


def password_reset(request):
    """Django's password reset by e-mail when e-mail is configured
    (``settings.EMAIL_CONFIGURED``); otherwise a page saying that no e-mail can be sent and
    that the facilitator sets a new password, for GET and POST alike."""
    if settings.EMAIL_CONFIGURED:
        return _password_reset_by_email(request)
    return render(request, "registration/password_reset_unavailable.html")


def _may_manage(user):
    if not can(user, "manage", get_user_model()):
        raise Http404


@login_required
def officer_list(request):
    """The officer accounts of the facilitator's regency."""
    _may_manage(request.user)
    officers = writable(request.user, "manage", get_user_model()).select_related("group")
    officers, sort = sort_rows(request, officers, SORT_KEYS, "group")
    page = paginate(request, officers)
    locked = locked_usernames(officer.username for officer in page)
    for officer in page:
        officer.locked_out = officer.username in locked
    return render(request, "accounts/officer_list.html", {"page_obj": page, "sort": sort})


@login_required
def officer_create(request):
    """Create an officer account with a first password the facilitator hands over."""
    _may_manage(request.user)
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
    officer = get_writable_or_404(get_user_model(), request.user, "manage", pk=pk)
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
    officer = get_writable_or_404(get_user_model(), request.user, "manage", pk=pk)
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


@login_required
@require_POST
def officer_unlock(request, pk):
    """Unlock an account locked after too many failed sign-ins (``kk_portal.lockout``)."""
    officer = get_writable_or_404(get_user_model(), request.user, "unlock", pk=pk)
    account_unlock(user=officer)
    messages.success(
        request,
        _("%(username)s can try to sign in again now.") % {"username": officer.username},
    )
    return redirect("officers:list")
