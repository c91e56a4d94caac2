"""A warning sign in the check-in: the patient is told at once, the care team acts on it."""

import pytest
from playwright.sync_api import expect

from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory
from tracker.models import Flag, FlagStatus

pytestmark = pytest.mark.django_db(transaction=True)


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


def test_a_bladder_problem_brings_the_emergency_message_and_the_physio_resolves_it(
    phone_page, desktop_page, clinic, live_server, sign_in, assert_accessible
):
    patient, physio = clinic.patient_a, clinic.linked_physio
    ClearanceFactory(patient=patient)
    AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Morning bridge"))

    # The patient checks in on a phone and ticks the bladder question.
    page = phone_page
    sign_in(page, patient)
    page.get_by_role("link", name="Check in for today").click()
    page.get_by_role("group", name="Back pain").get_by_text("3", exact=True).click()
    page.get_by_role("group", name="Leg pain").get_by_text("2", exact=True).click()
    page.get_by_label("New trouble controlling my bladder or bowels").check()
    page.get_by_role("button", name="Save check-in").click()

    emergency = page.get_by_role("alert").filter(has_text="Get emergency care now")
    expect(emergency).to_be_visible()
    expect(emergency).to_contain_text("a change in how your bladder or bowel works")
    expect(emergency).to_contain_text("Call 999, or go to the nearest emergency department")
    expect(emergency.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(page.get_by_text("Your exercises are on hold for now.")).to_be_visible()
    expect(page.get_by_role("link", name="Log today's exercises")).to_have_count(0)
    _check(page, assert_accessible)

    # The physiotherapist sees the patient's card in the inbox on their home page, marks it as seen,
    # then resolves the alert on the patient's page.
    clinician = desktop_page
    sign_in(clinician, physio)
    card = clinician.locator(".inbox-card", has_text=patient.display_name)
    expect(card).to_contain_text("Emergency")
    expect(card).to_contain_text("Bladder, bowel or saddle numbness")
    _check(clinician, assert_accessible)
    card.get_by_role("button", name="Mark all seen").click()
    expect(card).to_contain_text(f"Seen by {physio.display_name}")
    assert clinician.url == f"{live_server.url}/caseload/"  # htmx swapped the card in place
    card.get_by_role("link", name="Open and resolve").click()
    alert = clinician.locator(".alert-row", has_text="Bladder, bowel or saddle numbness")
    alert.get_by_text("Resolve…").click()
    alert.get_by_label("What did you do or decide?").fill("Phoned: sent to A&E, cauda equina ruled out.")
    alert.get_by_role("button", name="Resolve", exact=True).click()
    expect(alert).to_contain_text("Resolved")
    expect(alert).to_contain_text("cauda equina ruled out")
    _check(clinician, assert_accessible)

    flag = Flag.objects.get(patient=patient)
    assert (flag.status, flag.acknowledged_by, flag.resolved_by) == (FlagStatus.RESOLVED, physio, physio)

    # Back on the phone: the message is gone and the exercises are open again.
    page.reload()
    expect(page.get_by_role("heading", name="Get emergency care now")).to_have_count(0)
    expect(page.get_by_role("link", name="Log today's exercises")).to_be_visible()
    _check(page, assert_accessible)
