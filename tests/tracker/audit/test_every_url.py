"""Every URL in the project, walked from the access matrix: each one about a patient leaves an audit row.

A new URL cannot be forgotten: the access matrix already fails until the URL
is in ROUTES, and then this test fails until its request is recorded against
the right patient, or the URL is named in tracker.audit.registry.NOT_PATIENT_DATA
with the reason it shows no one's record.
"""

import pytest
from django.urls import reverse

from tests.test_access_matrix import ROUTES, _url_names
from tracker.audit.models import AuditAction, AuditEvent, AuditOutcome
from tracker.audit.registry import NOT_PATIENT_DATA

pytestmark = pytest.mark.django_db

# Pages that list many patients or the trail itself, not one patient's record: recorded without a patient.
NOT_ABOUT_ONE_PATIENT = {
    "caseload",
    "audit_review",
    "audit_export",
    # People invited to the clinic are not patients yet: recorded with who looked, without a patient.
    "invitation_list",
    "invitation_new",
    "clinician_invite",
    "invitation_resend",
    "invitation_cancel",
    # The clinic's own pages (run by its manager) and the list of discharged patients, like the caseload.
    "clinic_edit",
    "clinician_list",
    "clinician_approve",
    "clinician_deactivate",
    "clinician_second_factors_reset",
    "discharged_list",
}
# Actions whose service writes its own row too (whose factors were reset, tracker.mfa.services).
ALSO_RECORDED_BY_ITS_SERVICE = {"clinician_second_factors_reset": "second_factors_reset"}
# Signed links anyone may open: the token in the link decides, not who is signed in (tests/tracker/clinics).
OPENED_BY_LINK = {"account_email_confirm", "reminder_unsubscribe"}
# Who tries each URL first: the patient or the clinician whose page it is.
PREFERRED = ("patient_a", "linked_physio", "linked_doctor", "admin", "patient_b", "unlinked_physio", "manager")
REFUSED_FIRST = ("unlinked_physio", "unlinked_doctor", "patient_b", "linked_doctor", "patient_a", "admin")


def _request(client, clinic, route, actor):
    user = clinic.actor(actor)
    client.force_login(user)
    url = reverse(route.name, kwargs=route.kwargs(clinic)) + route.query
    headers = {"HX-Request": "true"} if route.htmx else {}
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = getattr(client, route.method)(url, data=route.data(clinic), headers=headers)
    return user, response, list(AuditEvent.objects.filter(id__gt=before).order_by("id"))


def _expected_patient(clinic, route, user):
    if "patient_id" in route.kwargs(clinic):
        return clinic.patient_a.pk
    if user.is_patient:
        return user.pk
    return None


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: route.id)
def test_an_allowed_request_is_recorded_against_its_patient(client, clinic, route):
    actor = next(name for name in PREFERRED if name in route.allowed)
    user, response, rows = _request(client, clinic, route, actor)
    assert response.status_code < 400
    if route.name in NOT_PATIENT_DATA:
        assert rows == [], f"{route.name} shows no patient's record and is not audited"
        return
    if route.name in ALSO_RECORDED_BY_ITS_SERVICE:
        service_rows = [row for row in rows if row.view_name == ALSO_RECORDED_BY_ITS_SERVICE[route.name]]
        assert len(service_rows) == 1
        rows.remove(service_rows[0])
    assert len(rows) == 1, f"{route.id} by {actor} must leave exactly one audit row"
    row = rows[0]
    assert row.actor_id == user.pk
    assert row.view_name == route.name
    assert row.outcome == AuditOutcome.ALLOWED
    assert row.action == (AuditAction.READ if route.method == "get" else AuditAction.CHANGE)
    assert row.fragment is route.htmx
    assert row.client_address == "127.0.0.1"
    expected = _expected_patient(clinic, route, user)
    assert row.patient_id == expected
    if expected is None:
        assert route.name in NOT_ABOUT_ONE_PATIENT, (
            f"{route.id} is recorded without a patient: find the patient through tracker.selectors, "
            "name it patient_id in the URL, or list it in NOT_PATIENT_DATA with the reason"
        )


@pytest.mark.parametrize(
    "route",
    # Every audited URL is closed to someone signed in (tests/test_access_matrix.py says who).
    [route for route in ROUTES if route.name not in NOT_PATIENT_DATA and route.name not in OPENED_BY_LINK],
    ids=lambda route: route.id,
)
def test_a_refused_attempt_is_recorded_and_the_answer_reveals_nothing(client, clinic, route):
    refused = next(name for name in REFUSED_FIRST if name not in route.allowed)
    user, response, rows = _request(client, clinic, route, refused)
    assert response.status_code == 404
    assert len(rows) == 1
    assert rows[0].outcome == AuditOutcome.REFUSED
    assert rows[0].actor_id == user.pk
    if "patient_id" in route.kwargs(clinic):
        assert rows[0].patient_id == clinic.patient_a.pk


def test_the_list_of_unaudited_urls_names_only_urls_that_exist():
    from django.urls import get_resolver

    assert set(NOT_PATIENT_DATA) <= set(_url_names(get_resolver().url_patterns))


def test_anonymous_visitors_leave_no_row(client, clinic):
    response = client.get(reverse("patient_detail", args=[clinic.patient_a.pk]))
    assert response.status_code == 302
    assert not AuditEvent.objects.exists()


def test_the_client_address_is_the_one_the_trusted_proxy_recorded(client, clinic, settings):
    settings.TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(clinic.linked_physio)
    client.get(
        reverse("patient_detail", args=[clinic.patient_a.pk]),
        headers={"X-Forwarded-For": "198.51.100.7, 203.0.113.9"},
    )
    assert AuditEvent.objects.get().client_address == "203.0.113.9"


def test_a_made_up_forwarded_address_is_not_believed(client, clinic):
    client.force_login(clinic.linked_physio)
    client.get(
        reverse("patient_detail", args=[clinic.patient_a.pk]),
        headers={"X-Forwarded-For": "203.0.113.9"},
        REMOTE_ADDR="192.0.2.50",
    )
    assert AuditEvent.objects.get().client_address == "192.0.2.50"


def test_a_guess_at_an_id_that_does_not_exist_is_recorded_as_refused(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.get(reverse("patient_detail", args=[987654321]))
    assert response.status_code == 404
    row = AuditEvent.objects.get()
    assert (row.patient_id, row.outcome) == (987654321, AuditOutcome.REFUSED)


def test_an_id_too_big_for_any_table_is_recorded_without_a_patient(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.get(f"/patients/{10**30}/")
    assert response.status_code == 404
    assert AuditEvent.objects.get().patient_id is None


def test_while_the_database_is_down_nothing_is_recorded_and_the_patient_gets_the_outage_page(client, clinic):
    from tests.tracker.safety.faults import connection_drops_after

    client.force_login(clinic.patient_a)
    url = reverse("checkin", args=[clinic.patient_a.local_today().isoformat()])
    with connection_drops_after('INSERT INTO "tracker_checkin"'):
        response = client.post(
            url,
            {
                "neck_back_pain": "3",
                "limb_pain": "2",
                "numbness": "none",
                "weakness": "none",
                "extent": "same",
                "submission_token": "6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f",
            },
        )
    assert response.status_code == 503
    assert not AuditEvent.objects.exists()
