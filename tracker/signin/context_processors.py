from django.conf import settings

from .sessions import idle_timeout_seconds, seconds_left


def idle(request) -> dict:
    """Seconds before an idle clinician is signed out, for the page's warning (static/js/idle.js). No queries."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    left = seconds_left(request)
    if left is None:
        return {}
    return {
        "idle_seconds_left": left,
        "idle_timeout_seconds": idle_timeout_seconds(),
        "idle_warning_seconds": settings.IDLE_WARNING_SECONDS,
    }
