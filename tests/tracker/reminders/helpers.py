from datetime import UTC, datetime, time

from tests.factories import PatientFactory
from tracker.reminders.models import ReminderSettings


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def patient_with_reminder(*, zone="Europe/London", at=time(18, 0), by_email=True, by_push=False, **fields):
    patient = PatientFactory(time_zone=zone, **fields)
    ReminderSettings.objects.create(user=patient, send_at=at, by_email=by_email, by_push=by_push)
    return patient
