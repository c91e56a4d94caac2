"""Who must prove a second factor, and whether a session already has."""

from django.http import HttpRequest
from django_otp import devices_for_user

from tracker.models import User

# Whether the signed-in person had a second factor when they signed in; kept in
# the session so a patient's pages do not look up their devices on every request.
ENROLLED_SESSION_KEY = "mfa_enrolled"


def has_second_factor(user: User) -> bool:
    """The user has set up at least one confirmed factor (authenticator app or passkey). Three queries."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def second_factor_required(user: User) -> bool:
    """Clinicians and staff always (they see many patients' records); a patient only once they turn it on."""
    return user.is_clinician or user.is_staff or user.is_superuser


def remember_enrolment(sender, request: HttpRequest | None, user: User, **kwargs) -> None:
    """On every sign-in: note in the session whether this person must show a second factor."""
    if request is not None and hasattr(request, "session"):
        request.session[ENROLLED_SESSION_KEY] = second_factor_required(user) or has_second_factor(user)


def set_enrolment(request: HttpRequest, enrolled: bool) -> None:
    request.session[ENROLLED_SESSION_KEY] = enrolled


def must_verify(request: HttpRequest) -> bool:
    """The signed-in person still owes their second factor in this session."""
    user = request.user
    if not user.is_authenticated:
        return False
    if second_factor_required(user) or request.session.get(ENROLLED_SESSION_KEY, False):
        return not user.is_verified()
    return False
