"""The second factor: a six-digit TOTP code from an authenticator app (django-otp).

Required of programme staff and administrators (``User.second_factor_required``); any other
user may turn it on from their account page, and is then asked for it at every sign-in.
After the password, ``kk_portal.middleware.SecondFactorMiddleware`` sends a user who must
give a code to ``second_factor`` (the code) or, when they have no authenticator yet, to
``second_factor_enrol`` (a QR code and the secret as text, confirmed by a first code). Wrong
codes slow down (django-otp's throttling: each failure doubles the wait); a lost phone is
removed by an administrator in the admin ("TOTP devices"), and the user enrols again.

Backup codes (django-otp's static device) stand in for the app's code when the phone is not
at hand: a user with the app makes ``BACKUP_CODE_COUNT`` of them on
``second_factor_backup_codes`` (shown once; making new ones ends the old ones) and may give
one on the code page instead; each works once, and its use is logged (``audit``, through
``kk_portal.signals.backup_code_used``).
"""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kk_portal.forms import next_path
from kk_portal.signals import backup_code_used

#: How many backup codes a user gets at a time: enough for months of a lost or flat phone.
BACKUP_CODE_COUNT = 10

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
    # The app, not backup codes left after an administrator removed a lost phone's app.
    return user.second_factor_required or _confirmed_device(user) is not None


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


class BackupCodeForm(forms.Form):
    """One of ``user``'s backup codes, used up when right (``backup_code_use``); the device
    it belongs to is then ``self.device``."""

    backup_code = forms.CharField(
        label=gettext_lazy("Backup code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean_backup_code(self):
        self.device = backup_code_use(self.user, self.cleaned_data["backup_code"])
        if self.device is None:
            raise forms.ValidationError(
                _("This backup code is wrong or has been used. Each code works once.")
            )
        return self.cleaned_data["backup_code"]


def backup_codes_replace(user):
    """Make ``BACKUP_CODE_COUNT`` new backup codes for ``user`` and end those left: a list
    of codes of 8 lower-case letters and digits (django-otp's ``StaticToken.random_token``),
    to show once. The user's row is locked meanwhile, so that two pages sent at once leave
    one set of codes, on one device."""
    with transaction.atomic():
        get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
        device = StaticDevice.objects.filter(user=user).order_by("pk").first()
        if device is None:
            device = StaticDevice.objects.create(user=user, name=_("Backup codes"))
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def backup_code_use(user, code):
    """Use up ``code`` if it is one of ``user``'s backup codes (spaces, dashes and case
    ignored): returns its ``StaticDevice``, else ``None``. The code is deleted in one
    statement, so that two sign-ins racing with one code cannot both pass. Wrong codes slow
    down as the app's do (django-otp's throttling)."""
    device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None or not device.verify_is_allowed()[0]:
        return None
    token = "".join(code.split()).replace("-", "").lower()
    used, _ = device.token_set.filter(token=token).delete()
    if not used:
        device.throttle_increment()
        return None
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return device


def backup_codes_left(user):
    """How many of ``user``'s backup codes are unused (0 when none were made)."""
    return StaticToken.objects.filter(device__user=user).count()


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
    posted = request.POST if request.method == "POST" else None
    backup = posted is not None and "backup_code" in posted
    form = CodeForm(None if backup else posted, device=device)
    backup_form = BackupCodeForm(posted if backup else None, user=request.user)
    if backup and backup_form.is_valid():
        otp_login(request, backup_form.device)
        backup_code_used.send(sender=StaticDevice, request=request, user=request.user)
        left = backup_codes_left(request.user)
        messages.warning(
            request,
            ngettext(
                "You signed in with a backup code; %(count)d is left.",
                "You signed in with a backup code; %(count)d are left.",
                left,
            )
            % {"count": left},
        )
        return redirect(_next_page(request))
    if posted is not None and not backup and form.is_valid():
        otp_login(request, device)
        return redirect(_next_page(request))
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "backup_form": backup_form, "next": _next_page(request)},
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
    if _confirmed_device(request.user) is not None:
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


@login_required
def second_factor_backup_codes(request):
    """The user's backup codes: how many are left, and (POST) ``BACKUP_CODE_COUNT`` new
    ones shown once on the page that answers, the old ones ended. Only with the app set up
    (the middleware has then asked for its code): else back to the account page."""
    if _confirmed_device(request.user) is None:
        messages.info(
            request,
            _("Turn on the second factor first: backup codes stand in for the app's code."),
        )
        return redirect("account")
    codes = backup_codes_replace(request.user) if request.method == "POST" else None
    return render(
        request,
        "accounts/second_factor_backup_codes.html",
        {"codes": codes, "left": backup_codes_left(request.user)},
    )
