"""The scheduler: who gets a reminder, when, of which kind, and never twice."""

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.background import run_queued_tasks
from tests.factories import CareTeamMembershipFactory, CheckInFactory, FlagFactory, PhysiotherapistFactory
from tests.tracker.reminders.helpers import patient_with_reminder, utc
from tracker.models import Flag
from tracker.reminders.delivery import (
    SKIP_CHECKED_IN,
    SKIP_DISCHARGED,
    SKIP_TOO_LATE,
    SKIP_TURNED_OFF,
    deliver,
)
from tracker.reminders.models import Reminder, ReminderKind, ReminderSettings, ReminderStatus
from tracker.reminders.scheduler import schedule_due

pytestmark = pytest.mark.django_db

WINTER_DAY = date(2026, 1, 15)


def send_tasks() -> list:
    return list(DBTaskResult.objects.filter(task_path="tracker.reminders.delivery.send_reminder"))


def test_nothing_before_the_chosen_time_then_one_reminder_and_one_task():
    patient = patient_with_reminder(at=time(18, 0))
    assert schedule_due(now=utc(2026, 1, 15, 17, 59)).queued == []
    report = schedule_due(now=utc(2026, 1, 15, 18, 0))
    reminder = Reminder.objects.get(user=patient)
    assert report.queued == [reminder.pk]
    assert (reminder.kind, reminder.local_date, reminder.status) == ("checkin", WINTER_DAY, "pending")
    assert len(send_tasks()) == 1
    # The next passes find the row and add nothing.
    for minutes in (5, 10, 60):
        assert schedule_due(now=utc(2026, 1, 15, 18, minutes % 60, 0) + timedelta(hours=minutes // 60)).queued == []
    assert Reminder.objects.count() == 1
    assert len(send_tasks()) == 1


def test_the_patient_local_time_decides_not_the_server():
    new_yorker = patient_with_reminder(zone="America/New_York", at=time(18, 0))
    assert schedule_due(now=utc(2026, 1, 15, 22, 59)).queued == []
    schedule_due(now=utc(2026, 1, 15, 23, 0))
    assert Reminder.objects.get(user=new_yorker).local_date == WINTER_DAY


@pytest.mark.parametrize(
    ("zone", "day", "before", "at_due"),
    [
        ("Europe/London", date(2026, 3, 29), utc(2026, 3, 29, 16, 59), utc(2026, 3, 29, 17, 0)),
        ("Europe/London", date(2026, 10, 25), utc(2026, 10, 25, 17, 59), utc(2026, 10, 25, 18, 0)),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 21, 59), utc(2026, 3, 8, 22, 0)),
        ("America/New_York", date(2026, 11, 1), utc(2026, 11, 1, 22, 59), utc(2026, 11, 1, 23, 0)),
    ],
)
def test_on_change_days_the_reminder_comes_at_18_00_local(zone, day, before, at_due):
    patient = patient_with_reminder(zone=zone, at=time(18, 0))
    assert schedule_due(now=before).queued == []
    schedule_due(now=at_due)
    reminder = Reminder.objects.get(user=patient)
    assert reminder.local_date == day
    assert reminder.due_at == at_due


@pytest.mark.parametrize(
    ("zone", "at", "due"),
    [
        # 01:30 does not exist on these days: it goes at 02:30 BST (01:30 UTC) / 03:30 EDT (07:30 UTC).
        ("Europe/London", time(1, 30), utc(2026, 3, 29, 1, 30)),
        ("America/New_York", time(2, 30), utc(2026, 3, 8, 7, 30)),
        # 01:30 happens twice: once, at the first.
        ("Europe/London", time(1, 30), utc(2026, 10, 25, 0, 30)),
        ("America/New_York", time(1, 30), utc(2026, 11, 1, 5, 30)),
    ],
)
def test_a_missing_or_doubled_local_time_sends_once(zone, at, due):
    patient = patient_with_reminder(zone=zone, at=at)
    assert schedule_due(now=due - timedelta(minutes=1)).queued == []
    assert len(schedule_due(now=due).queued) == 1
    # An hour later the clock shows the doubled time again (or the scheduler simply runs again): nothing more.
    assert schedule_due(now=due + timedelta(hours=1)).queued == []
    assert Reminder.objects.filter(user=patient).count() == 1


