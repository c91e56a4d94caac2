"""Two app servers and two background workers against one PostgreSQL and one Redis, as in a bigger clinic.

The servers run with REDIS_URL (cache in Redis, sessions cached_db) and
psycopg's pool, so either server can answer any request: a patient signs in on
one and carries on on the other; 200 queued e-mails are each sent exactly once
by the two workers together; a check-in sent to both servers at once leaves one
check-in and one flag. Like the other tests here they need PostgreSQL (and
Redis: TEST_REDIS_URL, default redis://127.0.0.1:6379/0; every run uses its own
key prefix and removes its keys afterwards).
"""

import os
import threading
import uuid

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from tests.factories import CareTeamMembershipFactory, ClearanceFactory, FlagFactory, PatientFactory
from tests.faults.processes import Browser, Gunicorn, Worker, app_environment, wait_for
from tracker.flags.notify import enqueue_notification
from tracker.models import CheckIn, Flag, FlagNotification, NotificationStatus, Severity, User

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.multi_server]

PASSWORD = "a long walk every morning"


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail(f"These tests need Redis at {url} (TEST_REDIS_URL); start it with `redis-server --daemonize yes`.")
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    yield url, prefix, client
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def cluster(transactional_db, smtp, redis_url, tmp_path, request):
    """Start servers with `cluster.web()` and workers with `cluster.worker(name)`; all stop after the test."""
    url, prefix, client = redis_url
    env = app_environment(database=connection.settings_dict["NAME"], proxy_port=5432, smtp_port=smtp.port)
    env.update(REDIS_URL=url, CACHE_KEY_PREFIX=prefix, DATABASE_POOL="true", DATABASE_POOL_MAX_SIZE="2")

    class Cluster:
        def __init__(self):
            self.all = []

        def web(self) -> Gunicorn:
            server = Gunicorn(env, tmp_path / f"web-{len(self.all)}.log")
            self.all.append(server)
            return server

        def worker(self, name: str) -> Worker:
            worker = Worker(env, tmp_path / f"{name}.log", name)
            self.all.append(worker)
            return worker

    started = Cluster()
    started.redis_keys = lambda: {key.decode() for key in client.scan_iter(match=f"{prefix}:*")}
    yield started
    for process in started.all:
        process.kill()
    if getattr(request.node, "fault_test_failed", False):
        for process in started.all:
            print(f"--- {process.log.name}\n{process.output()}")


def patient_with_password(**names) -> User:
    patient = PatientFactory(**names)
    # The servers know Argon2 (the production hasher), not the tests' quick MD5.
    patient.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    patient.save(update_fields=["password"])
    return patient


def sign_in(browser: Browser, patient: User) -> None:
    hidden = browser.form("/accounts/login/")
    status, _headers, page = browser.request(
        "POST", "/accounts/login/", {**hidden, "username": patient.username, "password": PASSWORD}
    )
    assert status == 302, page


def test_a_patient_signs_in_on_one_server_and_carries_on_on_the_other(cluster):
    patient = patient_with_password(first_name="Robin", last_name="Twoserver")
    first, second = cluster.web(), cluster.web()
    on_first = Browser(first.port, session_key="")
    on_first.cookies.clear()

    sign_in(on_first, patient)
    session_in_redis = {key for key in cluster.redis_keys() if "sessions" in key}
    assert any(key.endswith(on_first.cookies["sessionid"]) for key in session_in_redis)  # shared, not per process
    on_second = Browser(second.port, session_key="")
    on_second.cookies = dict(on_first.cookies)  # the same browser, sent to the other server by the proxy

    status, _, page = on_second.request("GET", "/my/")
    assert status == 200
    assert "Robin" in page
    # A check-in saved through the second server shows on the first at once (no stale cached page).
    day = patient.local_today().isoformat()
    hidden = on_second.form(f"/my/check-in/{day}/")
    answers = {**hidden, "neck_back_pain": "3", "limb_pain": "2", "numbness": "same", "weakness": "none"}
    status, _, page = on_second.request("POST", f"/my/check-in/{day}/", answers | {"extent": "same"})
    assert status == 302, page
    on_first.cookies = dict(on_second.cookies)
    status, _, page = on_first.request("GET", "/my/")
    assert status == 200
    assert "Check in for today" not in page
    assert CheckIn.objects.filter(patient=patient).count() == 1

    # Signing out on one server signs the browser out on both.
    hidden = on_first.form("/my/")
    status, _, _ = on_first.request("POST", "/accounts/logout/", {"csrfmiddlewaretoken": hidden["csrfmiddlewaretoken"]})
    assert status == 302
    on_second.cookies = dict(on_first.cookies)
    status, headers, _ = on_second.request("GET", "/my/")
    assert status == 302
    assert headers["Location"].startswith("/accounts/login/")
    assert not {key for key in cluster.redis_keys() if "sessions" in key}


