"""Nothing but the sign-in's second step is served to a session that still owes its second factor."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_htmx.http import HttpResponseClientRedirect

from .policy import has_second_factor, must_verify

# What a session waiting for its second factor may still reach: the second
# step itself (passkeys included: django-otp-webauthn refuses to add one to an
# account that already has a factor until the session is verified), signing
# out, and what any page needs.
ALLOWED_PATHS = ("/account/two-factor/", "/account/two-factor/setup/")
ALLOWED_PREFIXES = ("/webauthn/", "/accounts/logout/", "/static/", "/healthz", "/favicon.ico")


class RequireSecondFactorMiddleware:
    """After AuthenticationMiddleware and OTPMiddleware: send an unverified session to set up or verify."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path
        if path in ALLOWED_PATHS or path.startswith(ALLOWED_PREFIXES) or not must_verify(request):
            return self.get_response(request)
        target = "mfa_verify" if has_second_factor(request.user) else "mfa_setup"
        next_url = request.get_full_path() if request.method == "GET" else ""
        url = reverse(target)
        if next_url and next_url != "/":
            url = f"{url}?{urlencode({'next': next_url})}"
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(url)  # a whole page, not a fragment
        return redirect(url)
