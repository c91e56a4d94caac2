"""E-mails to the care team about flags: what they say, and queueing and retrying them.

The e-mail is a nudge to sign in, not the record: it names the level and the
reason but not the patient, because e-mail is not a private channel. The flag
itself is always in the database and on the clinician's alert list, whether
or not the e-mail goes out.

Retrying: each FlagNotification is an outbox row. A send first claims the row
(so two workers never send it twice), sends outside any transaction (a slow
mail server must not hold database locks), then records the outcome. A failed
send waits RETRY_DELAYS[attempt] and tries again, up to MAX_ATTEMPTS, then is
marked failed (visible in the admin and logged as an error). The task is
re-queued with `run_after` when the task backend supports it; either way the
daily `evaluate_flags` job sends whatever is due.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tracker.models import FlagNotification, NotificationStatus, Severity

logger = logging.getLogger(__name__)

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
# A claimed row is left alone this long; if the worker died mid-send, the
# daily job tries it again after that.
CLAIM_LEASE = timedelta(minutes=10)

SUBJECTS = {
    Severity.EMERGENCY: "Emergency flag for a patient in your care",
    Severity.CONTACT_PROVIDER: "A patient in your care should be contacted",
    Severity.REVIEW_EXERCISE: "An exercise needs your review",
}


def message_for(notification: FlagNotification) -> tuple[str, str]:
    """Subject and body of the e-mail."""
    flag = notification.flag
    severity = Severity(notification.severity)
    rose = (
        notification.severity != Severity.REVIEW_EXERCISE
        and flag.history.filter(severity__lt=notification.severity).exists()
    )
    what = "A flag has risen to this level" if rose else "A new flag has opened"
    from .engine import title_for

    site = settings.SITE_URL
    link = f"{site}{reverse('caseload')}" if site else "your caseload page in the recovery tracker"
    body = (
        f"Hello {notification.recipient.first_name or notification.recipient.username},\n\n"
        f"{what} for a patient in your care.\n\n"
        f"Level: {severity.label}\n"
        f"Reason: {title_for(flag.rule_id)}\n"
        f"Flag number: {flag.pk}\n\n"
        f"Please sign in to see who it is and what they reported:\n{link}\n\n"
        "For privacy, this e-mail does not name the patient.\n"
    )
    return f"[Recovery tracker] {SUBJECTS[severity]}", body


def enqueue_notification(notification_id: int, run_after: datetime | None = None) -> None:
    """Queue the e-mail task; never raises (the daily job sends anything left waiting)."""
    from tracker.tasks import send_flag_notification

    try:
        task = send_flag_notification
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # this backend cannot wait: the daily job will retry
            task = task.using(run_after=run_after)
        task.enqueue(notification_id)
    except Exception:
        logger.exception("Could not queue e-mail %s about a flag; the daily job will retry it", notification_id)


def claim(notification_id: int, *, now: datetime) -> bool:
    """Mark the row as being sent, if it is waiting and due. True if this caller may send it."""
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return bool(
        FlagNotification.objects.filter(due, pk=notification_id, status=NotificationStatus.PENDING).update(
            next_attempt_at=now + CLAIM_LEASE
        )
    )


def deliver(notification_id: int) -> str:
    """Send one notification if it is due; record success or failure. Returns the row's status afterwards."""
    now = timezone.now()
    if not claim(notification_id, now=now):
        row = FlagNotification.objects.filter(pk=notification_id).values_list("status", flat=True).first()
        return row or "missing"
    notification = FlagNotification.objects.select_related("flag", "recipient").get(pk=notification_id)
    subject, body = message_for(notification)
    try:
        send_mail(subject, body, None, [notification.recipient.email], fail_silently=False)
    except Exception as error:
        attempts = notification.attempts + 1
        gave_up = attempts >= MAX_ATTEMPTS
        next_attempt = None if gave_up else timezone.now() + RETRY_DELAYS[attempts - 1]
        FlagNotification.objects.filter(pk=notification_id).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            status=NotificationStatus.FAILED if gave_up else NotificationStatus.PENDING,
            next_attempt_at=next_attempt,
        )
        if gave_up:
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
