"""/healthz: for the load balancer and the clinic's monitoring; counts and times only, no one named."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tests.factories import FlagFactory
from tracker.jobs.models import WorkerHeartbeat
from tracker.models import Severity

pytestmark = pytest.mark.django_db


def beat(seconds_ago: int) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        worker_id="w1", hostname="app-1", pid=1, started_at=now, last_seen_at=now - timedelta(seconds=seconds_ago)
    )


def test_all_is_well_with_a_live_worker_and_nothing_waiting(client):
    beat(seconds_ago=2)
    response = client.get(reverse("healthz"))
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"]
    assert body["worker"]["ok"]
    assert body["worker"]["seconds_ago"] == 2
    assert response["Cache-Control"].startswith("max-age=0")


def test_no_live_worker_is_reported_as_degraded_but_the_app_can_still_serve(client):
    beat(seconds_ago=3600)
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["worker"]["ok"] is False


def test_an_emergency_whose_care_team_was_not_reached_is_counted_without_naming_anyone(client):
    beat(seconds_ago=1)
    flag = FlagFactory(severity=Severity.EMERGENCY, rule_id="emergency.cauda_equina")
    flag.__class__.objects.filter(pk=flag.pk).update(opened_at=timezone.now() - timedelta(minutes=11))
    response = client.get(reverse("healthz"))
    body = response.content.decode()
    assert response.json()["status"] == "degraded"
    assert response.json()["flags"]["care_team_not_yet_reached"] == 1
    assert flag.patient.last_name not in body
    assert flag.patient.username not in body


def test_a_database_that_cannot_be_reached_answers_503(client, monkeypatch):
    def down(self, sql, params=None):
        raise OperationalError("could not connect")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", down)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "down"


def test_the_cache_and_migrations_are_reported(client):
    beat(seconds_ago=1)
    body = client.get(reverse("healthz")).json()
    assert body["cache"]["ok"] is True
    assert body["cache"]["backend"] == "LocMemCache"
    assert body["migrations"] == {"ok": True, "pending": 0}


def test_a_cache_that_cannot_be_reached_answers_503(client, monkeypatch):
    beat(seconds_ago=1)

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("Connection refused")

    monkeypatch.setattr("django.core.cache.backends.locmem.LocMemCache.set", refused)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "down"
    assert response.json()["cache"] == {"ok": False, "backend": "LocMemCache", "error": "ConnectionRefusedError"}


def test_a_pending_migration_answers_503_and_names_it(client, monkeypatch):
    from tracker.health import checks

    beat(seconds_ago=1)
    monkeypatch.setattr(checks, "_migrations_applied", False)
    monkeypatch.setattr(
        "django.db.migrations.executor.MigrationExecutor.migration_plan",
        lambda self, targets: [(type("M", (), {"app_label": "tracker", "name": "0099_new_column"})(), False)],
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["migrations"] == {"ok": False, "pending": 1, "names": ["tracker.0099_new_column"]}
