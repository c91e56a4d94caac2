"""Load benchmark: the app under gunicorn beside a bare Django floor app, both driven by wrk.

    .venv/bin/python bench/load.py                          # SQLite and PostgreSQL, 5 to 10 minutes
    .venv/bin/python bench/load.py --engines sqlite --quick  # a quick look: one 3 s run per page
    .venv/bin/python bench/load.py --pages checkin,caseload --rounds 5
    .venv/bin/python bench/load.py --engines postgres --patients 20000 --days 365 --db-prefix tracker_big

For each database engine it builds throwaway databases (SQLite files in a
temporary folder; PostgreSQL databases tracker_load_bench and
tracker_load_bench_floor on 127.0.0.1:5432, user postgres, or PREFIX and
PREFIX_floor with --db-prefix, so two runs at once do not collide), migrates
them, loads the demo clinic with a large caseload (`seed_demo --patients 500
--days 365`; with more patients, demo-physio keeps --caseload of them, 500 by
default, and other physiotherapists of the clinic the rest), and serves the
app and the floor app (bench/floor: a bare Django 5.2 project whose one page
needs a signed-in user and runs one indexed query) with gunicorn, 2 sync
workers each, debug off. wrk then drives each page signed in as
a demo user. Every page run is followed by a floor run, round after round, and
a run's ratio is the page's requests/s over the mean of the floor runs just
before and after it, so both saw the same load from the rest of the machine;
the table shows the median of the runs and the range of their ratios.

Printed per engine: requests/s, p50 and p99 latency, the ratio to the floor,
the server CPU time per request (gunicorn workers, plus PostgreSQL's backends)
and its ratio to the floor's, which moves much less than requests/s when other
work shares the machine, the queries one request runs (Django's test client
in-process, against the same database and settings), and the gunicorn
workers' memory after the run.
The figures, run by run, also go to bench/results/ as JSON (git-ignored).

It never touches the checkout's db.sqlite3 or staticfiles/, and stops every
server it started when it ends, fails or is interrupted. wrk comes from PATH
(installed from Debian's package if missing). Not part of CI: it measures.
"""

import argparse
import contextlib
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
BIN = Path(sys.executable).parent
WRK_SCRIPT = BENCH / "wrk" / "load.lua"
RESULTS = BENCH / "results"
HOSTS = "127.0.0.1,localhost"
PATIENT = "demo-patient-active"
CLINICIAN = "demo-physio"
FLOOR_USER = "floor-user"
POSTGRES_DATABASE_PREFIX = "tracker_load_bench"
CASELOAD = 500
ENGINE_NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    username: str
    path: str
    method: str = "GET"


def pages_for(arguments: argparse.Namespace) -> dict[str, Page]:
    return {
        "today": Page("today", "patient Today page", PATIENT, "/my/"),
        "sessions": Page("sessions", "session log page", PATIENT, "/my/sessions/"),
        # The path is the form's own action (today in the patient's time zone), read from the page.
        "checkin": Page("checkin", "check-in POST (a real change)", PATIENT, "/my/check-in/", "POST"),
        "caseload": Page(
            "caseload",
            f"caseload, {arguments.caseload} of {arguments.patients} patients x {arguments.days} days",
            CLINICIAN,
            "/caseload/",
        ),
    }


class BenchError(Exception):
    """Something the benchmark needs is missing or wrong; the message says what."""


def log(message: str) -> None:
    print(message, flush=True)


# Processes


def base_environment() -> dict[str, str]:
    """Only the basics of this shell's environment: none of the app's settings (a real database, a mail server)."""
    kept = {"PATH", "HOME", "USER", "LANG", "TERM", "TMPDIR", "TZ"}
    return {name: value for name, value in os.environ.items() if name in kept or name.startswith("LC_")}


