import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse

from tests.factories import PhysiotherapistFactory
from tracker.audit.export import HEADER
from tracker.audit.models import AuditAction, AuditOutcome
from tracker.audit.policy import can_review_clinic_audit
from tracker.audit.services import audit_record
from tracker.models import User

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def trail(clinic):
    physio_look = audit_record(
        actor=clinic.linked_physio,
        action=AuditAction.READ,
        view_name="patient_detail",
        patient_id=clinic.patient_a.pk,
        client_address="192.0.2.10",
        at=datetime.fromisoformat("2026-03-02T10:00:00+00:00"),
    )
    doctor_change = audit_record(
        actor=clinic.linked_doctor,
        action=AuditAction.CHANGE,
        view_name="clearance_record",
        patient_id=clinic.patient_a.pk,
        at=datetime.fromisoformat("2026-03-05T10:00:00+00:00"),
    )
    refused = audit_record(
        actor=clinic.unlinked_physio,
        action=AuditAction.READ,
        view_name="patient_detail",
        patient_id=clinic.patient_a.pk,
        outcome=AuditOutcome.REFUSED,
        at=datetime.fromisoformat("2026-03-06T10:00:00+00:00"),
    )
    other_patient = audit_record(
        actor=clinic.unlinked_physio,
        action=AuditAction.READ,
        view_name="patient_report",
        patient_id=clinic.patient_b.pk,
        at=datetime.fromisoformat("2026-03-07T10:00:00+00:00"),
    )
    return physio_look, doctor_change, refused, other_patient


def test_only_those_the_policy_allows_may_review(clinic):
    assert can_review_clinic_audit(clinic.admin)
    assert can_review_clinic_audit(clinic.manager)
    for name in ("patient_a", "linked_physio", "linked_doctor"):
        assert not can_review_clinic_audit(clinic.actor(name))


def test_a_clinic_manager_reviews_their_own_clinic_only(client, clinic, trail):
    other_look = audit_record(
        actor=clinic.other_clinic_manager,
        action=AuditAction.READ,
        view_name="patient_detail",
        patient_id=clinic.other_clinic_patient.pk,
    )
    client.force_login(clinic.manager)
    rows = _csv(client.get(reverse("audit_export")))
    assert {row["page_or_action"] for row in rows} >= {"patient_detail", "clearance_record"}
    assert str(clinic.other_clinic_patient.pk) not in {row["patient_id"] for row in rows}
    assert clinic.other_clinic_patient.last_name not in client.get(reverse("audit_review")).text
    assert all(clinic.other_clinic_manager.last_name not in " ".join(row.values()) for row in rows)

    client.force_login(clinic.other_clinic_manager)
    rows = _csv(client.get(reverse("audit_export")))
    # Besides its own look at its patient, only the manager's own visit to the trail (no patient).
    assert [(row["patient_id"], row["person_username"]) for row in rows if row["patient_id"]] == [
        (str(other_look.patient_id), clinic.other_clinic_manager.username)
    ]


def test_the_review_lists_the_trail_newest_first(admin_client, trail):
    page = admin_client.get(reverse("audit_review"))
    assert page.status_code == 200
    text = page.text
    assert text.index("patient_report") < text.index("clearance_record")
    assert "192.0.2.10" in text
    assert "Refused" in text


@pytest.mark.parametrize(
    ("query", "expected_views"),
    [
        ({"action": "change"}, {"clearance_record"}),
        ({"action": "refused"}, {"patient_detail"}),
        ({"start": "2026-03-05", "end": "2026-03-06"}, {"clearance_record", "patient_detail"}),
    ],
)
def test_the_export_follows_the_filters(admin_client, trail, query, expected_views):
    rows = _csv(admin_client.get(reverse("audit_export"), query))
    assert {row["page_or_action"] for row in rows} == expected_views


def test_filter_by_person_and_by_patient(admin_client, clinic, trail):
    # Names no one else in the clinic shares (the factories' random names can contain each other).
    User.objects.filter(pk=clinic.linked_doctor.pk).update(last_name="Quennell-Doctorow")
    User.objects.filter(pk=clinic.patient_b.pk).update(last_name="Zabriskie-Patient")
    clinic.linked_doctor.refresh_from_db()
    clinic.patient_b.refresh_from_db()
    rows = _csv(admin_client.get(reverse("audit_export"), {"person": clinic.linked_doctor.last_name}))
    assert [row["person_username"] for row in rows] == [clinic.linked_doctor.username]
    rows = _csv(admin_client.get(reverse("audit_export"), {"patient": clinic.patient_b.last_name}))
    assert [row["patient_id"] for row in rows] == [str(clinic.patient_b.pk)]


def test_the_csv_has_the_documented_header_and_one_row_per_event(admin_client, trail):
    response = admin_client.get(reverse("audit_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    lines = text.splitlines()
    assert lines[0].split(",") == HEADER
    # The four events, and the download itself (newest, first): the review is audited too.
    assert len(lines) == 1 + 4 + 1
    assert ",audit_export," in lines[1]


@pytest.mark.parametrize("first_name", ['=HYPERLINK("http://x")', "\uff1dSUM(A1)", "@cmd"])
def test_a_name_that_looks_like_a_formula_is_exported_as_text(admin_client, clinic, first_name):
    sneaky = PhysiotherapistFactory(first_name=first_name)
    audit_record(actor=sneaky, action=AuditAction.READ, view_name="patient_detail", patient_id=clinic.patient_a.pk)
    rows = _csv(admin_client.get(reverse("audit_export"), {"action": "read", "person": sneaky.username}))
    assert rows[0]["person"] == "'" + sneaky.get_full_name()


def test_bad_filters_are_explained_not_a_crash(admin_client, trail):
    page = admin_client.get(reverse("audit_review"), {"start": "0001-01-01", "end": "not a date", "person": "a\x00b"})
    assert page.status_code == 200
    assert "Choose a date between" in page.text
    assert "Enter a valid date." in page.text
    response = admin_client.get(reverse("audit_export"), {"start": "2026-03-09", "end": "2026-03-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.text


def test_the_menu_offers_the_review_only_to_reviewers(client, clinic):
    client.force_login(clinic.admin)
    assert reverse("audit_review") in client.get(reverse("mfa_manage")).text
    client.force_login(clinic.linked_physio)
    assert reverse("audit_review") not in client.get(reverse("mfa_manage")).text
