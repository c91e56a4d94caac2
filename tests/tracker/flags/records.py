"""Database histories for the flag engine: check-ins and session entries counted back from the patient's today."""

from datetime import date, timedelta

from tests.factories import CheckInFactory, SessionEntryFactory
from tracker.models import SessionLog, User


def local_day(patient: User, days_ago: int) -> date:
    return patient.local_today() - timedelta(days=days_ago)


def log_check_in(patient: User, days_ago: int, back: int = 2, limb: int = 2, **fields):
    return CheckInFactory(
        patient=patient, local_date=local_day(patient, days_ago), neck_back_pain=back, limb_pain=limb, **fields
    )


def log_days(patient: User, first_days_ago: int, last_days_ago: int, back: int = 2, limb: int = 2, **fields):
    return [
        log_check_in(patient, days_ago, back, limb, **fields)
        for days_ago in range(first_days_ago, last_days_ago - 1, -1)
    ]


def log_entry(assignment, days_ago: int, before: int | None = 2, after: int | None = 2, **fields):
    session, _ = SessionLog.objects.get_or_create(
        patient=assignment.patient, local_date=local_day(assignment.patient, days_ago)
    )
    return SessionEntryFactory(session=session, assignment=assignment, pain_before=before, pain_after=after, **fields)
