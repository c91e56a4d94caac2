"""Each reminder is sent once, with two schedulers and two workers running at once on PostgreSQL.

Real processes against the test database: two `manage.py schedule_reminders`
and two `manage.py worker`, with the SMTP server of the fault tests counting
every copy that arrives. To make the schedulers really collide, the test holds
the reminders table locked while both start: each reads that no reminder
exists yet, and both then try to write every row at the same moment. Only the
database's unique constraint (person, kind, local day) stands between them and
two e-mails per patient.
"""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction

from tests.factories import PatientFactory
from tests.faults.processes import PYTHON, Process, Worker, app_environment, wait_for
from tracker.reminders.models import Reminder, ReminderSettings, ReminderStatus

PATIENTS = 40
ZONES = ["Europe/London", "America/New_York", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney"]


def zone_in_its_day() -> str:
    """A zone where it is now between 01:00 and 20:59, so a reminder set for 00:00 is due and not too late."""
    for name in ZONES:
        if 1 <= datetime.now(ZoneInfo(name)).hour <= 20:
            return name
    raise AssertionError("no zone in its daytime")  # cannot happen: the zones span more than 24 hours


def waiting_on_the_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'reminders_reminder'::regclass")
        return cursor.fetchone()[0]


@pytest.fixture
def env(transactional_db, smtp):
    return app_environment(database=connection.settings_dict["NAME"], proxy_port=5432, smtp_port=smtp.port)


def test_two_schedulers_and_two_workers_send_each_reminder_once(env, smtp, tmp_path):
    zone = zone_in_its_day()
    patients = [PatientFactory(time_zone=zone) for _ in range(PATIENTS)]
    for patient in patients:
        ReminderSettings.objects.create(user=patient, send_at=time(0, 0))
    started = []
    try:
        workers = [Worker(env, tmp_path / f"worker-{n}.log", f"worker-{n}") for n in (1, 2)]
        started.extend(workers)
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE reminders_reminder IN EXCLUSIVE MODE")  # reads go on, writes wait
            schedulers = [
                Process(
                    [PYTHON, "manage.py", "schedule_reminders"],
                    env,
                    tmp_path / f"scheduler-{n}.log",
                )
                for n in (1, 2)
            ]
            started.extend(schedulers)
            wait_for(lambda: waiting_on_the_lock() == 2, timeout=60, what="both schedulers to reach their first write")
        for scheduler in schedulers:
            assert scheduler.handle.wait(timeout=120) == 0, scheduler.output()
        reports = [scheduler.output() for scheduler in schedulers]
        queued = sum(int(re.search(r"queued (\d+),", report).group(1)) for report in reports)
        collided = sum(int(re.search(r"already there (\d+)", report).group(1)) for report in reports)
        assert (queued, collided) == (PATIENTS, PATIENTS), reports

        def all_sent():
            return not Reminder.objects.filter(status=ReminderStatus.PENDING).exists()

        wait_for(all_sent, timeout=120, what="the workers to send every reminder")
    finally:
        for process in started:
            process.kill()
    logs = "\n".join(process.output() for process in started)
    assert Reminder.objects.count() == PATIENTS
    assert set(Reminder.objects.values_list("status", flat=True)) == {ReminderStatus.SENT}, logs
    received = smtp.mailbox.received
    assert len(received) == PATIENTS, logs  # every copy that reached the mail server: no second send
    assert sorted(r for item in received for r in item.recipients) == sorted(p.email for p in patients)
