"""Demo data for reminders: the demo people's choices and a week of past reminders to look at.

Idempotent: settings are only created if missing, and past reminders are one
row per person, kind and day (the table's own constraint), so a second run
changes nothing. Today's reminder is left to the scheduler (`make run` runs it).
"""

from datetime import time, timedelta

from tracker.models import CheckIn, User

from .delivery import SKIP_CHECKED_IN
from .models import Reminder, ReminderKind, ReminderSettings, ReminderStatus
from .timing import due_at, stale_at

DEMO_TIMES = {"demo-patient-active": time(19, 0), "demo-patient-flagged": time(18, 30), "demo-patient-new": time(9, 0)}
PAST_DAYS = 7


def _past_reminders(patient: User, at: time) -> None:
    zone = patient.zone
    today = patient.local_today()
    checked_in = set(
        CheckIn.objects.filter(patient=patient, local_date__gte=today - timedelta(days=PAST_DAYS)).values_list(
            "local_date", flat=True
        )
    )
    for back in range(PAST_DAYS, 0, -1):
        day = today - timedelta(days=back)
        due = due_at(day, at, zone)
        if day in checked_in and back % 2:
            fields = {"status": ReminderStatus.SKIPPED, "skip_reason": SKIP_CHECKED_IN, "finished_at": due}
        else:
            fields = {"status": ReminderStatus.SENT, "emailed_at": due + timedelta(seconds=20), "finished_at": due}
        Reminder.objects.get_or_create(
            user=patient,
            kind=ReminderKind.CHECKIN,
            local_date=day,
            defaults={"due_at": due, "stale_at": stale_at(day, at, zone), "attempts": 1, **fields},
        )


def seed_reminders(*, patients: list[User], clinicians: list[User]) -> None:
    for patient in patients:
        at = DEMO_TIMES.get(patient.username, time(18, 0))
        ReminderSettings.objects.get_or_create(user=patient, defaults={"send_at": at, "by_email": True})
        if patient.username != "demo-patient-new":
            _past_reminders(patient, at)
    for clinician in clinicians:
        ReminderSettings.objects.get_or_create(user=clinician, defaults={"send_at": time(8, 0), "by_email": True})
