from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .forms import BoundedAuthenticationForm
from .password_reset import QueuedPasswordResetForm
from .sessions import seconds_left, sign_out_other_devices


@require_POST
@login_required
def keep_alive(request):
    """'Stay signed in': the request itself counts as activity (IdleSignOutMiddleware). Says the seconds left."""
    response = HttpResponse(status=204)
    left = seconds_left(request)
    if left is not None:
        response["X-Idle-Seconds-Left"] = str(left)
    return response


@require_POST
@login_required
def other_devices_sign_out(request):
    sign_out_other_devices(request=request)
    messages.success(request, "You are now signed out everywhere else. This device stays signed in.")
    return redirect("mfa_manage")


class QueuedPasswordResetView(PasswordResetView):
    form_class = QueuedPasswordResetForm


password_reset = QueuedPasswordResetView.as_view()


class BoundedLoginView(LoginView):
    form_class = BoundedAuthenticationForm
    authentication_form = BoundedAuthenticationForm


login = BoundedLoginView.as_view()
