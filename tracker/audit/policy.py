"""Who may review the clinic's audit trail. The one place to change it."""

from tracker.models import User


def can_review_clinic_audit(user: User) -> bool:
    """For now, staff. When clinics arrive: the clinic manager, for their own clinic (see selectors)."""
    return bool(user.is_authenticated and user.is_staff)
