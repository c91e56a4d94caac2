"""How long the caseload dashboard takes to build, on whatever database DATABASE_URL names.

Not a test: it measures. Load a big clinic first, then run this, e.g.

    export DJANGO_DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --patients 500 --days 365
    .venv/bin/python bench/dashboard.py

It signs in as the demo physiotherapist (whose caseload holds every extra
patient) and requests the dashboard through Django's test client, so the time
is server time: middleware, queries, sorting and template rendering, without a
network or a browser. It prints the median and 95th percentile per variant.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
os.environ.setdefault("DJANGO_DEBUG", "true")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tracker.models import User  # noqa: E402
from tracker.selectors import patients_visible_to  # noqa: E402

VARIANTS = {
    "default (needs attention)": "",
    "sorted by 7-day pain": "?sort=pain",
    "flagged only": "?show=flagged",
    "not logging, lower back": "?show=not_logging&region=lower_back",
    "search by name": "?q=00042",
    "page 10": "?page=10",
    "htmx results fragment": "",
}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="Timed requests per variant (after 3 warm-up ones).")
    parser.add_argument("--user", default="demo-physio", help="The clinician to sign in as.")
    arguments = parser.parse_args()

    setup_test_environment()  # lets the test client run against this database
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clinician = User.objects.get(username=arguments.user)
    caseload_size = patients_visible_to(user=clinician).count()
    client = Client()
    client.force_login(clinician)
    database = f"{connection.vendor} ({settings.DATABASES['default']['NAME']})"
    print(f"Database: {database}; {clinician.username} has {caseload_size} patients.")
    print(f"{'variant':32} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, query in VARIANTS.items():
        headers = {"HX-Request": "true"} if "htmx" in name else {}
        timings = []
        for run in range(arguments.runs + 3):
            reset_queries()
            connection.force_debug_cursor = True
            started = time.perf_counter()
            response = client.get(f"/caseload/{query}", headers=headers)
            elapsed = (time.perf_counter() - started) * 1000
            connection.force_debug_cursor = False
            assert response.status_code == 200, response.status_code
            if run >= 3:
                timings.append(elapsed)
        queries = len(connection.queries)
        print(f"{name:32} {statistics.median(timings):10.1f} {percentile(timings, 0.95):8.1f} {queries:8d}")


if __name__ == "__main__":
    main()
