"""A patient's day on a phone: check in, log exercise with one tap, see it on the progress page."""

import re
import time

import pytest
from playwright.sync_api import expect

from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory
from tracker.models import CheckIn, EntryStatus, SessionEntry

pytestmark = pytest.mark.django_db(transaction=True)


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


def _program(patient):
    ClearanceFactory(patient=patient)
    return [
        AssignmentFactory(patient=patient, exercise=ExerciseFactory(name=name))
        for name in ("Morning bridge", "Gentle tilt")
    ]


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def test_a_patient_checks_in_logs_exercise_with_one_tap_and_sees_it_on_the_progress_page(
    phone_page, clinic, live_server, sign_in, assert_accessible
):
    page, patient = phone_page, clinic.patient_a
    _program(patient)
    sign_in(page, patient)
    started = time.monotonic()
    _check(page, assert_accessible)

    page.get_by_role("link", name="Check in for today").click()
    expect(page.get_by_role("heading", name="Check-in for today")).to_be_visible()
    _check(page, assert_accessible)
    _choose(page, "Back pain", "4")
    _choose(page, "Leg pain", "2")
    _choose(page, "Numbness or tingling", "Better")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_text("Your check-in for today is saved")).to_be_visible()
    expect(page.get_by_text("You checked in today")).to_be_visible()

    page.get_by_role("link", name="Log today's exercises").click()
    expect(page.get_by_text("0 of 2 exercises done.")).to_be_visible()
    _check(page, assert_accessible)
    page.get_by_role("button", name=re.compile("^Done as prescribed for Morning bridge")).click()
    card = page.locator(".exercise-card", has=page.get_by_role("heading", name="Morning bridge"))
    expect(card.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_text("1 of 2 exercises done.")).to_be_visible()
    assert page.url.endswith("/my/sessions/")  # htmx swapped the card in place
    _check(page, assert_accessible)
    assert time.monotonic() - started < 60

    page.get_by_role("link", name="My progress").click()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    pain_table = page.get_by_role("table", name="Pain scores, newest first")
    expect(pain_table.get_by_role("row").nth(1)).to_contain_text("4")
    expect(page.get_by_role("table", name="Exercises done each week, newest first")).to_contain_text("1")
    _check(page, assert_accessible)

    check_in = CheckIn.objects.get(patient=patient)
    assert (check_in.neck_back_pain, check_in.limb_pain, check_in.numbness) == (4, 2, "better")
    assert SessionEntry.objects.get().status == EntryStatus.DONE


def test_double_clicks_leave_one_check_in_and_one_entry_and_a_mistake_keeps_the_answers(
    phone_page, clinic, live_server, sign_in, assert_accessible
):
    page, patient = phone_page, clinic.patient_a
    _program(patient)
    sign_in(page, patient)
    page.goto(f"{live_server.url}/my/check-in/")

    # Forgetting a pain score: a clear message, and what was chosen is still chosen.
    _choose(page, "Back pain", "6")
    page.get_by_label("Anything else to tell your care team? (optional)").fill("Long drive yesterday")
    page.get_by_role("button", name="Save check-in").click()
    expect(page.get_by_role("alert").first).to_be_visible()
    expect(page.get_by_role("group", name="Leg pain")).to_contain_text("Choose a whole number from 0")
    expect(page.get_by_role("group", name="Back pain").get_by_role("radio", name="6")).to_be_checked()
    expect(page.get_by_label("Anything else to tell your care team? (optional)")).to_have_value("Long drive yesterday")
    _check(page, assert_accessible)

    _choose(page, "Leg pain", "3")
    page.get_by_role("button", name="Save check-in").dblclick()
    expect(page.get_by_text("Your check-in for today is saved")).to_be_visible()
    assert CheckIn.objects.filter(patient=patient).count() == 1

    page.goto(f"{live_server.url}/my/sessions/")
    page.get_by_role("button", name=re.compile("^Done as prescribed for Gentle tilt")).dblclick()
    expect(page.get_by_text("1 of 2 exercises done.")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert SessionEntry.objects.count() == 1
    _check(page, assert_accessible)