def run(command: list[str], *, env: dict[str, str], input_text: str | None = None) -> str:
    """Run a command to completion and return its standard output; its error output becomes the exception."""
    result = subprocess.run(command, env=env, cwd=ROOT, input=input_text, capture_output=True, text=True)  # noqa: S603
    if result.returncode != 0:
        raise BenchError(f"{' '.join(command)} failed:\n{result.stderr.strip() or result.stdout.strip()}")
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rss_megabytes(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time the process has used so far; 0 if it has ended."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime and stime are fields 14 and 15 of stat; the split starts at field 3 (the state).
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_backend_pids(server_url: str, database: str) -> list[int]:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres") as connection:
        rows = connection.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]).fetchall()
    return [pid for (pid,) in rows]


def child_pids(parent: int) -> list[int]:
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            # The command name, in brackets, may hold spaces; the parent id is the second field after it.
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                children.append(int(stat.parent.name))
    return sorted(children)


@dataclass
class Project:
    """One Django project (the app or the floor) on one database: how to run its commands and its server."""

    name: str
    wsgi: str
    env: dict[str, str]
    helper_prefix: list[str]
    workers: int
    log_path: Path
    # With PostgreSQL, the server URL and database: its backends' CPU time counts as the project's.
    postgres: tuple[str, str] | None = None
    port: int = 0
    process: subprocess.Popen | None = None

    def django(self, *arguments: str, debug: bool = False) -> str:
        env = {**self.env, "DJANGO_DEBUG": "true" if debug else "false"}
        return run([*self.helper_prefix, *arguments], env=env)

    def helper(self, *arguments: str, input_data: object = None) -> object:
        command = [sys.executable, str(BENCH / "load_helper.py"), *arguments]
        text = json.dumps(input_data) if input_data is not None else None
        return json.loads(run(command, env=self.env, input_text=text))

    def start(self) -> None:
        self.port = free_port()
        log_file = self.log_path.open("ab")
        command = [
            str(BIN / "gunicorn"),
            self.wsgi,
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
        ]
        # A session of its own, so stop() can end the master and its workers together.
        self.process = subprocess.Popen(  # noqa: S603
            command, env=self.env, cwd=ROOT, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
        log_file.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn for the {self.name} stopped at start-up:\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                status, _, _ = self.request("GET", "/")
                if status < 500 and len(self.worker_pids()) == self.workers:
                    return
            time.sleep(0.2)
        raise BenchError(f"gunicorn for the {self.name} did not answer within 60 s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def cpu_snapshot(self) -> dict[int, float]:
        """CPU seconds used so far by each gunicorn worker and each database server process serving it."""
        pids = self.worker_pids() + (postgres_backend_pids(*self.postgres) if self.postgres else [])
        return {pid: cpu_seconds(pid) for pid in pids}

    def worker_pids(self) -> list[int]:
        return child_pids(self.process.pid) if self.process else []

    def log_tail(self) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-20:])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def request(
        self, method: str, path: str, *, cookies: dict[str, str] | None = None, body: str | None = None
    ) -> tuple[int, http.client.HTTPResponse, str]:
        """One plain HTTP request, redirects not followed: (status, response, body text)."""
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response, response.read().decode(errors="replace")
        finally:
            connection.close()


def signed_in_cookies(project: Project, username: str) -> dict[str, str]:
    """The cookies of a browser signed in as `username` on `project`.

    The session is made in the project's own process and database by
    django.contrib.auth.login, then verified with the account's second factor
    if it has one (load_helper.py), so it depends neither on the sign-in forms
    nor on typing a code. Replace this function to sign in over HTTP instead.
    """
    session = project.helper("session", username)
    return {session["cookie"]: session["key"]}


# Databases


def check_postgres(server_url: str) -> None:
    import psycopg

    try:
        psycopg.connect(f"{server_url}/postgres", connect_timeout=5).close()
    except psycopg.OperationalError as error:
        raise BenchError(
            f"PostgreSQL does not answer at {server_url}: {error}".strip()
            + "\nStart it (e.g. pg_ctlcluster 15 main start) or run with --engines sqlite."
        ) from None


