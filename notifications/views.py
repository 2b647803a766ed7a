"""The signed-in user's reminder preference (in the account area)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from notifications.forms import PreferenceForm
from notifications.models import Delivery, preference_for
from notifications.services import preference_save

#: Reminders listed under the form, newest first.
RECENT = 10


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """Choose how reminders reach you (e-mail, SMS, WhatsApp, none) and in which language;
    below, the last reminders sent to you."""
    user = request.user
    preference = preference_for(user)
    initial = {
        "channel": preference.channel,
        "language": preference.language,
        "email": user.email,
        "phone": user.phone,
    }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_save(user, **form.cleaned_data)
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("notifications:preferences")
    sent = Delivery.objects.visible_to(user).filter(user=user)[:RECENT]
    return render(request, "notifications/preferences.html", {"form": form, "sent": sent})
