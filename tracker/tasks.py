"""Background work, run by the django-tasks worker (`manage.py db_worker`)."""

from django_tasks import task


@task()
def send_flag_notification(notification_id: int) -> str:
    """Send one care-team e-mail about a flag (see tracker.flags.notify); returns its status."""
    from tracker.flags.notify import deliver

    return deliver(notification_id)


@task()
def evaluate_flags_daily() -> dict:
    """The daily job: re-run the flag rules for every recently active patient and send due e-mails."""
    from tracker.services.flags import flags_evaluate_recent

    return flags_evaluate_recent().as_dict()
