"""Real processes for the fault tests: gunicorn serving the app, and background workers.

They run the project from this checkout against the test database (reached
through the test's PostgreSQL proxy), with short timings so faults play out
in seconds: a heartbeat every second, a worker counted dead after 3 s, a
sweep every second, a 4-second claim on an e-mail, a 2-second SMTP timeout.
"""

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from http.client import HTTPConnection
from pathlib import Path
from urllib.parse import urlencode

from tests.faults.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def app_environment(*, database: str, proxy_port: int, smtp_port: int) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))}
    env.update(
        DJANGO_DEBUG="true",
        DJANGO_SETTINGS_MODULE="tracker.settings",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{proxy_port}/{database}",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_TIMEOUT="2",
        WORKER_HEARTBEAT_SECONDS="1",
        WORKER_DEAD_AFTER_SECONDS="3",
        WORKER_SWEEP_SECONDS="1",
        WORKER_MAX_BACKOFF_SECONDS="2",
        NOTIFY_CLAIM_LEASE_SECONDS="4",
        PYTHONUNBUFFERED="1",
    )
    return env


def wait_for(condition, *, timeout: float, every: float = 0.2, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


def children_of(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(entry.name))
    return children


class Process:
    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log = log
        self.handle = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)

    @property
    def alive(self) -> bool:
        return self.handle.poll() is None

    def kill(self) -> None:
        if self.alive:
            self.handle.kill()
            self.handle.wait(timeout=10)

    def stop(self) -> None:
        if self.alive:
            self.handle.send_signal(signal.SIGTERM)
            try:
                self.handle.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


class Gunicorn(Process):
    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        super().__init__(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "tracker.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
                "--timeout",
                "30",
                "--graceful-timeout",
                "2",
            ],
            env,
            log,
        )
        wait_for(self._answers, timeout=30, what="gunicorn to start")

    def _answers(self) -> bool:
        try:
            connection = HTTPConnection("127.0.0.1", self.port, timeout=2)
            connection.request("GET", "/accounts/login/")
            return connection.getresponse().status == 200
        except OSError:
            return False

    def workers(self) -> list[int]:
        return children_of(self.handle.pid)

    def kill(self) -> None:
        # The master's workers outlive a killed master (and keep their database connections): end them too.
        workers = self.workers() if self.alive else []
        super().kill()
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


class Worker(Process):
    def __init__(self, env: dict[str, str], log: Path, name: str):
        super().__init__(
            [
                PYTHON,
                "manage.py",
                "worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                name,
            ],
            env,
            log,
        )


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms posted as a person would."""

    def __init__(self, port: int, session_key: str):
        self.port = port
        self.cookies = {"sessionid": session_key}

    def request(self, method: str, path: str, body: dict | None = None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://127.0.0.1:{self.port}"
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        content = response.read().decode(errors="replace")
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                cookie_name, cookie_value = value.split(";", 1)[0].split("=", 1)
                self.cookies[cookie_name] = cookie_value
        return response.status, dict(response.getheaders()), content

    def form(self, path: str) -> dict[str, str]:
        """The hidden fields of the form on the page (CSRF token, submission token)."""
        status, _, page = self.request("GET", path)
        assert status == 200, page
        return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
