"""E-mails to the care team about flags: what they say, and queueing and retrying them.

The e-mail is a nudge to sign in, not the record: it names the level and the
reason but not the patient, because e-mail is not a private channel. The flag
itself is always in the database and on the clinician's alert list, whether
or not the e-mail goes out.

Sending: each FlagNotification is an outbox row, written with its send task in
the flag's own transaction (tracker.jobs.queue). A send first claims the row
for NOTIFY_CLAIM_LEASE_SECONDS (so two workers never send it at once), sends
outside any transaction (a slow mail server must not hold database locks),
then records the outcome. Every try carries the row's fixed Message-ID.

Retrying: a failed send waits `retry_delay` and tries again. Emergencies are
retried within seconds, then every EMERGENCY_RETRY_EVERY for two days; other
flags on a slower schedule for about a day. Then the row is marked failed
(visible in the admin, logged as an error). An emergency e-mail not delivered
within NOTIFY_ESCALATE_AFTER_MINUTES shows as "care team not yet reached" on
the caseload (see tracker.flags.selectors.unreached_emergencies). If a worker
dies mid-send, the sweep (`requeue_due`) sends the row again once its claim
has expired.
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
from tracker.models import FlagNotification, NotificationStatus, Severity

from .titles import clinician_words, title_for

logger = logging.getLogger(__name__)

# Every other flag: about a day of tries.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# Emergencies: the first tries within seconds, then steadily for two days.
EMERGENCY_RETRY_DELAYS = [
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=2),
    timedelta(minutes=5),
]
EMERGENCY_RETRY_EVERY = timedelta(minutes=10)
EMERGENCY_GIVE_UP_AFTER = timedelta(days=2)

SEND_TASK_PATH = "tracker.flags.notify.send_flag_notification"
# Where earlier versions queued the same task (rows may still be waiting under that name).
OLD_SEND_TASK_PATHS = ("tracker.tasks.send_flag_notification",)

SUBJECTS = {
    Severity.EMERGENCY: "Emergency flag for a patient in your care",
    Severity.CONTACT_PROVIDER: "A patient in your care should be contacted",
    Severity.REVIEW_EXERCISE: "An exercise needs your review",
}


def retry_delay(*, severity: int, attempts: int, created_at: datetime, now: datetime) -> timedelta | None:
    """How long to wait after `attempts` failed tries before the next one; None means give up."""
    if severity == Severity.EMERGENCY:
        if now - created_at >= EMERGENCY_GIVE_UP_AFTER:
            return None
        if attempts <= len(EMERGENCY_RETRY_DELAYS):
            return EMERGENCY_RETRY_DELAYS[attempts - 1]
        return EMERGENCY_RETRY_EVERY
    if attempts >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempts - 1]


def message_for(notification: FlagNotification) -> tuple[str, str]:
    """Subject and body of the e-mail."""
    flag = notification.flag
    severity = Severity(notification.severity)
    rose = (
        notification.severity != Severity.REVIEW_EXERCISE
        and flag.history.filter(severity__lt=notification.severity).exists()
    )
    what = "A flag has risen to this level" if rose else "A new flag has opened"
    site = settings.SITE_URL
    link = f"{site}{reverse('caseload')}" if site else "your caseload page in the recovery tracker"
    body = (
        f"Hello {notification.recipient.first_name or notification.recipient.username},\n\n"
        f"{what} for a patient in your care.\n\n"
        f"Level: {severity.label}\n"
        f"Reason: {title_for(flag.rule_id)}\n"
        f"Summary: {clinician_words(flag)}\n"
        f"Flag number: {flag.pk}\n\n"
        f"Please sign in to see who it is and what they reported:\n{link}\n\n"
        "For privacy, this e-mail does not name the patient.\n"
    )
    return f"[Recovery tracker] {SUBJECTS[severity]}", body


def enqueue_notification(notification_id: int, run_after: datetime | None = None) -> None:
    """Queue the send task; in a transaction, as part of it (tracker.jobs.queue).

    Outside a transaction (a retry after a failed send) it never raises: the
    sweep queues anything left waiting.
    """
    if run_after is not None and not send_flag_notification.get_backend().supports_defer:
        return  # this backend cannot wait: the sweep queues the retry when it is due
    try:
        enqueue_durably(send_flag_notification, notification_id, run_after=run_after)
    except Exception:
        from django.db import transaction

        if transaction.get_connection().in_atomic_block:
            raise  # the flag's transaction must not commit without its e-mail task
        logger.exception("Could not queue e-mail %s about a flag; the sweep will queue it", notification_id)


def claim(notification_id: int, *, now: datetime) -> bool:
    """Mark the row as being sent, if it is waiting and due. True if this caller may send it."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    lease = timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS)
    return bool(
        FlagNotification.objects.filter(due, pk=notification_id, status=NotificationStatus.PENDING).update(
            next_attempt_at=now + lease
        )
    )


