"""Setting up and using the second step of signing in.

setup: the first sign-in of a clinician (or a patient turning it on) adds an
authenticator app, confirmed with a code, then sees ten recovery codes once.
verify: every later sign-in asks for a code (or a passkey) before anything else.
manage: factors, passkeys and recovery codes, for a session already verified.
"""

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tracker.next_url import safe_next_url

from .forms import SetupCodeForm, VerifyCodeForm
from .policy import has_second_factor, second_factor_required, set_enrolment
from .services import (
    is_demo_device,
    passkey_remove,
    recovery_codes_left,
    recovery_codes_regenerate,
    second_factor_turn_off,
    second_factor_verify,
    totp_confirm,
    totp_start,
)


def _next_url(request) -> str:
    return safe_next_url(request, reverse("home"))


def _qr_svg(device: TOTPDevice) -> str:
    # Black on white whatever the page's colours: authenticator apps read that best.
    # Imported here: only the set-up page draws a QR code, and every web worker would carry segno.
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff", omitsize=True)


def _grouped(secret_base32: str) -> str:
    return " ".join(secret_base32[index : index + 4] for index in range(0, len(secret_base32), 4))


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def setup(request):
    """Add (or replace) the authenticator app. A session that has a factor but has not shown it must verify first."""
    user = request.user
    if has_second_factor(user) and not user.is_verified():
        return redirect(f"{reverse('mfa_verify')}?next={_next_url(request)}")
    device = totp_start(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = totp_confirm(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error(None if hasattr(error, "error_dict") else "token", error)
        else:
            otp_login(request, device)
            set_enrolment(request, True)
            return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
    return render(
        request,
        "mfa/setup.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device),
            "secret": _grouped(base64.b32encode(device.bin_key).decode()),
            "required": second_factor_required(user),
            "next": _next_url(request),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def verify(request):
    """The second step of signing in: a code from the app, a recovery code, or a passkey."""
    user = request.user
    if user.is_verified():
        return redirect(_next_url(request))
    if not has_second_factor(user):
        return redirect(f"{reverse('mfa_setup')}?next={_next_url(request)}")
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verified = second_factor_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error.message_dict.get("token", error.messages))
        else:
            otp_login(request, verified.device)
            if verified.used_recovery_code:
                left = recovery_codes_left(user=user)
                messages.warning(
                    request,
                    f"You used a recovery code; {left} left. If you lost your phone, set up your app again "
                    "from Security settings.",
                )
            return redirect(_next_url(request))
    authenticators = TOTPDevice.objects.filter(user=user, confirmed=True)
    demo = next((device for device in authenticators if is_demo_device(device)), None)
    return render(
        request,
        "mfa/verify.html",
        {
            "form": form,
            "has_passkey": WebAuthnCredential.objects.filter(user=user, confirmed=True).exists(),
            "demo_hint": demo is not None,
            "next": _next_url(request),
        },
    )


@never_cache
@require_http_methods(["GET"])
@login_required
def manage(request):
    user = request.user
    return render(
        request,
        "mfa/manage.html",
        {
            "authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).first(),
            "passkeys": list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")),
            "recovery_codes_left": recovery_codes_left(user=user),
            "required": second_factor_required(user),
            "has_factor": has_second_factor(user),
        },
    )


@never_cache
@require_POST
@login_required
def recovery_codes(request):
    try:
        codes = recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("mfa_manage")
    return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": reverse("mfa_manage")})


@require_POST
@login_required
def passkey_delete(request, passkey_id: int):
    try:
        passkey_remove(user=request.user, passkey_id=passkey_id)
    except WebAuthnCredential.DoesNotExist:
        raise Http404("No such passkey.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Passkey removed.")
    return redirect("mfa_manage")


@require_POST
@login_required
def turn_off(request):
    try:
        second_factor_turn_off(user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        set_enrolment(request, False)
        messages.success(request, "The second step at sign-in is off. You can turn it on again here at any time.")
    return redirect("mfa_manage")
