"""Start-up reads its settings from the environment and refuses bad ones by name."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup();"
    "print(json.dumps({name: str(getattr(settings, name, None)) for name in %r}))"
)


def clean_environment() -> dict[str, str]:
    """This shell's environment without the app's settings, which each test then sets."""
    kept = {
        key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_"))
    }
    return {**kept, "DJANGO_SETTINGS_MODULE": "tracker.settings"}


def start(env: dict[str, str], names=("DEBUG",)) -> subprocess.CompletedProcess:
    clean = {**clean_environment(), **env}
    return subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS % (list(names),)],
        cwd=PROJECT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "tracker.example.org"}


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"DJANGO_DEBUG": "false", "DJANGO_ALLOWED_HOSTS": "a.example"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "s" * 50}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG"),
        ({**PRODUCTION, "DATABASE_URL": "not a url"}, "DATABASE_URL"),
        ({**PRODUCTION, "EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({**PRODUCTION, "CLINIC_TIME_ZONE": "Mars/Olympus"}, "CLINIC_TIME_ZONE"),
        ({**PRODUCTION, "SITE_URL": "tracker.example.org"}, "SITE_URL"),
    ],
)
def test_a_missing_or_malformed_setting_stops_start_up_naming_it(env, named):
    result = start(env)
    assert result.returncode != 0
    assert named in result.stderr


@pytest.mark.parametrize("command", [["check"], ["makemigrations", "--check", "--dry-run"], ["migrate"]])
def test_manage_py_reports_a_configuration_error_in_one_line(command):
    # A bare environment, as a fresh shell on a server has: with a fuller one,
    # Django happened to surface the error itself and hid the traceback.
    env = {"PATH": os.environ["PATH"], "HOME": str(Path.home())}
    result = subprocess.run(
        [sys.executable, "manage.py", *command],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stderr.strip().startswith("Configuration error: DJANGO_SECRET_KEY is required")
    assert "Traceback" not in result.stderr


def test_the_default_database_is_an_sqlite_file_in_the_project_folder_in_wal_mode(tmp_path):
    code = (
        "import django; django.setup(); from django.db import connection; from django.conf import settings;"
        "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode');"
        "print(settings.DATABASES['default']['NAME']); print(cursor.fetchone()[0])"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tracker.settings", "DJANGO_DEBUG": "true"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    name, journal_mode = result.stdout.split()
    assert Path(name) == PROJECT / "db.sqlite3"
    assert journal_mode == "wal"


def test_a_postgres_url_selects_postgresql():
    result = start({**PRODUCTION, "DATABASE_URL": "postgres://clinic@db.internal:5432/tracker"}, names=["DATABASES"])
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert "'NAME': 'tracker'" in result.stdout


def test_production_settings_make_cookies_secure_and_turn_on_hsts():
    names = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS"]
    result = start(PRODUCTION, names=names)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["SESSION_COOKIE_SECURE"] == "True"
    assert values["CSRF_COOKIE_SECURE"] == "True"
    assert values["SESSION_COOKIE_HTTPONLY"] == "True"
    assert int(values["SECURE_HSTS_SECONDS"]) >= 31536000


def test_email_goes_to_the_console_unless_configured():
    result = start(PRODUCTION, names=["EMAIL_BACKEND"])
    assert json.loads(result.stdout)["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    result = start({**PRODUCTION, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}, ["EMAIL_BACKEND"])
    assert json.loads(result.stdout)["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_without_redis_the_cache_is_local_and_sessions_stay_in_the_database():
    result = start({"DJANGO_DEBUG": "true"}, names=("CACHES", "SESSION_ENGINE"))
    values = json.loads(result.stdout)
    assert "LocMemCache" in values["CACHES"]
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_in_production_without_redis_every_worker_reads_the_same_cache(tmp_path):
    """Several gunicorn workers must see one cache: a page piece's new version set by one is seen by the next."""
    database = {**PRODUCTION, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    writer = (
        "import django; django.setup();"
        "from tracker.pagecache.cache_table import create_cache_table; create_cache_table(using='default');"
        "from tracker.pagecache.versions import version; print(version(7))"
    )
    reader = "import django; django.setup(); from tracker.pagecache.versions import version; print(version(7))"
    outputs = []
    for code in (writer, reader):
        result = subprocess.run(
            [sys.executable, "-c", code],
            cwd=PROJECT,
            env={**clean_environment(), **database},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout.strip())
    assert outputs[0] == outputs[1]
    assert "DatabaseCache" in json.loads(start(database, names=("CACHES",)).stdout)["CACHES"]


def test_with_redis_the_cache_and_sessions_live_there():
    result = start(
        {"DJANGO_DEBUG": "true", "REDIS_URL": "redis://redis.internal:6379/2"}, names=("CACHES", "SESSION_ENGINE")
    )
    values = json.loads(result.stdout)
    assert "tracker.pagecache.backends.RedisCache" in values["CACHES"]
    assert "redis://redis.internal:6379/2" in values["CACHES"]
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_a_redis_url_that_is_not_one_is_refused_by_name():
    result = start({"DJANGO_DEBUG": "true", "REDIS_URL": "localhost:6379"})
    assert result.returncode != 0
    assert "REDIS_URL must start with redis://" in result.stderr


def test_production_on_postgresql_uses_the_pool_without_persistent_connections():
    result = start({**PRODUCTION, "DATABASE_URL": "postgres://u@db.internal:5432/tracker"}, names=("DATABASES",))
    database = json.loads(result.stdout)["DATABASES"]
    assert "'pool': {'min_size': 1, 'max_size': 4" in database
    assert "'CONN_MAX_AGE': 0" in database


def test_the_pool_can_be_turned_off():
    env = {**PRODUCTION, "DATABASE_URL": "postgres://u@db.internal:5432/tracker", "DATABASE_POOL": "false"}
    database = json.loads(start(env, names=("DATABASES",)).stdout)["DATABASES"]
    assert "pool" not in database
    assert "'CONN_MAX_AGE': 60" in database
