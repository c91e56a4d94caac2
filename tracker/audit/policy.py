"""Who may review the clinic's audit trail. The one place to change it."""

from tracker.models import User


def can_review_clinic_audit(user: User) -> bool:
    """Staff (the whole trail) and each clinic's manager (their own clinic's rows, see selectors)."""
    return bool(user.is_authenticated and (user.is_staff or user.is_clinic_manager))
