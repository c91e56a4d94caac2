"""What a visitor sees when the database cannot be reached: a clear 503 with what to do, never a 500.

The page is rendered without touching the database (no session, no user
look-up), so it still renders while the database is down. It always repeats
the emergency advice: a patient who cannot reach the app must still know to
call for help. Forms that hold a patient's answers (the check-in) handle the
error themselves so the answers stay on the screen (tracker.views.daily).
"""

import logging

from django.conf import settings
from django.contrib.messages import get_messages
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


def emergency_number() -> str:
    """The number patients are told to call in an emergency (settings.EMERGENCY_PHONE_NUMBER)."""
    return settings.EMERGENCY_PHONE_NUMBER


def _messages_without_the_database(request) -> list:
    # Messages live in a cookie; only an overflow would reach the session (and the database).
    try:
        return list(get_messages(request))
    except DatabaseError:
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
    """Turns a lost database connection in a view into the outage page (503) instead of a server error (500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        logger.error("Database unavailable while serving %s %s", request.method, request.path, exc_info=exception)
        return outage_response(request)
