"""The scheduler: finds the reminders and digests that are due and queues them, once each.

`manage.py schedule_reminders` runs one pass (a systemd timer runs it every
five minutes in production; `make run` runs it every minute in development).
A pass looks at every patient and clinician: when their chosen local time has
come today and it is not yet too late (tracker.reminders.timing), it writes
the day's Reminder row and its send task in one transaction. The database
holds at most one row per person, kind and local day, so a second scheduler
running at the same moment, or the next pass, finds the row and does nothing:
each reminder is queued once however many schedulers run.

A check-in reminder whose day's check-in is already done is recorded as not
needed, without queueing anything. Nothing is written for a discharged
patient. A pass also queues again any reminder waiting for a retry.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tracker.models import CheckIn, Role, User

from .delivery import SKIP_CHECKED_IN, enqueue_reminder, requeue_due, settings_for
from .models import PATIENT_KINDS, Reminder, ReminderKind, ReminderStatus
from .timing import due_at, local_today, patient_kind_for, stale_at

logger = logging.getLogger(__name__)


@dataclass
class ScheduleReport:
    queued: list[int] = field(default_factory=list)
    not_needed: list[int] = field(default_factory=list)
    already_there: int = 0
    too_late: int = 0
    requeued: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"queued {len(self.queued)}, not needed {len(self.not_needed)}, already there {self.already_there}, "
            f"too late {self.too_late}, queued again {self.requeued}"
        )


def _existing(*, now: datetime) -> set[tuple[int, str, object]]:
    """Rows already written for the local days that are "today" somewhere on Earth now."""
    days = [(now + timedelta(days=offset)).date() for offset in (-1, 0, 1)]
    rows = Reminder.objects.filter(local_date__in=days).values_list("user_id", "kind", "local_date")
    seen = set()
    for user_id, kind, day in rows:
        seen.add((user_id, "patient" if kind in PATIENT_KINDS else kind, day))
    return seen


def _write(report: ScheduleReport, **fields) -> None:
    """Write one row (and its task, if it is to be sent); a row already there means someone else did it."""
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(**fields)
            if reminder.status == ReminderStatus.PENDING:
                enqueue_reminder(reminder.pk)
    except IntegrityError:
        report.already_there += 1
        return
    (report.queued if reminder.status == ReminderStatus.PENDING else report.not_needed).append(reminder.pk)


def schedule_patients(*, now: datetime, report: ScheduleReport, seen: set) -> None:
    patients = (
        User.objects.filter(role=Role.PATIENT, is_active=True, discharged_at__isnull=True)
        .select_related("reminder_settings")
        .order_by("pk")
    )
    # First who is due now (cheap: their choice and zone), then the last check-in of those only.
    due_now = []
    for patient in patients:
        choice = settings_for(patient)
        if not choice.enabled:
            continue
        zone = patient.zone
        today = local_today(now, zone)
        if (patient.pk, "patient", today) in seen:
            continue
        due = due_at(today, choice.send_at, zone)
        if now < due:
            continue
        stale = stale_at(today, choice.send_at, zone)
        if now >= stale:
            report.too_late += 1
            continue
        due_now.append((patient, today, due, stale))
    last_checkins = dict(
        CheckIn.objects.filter(patient_id__in=[patient.pk for patient, *_ in due_now])
        .values("patient_id")
        .annotate(last=Max("local_date"))
        .values_list("patient_id", "last")
    )
    for patient, today, due, stale in due_now:
        last_checkin = last_checkins.get(patient.pk)
        times = {"user": patient, "local_date": today, "due_at": due, "stale_at": stale}
        if last_checkin == today:
            _write(
                report,
                kind=ReminderKind.CHECKIN,
                status=ReminderStatus.SKIPPED,
                skip_reason=SKIP_CHECKED_IN,
                finished_at=now,
                **times,
            )
            continue
        kind = patient_kind_for(
            today=today,
            last_checkin=last_checkin,
            joined=timezone.localdate(patient.date_joined, timezone=patient.zone),
        )
        if kind is not None:
            _write(report, kind=kind, **times)


def schedule_digests(*, now: datetime, report: ScheduleReport, seen: set) -> None:
    clinicians = (
        User.objects.filter(role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR], is_active=True)
        .exclude(email="")
        .select_related("reminder_settings")
        .order_by("pk")
    )
    for clinician in clinicians:
        choice = settings_for(clinician)
        if not choice.enabled:
            continue
        zone = clinician.zone
        today = local_today(now, zone)
        if (clinician.pk, ReminderKind.DIGEST, today) in seen:
            continue
        due = due_at(today, choice.send_at, zone)
        if now < due:
            continue
        stale = stale_at(today, choice.send_at, zone, digest=True)
        if now >= stale:
            report.too_late += 1
            continue
        _write(report, kind=ReminderKind.DIGEST, user=clinician, local_date=today, due_at=due, stale_at=stale)


def schedule_due(*, now: datetime | None = None) -> ScheduleReport:
    """One pass of the scheduler (see the module docstring)."""
    now = now or timezone.now()
    report = ScheduleReport()
    seen = _existing(now=now)
    schedule_patients(now=now, report=report, seen=seen)
    schedule_digests(now=now, report=report, seen=seen)
    report.requeued = requeue_due(now=now)
    return report
