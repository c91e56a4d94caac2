"""The audit trail costs one query per request: its INSERT. Measured against the same page without it."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CheckInFactory
from tracker.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

AUDIT_MIDDLEWARE = "tracker.audit.middleware.AuditTrailMiddleware"


def _queries(client, method, url, data=None) -> int:
    getattr(client, method)(url, data or {})  # warm up: sessions, caches, first-request work
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {})
    assert response.status_code < 400
    return len(queries.captured_queries)


PAGES = [
    ("linked_physio", "get", lambda clinic: reverse("patient_detail", args=[clinic.patient_a.pk]), None),
    ("linked_doctor", "get", lambda clinic: reverse("patient_report", args=[clinic.patient_a.pk]), None),
    ("patient_a", "get", lambda clinic: reverse("my_progress"), None),
    ("patient_a", "get", lambda clinic: reverse("my_history"), None),
    (
        "linked_physio",
        "post",
        lambda clinic: reverse("note_create", args=[clinic.patient_a.pk]),
        {"body": "Seen today."},
    ),
]


@pytest.mark.parametrize(("actor", "method", "url", "data"), PAGES, ids=lambda value: getattr(value, "__name__", value))
def test_auditing_a_page_adds_exactly_one_query(clinic, settings, django_assert_num_queries, actor, method, url, data):
    for day in range(3):
        CheckInFactory(patient=clinic.patient_a, local_date=clinic.patient_a.local_today().replace(day=1 + day))
    audited = settings.MIDDLEWARE
    settings.MIDDLEWARE = [name for name in audited if name != AUDIT_MIDDLEWARE]
    client = Client()  # a client builds its middleware chain once, from the settings of the moment
    client.force_login(clinic.actor(actor))
    without = _queries(client, method, url(clinic), data)
    assert not AuditEvent.objects.exists()

    settings.MIDDLEWARE = audited
    client = Client()
    client.force_login(clinic.actor(actor))
    getattr(client, method)(url(clinic), data or {})
    rows_before = AuditEvent.objects.count()
    with django_assert_num_queries(without + 1) as queries:
        getattr(client, method)(url(clinic), data or {})
    assert AuditEvent.objects.count() == rows_before + 1
    inserts = [query for query in queries.captured_queries if query["sql"].startswith("INSERT INTO")]
    assert sum("audit_auditevent" in query["sql"] for query in inserts) == 1
