"""What a visitor sees when the database cannot be reached: a clear 503 with what to do, never a 500.

The page is rendered without touching the database (no session, no user
look-up), so it still renders while the database is down. It always repeats
the emergency advice: a patient who cannot reach the app must still know to
call for help. Forms that hold a patient's answers (the check-in) handle the
error themselves so the answers stay on the screen (tracker.views.daily).
"""

import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def emergency_number() -> str:
    """The number patients are told to call in an emergency (settings.EMERGENCY_PHONE_NUMBER)."""
    return settings.EMERGENCY_PHONE_NUMBER


def emergency_number_for(user) -> str:
    """The emergency number of `user`'s clinic, or the setting (no clinic, no number set, or no database)."""
    clinic_id = getattr(user, "clinic_id", None)
    if not clinic_id:
        return emergency_number()
    try:
        from tracker.clinics.models import Clinic

        number = Clinic.objects.filter(pk=clinic_id).values_list("emergency_number", flat=True).first()
    except DatabaseError:
        logger.error("Database unavailable while reading the clinic's emergency number; using the setting")
        number = None
    return number or emergency_number()


def _messages_without_the_database(request) -> list:
    """The messages waiting for this visitor (the emergency advice, "saved"), read from their cookie alone.

    Messages overflow into the session (the database) only when there are too
    many for a cookie; those are left for when the database is back. The
    cookie is not cleared here, so they show again on the next page too.
    """
    try:
        return list(CookieStorage(request))
    except Exception:  # a damaged cookie must not break the page that says what to do
        logger.exception("Could not read the messages cookie during an outage")
        return []


def outage_response(request) -> HttpResponse:
    """503 Service Unavailable: the full page, or for htmx a short notice swapped into the page's #outage region."""
    if getattr(request, "htmx", False):
        body = render_to_string("503.html#outage-notice", {"emergency_number": emergency_number()})
        response = HttpResponse(body, status=503)
        response["HX-Retarget"] = "#outage"
        response["HX-Reswap"] = "innerHTML"
    else:
        body = render_to_string(
            "503.html",
            {"emergency_number": emergency_number(), "messages": _messages_without_the_database(request)},
        )
        response = HttpResponse(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


# The database could not be reached or the connection broke. Other database
# errors (bad data, a constraint) are bugs to fix, not outages to wait out.
OUTAGE_ERRORS = (OperationalError, InterfaceError)


class DatabaseOutageMiddleware:
    """A lost database connection answers with the outage page (503), never a server error (500).

    Placed right after the authentication middlewares, it reads the signed-in
    person (session and user) first, so an outage there is caught here rather
    than in a later middleware; a view that loses the database is caught by
    process_exception.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            request.user.is_authenticated  # noqa: B018 - loads the session and the user now
        except OUTAGE_ERRORS:
            logger.error("Database unavailable while reading the session for %s %s", request.method, request.path)
            return outage_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        logger.error("Database unavailable while serving %s %s", request.method, request.path, exc_info=exception)
        return outage_response(request)
