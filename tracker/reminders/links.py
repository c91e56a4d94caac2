"""Links in reminder e-mails: absolute addresses, and the signed one-click unsubscribe token.

The token names the person and what to stop ("patient" reminders or the
clinician's "digest"), is signed with SECRET_KEY (django.core.signing) and
expires after UNSUBSCRIBE_MAX_AGE. A changed or expired token is refused.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "tracker.reminders.unsubscribe"
UNSUBSCRIBE_MAX_AGE = timedelta(days=90)
WHAT = ("patient", "digest")


class BadUnsubscribeLink(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def absolute(path: str) -> str:
    """The full address of a page, for e-mails and notifications (SITE_URL in production)."""
    site = settings.SITE_URL or ("http://127.0.0.1:8000" if settings.DEBUG else "")
    return f"{site}{path}"


def unsubscribe_token(*, user_id: int, what: str) -> str:
    if what not in WHAT:
        raise ValueError(what)
    return signing.dumps({"u": user_id, "w": what}, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(*, user_id: int, what: str) -> str:
    return absolute(reverse("reminder_unsubscribe", kwargs={"token": unsubscribe_token(user_id=user_id, what=what)}))


def read_unsubscribe_token(token: str) -> tuple[int, str]:
    """(user id, what) from a token; raises BadUnsubscribeLink with a message for the page."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:
        raise BadUnsubscribeLink(
            "This link is more than 90 days old, so it no longer works. "
            "Sign in to turn reminders off, or use the link in a newer e-mail."
        ) from None
    except signing.BadSignature:
        raise BadUnsubscribeLink(
            "This link is not one we sent, or part of it is missing. "
            "Copy the whole link from the e-mail, or sign in to turn reminders off."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or data.get("w") not in WHAT:
        raise BadUnsubscribeLink("This link is not one we sent. Sign in to turn reminders off.")
    return data["u"], data["w"]
