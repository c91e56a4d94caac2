"""Sending one reminder or digest: the background task, the skip rules and retries.

The task is queued with its Reminder row (tracker.reminders.scheduler). A send
first claims the row for NOTIFY_CLAIM_LEASE_SECONDS, so two workers never send
the same one; it sends outside any transaction and then records the outcome.
Every try carries the row's fixed Message-ID.

Just before sending, the rules are checked again, since hours may have passed
if the worker was down: nothing goes to a discharged or inactive person, or to
someone who turned reminders off; a check-in reminder is dropped once today's
check-in is done; anything past its `stale_at` is skipped as too late
(tracker.reminders.timing explains why). Each skip is recorded with its reason,
so the patient and the care team see what happened.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from tracker.jobs.queue import enqueue_durably
from tracker.models import CheckIn, User

from . import push
from .digest import digest_lines, digest_message
from .links import absolute, unsubscribe_url
from .models import PATIENT_KINDS, Reminder, ReminderKind, ReminderSettings, ReminderStatus
from .services import default_settings
from .timing import quiet_days

logger = logging.getLogger(__name__)

SEND_TASK_PATH = "tracker.reminders.delivery.send_reminder"
RETRY_DELAYS = [timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=30)]

SKIP_DISCHARGED = "Not sent: discharged from care."
SKIP_INACTIVE = "Not sent: the account is closed."
SKIP_TURNED_OFF = "Not sent: reminders were turned off."
SKIP_CHECKED_IN = "Not needed: today's check-in was already done."
SKIP_TOO_LATE = "Not sent: too late in the day (the reminder service was down)."
SKIP_NO_CHANNEL = "Not sent: no e-mail address and no browser to notify."
SKIP_NOTHING_OPEN = "Not sent: no open flags."


def settings_for(user: User) -> ReminderSettings:
    try:
        return user.reminder_settings
    except ReminderSettings.DoesNotExist:
        return default_settings(user)


def skip_reason(reminder: Reminder, *, now: datetime) -> str:
    """Why this reminder should not go now ('' if it should)."""
    user = reminder.user
    if not user.is_active:
        return SKIP_INACTIVE
    if reminder.kind in PATIENT_KINDS and user.discharged_at is not None:
        return SKIP_DISCHARGED
    if not settings_for(user).enabled:
        return SKIP_TURNED_OFF
    if now >= reminder.stale_at:
        return SKIP_TOO_LATE
    if reminder.kind in PATIENT_KINDS and CheckIn.objects.filter(patient=user, local_date=reminder.local_date).exists():
        return SKIP_CHECKED_IN
    return ""


def patient_message(reminder: Reminder) -> tuple[str, str, str]:
    """Subject, body and the short text of the browser notification."""
    user = reminder.user
    name = user.first_name or user.username
    checkin = absolute(reverse("checkin_today"))
    settings_page = absolute(reverse("reminder_settings"))
    if reminder.kind == ReminderKind.NUDGE:
        last = CheckIn.objects.filter(patient=user, local_date__lt=reminder.local_date).order_by("-local_date").first()
        days = quiet_days(
            today=reminder.local_date,
            last_checkin=last.local_date if last else None,
            joined=timezone.localdate(user.date_joined, timezone=user.zone),
        )
        subject = "How are you doing?"
        short = f"We have not heard from you for {days} days. A quick check-in helps your care team."
        opening = (
            f"We have not had a check-in from you for {days} days. That is fine: recovery has good and bad "
            "weeks, and life gets busy.\n\n"
            "When you have a minute, a short check-in tells your care team how you are doing:"
        )
    else:
        subject = "Time for today's check-in"
        short = "Time for today's check-in. It takes about a minute."
        opening = (
            "It is time for today's check-in. It takes about a minute: your pain, any change in numbness or "
            "strength, and a few safety questions.\n\nCheck in here:"
        )
    body = (
        f"Hello {name},\n\n{opening}\n{checkin}\n\n"
        "If you have sudden weakness, or a change in bladder or bowel control, do not wait for the app: "
        "get emergency care now.\n\n"
        f"To change the time or how we remind you: {settings_page}\n"
        f"To stop these reminders with one click: {unsubscribe_url(user_id=user.pk, what='patient')}\n"
    )
    return f"[Recovery tracker] {subject}", body, short


def _email(reminder: Reminder, subject: str, body: str, *, what: str) -> None:
    unsubscribe = unsubscribe_url(user_id=reminder.user_id, what=what)
    EmailMessage(
        subject,
        body,
        to=[reminder.user.email],
        headers={
            "Message-ID": reminder.message_id,
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
        connection=get_connection(fail_silently=False),
    ).send()


def claim(reminder_id: int, *, now: datetime) -> bool:
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    lease = timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS)
    return bool(
        Reminder.objects.filter(due, pk=reminder_id, status=ReminderStatus.PENDING).update(next_attempt_at=now + lease)
    )


def _finish(reminder: Reminder, status: str, *, now: datetime, **fields) -> str:
    Reminder.objects.filter(pk=reminder.pk).update(status=status, finished_at=now, next_attempt_at=None, **fields)
    return status


def deliver(reminder_id: int, *, now: datetime | None = None) -> str:
    """Send one reminder if it is waiting and still wanted; returns its status afterwards. Idempotent."""
    fixed = now is not None  # tests and callers that replay a moment pass `now`; otherwise the clock runs

    def clock() -> datetime:
        return now if fixed else timezone.now()

    now = now or timezone.now()
    if not claim(reminder_id, now=now):
        return Reminder.objects.filter(pk=reminder_id).values_list("status", flat=True).first() or "missing"
    reminder = Reminder.objects.select_related("user").get(pk=reminder_id)
    reason = skip_reason(reminder, now=now)
    if reason:
        return _finish(reminder, ReminderStatus.SKIPPED, now=now, skip_reason=reason)
    choice = settings_for(reminder.user)
    if reminder.kind == ReminderKind.DIGEST:
        lines = digest_lines(clinician=reminder.user, now=now)
        if not lines:
            return _finish(reminder, ReminderStatus.SKIPPED, now=now, skip_reason=SKIP_NOTHING_OPEN)
        subject, body = digest_message(clinician=reminder.user, lines=lines)
        short, what, use_push = "", "digest", False
    else:
        subject, body, short = patient_message(reminder)
        what, use_push = "patient", choice.by_push and push.push_enabled()
    subscriptions = list(reminder.user.push_subscriptions.all()) if use_push else []
    use_email = bool((choice.by_email or not subscriptions) and reminder.user.email and not reminder.emailed_at)
    if not use_email and not subscriptions and not reminder.emailed_at:
        return _finish(reminder, ReminderStatus.SKIPPED, now=now, skip_reason=SKIP_NO_CHANNEL)

    errors: list[str] = []
    emailed_at = reminder.emailed_at
    if use_email:
        try:
            _email(reminder, subject, body, what=what)
            emailed_at = clock()
        except Exception as error:
            errors.append(f"e-mail: {type(error).__name__}: {error}"[:500])
    pushed = reminder.pushed_to
    if subscriptions and not pushed:
        outcome = push.send_push(
            subscriptions=subscriptions,
            title="Recovery tracker",
            body=short,
            url=absolute(reverse("checkin_today")),
            tag=f"reminder-{reminder.local_date.isoformat()}",
        )
        pushed = outcome.delivered
        errors.extend(outcome.errors or [])
    attempts = reminder.attempts + 1
    if emailed_at or pushed:
        return _finish(
            reminder,
            ReminderStatus.SENT,
            now=clock(),
            emailed_at=emailed_at,
            pushed_to=pushed,
            attempts=attempts,
            last_error="\n".join(errors),
        )
    failed_at = clock()
    retry_at = failed_at + RETRY_DELAYS[attempts - 1] if attempts <= len(RETRY_DELAYS) else None
    if retry_at is None or retry_at >= reminder.stale_at:
        logger.error("Gave up sending reminder %s after %s tries: %s", reminder.pk, attempts, errors)
        return _finish(reminder, ReminderStatus.FAILED, now=failed_at, attempts=attempts, last_error="\n".join(errors))
    Reminder.objects.filter(pk=reminder.pk).update(
        attempts=attempts, last_error="\n".join(errors), next_attempt_at=retry_at
    )
    logger.warning("Sending reminder %s failed (try %s); will retry", reminder.pk, attempts)
    enqueue_reminder(reminder.pk, run_after=retry_at)
    return ReminderStatus.PENDING


def enqueue_reminder(reminder_id: int, run_after: datetime | None = None) -> None:
    """Queue the send task; in a transaction, as part of it (tracker.jobs.queue)."""
    if run_after is not None and not send_reminder.get_backend().supports_defer:
        return  # the scheduler's next pass queues the retry when it is due
    enqueue_durably(send_reminder, reminder_id, run_after=run_after)


def requeue_due(*, now: datetime) -> int:
    """Queue a send for every waiting reminder that is due and has no task waiting (claims that expired)."""
    waiting = {
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path=SEND_TASK_PATH, status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).values_list("args_kwargs", flat=True)
        if args_kwargs.get("args")
    }
    due = Reminder.objects.filter(status=ReminderStatus.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    queued = 0
    for reminder_id in due.values_list("pk", flat=True):
        if reminder_id not in waiting:
            enqueue_reminder(reminder_id)
            queued += 1
    return queued


@task()
def send_reminder(reminder_id: int) -> str:
    """The background task: send one reminder or digest; returns its status. Idempotent."""
    return deliver(reminder_id)