def test_no_reminder_once_today_is_checked_in_and_it_says_so():
    patient = patient_with_reminder()
    CheckInFactory(patient=patient, local_date=WINTER_DAY)
    report = schedule_due(now=utc(2026, 1, 15, 18, 0))
    assert report.queued == []
    reminder = Reminder.objects.get(user=patient)
    assert (reminder.status, reminder.skip_reason) == ("skipped", SKIP_CHECKED_IN)
    assert send_tasks() == []


def test_a_check_in_after_queueing_stops_the_send():
    patient = patient_with_reminder()
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    CheckInFactory(patient=patient, local_date=WINTER_DAY)
    reminder = Reminder.objects.get(user=patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 1)) == "skipped"
    reminder.refresh_from_db()
    assert reminder.skip_reason == SKIP_CHECKED_IN
    assert mail.outbox == []


def test_never_to_a_discharged_patient():
    patient = patient_with_reminder(discharged_at=utc(2026, 1, 10, 12, 0))
    assert schedule_due(now=utc(2026, 1, 15, 18, 0)).queued == []
    assert not Reminder.objects.filter(user=patient).exists()


def test_discharged_after_queueing_is_not_sent():
    patient = patient_with_reminder()
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    patient.discharged_at = utc(2026, 1, 15, 18, 0, 30)
    patient.save()
    reminder = Reminder.objects.get(user=patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 1)) == "skipped"
    reminder.refresh_from_db()
    assert reminder.skip_reason == SKIP_DISCHARGED
    assert mail.outbox == []


def test_turned_off_means_nothing_and_turned_off_after_queueing_is_not_sent():
    patient = patient_with_reminder()
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    ReminderSettings.objects.filter(user=patient).update(enabled=False)
    reminder = Reminder.objects.get(user=patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 1)) == "skipped"
    reminder.refresh_from_db()
    assert reminder.skip_reason == SKIP_TURNED_OFF
    assert schedule_due(now=utc(2026, 1, 16, 18, 0)).queued == []


def test_three_quiet_days_send_a_gentle_nudge_instead():
    patient = patient_with_reminder()
    CheckInFactory(patient=patient, local_date=date(2026, 1, 11))
    schedule_due(now=utc(2026, 1, 14, 18, 0))  # two quiet days: the usual reminder
    schedule_due(now=utc(2026, 1, 15, 18, 0))  # three: a nudge
    schedule_due(now=utc(2026, 1, 16, 18, 0))  # then a quiet week
    kinds = dict(Reminder.objects.filter(user=patient).values_list("local_date", "kind"))
    assert kinds == {date(2026, 1, 14): ReminderKind.CHECKIN, date(2026, 1, 15): ReminderKind.NUDGE}
    nudge = Reminder.objects.get(user=patient, kind=ReminderKind.NUDGE)
    deliver(nudge.pk, now=utc(2026, 1, 15, 18, 1))
    assert "We have not had a check-in from you for 3 days" in mail.outbox[0].body


def test_worker_down_for_an_hour_sends_late_once():
    patient = patient_with_reminder(at=time(18, 0))
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    reminder = Reminder.objects.get(user=patient)
    # The worker comes back at 19:00: still the patient's evening, so it goes, once.
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 19, 0)) == "sent"
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 19, 1)) == "sent"
    assert len(mail.outbox) == 1


def test_worker_down_past_the_evening_skips_it_as_too_late():
    patient = patient_with_reminder(at=time(21, 30))
    schedule_due(now=utc(2026, 1, 15, 21, 30))
    reminder = Reminder.objects.get(user=patient)
    # Back at 22:45: past 22:00 and more than an hour late.
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 22, 45)) == "skipped"
    reminder.refresh_from_db()
    assert reminder.skip_reason == SKIP_TOO_LATE
    assert mail.outbox == []


def test_scheduler_down_for_an_hour_still_queues_it_late_but_not_after_the_evening():
    on_time = patient_with_reminder(at=time(18, 0))
    late_evening = patient_with_reminder(at=time(21, 0))
    report = schedule_due(now=utc(2026, 1, 15, 19, 0))  # nothing ran at 18:00
    assert [row.user for row in Reminder.objects.filter(pk__in=report.queued)] == [on_time]
    report = schedule_due(now=utc(2026, 1, 15, 22, 30))  # nothing ran at 21:00 either; 22:00 has passed
    assert report.queued == []
    assert report.too_late == 1
    assert not Reminder.objects.filter(user=late_evening).exists()


