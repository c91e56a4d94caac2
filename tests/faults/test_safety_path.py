"""A reported warning sign becomes one flag, the banner and each care-team e-mail once, whatever fails.

Each test drives real processes (gunicorn and `manage.py worker`) against
PostgreSQL through a proxy it can cut, and a mail server that can hang, then
checks the end state a patient and their care team would see.
"""

import os
import signal
import time
from http.client import RemoteDisconnected

import pytest

from tests.factories import CareTeamMembershipFactory, ClearanceFactory, DoctorFactory, PatientFactory
from tests.faults.conftest import signed_in
from tests.faults.processes import wait_for
from tracker.models import CheckIn, Flag, FlagNotification, NotificationStatus, Severity

pytestmark = pytest.mark.django_db(transaction=True)

CHECK_IN_INSERT = b'INSERT INTO "tracker_checkin"'


@pytest.fixture
def patient():
    patient = PatientFactory(first_name="Pat", last_name="Fault")
    CareTeamMembershipFactory(patient=patient)  # a physiotherapist
    CareTeamMembershipFactory(patient=patient, clinician=DoctorFactory())
    ClearanceFactory(patient=patient)
    return patient


def report_bladder_problem(browser, patient):
    day = patient.local_today().isoformat()
    hidden = browser.form(f"/my/check-in/{day}/")
    answers = {
        **hidden,
        "neck_back_pain": "4",
        "limb_pain": "3",
        "numbness": "same",
        "weakness": "none",
        "extent": "same",
        "bladder_bowel_change": "on",
    }
    return browser.request("POST", f"/my/check-in/{day}/", answers)


def all_emails_delivered_once(smtp, patient) -> bool:
    """Every care-team e-mail is confirmed by the mail server and sits in its recipient's mailbox."""
    notifications = list(FlagNotification.objects.filter(flag__patient=patient))
    delivered = smtp.mailbox.delivered
    return bool(notifications) and all(
        notification.status == NotificationStatus.SENT
        and (notification.recipient.email, notification.message_id) in delivered
        for notification in notifications
    )


def assert_end_state(smtp, patient, browser):
    """One check-in, one emergency flag, the banner on the Today page, every e-mail in its mailbox once."""
    assert CheckIn.objects.filter(patient=patient).count() == 1
    flags = list(Flag.objects.filter(patient=patient))
    assert [(flag.rule_id, flag.severity) for flag in flags] == [("emergency.cauda_equina", Severity.EMERGENCY)]
    status, _, page = browser.request("GET", "/my/")
    assert status == 200
    assert "Get emergency care now" in page
    assert "a change in how your bladder or bowel works" in page
    wait_for(lambda: all_emails_delivered_once(smtp, patient), timeout=30, what="every care-team e-mail")
    notifications = FlagNotification.objects.filter(flag__patient=patient)
    assert notifications.count() == 2
    assert set(notifications.values_list("status", flat=True)) == {NotificationStatus.SENT}
    delivered_to = sorted(recipient for recipient, _ in smtp.mailbox.delivered)
    assert delivered_to == sorted(notification.recipient.email for notification in notifications)


def test_the_database_connection_cut_right_after_the_check_in_commits(patient, pg_proxy, smtp, processes):
    web = processes.web()
    processes.worker("worker-1")
    browser = signed_in(web.port, patient)
    pg_proxy.cut_after_commit(CHECK_IN_INSERT)

    status, headers, page = report_bladder_problem(browser, patient)

    assert pg_proxy.fired.is_set()
    # The save committed before the cut: the patient is told it is saved, with the emergency advice
    # from their own answers, on the page they land on (even while the database is still away).
    assert status == 302, page
    status, _, page = browser.request("GET", headers["Location"])
    assert status == 503
    assert "Get emergency care now" in page
    assert "Your check-in for today is saved" in page
    assert 'href="tel:999"' in page
    pg_proxy.restore()
    assert_end_state(smtp, patient, browser)


