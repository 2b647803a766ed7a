"""The second factor: a six-digit TOTP code from an authenticator app (django-otp).

Required of programme staff and administrators (``User.second_factor_required``); any other
user may turn it on from their account page, and is then asked for it at every sign-in.
After the password, ``kk_portal.middleware.SecondFactorMiddleware`` sends a user who must
give a code to ``second_factor`` (the code) or, when they have no authenticator yet, to
``second_factor_enrol`` (a QR code and the secret as text, confirmed by a first code). Wrong
codes slow down (django-otp's throttling: each failure doubles the wait); a lost phone is
removed by an administrator in the admin ("TOTP devices"), and the user enrols again.
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from kk_portal.forms import next_path

#: URL names a signed-in user who still owes a code may open: the code pages, signing
#: out, the language switch and the files the phone keeps (``kk_portal.offline``).
OPEN_BEFORE_SECOND_FACTOR = frozenset(
    {
        "second_factor",
        "second_factor_enrol",
        "logout",
        "set_language",
        "service_worker",
        "manifest",
    }
)


def owes_second_factor(user):
    """Whether signed-in ``user`` must still give a code in this session: they must
    (``second_factor_required``) or chose to (a confirmed device), and have not yet."""
    if not user.is_authenticated or user.is_verified():
        return False
    return user.second_factor_required or user_has_device(user, confirmed=True)


class CodeForm(forms.Form):
    """The six digits the authenticator app shows, checked against ``device``."""

    code = forms.CharField(
        label=gettext_lazy("Code from the authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if not code.isdigit():
            raise forms.ValidationError(_("Type the six digits, without spaces."))
        if not self.device.verify_token(code):
            raise forms.ValidationError(
                _("This code is wrong or too old. Type the code the app shows now.")
            )
        return code


def _next_page(request):
    """Where to go once the code is given: ``next`` if it is a path of this site, else
    home (always a URL, never a view name)."""
    return next_path(request) or reverse("home")


def _confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def _unconfirmed_device(user):
    """The user's authenticator being set up: the oldest unconfirmed one, made when there is
    none. Two pages opened at once may make two; each then reads the oldest again, so that
    both show, and the code confirms, the same one."""
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk")
    if not pending.exists():
        TOTPDevice.objects.create(user=user, confirmed=False, name=_("Authenticator app"))
    return pending.first()


@login_required
def second_factor(request):
    """Ask the signed-in user for the code of their authenticator app, then go on to
    ``next`` (a path of this site) or home. Without an authenticator: to enrolment."""
    if request.user.is_verified():
        return redirect(_next_page(request))
    device = _confirmed_device(request.user)
    if device is None:
        target = reverse("second_factor_enrol")
        if request.GET:
            target += "?" + request.GET.urlencode()
        return redirect(target)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(_next_page(request))
    return render(
        request, "accounts/second_factor.html", {"form": form, "next": _next_page(request)}
    )


def qr_code_data_uri(text):
    """``text`` as a QR code, an SVG ``data:`` URI for an ``<img>`` (the Content Security
    Policy allows ``data:`` images, not inline SVG styles)."""
    buffer = io.BytesIO()
    qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_text(device):
    """The device's secret in base32, in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@login_required
def second_factor_enrol(request):
    """Set up the authenticator app: a QR code and the secret as text, confirmed by the
    first code it shows. The unconfirmed device is kept until confirmed, so that reloading
    the page keeps the same secret. Already set up: back to the account page."""
    if user_has_device(request.user, confirmed=True):
        if request.user.is_verified():
            messages.info(request, _("The second factor is already on for your account."))
            return redirect("account")
        return redirect("second_factor")
    device = _unconfirmed_device(request.user)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(
            request,
            _("The second factor is on: every sign-in now asks for the code of the app."),
        )
        return redirect(_next_page(request))
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": secret_text(device),
            "next": _next_page(request),
            "required": request.user.second_factor_required,
        },
    )
