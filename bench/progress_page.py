"""How long the patient's progress page takes for a year of history. Not a test: it measures.

    .venv/bin/python bench/progress_page.py            # a fresh SQLite database in a temporary folder
    .venv/bin/python bench/progress_page.py --runs 100 --keep

It builds the demo clinic plus one extra patient with 365 days of check-ins
and sessions (`seed_demo --patients 1 --days 365`), signs in as that patient
and requests the pages through Django's test client, so the time is server
time: middleware, queries and template rendering, without a network or a
browser. It prints the median and 95th percentile per page and range, and the
number of queries each takes. Set DATABASE_URL to measure another database
(it must be a throwaway one: the script migrates and seeds it).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

PAGES = {
    "progress, 4 weeks (default)": "/my/progress/",
    "progress, 12 weeks": "/my/progress/?weeks=12",
    "progress, 52 weeks": "/my/progress/?weeks=52",
    "history, first page": "/my/history/",
    "today": "/my/",
    "session log, today": "/my/sessions/",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="Timed requests per page (after 5 warm-up ones).")
    parser.add_argument("--days", type=int, default=365, help="Days of history for the measured patient.")
    parser.add_argument("--keep", action="store_true", help="Keep the temporary SQLite database and print its path.")
    arguments = parser.parse_args()

    folder = None
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="progress-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client

    from tracker.demo import EXTRA_PATIENT_PREFIX
    from tracker.models import CheckIn, SessionEntry, User

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", patients=1, days=arguments.days, verbosity=0)
    patient = User.objects.get(username=f"{EXTRA_PATIENT_PREFIX}00001")
    print(
        f"Database: {connection.vendor} ({settings.DATABASES['default']['NAME']}), built in "
        f"{time.perf_counter() - started:.1f}s; {patient.username} has "
        f"{CheckIn.objects.filter(patient=patient).count()} check-ins and "
        f"{SessionEntry.objects.filter(session__patient=patient).count()} exercise entries."
    )

    # No setup_test_environment(): its template instrumentation would add its
    # own cost to every render. The client only needs the test host allowed.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(patient)
    print(f"{'page':30} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KB':>6}")
    for name, url in PAGES.items():
        timings = []
        for run in range(arguments.runs + 5):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 200, (url, response.status_code)
            if run >= 5:
                timings.append(elapsed)
        reset_queries()
        connection.force_debug_cursor = True
        client.get(url)
        connection.force_debug_cursor = False
        print(
            f"{name:30} {statistics.median(timings):10.1f} {percentile(timings, 0.95):8.1f} "
            f"{len(connection.queries):8d} {len(response.content) / 1024:6.0f}"
        )
    if folder and arguments.keep:
        print(f"Kept {folder}/bench.sqlite3")
    elif folder:
        for file in Path(folder).iterdir():
            file.unlink()
        Path(folder).rmdir()


if __name__ == "__main__":
    main()
