"""Care-team e-mails when a flag opens or rises: sent in the background, retried, never losing the flag."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import CareTeamMembershipFactory, PatientFactory
from tracker.flags import engine, notify
from tracker.flags.rules import Hit, Rule
from tracker.models import Flag, FlagNotification, NotificationStatus, Severity
from tracker.services.checkins import checkin_save
from tracker.services.flags import flags_evaluate, flags_evaluate_recent

from .records import log_check_in

pytestmark = pytest.mark.django_db


def open_emergency(patient):
    log_check_in(patient, 0, bladder_bowel_change=True)
    return flags_evaluate(patient=patient)


def test_a_new_flag_emails_every_active_care_team_clinician(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_emergency(clinic.patient_a)
    assert sorted(message.to[0] for message in mailoutbox) == sorted(
        [clinic.linked_physio.email, clinic.linked_doctor.email]
    )
    assert set(FlagNotification.objects.values_list("status", flat=True)) == {NotificationStatus.SENT}


def test_the_email_gives_the_level_reason_and_clinical_summary_but_not_who_the_patient_is(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_emergency(clinic.patient_a)
    message = mailoutbox[0]
    assert message.subject == "[Recovery tracker] Emergency flag for a patient in your care"
    assert "Level: Emergency" in message.body
    assert "Reason: Bladder, bowel or saddle numbness (cauda equina signs)" in message.body
    assert "Summary: Reported new bladder or bowel dysfunction on the safety checklist" in message.body
    assert "you told us" not in message.body  # the clinician's voice, not the patient's
    assert f"Flag number: {Flag.objects.get().pk}" in message.body
    patient = clinic.patient_a
    for private in (patient.first_name, patient.last_name, patient.username, patient.email):
        assert private not in message.body


def test_the_email_links_to_the_caseload_when_the_site_address_is_set(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://tracker.example-clinic.org"
    with django_capture_on_commit_callbacks(execute=True):
        open_emergency(clinic.patient_a)
    assert "https://tracker.example-clinic.org/caseload/" in mailoutbox[0].body


def test_clinicians_no_longer_on_the_care_team_get_no_email(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    clinic.linked_doctor.caseload_links.update(ended_at=timezone.now())
    clinic.linked_physio.is_active = False
    clinic.linked_physio.save()
    with django_capture_on_commit_callbacks(execute=True):
        open_emergency(clinic.patient_a)
    assert mailoutbox == []
    assert Flag.objects.filter(patient=clinic.patient_a).exists()


def test_a_flag_that_is_only_updated_sends_no_new_email(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        open_emergency(clinic.patient_a)
        flags_evaluate(patient=clinic.patient_a)
    assert len(mailoutbox) == 2


def test_a_flag_rising_in_severity_emails_again(
    clinic, immediate_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    def rule(severity):
        return Rule("test.rule", severity, "Test rule", lambda snapshot: Hit("Changed.", {}))

    with django_capture_on_commit_callbacks(execute=True):
        engine.evaluate(patient=clinic.patient_a, rules=[rule(Severity.CONTACT_PROVIDER)])
        engine.evaluate(patient=clinic.patient_a, rules=[rule(Severity.EMERGENCY)])
    assert [message.subject for message in mailoutbox if message.to == [clinic.linked_physio.email]] == [
        "[Recovery tracker] A patient in your care should be contacted",
        "[Recovery tracker] Emergency flag for a patient in your care",
    ]
    assert "A flag has risen to this level" in mailoutbox[-1].body


def test_the_email_is_queued_only_once_the_save_commits(clinic, immediate_tasks, mailoutbox):
    open_emergency(clinic.patient_a)  # the test's transaction never commits
    assert mailoutbox == []
    assert FlagNotification.objects.filter(status=NotificationStatus.PENDING).count() == 2


def test_a_failed_send_keeps_the_flag_and_schedules_a_retry(
    clinic, immediate_tasks, failing_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkin_save(
            patient=clinic.patient_a,
            local_date=clinic.patient_a.local_today(),
            data={"neck_back_pain": 2, "limb_pain": 2, "bladder_bowel_change": True},
        )
    assert Flag.objects.get(patient=clinic.patient_a).rule_id == "emergency.cauda_equina"
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPException: 421 Service not available" in notification.last_error
    # An emergency is tried again within seconds, not minutes.
    assert timezone.now() + timedelta(seconds=5) < notification.next_attempt_at < timezone.now() + timedelta(seconds=15)


def test_a_failed_send_about_a_less_urgent_flag_waits_a_minute(clinic, failing_mail):
    def rule(snapshot):
        return Hit("Changed.", {})

    engine.evaluate(patient=clinic.patient_a, rules=[Rule("test.rule", Severity.CONTACT_PROVIDER, "Test", rule)])
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    notify.deliver(notification.pk)
    notification.refresh_from_db()
    assert timezone.now() + timedelta(seconds=50) < notification.next_attempt_at < timezone.now() + timedelta(minutes=2)


def test_emergencies_keep_being_retried_every_few_minutes_for_two_days():
    created = timezone.now()
    delays = [
        notify.retry_delay(severity=Severity.EMERGENCY, attempts=attempts, created_at=created, now=created)
        for attempts in range(1, 30)
    ]
    assert delays[:3] == [timedelta(seconds=10), timedelta(seconds=30), timedelta(minutes=1)]
    assert max(delays) == timedelta(minutes=10)
    two_days_later = created + timedelta(days=2)
    assert notify.retry_delay(severity=Severity.EMERGENCY, attempts=30, created_at=created, now=two_days_later) is None


def test_every_email_is_queued_with_its_flag_in_the_same_transaction(clinic):
    open_emergency(clinic.patient_a)
    queued = sorted(
        args_kwargs["args"][0]
        for args_kwargs in DBTaskResult.objects.filter(task_path=notify.SEND_TASK_PATH).values_list(
            "args_kwargs", flat=True
        )
    )
    assert queued == sorted(FlagNotification.objects.values_list("pk", flat=True))


def test_a_failed_send_is_queued_again_for_later_on_the_database_queue(clinic, failing_mail):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    assert notify.deliver(notification.pk) == NotificationStatus.PENDING
    notification.refresh_from_db()
    retry = DBTaskResult.objects.filter(task_path=notify.SEND_TASK_PATH).order_by("-enqueued_at").first()
    assert retry.args_kwargs["args"] == [notification.pk]
    assert retry.run_after == notification.next_attempt_at


def test_every_try_of_an_email_carries_the_same_message_id(clinic, settings, mailoutbox):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    settings.EMAIL_BACKEND = "tests.tracker.flags.broken_backends.FailingEmailBackend"
    notify.deliver(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    FlagNotification.objects.filter(pk=notification.pk).update(next_attempt_at=None)
    notify.deliver(notification.pk)
    assert [message.extra_headers["Message-ID"] for message in mailoutbox] == [notification.message_id]
    assert notification.message_id.startswith("<")
    assert notification.message_id.endswith(">")
    assert FlagNotification.objects.exclude(pk=notification.pk).get().message_id != notification.message_id


def test_the_daily_job_sends_a_retry_once_it_is_due(
    clinic, immediate_tasks, failing_mail, mailoutbox, django_capture_on_commit_callbacks
):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    notify.deliver(notification.pk)
    failing_mail.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    FlagNotification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        flags_evaluate_recent()
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 2


def test_a_retry_that_is_not_due_is_left_alone(clinic, mailoutbox):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    FlagNotification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now() + timedelta(minutes=5))
    assert notify.deliver(notification.pk) == NotificationStatus.PENDING
    assert mailoutbox == []


def test_an_email_being_sent_is_never_sent_twice(clinic, mailoutbox):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    assert notify.claim(notification.pk, now=timezone.now())
    notify.deliver(notification.pk)  # a second worker picking up the same row
    assert mailoutbox == []


def test_a_sent_email_is_not_sent_again(clinic, mailoutbox):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    notify.deliver(notification.pk)
    assert notify.deliver(notification.pk) == NotificationStatus.SENT
    assert len(mailoutbox) == 1


def test_after_two_days_of_tries_it_gives_up_on_an_emergency_and_logs_an_error(clinic, failing_mail, caplog):
    open_emergency(clinic.patient_a)
    notification = FlagNotification.objects.filter(recipient=clinic.linked_physio).get()
    FlagNotification.objects.filter(pk=notification.pk).update(
        attempts=200, created_at=timezone.now() - notify.EMERGENCY_GIVE_UP_AFTER
    )
    with caplog.at_level(logging.ERROR, logger="tracker.flags.notify"):
        assert notify.deliver(notification.pk) == NotificationStatus.FAILED
    assert "Gave up sending e-mail" in caplog.text
    assert Flag.objects.get(patient=clinic.patient_a).is_unresolved


def test_a_queue_that_is_down_never_breaks_the_patients_check_in(
    clinic, broken_queue, caplog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        check_in = checkin_save(
            patient=clinic.patient_a,
            local_date=clinic.patient_a.local_today(),
            data={"neck_back_pain": 2, "limb_pain": 2, "foot_drop": True},
        )
    assert check_in.pk
    assert FlagNotification.objects.filter(status=NotificationStatus.PENDING).count() == 2
    assert "the worker's sweep will pick it up" in caplog.text


def test_a_patient_without_a_care_team_still_gets_the_flag():
    patient = PatientFactory()
    open_emergency(patient)
    assert Flag.objects.filter(patient=patient).exists()
    assert FlagNotification.objects.count() == 0


def test_clinicians_without_an_email_address_are_skipped():
    link = CareTeamMembershipFactory(clinician__email="")
    open_emergency(link.patient)
    assert FlagNotification.objects.count() == 0