def recreate_postgres_database(server_url: str, name: str, *, drop_only: bool = False) -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not drop_only:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{server_url}/{name}"


# Measuring


@dataclass
class Run:
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict[str, int]
    cpu_ms_per_request: float = 0.0

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise BenchError("wrk is not installed and this is not root: run `sudo apt-get install -y wrk` first.")
    log("Installing wrk from Debian's package ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, capture_output=True).returncode != 0:  # noqa: S607
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=True, capture_output=True)  # noqa: S607
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env, check=True, capture_output=True)  # noqa: S607
    found = shutil.which("wrk")
    if not found:
        raise BenchError("apt-get installed wrk but it is not on PATH.")
    return found


@dataclass
class Target:
    """What wrk sends: a page of a project, with the cookies and (for the check-in) the form's tokens."""

    project: Project
    path: str
    cookies: dict[str, str]
    checkin_tokens: dict[str, str] = field(default_factory=dict)


def wrk_run(wrk: str, target: Target, *, seconds: float, arguments: argparse.Namespace) -> Run:
    cookie_header = "; ".join(f"{name}={value}" for name, value in target.cookies.items())
    env = {**os.environ}
    if target.checkin_tokens:
        env |= {
            "CHECKIN_PATH": target.path,
            "CHECKIN_CSRF_TOKEN": target.checkin_tokens["csrfmiddlewaretoken"],
            "CHECKIN_SUBMISSION_TOKEN": target.checkin_tokens["submission_token"],
        }
    command = [
        wrk,
        "--threads",
        str(arguments.threads),
        "--connections",
        str(arguments.connections),
        "--duration",
        f"{seconds:g}s",
        # A slow page must count as slow, not as wrk's 2 s timeout error.
        "--timeout",
        "60s",
        "--script",
        str(WRK_SCRIPT),
        "--header",
        f"Cookie: {cookie_header}",
        target.project.url(target.path),
    ]
    output = run(command, env=env)
    match = re.search(r"^LOAD_RESULT (.*)$", output, re.MULTILINE)
    if not match:
        raise BenchError(f"wrk printed no result:\n{output}")
    result = json.loads(match.group(1))
    return Run(
        requests=result["requests"],
        seconds=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p90_ms=result["p90_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        max_ms=result["max_us"] / 1000,
        errors={name: count for name, count in result["errors"].items() if count},
    )


def warm_up(wrk: str, target: Target, arguments: argparse.Namespace) -> int:
    """Unmeasured load first (both workers' connections and caches); returns the requests it sent."""
    return wrk_run(wrk, target, seconds=arguments.warmup, arguments=arguments).requests if arguments.warmup else 0


def measure(wrk: str, target: Target, arguments: argparse.Namespace) -> Run:
    """One measured run, with the CPU time the server used per request (workers, and PostgreSQL's backends).

    CPU time per request hardly changes with other load on the machine, unlike
    requests/s, so it shows whether a change in requests/s is the app's or the machine's.
    """
    before = target.project.cpu_snapshot()
    measured = wrk_run(wrk, target, seconds=arguments.duration, arguments=arguments)
    after = target.project.cpu_snapshot()
    # A process that started during the run (a new database connection) counts from zero.
    used = sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())
    measured.cpu_ms_per_request = used * 1000 / measured.requests if measured.requests else 0.0
    if not target.checkin_tokens:
        # wrk counts only 4xx and 5xx as errors: make sure the session still gets the page, not a redirect.
        status, _, _ = target.project.request("GET", target.path, cookies=target.cookies)
        if status != 200:
            raise BenchError(f"After a run, GET {target.path} answered {status}: the session is no longer signed in.")
    if measured.errors:
        raise BenchError(
            f"wrk saw errors on {target.project.name} {target.path}: {measured.errors}\n{target.project.log_tail()}"
        )
    return measured