def test_the_web_worker_killed_right_after_the_check_in_commits(patient, pg_proxy, smtp, processes):
    web = processes.web()
    processes.worker("worker-1")
    browser = signed_in(web.port, patient)
    [web_worker] = web.workers()
    pg_proxy.cut_after_commit(CHECK_IN_INSERT, action=lambda: os.kill(web_worker, signal.SIGKILL))

    # The connection dies with the process, as the patient's browser would see it.
    with pytest.raises((ConnectionError, RemoteDisconnected)):
        report_bladder_problem(browser, patient)

    assert pg_proxy.fired.is_set()
    wait_for(lambda: web.workers() and web.workers() != [web_worker], timeout=30, what="gunicorn's new worker")
    assert_end_state(smtp, patient, browser)


def test_the_background_worker_killed_while_sending_an_email(patient, smtp, processes):
    smtp.mode = "hang_after_data"  # the first e-mail arrives but is never confirmed
    worker = processes.worker("worker-1")
    emergency = report_in_process(patient)
    wait_for(smtp.hung.is_set, timeout=30, what="the worker to be in the middle of a send")

    worker.kill()
    smtp.mode = "accept"
    killed_at = time.monotonic()
    processes.worker("worker-2")  # the supervisor starts a new one

    wait_for(lambda: all_emails_delivered_once(smtp, patient), timeout=60, what="the e-mails after the kill")
    assert time.monotonic() - killed_at < 120
    assert FlagNotification.objects.filter(flag=emergency).exclude(status=NotificationStatus.SENT).count() == 0
    # The message in flight was sent again with the same Message-ID: one message in each mailbox.
    assert len(smtp.mailbox.received) == 3
    assert len(smtp.mailbox.delivered) == 2


def test_the_background_worker_keeps_running_through_a_database_outage(patient, pg_proxy, smtp, processes):
    worker = processes.worker("worker-1")
    wait_for(lambda: "Starting worker" in worker.output(), timeout=30, what="the worker to start")
    time.sleep(1)
    pg_proxy.cut()
    report_in_process(patient)  # written while the worker cannot reach the database
    time.sleep(6)
    assert worker.alive, processes.logs()
    pg_proxy.restore()

    wait_for(lambda: all_emails_delivered_once(smtp, patient), timeout=30, what="the e-mails after the outage")
    assert worker.alive
    assert "Database unavailable" in worker.output()


def test_a_mail_server_that_hangs_before_accepting_gets_the_emergency_seconds_later(patient, smtp, processes):
    smtp.mode = "hang_before_greeting"
    processes.worker("worker-1")
    emergency = report_in_process(patient)
    wait_for(
        lambda: FlagNotification.objects.filter(flag=emergency, attempts__gte=1).count() == 2,
        timeout=30,
        what="the first tries to time out",
    )
    assert smtp.mailbox.received == []
    smtp.mode = "accept"
    started = time.monotonic()
    wait_for(lambda: all_emails_delivered_once(smtp, patient), timeout=40, what="the retries")
    assert time.monotonic() - started < 40
    assert len(smtp.mailbox.received) == 2


def test_a_mail_server_that_never_confirms_a_message_it_took_shows_it_once(patient, smtp, processes):
    smtp.mode = "hang_after_data"
    processes.worker("worker-1")
    emergency = report_in_process(patient)
    wait_for(
        lambda: FlagNotification.objects.filter(flag=emergency, attempts__gte=1).count() == 2,
        timeout=30,
        what="the unconfirmed sends to time out",
    )
    wait_for(
        lambda: FlagNotification.objects.filter(flag=emergency, attempts__gte=2).count() == 2,
        timeout=40,
        what="the retries",
    )
    # Two copies of each came in, both with the same Message-ID: each mailbox shows one.
    assert len(smtp.mailbox.received) >= 4
    assert len(smtp.mailbox.delivered) == 2
    smtp.mode = "accept"
    wait_for(lambda: all_emails_delivered_once(smtp, patient), timeout=60, what="a confirmed send")
    assert len(smtp.mailbox.delivered) == 2


def report_in_process(patient) -> Flag:
    """The patient's bladder problem, saved through the app's own services in this process."""
    from tracker.services.checkins import checkin_save

    checkin_save(
        patient=patient,
        local_date=patient.local_today(),
        data={"neck_back_pain": 4, "limb_pain": 3, "bladder_bowel_change": True},
    )
    return Flag.objects.get(patient=patient)  # the save ran the rules in its own transaction