def _send(notification: FlagNotification) -> None:
    subject, body = message_for(notification)
    message = EmailMessage(
        subject,
        body,
        to=[notification.recipient.email],
        headers={"Message-ID": notification.message_id},
        connection=get_connection(fail_silently=False),
    )
    message.send()


def deliver(notification_id: int) -> str:
    """Send one notification if it is due; record success or failure. Returns the row's status afterwards."""
    now = timezone.now()
    if not claim(notification_id, now=now):
        row = FlagNotification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
        return row or "missing"
    notification = FlagNotification.objects.select_related("flag", "recipient").get(pk=notification_id)
    try:
        _send(notification)
    except Exception as error:
        attempts = notification.attempts + 1
        failed_at = timezone.now()
        delay = retry_delay(
            severity=notification.severity, attempts=attempts, created_at=notification.created_at, now=failed_at
        )
        next_attempt = None if delay is None else failed_at + delay
        FlagNotification.objects.filter(pk=notification_id).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            status=NotificationStatus.FAILED if delay is None else NotificationStatus.PENDING,
            next_attempt_at=next_attempt,
        )
        if delay is None:
            logger.error(
                "Gave up sending e-mail %s about flag %s after %s tries",
                notification_id,
                notification.flag_id,
                attempts,
            )
            return NotificationStatus.FAILED
        logger.warning(
            "Sending e-mail %s about flag %s failed (try %s); will retry",
            notification_id,
            notification.flag_id,
            attempts,
            exc_info=True,
        )
        enqueue_notification(notification_id, run_after=next_attempt)
        return NotificationStatus.PENDING
    FlagNotification.objects.filter(pk=notification_id).update(
        attempts=notification.attempts + 1,
        status=NotificationStatus.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
    )
    return NotificationStatus.SENT


def due_notification_ids(*, now: datetime | None = None) -> list[int]:
    """Waiting e-mails that are due now (new ones, retries whose time has come, expired claims)."""
    now = now or timezone.now()
    return list(
        FlagNotification.objects.filter(status=NotificationStatus.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .values_list("pk", flat=True)
    )


def requeue_due(*, now: datetime) -> int:
    """The worker's sweep hook: queue a send for every due e-mail that has no send task waiting. Returns how many."""
    waiting = {
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(
            task_path__in=[SEND_TASK_PATH, *OLD_SEND_TASK_PATHS], status=TaskResultStatus.READY
        ).values_list("args_kwargs", flat=True)
        if args_kwargs.get("args")
    }
    queued = 0
    for notification_id in due_notification_ids(now=now):
        if notification_id not in waiting:
            enqueue_notification(notification_id)
            queued += 1
    return queued


@task()
def send_flag_notification(notification_id: int) -> str:
    """The background task: send one care-team e-mail about a flag; returns its status. Idempotent."""
    return deliver(notification_id)
