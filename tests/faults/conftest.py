"""Fault tests: real processes (gunicorn, background workers), a PostgreSQL connection that can be cut, and a
mail server that hangs. They need PostgreSQL (the proxy speaks its protocol) and run in the PostgreSQL pass
of `.ci/run`; on SQLite they are deselected, with a line saying so."""

import os

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from tests.faults.processes import Browser, Gunicorn, Worker, app_environment
from tests.faults.proxy import PostgresProxy
from tests.faults.smtp import FaultySMTPServer

HERE = os.path.dirname(__file__)


def _is_fault_test(item) -> bool:
    return str(item.fspath).startswith(HERE)


def pytest_collection_modifyitems(config, items):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    deselected = [item for item in items if _is_fault_test(item)]
    if deselected:
        items[:] = [item for item in items if not _is_fault_test(item)]
        config.hook.pytest_deselected(items=deselected)
        config._fault_tests_deselected = len(deselected)


def pytest_report_header(config):
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "tests/faults: deselected on this database; they need PostgreSQL and run in the PostgreSQL pass"
    return None


def pytest_terminal_summary(terminalreporter, config):
    count = getattr(config, "_fault_tests_deselected", 0)
    if count:
        terminalreporter.write_line(
            f"{count} fault tests need PostgreSQL and were deselected here; they run in the PostgreSQL pass."
        )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.fault_test_failed = report.failed


@pytest.fixture
def pg_proxy():
    proxy = PostgresProxy()
    yield proxy
    proxy.close()


@pytest.fixture
def smtp():
    server = FaultySMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def app_env(transactional_db, pg_proxy, smtp):
    return app_environment(database=connection.settings_dict["NAME"], proxy_port=pg_proxy.port, smtp_port=smtp.port)


@pytest.fixture
def processes(request, app_env, tmp_path):
    """Start processes with `processes.web()` / `processes.worker(name)`; all are stopped after the test."""

    class Started:
        def __init__(self):
            self.all = []

        def web(self) -> Gunicorn:
            server = Gunicorn(app_env, tmp_path / f"web-{len(self.all)}.log")
            self.all.append(server)
            return server

        def worker(self, name: str) -> Worker:
            worker = Worker(app_env, tmp_path / f"{name}.log", name)
            self.all.append(worker)
            return worker

        def logs(self) -> str:
            return "\n".join(f"--- {process.log.name}\n{process.output()}" for process in self.all)

    started = Started()
    yield started
    for process in started.all:
        process.kill()
    if getattr(request.node, "fault_test_failed", False):
        # What the processes said is the first thing to read when a fault test fails.
        print(started.logs())


def signed_in(port: int, user) -> Browser:
    """A browser with a session for `user`, made as django.contrib.auth.login would."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return Browser(port, session.session_key)
