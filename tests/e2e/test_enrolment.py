"""Enrolment from scratch, without the admin: a physiotherapist invites a patient, who joins on a phone;
the doctor approves exercise, the physiotherapist prescribes, and the patient sees the program."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from routines.library import install_library
from tests.background import run_queued_tasks
from tracker.clinics.models import ConsentRecord
from tracker.models import User

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def test_a_physio_enrols_a_patient_who_joins_on_a_phone_and_sees_the_program(
    phone_page, desktop_page, clinic, live_server, sign_in, assert_accessible
):
    install_library()  # transactional tests start from an empty database
    clinician_page, patient_page = desktop_page, phone_page

    # The physiotherapist invites a new patient.
    sign_in(clinician_page, clinic.linked_physio)
    clinician_page.goto(f"{live_server.url}/clinic/invitations/")
    clinician_page.get_by_role("link", name="Invite a patient").click()
    assert_accessible(clinician_page)
    clinician_page.get_by_label("First name").fill("Nia")
    clinician_page.get_by_label("Last name").fill("Newton")
    clinician_page.get_by_label("E-mail").fill("nia.newton@example.org")
    clinician_page.get_by_label("Lower back (lumbar)").check()
    clinician_page.get_by_label("Date of birth").fill("1980-05-04")
    clinician_page.get_by_label("Phone").fill("07700 900123")
    clinician_page.get_by_label("Clinic patient id").fill("RS-1042")
    clinician_page.get_by_role("button", name="Send the invitation").click()
    expect(clinician_page.get_by_text("Invitation sent to nia.newton@example.org")).to_be_visible()
    expect(clinician_page.get_by_role("heading", name="Waiting (1)")).to_be_visible()
    assert_accessible(clinician_page)
    run_queued_tasks()  # the background worker sends the e-mail

    # The patient opens the link on their phone and joins.
    link = re.search(r"https?://\S+/join/\S+/", mail.outbox[-1].body).group(0)
    patient_page.goto(link)
    expect(patient_page.get_by_role("heading", name=re.compile("^Join "))).to_be_visible()
    assert_accessible(patient_page)
    expect(patient_page.get_by_label("First name")).to_have_value("Nia")
    patient_page.get_by_label("Choose a password").fill("bright-river-stone-42")
    patient_page.get_by_label("Type the password again").fill("bright-river-stone-42")
    patient_page.get_by_role("button", name=re.compile("^Join ")).click()
    expect(
        patient_page.locator(".field-error").get_by_text("Tick the box to accept the terms and privacy notice.")
    ).to_be_visible()
    patient_page.get_by_label("Choose a password").fill("bright-river-stone-42")
    patient_page.get_by_label("Type the password again").fill("bright-river-stone-42")
    patient_page.get_by_label("I accept the terms and privacy notice").check()
    patient_page.get_by_role("button", name=re.compile("^Join ")).click()
    expect(patient_page.get_by_text("Welcome, Nia. You are signed in.")).to_be_visible()
    assert patient_page.url == f"{live_server.url}/my/"
    assert patient_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    patient = User.objects.get(email="nia.newton@example.org")
    assert ConsentRecord.objects.filter(user=patient).count() == 1
    # ... and checks in the same day.
    patient_page.get_by_role("link", name="Check in for today").click()
    for question, answer in (("Back pain", "4"), ("Leg pain", "2"), ("Numbness or tingling", "Better")):
        patient_page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()
    patient_page.get_by_role("button", name="Save check-in").click()
    expect(patient_page.get_by_text("Your check-in for today is saved")).to_be_visible()

    # The physiotherapist adds the doctor to the new patient's care team.
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/")
    expect(clinician_page.get_by_role("link", name="07700 900123")).to_have_attribute("href", "tel:07700900123")
    clinician_page.get_by_role("link", name="Care team").click()
    clinician_page.get_by_label("Colleague").select_option(label=f"{clinic.linked_doctor.display_name} (Doctor)")
    clinician_page.get_by_role("button", name="Add to the care team").click()
    expect(clinician_page.get_by_text(f"{clinic.linked_doctor.display_name} is now on")).to_be_visible()
    assert_accessible(clinician_page)
    _sign_out(clinician_page)

    # The doctor approves exercise.
    sign_in(clinician_page, clinic.linked_doctor)
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/clearance/")
    clinician_page.get_by_label("Cleared for exercise").check()
    clinician_page.get_by_label("Lower back").check()
    clinician_page.get_by_label("General").check()
    clinician_page.get_by_role("button", name="Record decision").click()
    expect(clinician_page.get_by_text("Your decision is recorded.")).to_be_visible()
    _sign_out(clinician_page)

    # The physiotherapist prescribes.
    sign_in(clinician_page, clinic.linked_physio)
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/program/")
    select = clinician_page.get_by_label("Exercise", exact=True)
    option = select.locator("option", has_text=re.compile(r"^Glute bridge:"))
    select.select_option(value=option.get_attribute("value"))
    clinician_page.get_by_role("button", name="Add to program").click()
    expect(clinician_page.get_by_role("status")).to_contain_text("Glute bridge added to the program.")

    # The patient sees the program on their phone.
    patient_page.goto(f"{live_server.url}/my/exercises/")
    expect(patient_page.locator(".exercise-card", has_text="Glute bridge")).to_be_visible()
    assert_accessible(patient_page)
    assert patient_page.console_errors == []