def checkin_answers(number: int, tokens: dict[str, str]) -> dict[str, str | int]:
    """The answers of the `number`th check-in POST: the same rotation as bench/wrk/load.lua's."""
    return {
        **tokens,
        "neck_back_pain": 2 + number % 4,
        "limb_pain": 1 + (number * 3) % 4,
        "numbness": "same",
        "weakness": "none",
        "extent": "same",
        "note": f"Query count {number}",
    }


def form_fields(html: str) -> dict[str, str]:
    return {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html)
        if name in {"csrfmiddlewaretoken", "submission_token"}
    }


def checkin_target(app: Project, page: Page, cookies: dict[str, str]) -> Target:
    """The check-in form as a browser would get it: its action, CSRF cookie and token, and submission token."""
    status, response, html = app.request("GET", page.path, cookies=cookies)
    if status != 200:
        raise BenchError(f"GET {page.path} as {page.username} answered {status}, not the check-in form.")
    action = re.search(r'<form method="post" action="([^"]+)" class="checkin-form"', html)
    tokens = form_fields(html)
    if not action or set(tokens) != {"csrfmiddlewaretoken", "submission_token"}:
        raise BenchError(f"The check-in form at {page.path} has no action or tokens; has its template changed?")
    csrf_cookie = SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        csrf_cookie.load(header)
    if "csrftoken" not in csrf_cookie:
        raise BenchError(f"GET {page.path} set no CSRF cookie.")
    target = Target(app, action.group(1), {**cookies, "csrftoken": csrf_cookie["csrftoken"].value}, tokens)
    # One POST over HTTP first, CSRF check included: it must save and redirect, not show the form again.
    body = urlencode({**checkin_answers(0, tokens), "note": "Load test: first POST"})
    status, response, html = app.request("POST", target.path, cookies=target.cookies, body=body)
    location = response.headers.get("Location", "")
    if status != 302 or location != "/my/":
        errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]+)<', html)
        raise BenchError(
            f"The check-in POST answered {status} {location}, not a redirect to /my/ after saving: {errors[:3]}"
        )
    return target


def page_target(app: Project, page: Page) -> Target:
    cookies = signed_in_cookies(app, page.username)
    if page.method == "POST":
        return checkin_target(app, page, cookies)
    status, _, _ = app.request("GET", page.path, cookies=cookies)
    if status != 200:
        raise BenchError(f"GET {page.path} as {page.username} answered {status}, not 200; is the session valid?")
    return Target(app, page.path, cookies)


CHECKIN_QUERY_SAMPLES = 8


def query_counts(
    app: Project, floor: Project, targets: dict[str, Target], floor_target: Target
) -> dict[str, list[int]]:
    """Queries per request, by page. A GET is the same every time; a check-in POST depends on which flags
    its answers open, update or leave alone, so it is counted for several POSTs of the load's rotation."""
    requests = []
    for key, target in targets.items():
        request = {"key": key, "path": target.path, "cookies": target.cookies, "method": "GET"}
        if target.checkin_tokens:
            bodies = [checkin_answers(number, target.checkin_tokens) for number in range(CHECKIN_QUERY_SAMPLES + 1)]
            request |= {"method": "POST", "bodies": bodies}
        requests.append(request)
    counts = {}
    for request, result in zip(requests, app.helper("queries", input_data=requests), strict=True):
        expected = 302 if request["method"] == "POST" else 200
        if set(result["statuses"]) != {expected}:
            raise BenchError(f"Counting queries: {request['method']} {request['path']} answered {result['statuses']}.")
        counts[request["key"]] = result["queries"]
    floor_request = {"key": "floor", "path": floor_target.path, "cookies": floor_target.cookies, "method": "GET"}
    counts["floor"] = floor.helper("queries", input_data=[floor_request])[0]["queries"]
    return counts


# One engine


