from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AdminFactory, PhysiotherapistFactory
from tracker.audit.models import AuditAction, AuditOutcome
from tracker.audit.services import audit_record

pytestmark = pytest.mark.django_db


def _look(actor, patient, *, action=AuditAction.READ, outcome=AuditOutcome.ALLOWED, at=None):
    return audit_record(
        actor=actor, action=action, view_name="patient_detail", patient_id=patient.pk, outcome=outcome, at=at
    )


def test_a_clinician_who_opened_the_record_is_listed_with_name_and_role(client, clinic):
    clinic.linked_physio.first_name, clinic.linked_physio.last_name = "Priya", "Okafor"
    clinic.linked_physio.save()
    client.force_login(clinic.linked_physio)
    client.get(reverse("patient_detail", args=[clinic.patient_a.pk]))
    client.get(reverse("patient_report", args=[clinic.patient_a.pk]))

    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_record_views"))
    assert page.status_code == 200
    assert "Priya Okafor" in page.text
    assert "Physiotherapist" in page.text
    assert "Looked 2 times" in page.text


def test_the_patient_sees_one_line_per_person_and_day(client, clinic):
    for _ in range(5):
        _look(clinic.linked_doctor, clinic.patient_a)
    _look(clinic.linked_doctor, clinic.patient_a, action=AuditAction.CHANGE)
    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_record_views"))
    assert page.text.count(clinic.linked_doctor.display_name) == 1
    assert "Looked 5 times, made 1 change" in page.text
    assert "Doctor" in page.text


def test_their_own_visits_and_refused_attempts_are_not_listed(client, clinic):
    client.force_login(clinic.patient_a)
    client.get(reverse("my_progress"))
    _look(clinic.unlinked_physio, clinic.patient_a, outcome=AuditOutcome.REFUSED)
    page = client.get(reverse("my_record_views"))
    assert clinic.patient_a.display_name not in page.text.split("<main", 1)[1].split("</main>")[0]
    assert clinic.unlinked_physio.display_name not in page.text
    assert "Nobody at the clinic has looked at your record yet." in page.text


def test_another_patients_visitors_are_not_shown(client, clinic):
    other = PhysiotherapistFactory(first_name="Olwen", last_name="Strand")
    _look(other, clinic.patient_b)
    _look(clinic.linked_physio, clinic.patient_a)
    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_record_views"))
    assert "Olwen Strand" not in page.text
    assert clinic.patient_b.display_name not in page.text
    assert clinic.linked_physio.display_name in page.text


def test_staff_looking_through_the_admin_are_listed_as_clinic_staff(client, clinic):
    admin = AdminFactory(first_name="Rhea", last_name="Vance")
    _look(admin, clinic.patient_a)
    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_record_views"))
    assert "Rhea Vance" in page.text
    assert "Clinic staff" in page.text


def test_days_are_the_patients_own_and_newest_first(client, clinic):
    clinic.patient_a.time_zone = "Pacific/Auckland"
    clinic.patient_a.save()
    # 23:30 UTC on 1 March is already 2 March in Auckland.
    _look(clinic.linked_physio, clinic.patient_a, at=datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    _look(clinic.linked_physio, clinic.patient_a, at=datetime(2026, 2, 1, 9, 0, tzinfo=UTC))
    client.force_login(clinic.patient_a)
    text = client.get(reverse("my_record_views")).text
    assert "2 March 2026" in text
    assert "1 March 2026" not in text
    assert text.index("2 March 2026") < text.index("1 February 2026")


def test_the_page_is_linked_from_the_patients_home_and_security_pages(client, clinic):
    client.force_login(clinic.patient_a)
    link = reverse("my_record_views")
    assert link in client.get(reverse("patient_home")).text
    assert link in client.get(reverse("mfa_manage")).text


def test_the_list_is_one_query_however_many_visits(client, clinic):
    for clinician in (clinic.linked_physio, clinic.linked_doctor, clinic.linked_physio):
        _look(clinician, clinic.patient_a)
    client.force_login(clinic.patient_a)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("my_record_views"))
    reads = [query for query in queries.captured_queries if query["sql"].startswith("SELECT")]
    reads = [query for query in reads if "audit_auditevent" in query["sql"]]
    assert len(reads) == 1
