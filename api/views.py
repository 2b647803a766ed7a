"""The user's API tokens, in their account area: the list, a new token (its secret shown
once, on the page that made it) and revoking one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api.forms import ApiTokenForm
from api.models import ApiToken
from api.services import api_token_create, api_token_revoke
from kk_portal.pagination import paginate
from kk_portal.permissions import get_writable_or_404


@login_required
def token_list(request):
    """The tokens the user sees (their own; an administrator's: everyone's), newest first,
    and the form for a new one. A valid POST makes the token and shows its secret once."""
    form = ApiTokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = api_token_create(request.user, name=form.cleaned_data["name"])
        messages.success(
            request,
            _("Token “%(name)s” made. Copy the secret now: it is not shown again.")
            % {"name": token.name},
        )
        form = ApiTokenForm()
    tokens = ApiToken.objects.visible_to(request.user).select_related("user")
    return render(
        request,
        "api/token_list.html",
        {"form": form, "secret": secret, "page_obj": paginate(request, tokens)},
    )


@login_required
@require_POST
def token_revoke(request, pk):
    """Revoke a token the user sees (``"revoke"``); others answer 404."""
    token = get_writable_or_404(ApiToken, request.user, "revoke", pk=pk)
    api_token_revoke(token)
    messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
    return redirect("tokens:list")