def postgres_databases(arguments: argparse.Namespace) -> tuple[str, str]:
    """The app's and the floor's PostgreSQL databases."""
    return arguments.db_prefix, f"{arguments.db_prefix}_floor"


def projects_for(engine: str, workdir: Path, arguments: argparse.Namespace, secret_key: str) -> tuple[Project, Project]:
    folder = workdir / engine
    folder.mkdir()
    app_postgres = floor_postgres = None
    if engine == "sqlite":
        app_url = f"sqlite:///{folder / 'app.sqlite3'}"
        floor_url = f"sqlite:///{folder / 'floor.sqlite3'}"
    else:
        app_database, floor_database = postgres_databases(arguments)
        app_url = recreate_postgres_database(arguments.postgres, app_database)
        floor_url = recreate_postgres_database(arguments.postgres, floor_database)
        app_postgres = (arguments.postgres, app_database)
        floor_postgres = (arguments.postgres, floor_database)
    common = {
        **base_environment(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret_key,
        "DJANGO_ALLOWED_HOSTS": HOSTS,
        # Plain HTTP on the loopback: no redirect to HTTPS and no HSTS.
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Care-team e-mails are only queued in a request; should anything send one, it goes nowhere.
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    # With --redis the app runs as it would behind a load balancer: cache and sessions in Redis.
    redis = {}
    if arguments.redis:
        redis = {"REDIS_URL": arguments.redis, "CACHE_KEY_PREFIX": f"load-bench-{secrets.token_hex(4)}"}
    app = Project(
        name="app",
        wsgi="tracker.wsgi:application",
        env={
            **common,
            **redis,
            "DATABASE_URL": app_url,
            "DJANGO_SETTINGS_MODULE": "load_app_settings",
            "LOAD_BENCH_STATIC_ROOT": str(workdir / "static"),
            "PYTHONPATH": f"{ROOT}{os.pathsep}{BENCH}",
        },
        helper_prefix=[sys.executable, str(ROOT / "manage.py")],
        workers=arguments.workers,
        log_path=folder / "gunicorn-app.log",
        postgres=app_postgres,
    )
    floor = Project(
        name="floor",
        wsgi="floor.wsgi:application",
        env={**common, "DATABASE_URL": floor_url, "DJANGO_SETTINGS_MODULE": "floor.settings", "PYTHONPATH": str(BENCH)},
        helper_prefix=[sys.executable, "-m", "django"],
        workers=arguments.workers,
        log_path=folder / "gunicorn-floor.log",
        postgres=floor_postgres,
    )
    return app, floor


def prepare(app: Project, floor: Project, arguments: argparse.Namespace) -> dict[str, float]:
    timings = {}
    started = time.perf_counter()
    app.django("migrate", "--noinput", "--verbosity", "0", debug=True)
    floor.django("migrate", "--noinput", "--verbosity", "0")
    timings["migrate_seconds"] = time.perf_counter() - started
    log(f"  migrated in {timings['migrate_seconds']:.1f} s; seeding the demo clinic ...")
    started = time.perf_counter()
    # seed_demo refuses to run with debug off: it creates accounts with a known password.
    seed = [
        "seed_demo",
        "--patients",
        str(arguments.patients),
        "--days",
        str(arguments.days),
        "--caseload",
        str(arguments.caseload),
        "--verbosity",
        "2",
    ]
    output = app.django(*seed, debug=True)
    timings["seed_seconds"] = time.perf_counter() - started
    floor.helper("floor-user", FLOOR_USER)
    log(f"  {seed_text(arguments)} took {timings['seed_seconds']:.1f} s; its steps:")
    for line in output.splitlines():
        if line.startswith("  "):
            log(f"  {line}")
    return timings


def measure_engine(
    engine: str, wrk: str, workdir: Path, arguments: argparse.Namespace, stack: contextlib.ExitStack
) -> dict:
    log(f"\n{ENGINE_NAMES[engine]}: preparing throwaway databases ...")
    app, floor = projects_for(engine, workdir, arguments, secrets.token_urlsafe(50))
    if engine == "postgres" and not arguments.keep:
        for name in postgres_databases(arguments):
            stack.callback(recreate_postgres_database, arguments.postgres, name, drop_only=True)
    timings = prepare(app, floor, arguments)
    if not (workdir / "static").exists():
        app.django("collectstatic", "--noinput", "--verbosity", "0")

    for project in (app, floor):
        stack.callback(project.stop)
        project.start()
    log(f"  gunicorn: app on port {app.port}, floor on port {floor.port}, {arguments.workers} workers each")

    pages = pages_for(arguments)
    targets = {key: page_target(app, pages[key]) for key in arguments.pages}
    floor_target = Target(floor, "/", signed_in_cookies(floor, FLOOR_USER))
    status, _, _ = floor.request("GET", "/", cookies=floor_target.cookies)
    if status != 200:
        raise BenchError(f"The floor page answered {status}, not 200.")
    queries = query_counts(app, floor, targets, floor_target)

    versions_before = app.helper("checkin-changes", PATIENT)["versions"]
    posts_sent = 0
    warm_up(wrk, floor_target, arguments)
    for target in targets.values():
        sent = warm_up(wrk, target, arguments)
        posts_sent += sent if target.checkin_tokens else 0
    log(f"  measuring {', '.join(targets)}: {runs_text(arguments)}, each followed by a floor run")
    # Floor, then each page followed by the floor, round after round: every page run has a floor run just
    # before and just after it, and each page's runs are spread over the whole measurement.
    floor_runs = [measure(wrk, floor_target, arguments)]
    page_runs: dict[str, list[dict]] = {key: [] for key in targets}
    for _ in range(arguments.rounds):
        for key, target in targets.items():
            run_result = measure(wrk, target, arguments)
            floor_runs.append(measure(wrk, floor_target, arguments))
            floor_per_second = statistics.mean(run.per_second for run in floor_runs[-2:])
            posts_sent += run_result.requests if target.checkin_tokens else 0
            page_runs[key].append(
                {**asdict(run_result), "per_second": run_result.per_second, "floor_per_second": floor_per_second}
            )
    checkin_versions = app.helper("checkin-changes", PATIENT)["versions"] - versions_before
    if posts_sent and checkin_versions < posts_sent:
        raise BenchError(f"Only {checkin_versions} of {posts_sent} check-in POSTs saved a change.")

    floor_cpu_ms = statistics.median(run.cpu_ms_per_request for run in floor_runs)
    rows = []
    for key, runs in page_runs.items():
        ratios = [run["per_second"] / run["floor_per_second"] for run in runs]
        row = {
            "page": key,
            "label": pages[key].label,
            "path": targets[key].path,
            "user": pages[key].username,
            "requests_per_second": statistics.median(run["per_second"] for run in runs),
            "p50_ms": statistics.median(run["p50_ms"] for run in runs),
            "p99_ms": statistics.median(run["p99_ms"] for run in runs),
            "ratio": statistics.median(ratios),
            "ratio_range": [min(ratios), max(ratios)],
            "cpu_ms_per_request": statistics.median(run["cpu_ms_per_request"] for run in runs),
            "queries": queries[key],
            "runs": runs,
        }
        if targets[key].checkin_tokens:
            row["posts_answered"] = posts_sent
            row["checkin_versions_saved"] = checkin_versions
        row["cpu_ratio"] = floor_cpu_ms / row["cpu_ms_per_request"] if row["cpu_ms_per_request"] else 0.0
        rows.append(row)

    memory = {project.name: [round(rss_megabytes(pid), 1) for pid in project.worker_pids()] for project in (app, floor)}
    for project in (app, floor):
        project.stop()
    floor_summary = {
        "requests_per_second": statistics.median(run.per_second for run in floor_runs),
        "p50_ms": statistics.median(run.p50_ms for run in floor_runs),
        "p99_ms": statistics.median(run.p99_ms for run in floor_runs),
        "cpu_ms_per_request": floor_cpu_ms,
        "queries": queries["floor"],
        "runs": [asdict(run) | {"per_second": run.per_second} for run in floor_runs],
    }
    return {"engine": engine, **timings, "floor": floor_summary, "pages": rows, "worker_rss_mb": memory}


# Report


def runs_text(arguments: argparse.Namespace) -> str:
    return f"{arguments.rounds} run{'s' if arguments.rounds != 1 else ''} of {arguments.duration:g} s"


def query_text(counts: list[int]) -> str:
    return str(counts[0]) if min(counts) == max(counts) else f"{min(counts)}-{max(counts)}"


def print_table(result: dict, arguments: argparse.Namespace) -> None:
    floor = result["floor"]
    floor_rates = [run["per_second"] for run in floor["runs"]]
    log(
        f"\n{ENGINE_NAMES[result['engine']]}: gunicorn {arguments.workers} sync workers, debug off; wrk "
        f"{arguments.threads} threads, {arguments.connections} connections; {runs_text(arguments)} per page, "
        "medians shown"
    )
    header = (
        f"{'page':38} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} {'(runs)':>11} "
        f"{'CPU ms':>7} {'CPU ratio':>9} {'queries':>8}"
    )
    log(header)
    log("-" * len(header))
    log(
        f"{'floor (bare Django 5.2)':38} {floor['requests_per_second']:7.1f} {floor['p50_ms']:7.1f} "
        f"{floor['p99_ms']:7.1f} {1:5.2f}x {'':11} {floor['cpu_ms_per_request']:7.1f} {1:8.2f}x "
        f"{query_text(floor['queries']):>8}"
    )
    for row in result["pages"]:
        low, high = row["ratio_range"]
        log(
            f"{row['label']:38} {row['requests_per_second']:7.1f} {row['p50_ms']:7.1f} {row['p99_ms']:7.1f} "
            f"{row['ratio']:5.2f}x {f'{low:.2f}-{high:.2f}':>11} {row['cpu_ms_per_request']:7.1f} "
            f"{row['cpu_ratio']:8.2f}x {query_text(row['queries']):>8}"
        )
    log(f"floor runs: {', '.join(f'{rate:.0f}' for rate in floor_rates)} req/s")
    log(
        "CPU ms: server CPU time per request (gunicorn workers"
        + (", PostgreSQL backends" if result["engine"] == "postgres" else "")
        + "); CPU ratio: the floor's CPU ms over the page's.\n"
        "They move much less than req/s with other load on the machine."
    )
    for row in result["pages"]:
        if "posts_answered" in row:
            log(
                f"check-in POSTs answered: {row['posts_answered']}; check-in versions saved: "
                f"{row['checkin_versions_saved']} (a few more: POSTs still in flight when a run ended)"
            )
    memory = result["worker_rss_mb"]
    log(
        "gunicorn worker memory (RSS after the run): "
        f"app {', '.join(f'{value:.0f}' for value in memory['app'])} MB; "
        f"floor {', '.join(f'{value:.0f}' for value in memory['floor'])} MB"
    )
    log(f"{seed_text(arguments)}: {result['seed_seconds']:.1f} s (migrations {result['migrate_seconds']:.1f} s)")


def seed_text(arguments: argparse.Namespace) -> str:
    return f"seed_demo --patients {arguments.patients} --days {arguments.days} --caseload {arguments.caseload}"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", default="sqlite,postgres", help="Comma-separated: sqlite, postgres.")
    parser.add_argument(
        "--pages",
        default="today,sessions,checkin,caseload",
        help="Comma-separated: today, sessions, checkin, caseload.",
    )
    parser.add_argument("--duration", type=float, default=5, help="Seconds per measured run (default 5).")
    parser.add_argument("--rounds", type=int, default=3, help="Measured runs per page (default 3).")
    parser.add_argument("--warmup", type=float, default=2, help="Seconds of unmeasured load per page first.")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app (default 2).")
    parser.add_argument("--patients", type=int, default=500, help="Extra patients in the clinic (default 500).")
    parser.add_argument(
        "--caseload",
        type=int,
        default=None,
        help=f"How many of them are on demo-physio's caseload (default: all, up to {CASELOAD}).",
    )
    parser.add_argument("--days", type=int, default=365, help="Days of history per extra patient (default 365).")
    parser.add_argument("--quick", action="store_true", help="One 3 s run per page: a quick look, not figures.")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL (no database name)."
    )
    parser.add_argument(
        "--db-prefix",
        default=POSTGRES_DATABASE_PREFIX,
        help=f"PostgreSQL databases PREFIX and PREFIX_floor (default {POSTGRES_DATABASE_PREFIX}); "
        "they are dropped and made again, so give each run at the same time its own.",
    )
    parser.add_argument("--keep", action="store_true", help="Keep the temporary folder and databases afterwards.")
    parser.add_argument(
        "--redis",
        default="",
        help="Serve the app with REDIS_URL set to this (cache and sessions in Redis), e.g. redis://127.0.0.1:6379/0.",
    )
    arguments = parser.parse_args()
    if arguments.quick:
        arguments.duration, arguments.rounds, arguments.warmup = 3, 1, 1
    if arguments.caseload is None:
        arguments.caseload = min(arguments.patients, CASELOAD)
    arguments.engines = [name.strip() for name in arguments.engines.split(",") if name.strip()]
    arguments.pages = [name.strip() for name in arguments.pages.split(",") if name.strip()]
    unknown = [name for name in arguments.engines if name not in ENGINE_NAMES]
    unknown += [name for name in arguments.pages if name not in pages_for(arguments)]
    if unknown:
        parser.error(f"unknown engine or page: {', '.join(unknown)}")
    if not 0 <= arguments.caseload <= arguments.patients:
        parser.error("--caseload must be between 0 and --patients")
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,50}", arguments.db_prefix):
        parser.error("--db-prefix must be lower-case letters, digits and underscores")
    if arguments.threads > arguments.connections:
        parser.error("--threads cannot be more than --connections")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    # Ctrl-C and a plain kill both end in the finally blocks that stop the servers.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, signal.default_int_handler)
    results = []
    with contextlib.ExitStack() as stack:
        try:
            wrk = ensure_wrk()
            if "postgres" in arguments.engines:
                check_postgres(arguments.postgres)
            workdir = Path(tempfile.mkdtemp(prefix="tracker-load-"))
            if arguments.keep:
                stack.callback(log, f"Kept {workdir}")
            else:
                stack.callback(shutil.rmtree, workdir, ignore_errors=True)
            log(f"Load benchmark: load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs; files in {workdir}")
            for engine in arguments.engines:
                with contextlib.ExitStack() as engine_stack:
                    results.append(measure_engine(engine, wrk, workdir, arguments, engine_stack))
                # Each engine's table as soon as it is measured: a run stopped later keeps it.
                print_table(results[-1], arguments)
        except BenchError as error:
            sys.exit(f"Load benchmark stopped: {error}")
        except KeyboardInterrupt:
            sys.exit("Load benchmark interrupted; servers stopped.")
    RESULTS.mkdir(exist_ok=True)
    output = RESULTS / f"load-{datetime.now():%Y%m%d-%H%M%S}.json"
    names = (
        "engines",
        "pages",
        "duration",
        "rounds",
        "warmup",
        "connections",
        "threads",
        "workers",
        "patients",
        "days",
        "caseload",
        "db_prefix",
    )
    settings = {name: getattr(arguments, name) for name in names}
    output.write_text(json.dumps({"settings": settings, "results": results}, indent=2) + "\n")
    log(f"\nSaved {output.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
