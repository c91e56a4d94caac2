"""How long a session lasts, and what the browser may keep of it.

- Clinicians and staff are signed out after CLINICIAN_IDLE_MINUTES without a
  request (IdleSignOutMiddleware); each page carries the time left, and a
  small script (static/js/idle.js) warns IDLE_WARNING_SECONDS before and lets
  them stay signed in. Their session ends after CLINICIAN_SESSION_HOURS at most.
- Patients stay signed in on their own phone for PATIENT_SESSION_DAYS, and can
  sign out of every other device from their Security page.
- Every response to a signed-in person says `Cache-Control: no-store`: health
  data must not stay in a shared computer's browser cache. The one exception
  is a response marked `library_file = True` (exercise pictures, served by
  routines.media.views): the same for everyone, never changed, no patient data.
"""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.crypto import get_random_string
from django_htmx.http import HttpResponseClientRedirect

from tracker.models import User

LAST_SEEN_KEY = "last_seen"
# The last-seen time is written at most this often (a session write per request would be wasteful).
LAST_SEEN_RESOLUTION_SECONDS = 30
KEEP_ALIVE_PATH = "/account/session/keep-alive/"


def idle_limited(user: User) -> bool:
    return user.is_authenticated and (user.is_clinician or user.is_staff or user.is_superuser)


def idle_timeout_seconds() -> int:
    return settings.CLINICIAN_IDLE_MINUTES * 60


def set_session_length(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """On sign-in: a long session on a patient's own phone, a working day at most for clinic staff."""
    if request is None or not hasattr(request, "session"):
        return
    if idle_limited(user):
        request.session.set_expiry(timedelta(hours=settings.CLINICIAN_SESSION_HOURS))
        request.session[LAST_SEEN_KEY] = time.time()
    else:
        request.session.set_expiry(timedelta(days=settings.PATIENT_SESSION_DAYS))


def seconds_left(request: HttpRequest) -> int | None:
    """Seconds before an idle clinician is signed out (None for people who are not)."""
    if not idle_limited(request.user):
        return None
    last_seen = request.session.get(LAST_SEEN_KEY, time.time())
    return max(0, int(idle_timeout_seconds() - (time.time() - last_seen)))


class IdleSignOutMiddleware:
    """After authentication: sign out a clinician or admin who has been idle too long."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if idle_limited(request.user):
            now = time.time()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > idle_timeout_seconds():
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.CLINICIAN_IDLE_MINUTES} minutes without activity, "
                    "to keep patients' records private. Sign in again to carry on.",
                )
                if request.headers.get("HX-Request") == "true":  # runs before django-htmx's middleware
                    return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path() if request.method == "GET" else "/")
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in person sees is kept in the browser's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        try:
            signed_in = request.user.is_authenticated
        except DatabaseError:
            signed_in = True  # the session could not be read (an outage): do not let anything be kept
        except AttributeError:
            signed_in = False
        # Exercise pictures are library material, the same for everyone: they may be cached.
        if signed_in and not getattr(response, "library_file", False):
            response["Cache-Control"] = "no-store"
        return response


@transaction.atomic
def sign_out_other_devices(*, request: HttpRequest) -> None:
    """End every other session of the signed-in person; this one carries on.

    A new session salt changes the hash every session of theirs carries
    (User.get_session_auth_hash), so Django refuses the others on their next
    request, whatever the session store.
    """
    user = User.objects.select_for_update().get(pk=request.user.pk)
    user.session_salt = get_random_string(32)
    user.save(update_fields=["session_salt"])
    update_session_auth_hash(request, user)
