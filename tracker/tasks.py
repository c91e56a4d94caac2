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


@task()
def evaluate_patient_flags(patient_id: int) -> dict:
    """Run the flag rules for one patient again (queued by the safety step when they could not run). Idempotent."""
    from tracker.models import User
    from tracker.services.flags import flags_evaluate

    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return {"patient_id": patient_id, "skipped": "no such patient"}
    result = flags_evaluate(patient=patient)
    return {
        "patient_id": patient_id,
        "opened": len(result.opened),
        "failures": [f"{failure.rule_id}: {failure.error}" for failure in result.failures],
    }


@task()
def refresh_patient_summary(patient_id: int) -> bool:
    """Recompute one patient's caseload summary (queued when it could not be refreshed with the write). Idempotent."""
    from tracker.models import User
    from tracker.services.summaries import summary_refresh

    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return False
    summary_refresh(patient=patient)
    return True
