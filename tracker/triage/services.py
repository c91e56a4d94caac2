"""Acting on a whole inbox card at once."""

from django.db import transaction

from tracker.models import Flag, FlagStatus, User
from tracker.services.flags import flag_acknowledge


@transaction.atomic
def flags_acknowledge_all(*, patient: User, by: User) -> int:
    """Mark every open flag of the patient as seen by `by`; returns how many were marked. Twice changes nothing.

    Each flag goes through tracker.services.flags.flag_acknowledge (same
    care-team check, same history), all in one transaction: either every
    flag is marked or none is. Raises ValidationError if `by` may not act.
    """
    flags = list(Flag.objects.filter(patient=patient, status=FlagStatus.OPEN).order_by("id"))
    for flag in flags:
        flag_acknowledge(flag=flag, by=by)
    return len(flags)
