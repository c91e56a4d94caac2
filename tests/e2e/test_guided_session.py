"""A patient follows a guided session on a phone: pictures, steps, timers, done or skip, saved entries.

The timers run at GUIDED_TIMER_SCALE (set small here), so a whole session of
holds, taps, rests and a 15-minute walk takes a few seconds.
"""

import re

import pytest
from playwright.sync_api import expect

from routines.library import install_library
from routines.models import Exercise
from tests.e2e.conftest import CHROMIUM_ARGS, VIEWPORTS
from tests.factories import AssignmentFactory, ClearanceFactory
from tracker.models import EntryStatus, SessionEntry

pytestmark = pytest.mark.django_db(transaction=True)

# Counts what the page asks the phone to vibrate; set before any page script runs.
RECORD_VIBRATION = (
    "window.vibrations = []; navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };"
)


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


def _choose(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_text(answer, exact=True).click()


def _prescribe(patient, slug: str, **dose):
    return AssignmentFactory(patient=patient, exercise=Exercise.objects.get(slug=slug), **dose)


@pytest.fixture
def session_program(clinic, settings):
    settings.GUIDED_TIMER_SCALE = 0.002
    install_library()  # transactional tests start from an empty database
    patient = clinic.patient_a
    ClearanceFactory(patient=patient)
    return {
        "bridge": _prescribe(patient, "glute-bridge", sets=1, reps=4, hold_seconds=5),
        "leg_lift": _prescribe(patient, "side-leg-lift", sets=1, reps=3, hold_seconds=0),
        "walking": _prescribe(patient, "walking", sets=1, reps=None, hold_seconds=0, minutes=15),
        "chin_tuck": _prescribe(patient, "chin-tuck", sets=1, reps=10, hold_seconds=5),
    }


def test_a_patient_runs_a_whole_guided_session_on_a_phone(
    phone_page, clinic, live_server, sign_in, assert_accessible, session_program
):
    page, patient = phone_page, clinic.patient_a
    page.add_init_script(RECORD_VIBRATION)
    sign_in(page, patient)
    expect(page.get_by_text("Nothing logged yet this week.")).to_be_visible()
    page.get_by_role("link", name="Start a guided session").click()
    expect(page.get_by_role("heading", name="Guided session")).to_be_visible()
    _check(page, assert_accessible)
    page.get_by_role("link", name="Start with Glute bridge").click()

    # 1. Glute bridge: pictures and steps, pain before, the hold countdown counts the repetitions.
    expect(page.get_by_text("Exercise 1 of 4")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Lying on the back with knees bent"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("^Hips lifted off the floor"))).to_be_visible()
    expect(page.get_by_text("Slowly lift your hips off the floor.")).to_be_visible()
    timer = page.locator("#guided-timer")
    expect(timer).to_be_visible()
    _check(page, assert_accessible)
    _choose(page, "Pain before", "3")
    page.get_by_label("Vibrate (on phones that can)").check()
    timer.get_by_role("button", name="Start", exact=True).click()
    expect(timer).to_have_attribute("data-state", "finished")
    expect(timer.locator("[data-role='phase']")).to_have_text(re.compile("^All done. Well done."))
    expect(timer.get_by_role("status")).to_have_text(re.compile("^All done. Well done."))
    assert page.evaluate("window.vibrations.length") == 4  # once at the end of each hold
    _check(page, assert_accessible)
    _choose(page, "Pain after", "2")
    page.get_by_role("button", name="Done, next exercise").click()

    # 2. Side leg lift: nothing is held, so the patient taps each repetition, side by side, with a rest.
    expect(page.get_by_text("Saved: Glute bridge, done.")).to_be_visible()
    expect(page.get_by_text("Exercise 2 of 4")).to_be_visible()
    timer.get_by_role("button", name="Start", exact=True).click()
    for _ in range(3):
        timer.get_by_role("button", name="I did one").click()
    expect(timer.get_by_role("button", name="I did one")).to_be_visible()  # after the rest: the other side
    expect(timer.locator("[data-role='tally']")).to_contain_text("other side")
    for _ in range(3):
        timer.get_by_role("button", name="I did one").click()
    expect(timer).to_have_attribute("data-state", "finished")
    _check(page, assert_accessible)
    page.get_by_role("button", name="Done, next exercise").click()

    # 3. Walking: a countdown of the minutes.
    expect(page.get_by_text("Exercise 3 of 4")).to_be_visible()
    timer.get_by_role("button", name="Start", exact=True).click()
    expect(timer).to_have_attribute("data-state", "finished", timeout=15_000)
    page.get_by_role("button", name="Done, next exercise").click()

    # 4. Chin tuck: skipped today.
    expect(page.get_by_text("Exercise 4 of 4")).to_be_visible()
    page.get_by_role("button", name="Skip this one").click()

    expect(page.get_by_role("heading", name="Session finished")).to_be_visible()
    expect(page.get_by_text("3 of 4 exercises done.")).to_be_visible()
    expect(page.get_by_text("Glute bridge: pain 3 before, 2 after")).to_be_visible()
    expect(page.get_by_text("1 of 7 days")).to_be_visible()
    _check(page, assert_accessible)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    entries = {entry.assignment_id: entry for entry in SessionEntry.objects.filter(session__patient=patient)}
    bridge = entries[session_program["bridge"].pk]
    assert (bridge.status, bridge.sets_done, bridge.reps_done, bridge.hold_seconds_done) == (EntryStatus.DONE, 1, 4, 5)
    assert (bridge.pain_before, bridge.pain_after) == (3, 2)
    leg_lift = entries[session_program["leg_lift"].pk]
    assert (leg_lift.status, leg_lift.sets_done, leg_lift.reps_done) == (EntryStatus.DONE, 1, 3)
    walking = entries[session_program["walking"].pk]
    assert (walking.status, walking.minutes_done) == (EntryStatus.DONE, 15)
    chin_tuck = entries[session_program["chin_tuck"].pk]
    assert (chin_tuck.status, chin_tuck.reps_done) == (EntryStatus.SKIPPED, None)
    assert {entry.session.local_date for entry in entries.values()} == {patient.local_today()}


def test_stopping_part_way_fills_in_what_was_done(
    phone_page, clinic, live_server, sign_in, assert_accessible, session_program, settings
):
    # Real time for this test: the first hold lasts 5 seconds, so "Stop here" comes mid-way.
    settings.GUIDED_TIMER_SCALE = 1
    page = phone_page
    sign_in(page, clinic.patient_a)
    page.goto(f"{live_server.url}/my/guided/")
    page.get_by_role("link", name="Glute bridge", exact=True).click()
    page.get_by_label("Vibrate (on phones that can)").uncheck()
    timer = page.locator("#guided-timer")
    expect(timer).to_have_attribute("data-scale", "1")
    timer.get_by_role("button", name="Start", exact=True).click()
    expect(timer.locator("[data-role='phase']")).to_have_text("Hold. Repetition 1 of 4.")
    timer.get_by_role("button", name="Pause").click()
    expect(timer).to_have_attribute("data-state", "paused")
    count = timer.locator("[data-role='count']").inner_text()
    page.wait_for_timeout(1200)
    assert timer.locator("[data-role='count']").inner_text() == count  # paused means paused
    timer.get_by_role("button", name="Carry on").click()
    timer.get_by_role("button", name="Stop here").click()
    expect(timer).to_have_attribute("data-state", "stopped")
    expect(page.get_by_label("Repetitions")).to_have_value("0")
    expect(page.get_by_label("Repetitions")).to_be_visible()  # the details opened to show it
    _check(page, assert_accessible)


def test_the_timer_plan_follows_the_prescription(phone_page, clinic, live_server, sign_in, session_program):
    page = phone_page
    sign_in(page, clinic.patient_a)
    page.goto(f"{live_server.url}/my/guided/")
    page.get_by_role("link", name="Glute bridge", exact=True).click()
    expect(page.locator("#guided-timer")).to_be_visible()  # the script has run
    base = "{sets: %d, reps: %s, holdSeconds: %d, minutes: %s, perSide: %s, relaxSeconds: 3, restSeconds: 30, scale: 1}"
    kinds = "window.GuidedTimer.plan(%s).map((phase) => phase.kind + (phase.seconds ? ':' + phase.seconds : ''))"

    held = page.evaluate(kinds % (base % (1, "2", 5, "null", "false")))
    assert held == ["hold:5", "relax:3", "hold:5"]
    two_sets_each_side = page.evaluate(kinds % (base % (2, "1", 0, "null", "true")))
    assert two_sets_each_side == ["tally", "rest:30", "tally", "rest:30", "tally", "rest:30", "tally"]
    walk = page.evaluate(kinds % (base % (1, "null", 0, "20", "false")))
    assert walk == ["activity:1200"]

    done = "window.GuidedTimer.doneDose(%s, {blocksCompleted: %d, repsInBlock: %d, activitySeconds: %d})"
    assert page.evaluate(done % (base % (2, "10", 5, "null", "true"), 4, 0, 0)) == {"sets_done": 2, "reps_done": 10}
    assert page.evaluate(done % (base % (2, "10", 5, "null", "true"), 3, 2, 0)) == {"sets_done": 1, "reps_done": 10}
    assert page.evaluate(done % (base % (1, "10", 5, "null", "false"), 0, 6, 0)) == {"sets_done": 1, "reps_done": 6}
    assert page.evaluate(done % (base % (1, "null", 0, "15", "false"), 0, 0, 430)) == {"minutes_done": 7}
    assert page.evaluate(done % (base % (1, "null", 0, "15", "false"), 1, 0, 900)) == {"minutes_done": 15}
    assert page.console_errors == []


def test_the_timer_respects_reduced_motion_and_remembers_the_signal_choices(
    browser, clinic, live_server, sign_in, session_program
):
    context = browser.new_context(**VIEWPORTS["phone"], reduced_motion="reduce")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, clinic.patient_a)
    page.goto(f"{live_server.url}/my/guided/")
    page.get_by_role("link", name="Glute bridge", exact=True).click()
    timer = page.locator("#guided-timer")
    expect(timer).to_have_attribute("data-motion", "reduced")
    page.get_by_label("Beep").check()
    page.reload()
    expect(page.get_by_label("Beep")).to_be_checked()
    expect(page.get_by_label("Vibrate (on phones that can)")).not_to_be_checked()
    timer.get_by_role("button", name="Start", exact=True).click()
    expect(timer).to_have_attribute("data-state", "finished")
    assert errors == []
    context.close()


def test_the_guided_session_works_without_javascript(browser, clinic, live_server, sign_in, session_program):
    assert CHROMIUM_ARGS  # the same browser as every other journey
    context = browser.new_context(**VIEWPORTS["phone"], java_script_enabled=False)
    page = context.new_page()
    patient = clinic.patient_a
    sign_in(page, patient)
    page.goto(f"{live_server.url}/my/guided/")
    page.get_by_role("link", name="Start with Glute bridge").click()
    expect(page.locator("#guided-timer")).to_be_hidden()
    _choose(page, "Pain before", "5")
    page.get_by_role("button", name="Done, next exercise").click()
    for _ in range(2):
        expect(page.get_by_role("button", name=re.compile("^Done, "))).to_be_visible()
        page.get_by_role("button", name="Skip this one").click()
    page.get_by_role("button", name="Done, finish").click()
    expect(page.get_by_text("2 of 4 exercises done.")).to_be_visible()
    statuses = dict(SessionEntry.objects.filter(session__patient=patient).values_list("assignment_id", "status"))
    assert statuses == {
        session_program["bridge"].pk: EntryStatus.DONE,
        session_program["leg_lift"].pk: EntryStatus.SKIPPED,
        session_program["walking"].pk: EntryStatus.SKIPPED,
        session_program["chin_tuck"].pk: EntryStatus.DONE,
    }
    context.close()
