"""The doctor's approval unlocks the program, the physiotherapist builds it, the patient follows it.

Clinicians work at a desktop; the patient reads their exercises on a phone.
"""

import re

import pytest
from playwright.sync_api import expect

from routines.library import install_library

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state("networkidle")


def _choose(select, exercise_name: str) -> None:
    option = select.locator("option", has_text=re.compile(rf"^{re.escape(exercise_name)}:"))
    select.select_option(value=option.get_attribute("value"))


def _row(page, exercise_name: str):
    return page.locator(".program-row").filter(has=page.get_by_role("heading", name=re.compile(f"^{exercise_name}")))


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


def test_approval_unlocks_the_program_and_withdrawing_it_locks_it_again(
    phone_page, desktop_page, clinic, live_server, sign_in, assert_accessible
):
    install_library()  # transactional tests start from an empty database
    patient = clinic.patient_a
    patient_page, clinician_page = phone_page, desktop_page

    # Before approval the patient sees why the exercises are locked and what helps meanwhile.
    sign_in(patient_page, patient)
    patient_page.goto(f"{live_server.url}/my/exercises/")
    expect(patient_page.get_by_role("heading", name="Your exercises are locked for now")).to_be_visible()
    expect(patient_page.get_by_text("only once your doctor says yes")).to_be_visible()
    _check(patient_page, assert_accessible)
    patient_page.get_by_role("link", name="Activities to avoid while you heal").click()
    expect(patient_page.get_by_role("heading", name="Heavy lifting, including weights at the gym")).to_be_visible()
    _check(patient_page, assert_accessible)

    # The doctor clears the lower back and general exercise, with a restriction.
    sign_in(clinician_page, clinic.linked_doctor)
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/clearance/")
    _check(clinician_page, assert_accessible)
    clinician_page.get_by_label("Cleared with restrictions").check()
    clinician_page.get_by_label("Lower back").check()
    clinician_page.get_by_label("General").check()
    clinician_page.get_by_label("Restrictions", exact=True).fill("No lifting anything heavier than a kettle.")
    clinician_page.get_by_role("button", name="Record decision").click()
    expect(clinician_page.get_by_text("Your decision is recorded.")).to_be_visible()
    expect(clinician_page.get_by_role("cell", name="In force")).to_be_visible()
    _check(clinician_page, assert_accessible)
    _sign_out(clinician_page)

    # The physiotherapist builds the program; each action updates the list in place (htmx).
    sign_in(clinician_page, clinic.linked_physio)
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/program/")
    expect(clinician_page.get_by_text("No lifting anything heavier than a kettle.").first).to_be_visible()
    _check(clinician_page, assert_accessible)
    clinician_page.evaluate("window.notReloaded = true")
    exercise_select = clinician_page.get_by_label("Exercise", exact=True)
    assert exercise_select.locator("option", has_text="Chin tuck").get_attribute("disabled") is not None
    for name in ("Glute bridge", "Pelvic tilt", "Walking"):
        _choose(exercise_select, name)
        clinician_page.get_by_role("button", name="Add to program").click()
        expect(clinician_page.get_by_role("status")).to_contain_text(f"{name} added to the program.")
    _choose(clinician_page.get_by_label("Exercise", exact=True), "Belly to spine")
    clinician_page.locator(".add-exercise").get_by_label("Repetitions").fill("1000")
    clinician_page.get_by_role("button", name="Add to program").click()
    expect(clinician_page.locator(".field-error", has_text="Repetitions must be between 1 and 50.")).to_be_visible()
    expect(clinician_page.locator(".add-exercise").get_by_label("Repetitions")).to_have_value("1000")
    bridge = _row(clinician_page, "Glute bridge")
    bridge.locator("summary", has_text="Change dose").click()
    bridge.get_by_label("Sets").fill("2")
    bridge.get_by_role("button", name="Save dose for Glute bridge").click()
    expect(clinician_page.get_by_role("status")).to_contain_text("Dose of Glute bridge changed.")
    expect(_row(clinician_page, "Glute bridge")).to_contain_text("2 sets of 10, hold each for 5 seconds, every day")
    walking = _row(clinician_page, "Walking")
    walking.locator("summary", has_text="Pause").click()
    walking.get_by_label("Why pause it?").fill("Wait until the leg pain settles.")
    walking.get_by_role("button", name="Pause Walking").click()
    expect(_row(clinician_page, "Walking")).to_contain_text("Paused by the physiotherapist")
    assert clinician_page.evaluate("window.notReloaded") is True
    _check(clinician_page, assert_accessible)
    _sign_out(clinician_page)

    # The patient now sees the exercises, their steps and dose, and the doctor's limits.
    patient_page.goto(f"{live_server.url}/my/exercises/")
    expect(patient_page.get_by_role("heading", name=re.compile("Your doctor has approved exercise"))).to_be_visible()
    bridge_card = patient_page.locator(".exercise-card", has_text="Glute bridge")
    expect(bridge_card).to_contain_text("2 sets of 10, hold each for 5 seconds, every day")
    expect(bridge_card).to_contain_text("How this helps:")
    expect(bridge_card.get_by_role("listitem").first).to_be_visible()
    expect(patient_page.get_by_text("No lifting anything heavier than a kettle.").first).to_be_visible()
    expect(patient_page.locator(".exercise-card", has_text="Walking")).to_have_count(0)
    expect(patient_page.get_by_text("Wait until the leg pain settles.")).to_be_visible()
    no_sideways_scroll = patient_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert no_sideways_scroll
    _check(patient_page, assert_accessible)

    # The doctor withdraws the approval: the patient's page is locked again at once.
    sign_in(clinician_page, clinic.linked_doctor)
    clinician_page.goto(f"{live_server.url}/patients/{patient.pk}/clearance/")
    clinician_page.get_by_text("Withdraw this approval").click()
    clinician_page.get_by_label("Why is the approval withdrawn?").fill("New numbness in the left foot.")
    clinician_page.get_by_role("button", name="Withdraw approval").click()
    expect(clinician_page.get_by_text("Approval withdrawn.")).to_be_visible()
    _check(clinician_page, assert_accessible)

    patient_page.reload()
    expect(patient_page.get_by_role("heading", name="Your exercises are locked for now")).to_be_visible()
    expect(patient_page.get_by_text("New numbness in the left foot.")).to_be_visible()
    expect(patient_page.get_by_text("Glute bridge")).to_have_count(0)
    _check(patient_page, assert_accessible)