def test_two_hundred_queued_emails_are_each_sent_exactly_once_by_two_workers(cluster, smtp):
    flag = FlagFactory(severity=Severity.CONTACT_PROVIDER)
    clinicians = [CareTeamMembershipFactory(patient=flag.patient).clinician for _ in range(200)]
    with transaction.atomic():
        notifications = FlagNotification.objects.bulk_create(
            FlagNotification(flag=flag, recipient=clinician, severity=flag.severity) for clinician in clinicians
        )
        for notification in notifications:
            enqueue_notification(notification.pk)

    cluster.worker("worker-1")
    cluster.worker("worker-2")

    def all_sent() -> bool:
        return not FlagNotification.objects.exclude(status=NotificationStatus.SENT).exists()

    wait_for(all_sent, timeout=60, what="all 200 e-mails to be sent")
    received = smtp.mailbox.received
    assert len(received) == 200  # no copy sent twice, not even a duplicate the mailbox would hide
    assert len({item.message_id for item in received}) == 200
    assert sorted(recipient for item in received for recipient in item.recipients) == sorted(
        clinician.email for clinician in clinicians
    )
    # Both workers took part.
    workers = {worker for ids in DBTaskResult.objects.values_list("worker_ids", flat=True) for worker in ids}
    assert workers == {"worker-1", "worker-2"}


def test_a_check_in_sent_to_both_servers_at_once_leaves_one_check_in_and_one_flag(cluster):
    patient = patient_with_password(first_name="Sam", last_name="Race")
    CareTeamMembershipFactory(patient=patient)
    ClearanceFactory(patient=patient)
    first, second = cluster.web(), cluster.web()
    browser = Browser(first.port, session_key="")
    browser.cookies.clear()
    sign_in(browser, patient)
    day = patient.local_today().isoformat()
    path = f"/my/check-in/{day}/"
    answers = {
        "neck_back_pain": "4",
        "limb_pain": "3",
        "numbness": "same",
        "weakness": "none",
        "extent": "same",
        "bladder_bowel_change": "on",
    }
    # Two tabs: each form from its own server, with its own submission token, sent together.
    tabs = []
    for server in (first, second):
        tab = Browser(server.port, session_key="")
        tab.cookies = dict(browser.cookies)
        tabs.append((tab, {**tab.form(path), **answers}))
    start = threading.Barrier(len(tabs))
    statuses = []

    def send(tab, body):
        start.wait()
        statuses.append(tab.request("POST", path, body)[0])

    threads = [threading.Thread(target=send, args=tab) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302, 302]
    assert CheckIn.objects.filter(patient=patient).count() == 1
    flags = list(Flag.objects.filter(patient=patient))
    assert [(flag.rule_id, flag.severity) for flag in flags] == [("emergency.cauda_equina", Severity.EMERGENCY)]
    assert FlagNotification.objects.filter(flag=flags[0]).count() == 1  # one e-mail to the one care-team member
