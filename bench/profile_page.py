"""Profile one page in-process with pyinstrument, production settings (debug off), against a seeded database.

    export DATABASE_URL=sqlite:////tmp/bench.sqlite3   # migrated and seeded: seed_demo --patients 500 --days 365
    .venv/bin/python bench/profile_page.py /my/ --user demo-patient-active --runs 200
    .venv/bin/python bench/profile_page.py /caseload/ --user demo-physio --runs 50 --html /tmp/caseload.html

Requests go through Django's test client (every middleware, the session, the
queries and the templates; no network). It prints the queries of one request
(set --sql to see them), the median time and pyinstrument's call tree.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
STATIC = Path(tempfile.gettempdir()) / "tracker-profile-static"
os.environ.update(
    DJANGO_SETTINGS_MODULE="load_app_settings",
    LOAD_BENCH_STATIC_ROOT=str(STATIC),
    DJANGO_DEBUG="false",
    DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "profile-only-" + "x" * 50),
    DJANGO_ALLOWED_HOSTS="testserver",
    DJANGO_SECURE_SSL_REDIRECT="false",
    DJANGO_LOG_LEVEL="WARNING",
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", required=True)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--html", help="write pyinstrument's HTML report here")
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from load_helper import signed_in_session
    from pyinstrument import Profiler

    if not (STATIC / "staticfiles.json").exists():
        call_command("collectstatic", "--noinput", "--verbosity", "0")
    session = signed_in_session(arguments.user)
    client = Client()
    client.cookies[session["cookie"]] = session["key"]
    response = client.get(arguments.path)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(arguments.path)
    print(f"{len(queries)} queries")
    if arguments.sql:
        for query in queries:
            print("  ", query["sql"][:300])
    timings = []
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(arguments.runs):
        started = time.perf_counter()
        client.get(arguments.path)
        timings.append((time.perf_counter() - started) * 1000)
    profiler.stop()
    print(f"median {statistics.median(timings):.2f} ms over {arguments.runs} runs")
    if arguments.html:
        Path(arguments.html).write_text(profiler.output_html())
    print(profiler.output_text(unicode=False, color=False, show_all=False))


if __name__ == "__main__":
    main()