def test_the_real_worker_sends_what_the_scheduler_queued(settings):
    settings.SITE_URL = "https://tracker.example.org"
    patient = patient_with_reminder(at=time(0, 0))
    call_command("schedule_reminders", verbosity=0)
    assert Reminder.objects.filter(user=patient).count() == 1
    run_queued_tasks()
    reminder = Reminder.objects.get(user=patient)
    if reminder.status == ReminderStatus.SKIPPED:  # run after 22:00 London time: too late, by design
        assert reminder.skip_reason == SKIP_TOO_LATE
        return
    assert reminder.status == ReminderStatus.SENT
    assert reminder.emailed_at is not None
    assert [message.to for message in mail.outbox] == [[patient.email]]
    assert all(task.status == TaskResultStatus.SUCCESSFUL for task in send_tasks())


def test_the_clinician_digest_lists_new_and_open_flags_at_their_time(settings):
    settings.SITE_URL = "https://tracker.example.org"
    physio = PhysiotherapistFactory(time_zone="America/New_York")
    ReminderSettings.objects.create(user=physio, send_at=time(7, 30))
    patient = patient_with_reminder(at=time(23, 0))
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    flag = FlagFactory(patient=patient, clinician_summary="Neck pain 7-day mean 6.4 vs baseline 3.0")
    Flag.objects.filter(pk=flag.pk).update(opened_at=utc(2026, 1, 15, 3, 0))
    assert schedule_due(now=utc(2026, 1, 15, 12, 29)).queued == []
    report = schedule_due(now=utc(2026, 1, 15, 12, 30))
    digest = Reminder.objects.get(user=physio)
    assert report.queued == [digest.pk]
    assert digest.kind == ReminderKind.DIGEST
    assert deliver(digest.pk, now=utc(2026, 1, 15, 12, 31)) == "sent"
    message = mail.outbox[0]
    assert message.to == [physio.email]
    assert "Neck pain 7-day mean 6.4 vs baseline 3.0" in message.body
    assert f"https://tracker.example.org/patients/{patient.pk}/#flags" in message.body
    assert patient.last_name not in message.body
    assert "1 new, 0 still open" in message.subject
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://tracker.example.org/reminders/stop/")
    # The next day the same flag is listed as still open.
    schedule_due(now=utc(2026, 1, 16, 12, 30))
    deliver(Reminder.objects.get(user=physio, local_date=date(2026, 1, 16)).pk, now=utc(2026, 1, 16, 12, 31))
    assert "0 new, 1 still open" in mail.outbox[1].subject


def test_no_digest_on_a_day_with_no_open_flags():
    physio = PhysiotherapistFactory()
    schedule_due(now=utc(2026, 1, 15, 8, 0))
    digest = Reminder.objects.get(user=physio)
    assert deliver(digest.pk, now=utc(2026, 1, 15, 8, 1)) == "skipped"
    assert mail.outbox == []


def test_a_failed_send_is_retried_then_given_up_before_it_is_too_late(settings):
    settings.EMAIL_BACKEND = "tests.tracker.reminders.test_scheduler.BrokenBackend"
    patient = patient_with_reminder(at=time(21, 0))
    schedule_due(now=utc(2026, 1, 15, 21, 0))
    reminder = Reminder.objects.get(user=patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 21, 0)) == "pending"
    reminder.refresh_from_db()
    assert reminder.attempts == 1
    assert "e-mail: ConnectionRefusedError" in reminder.last_error
    # Not due yet: a second worker does nothing.
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 21, 1)) == "pending"
    assert Reminder.objects.get(pk=reminder.pk).attempts == 1
    # Tried again after 5, 15 and 30 minutes, then given up (the evening ends at 22:00).
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 21, 5)) == "pending"
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 21, 20)) == "pending"
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 21, 50)) == "failed"
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", 4)
    # A pass of the scheduler does not queue it again.
    assert schedule_due(now=utc(2026, 1, 15, 21, 25)).requeued == 0


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


@pytest.mark.parametrize("patients", [3, 30])
def test_a_pass_reads_in_a_fixed_number_of_queries_however_many_people(patients, django_assert_num_queries):
    for _ in range(patients):
        patient_with_reminder(at=time(18, 0))
    schedule_due(now=utc(2026, 1, 15, 18, 0))  # today's rows are written
    # Today's rows are there, so nobody is due: rows seen, patients, clinicians, tasks waiting, reminders
    # waiting; the same five queries for 3 people or 30.
    with django_assert_num_queries(5):
        report = schedule_due(now=utc(2026, 1, 15, 18, 5))
    assert report.queued == []
    assert report.already_there == 0
