"""Writing to the audit trail: one INSERT, never anything else."""

from datetime import datetime
from ipaddress import ip_address

from django.utils import timezone

from tracker.models import User

from .models import AuditAction, AuditEvent, AuditOutcome

STAFF_ROLE = "staff"


def actor_role_of(user: User) -> str:
    """The role the person acted in: their clinical role, else staff (the Django admin)."""
    if user.role:
        return user.role
    return STAFF_ROLE if user.is_staff or user.is_superuser else "none"


def audit_record(
    *,
    actor: User,
    action: str,
    view_name: str,
    patient_id: int | None = None,
    object_type: str = "",
    object_id: object = "",
    outcome: str = AuditOutcome.ALLOWED,
    method: str = "",
    status_code: int | None = None,
    fragment: bool = False,
    client_address: str | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one row to the audit trail (a single INSERT). `at` is now, except for demo data."""
    if action not in AuditAction.values:
        raise ValueError(f"Unknown audit action {action!r}.")
    return AuditEvent.objects.create(
        at=at or timezone.now(),
        actor_id=actor.pk,
        actor_role=actor_role_of(actor),
        patient_id=patient_id,
        action=action,
        outcome=outcome,
        view_name=view_name[:120],
        object_type=object_type[:60],
        object_id=str(object_id or "")[:64],
        method=method[:8],
        status_code=status_code,
        fragment=fragment,
        client_address=_address_or_none(client_address),
    )


def _address_or_none(value: str | None) -> str | None:
    try:
        return str(ip_address(value)) if value else None
    except ValueError:
        return None
