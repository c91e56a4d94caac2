"""The audit trail seen by the patient: a physiotherapist opens her record, and she sees it.

Then the clinic's staff member reviews the trail and finds the same visit.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import AdminFactory, CareTeamMembershipFactory, PatientFactory, PhysiotherapistFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_patient_sees_the_physiotherapist_who_opened_her_record(
    browser, live_server, sign_in, assert_accessible, desktop_page, phone_page
):
    patient = PatientFactory(first_name="Maren", last_name="Holt")
    physio = PhysiotherapistFactory(first_name="Idris", last_name="Fenwick")
    CareTeamMembershipFactory(patient=patient, clinician=physio)

    # The physiotherapist opens the patient's page at her desk.
    sign_in(desktop_page, physio)
    desktop_page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(desktop_page.get_by_role("heading", level=1)).to_contain_text("Maren Holt")

    # The patient, on her phone, finds "Who has looked at my record" from her start page.
    sign_in(phone_page, patient)
    phone_page.get_by_role("link", name="Who has looked at my record").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Who has looked at my record")
    row = phone_page.locator("tbody tr").first
    expect(row).to_contain_text("Idris Fenwick")
    expect(row).to_contain_text("Physiotherapist")
    expect(row).to_contain_text("Looked 1 time")
    assert_accessible(phone_page)


def test_staff_review_the_trail_filter_it_and_download_it(live_server, sign_in, assert_accessible, desktop_page):
    patient = PatientFactory(first_name="Maren", last_name="Holt")
    physio = PhysiotherapistFactory(first_name="Idris", last_name="Fenwick")
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    from tracker.audit.services import audit_record

    audit_record(actor=physio, action="read", view_name="patient_detail", patient_id=patient.pk)
    staff = AdminFactory(first_name="Rhea", last_name="Vance")

    page = desktop_page
    sign_in(page, staff)  # staff land in the Django admin; the app's own pages carry the menu link
    page.goto(live_server.url + reverse("mfa_manage"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_label("Staff member or user").fill("Fenwick")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("status")).to_contain_text("1 event")
    expect(page.locator("tbody tr").first).to_contain_text("Maren Holt")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as CSV").click()
    assert download.value.suggested_filename.startswith("audit-trail-")
