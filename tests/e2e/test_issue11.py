"""Issue 11 in the browser: the triage inbox and caseload, the clinician's patient page, the patient's screens.

Each journey runs at a phone (390x844) and a laptop (1366x768) size, measures what
the issue measures (what is on the first screen, how long the page is), checks
axe and ends with a clean console.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from routines.library import install_library
from tests.e2e.conftest import CHROMIUM_ARGS  # noqa: F401  (the same browser set-up as every journey)
from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory, FlagFactory
from tracker import demo
from tracker.flags.rules import RULES
from tracker.models import Flag, FlagStatus, SessionEntry, User
from tracker.services.flags import flags_evaluate

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "laptop": {"viewport": {"width": 1366, "height": 768}},
}


@pytest.fixture(params=list(SIZES))
def sized_page(request, browser, live_server):
    """A fresh tab at a phone size, then at a 1366x768 laptop; the console must stay clean."""
    context = browser.new_context(**SIZES[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    page.size_name = request.param
    yield page
    context.close()
    assert errors == [], f"console errors at {page.url}: {errors}"


@pytest.fixture
def demo_clinic():
    install_library()  # transactional tests start from an empty database
    call_command("seed_demo", "--force", stdout=StringIO())
    flagged = User.objects.get(username="demo-patient-flagged")
    flags_evaluate(patient=flagged)
    return flagged


def top(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().top + window.scrollY")


def bottom(page, selector: str) -> float:
    return page.evaluate(f"document.querySelector({selector!r}).getBoundingClientRect().bottom + window.scrollY")


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


# --- The caseload with its triage inbox ----------------------------------------


def test_the_inbox_has_one_card_per_patient_in_clinician_words_and_the_table_is_on_the_first_laptop_screen(
    sized_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page, flagged = sized_page, demo_clinic
    physio = User.objects.get(username="demo-physio")
    open_flags = list(Flag.objects.unresolved().filter(patient=flagged))
    assert len(open_flags) >= 3

    sign_in(page, physio, password=demo.DEMO_PASSWORD)
    cards = page.locator(".inbox-card")
    expect(cards).to_have_count(1)  # one patient with several flags: one card
    card = cards.first
    for flag in open_flags:
        expect(card).to_contain_text(flag.clinician_summary)
        expect(card).not_to_contain_text(flag.explanation)
    expect(card).to_contain_text("oldest opened")
    expect(card).to_contain_text("Not yet seen")
    if page.size_name == "laptop":
        assert top(page, ".caseload-table") < 768, "the caseload table must start on the first screen"
    _check(page, assert_accessible)

    # The 14-day pain line and adherence never above 100%.
    row = page.locator(".caseload-table tbody tr", has_text=flagged.display_name)
    expect(row.get_by_role("img", name=re.compile(r"^Pain over 14 days: from \d+ to \d+$"))).to_be_visible()
    done, planned = (int(number) for number in re.findall(r"(\d+) of (\d+)", row.inner_text())[0])
    assert done <= planned

    # Filter by severity (htmx swaps the inbox), then mark all seen (htmx swaps the card).
    page.get_by_label("Most serious").select_option("emergency")
    expect(page.get_by_text("No patient's most serious alert is at this level.")).to_be_visible()
    # After the swap, focus lands on the inbox's heading (static/js/a11y.js); the next choice follows it.
    expect(page.locator("#inbox-heading")).to_be_focused()
    page.get_by_label("Most serious").select_option("contact")
    expect(cards).to_have_count(1)
    page.locator(".inbox-card").get_by_role("button", name=re.compile("^Mark all seen")).click()
    expect(page.locator(".inbox-card")).to_contain_text(f"Seen by {physio.display_name}.")
    assert page.url == f"{live_server.url}/caseload/"
    assert set(Flag.objects.unresolved().filter(patient=flagged).values_list("status", flat=True)) == {
        FlagStatus.ACKNOWLEDGED
    }
    _check(page, assert_accessible)


def test_every_rule_reads_in_the_clinicians_words_on_the_inbox_caseload_and_patient_page(
    sized_page, clinic, live_server, sign_in, assert_accessible
):
    page, patient = sized_page, clinic.patient_a
    assignment = AssignmentFactory(patient=patient, with_clearance=True, exercise=ExerciseFactory(name="Bridge"))
    for number, rule in enumerate(RULES):
        FlagFactory(
            patient=patient,
            rule_id=rule.id,
            severity=rule.severity,
            assignment=assignment if rule.id.startswith("review.") else None,
            explanation=f"Patient words number {number}: you told us.",
            clinician_summary=f"Clinical summary {number}: {rule.id} in numbers.",
        )

    sign_in(page, clinic.linked_physio)
    card = page.locator(".inbox-card", has_text=patient.display_name)
    row = page.locator(".caseload-table tbody tr", has_text=patient.display_name)
    for number, rule in enumerate(RULES):
        expect(card).to_contain_text(f"Clinical summary {number}: {rule.id} in numbers.")
        expect(card).to_contain_text(rule.title)
    expect(row).to_contain_text("Emergency")
    expect(page.locator("main")).not_to_contain_text("Patient words number")
    _check(page, assert_accessible)

    page.goto(f"{live_server.url}/patients/{patient.pk}/")
    for number, rule in enumerate(RULES):
        expect(page.locator("#flags")).to_contain_text(f"Clinical summary {number}: {rule.id} in numbers.")
        expect(page.locator("#summary")).to_contain_text(rule.title)
    expect(page.locator("main")).not_to_contain_text("Patient words number")
    _check(page, assert_accessible)


# --- The clinician's patient page ---------------------------------------------


def test_the_patient_page_starts_with_a_header_and_fits_in_about_three_laptop_screens_before_the_detail(
    sized_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page, flagged = sized_page, demo_clinic
    sign_in(page, User.objects.get(username="demo-physio"), password=demo.DEMO_PASSWORD)
    page.goto(f"{live_server.url}/patients/{flagged.pk}/")

    header = page.locator("#summary")
    expect(header.get_by_role("heading", name=flagged.display_name)).to_be_visible()
    for text in (flagged.username, flagged.email, "Neck", "Exercise approval", "Open flags", "Latest note"):
        expect(header).to_contain_text(text)
    assert bottom(page, "#summary") < (768 if page.size_name == "laptop" else 2 * 844)
    # The detail (day-by-day tables) is folded away; the overview ends within about three screens.
    expect(page.locator("details.day-table[open]")).to_have_count(0)
    expect(page.locator(".session-table")).not_to_be_visible()
    if page.size_name == "laptop":
        # With the demo's five open flags: header, flags beside notes, pain beside exercises done and days
        # logged, then the detail (program, sessions, histories) starts within three screens (2,272 px measured).
        assert top(page, "#program") <= 3 * 768, top(page, "#program")
    # Jump links lead to their sections.
    page.get_by_role("navigation", name="Sections of this page").get_by_role("link", name="Notes").click()
    expect(page).to_have_url(re.compile("#notes$"))
    page.get_by_text(re.compile(r"^Show \d+ days? of sessions")).click()
    expect(page.locator(".session-table")).to_be_visible()
    _check(page, assert_accessible)


# --- The patient's screens ----------------------------------------------------


def test_the_flagged_patients_today_page_leads_with_the_check_in_and_says_each_thing_once(
    sized_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page, flagged = sized_page, demo_clinic
    sign_in(page, flagged, password=demo.DEMO_PASSWORD)

    checkin = page.locator(".today-checkin")
    expect(checkin.get_by_role("link", name="Check in for today")).to_be_visible()
    assert bottom(page, ".today-checkin") < SIZES[page.size_name]["viewport"]["height"]
    assert top(page, ".today-checkin") < top(page, ".banner-contact")
    banner = page.locator(".banner-contact")
    expect(banner.get_by_role("heading")).to_have_count(1)
    expect(banner.locator(".flag-reason")).to_contain_text("Your pain has gone up")
    reasons = banner.locator(".flag-reasons")
    expect(reasons).not_to_be_visible()  # the numbers are behind "Why?"
    banner.get_by_text("Why?").click()
    expect(reasons).to_be_visible()
    menu = page.get_by_role("navigation", name="Main")
    expect(menu.get_by_role("link", name="Today")).to_have_attribute("aria-current", "page")
    menu.get_by_role("link", name="Progress").click()
    expect(menu.get_by_role("link", name="Progress")).to_have_attribute("aria-current", "page")
    _check(page, assert_accessible)

    # Charts: axis text at least 12 px as drawn, the nerve-symptom row, the "since you started" line.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('svg.chart text.label')].map(
            (text) => parseFloat(getComputedStyle(text).fontSize) * text.ownerSVGElement.getScreenCTM().a))"""
    )
    assert smallest >= 12, smallest
    expect(page.get_by_role("img", name=re.compile("^Numbness or tingling new or worse on"))).to_be_visible()
    expect(page.locator(".since-start")).to_contain_text(re.compile(r"Since you started.*neck pain went up from"))
    _check(page, assert_accessible)


def test_an_emergency_sign_brings_the_emergency_first_with_a_call_button_and_no_green_box(
    sized_page, clinic, live_server, sign_in, assert_accessible
):
    page, patient = sized_page, clinic.patient_a
    sign_in(page, patient)
    page.get_by_role("link", name="Check in for today").click()
    page.get_by_role("group", name="Back pain").get_by_text("3", exact=True).click()
    page.get_by_role("group", name="Leg pain").get_by_text("2", exact=True).click()
    page.get_by_label("New trouble controlling my bladder or bowels").check()
    page.get_by_role("button", name="Save check-in").click()

    emergency = page.get_by_role("alert").filter(has_text="Get emergency care now").first
    expect(emergency).to_be_visible()
    expect(emergency.get_by_role("link", name=re.compile("^Call "))).to_have_attribute("href", re.compile("^tel:"))
    expect(page.locator(".message-success")).to_have_count(0)
    assert top(page, ".banner-emergency") < top(page, ".message-plain")
    assert bottom(page, ".emergency-call-button") < SIZES[page.size_name]["viewport"]["height"]
    _check(page, assert_accessible)


def test_after_done_one_optional_tap_records_the_pain_and_ignoring_it_keeps_done_one_tap(
    sized_page, clinic, live_server, sign_in, assert_accessible
):
    page, patient = sized_page, clinic.patient_a
    ClearanceFactory(patient=patient)
    AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Morning bridge"))
    AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Chin tuck"))
    sign_in(page, patient)
    page.goto(f"{live_server.url}/my/sessions/")

    page.get_by_role("button", name=re.compile("^Done as prescribed for Morning bridge")).click()
    card = page.locator(".exercise-card", has=page.get_by_role("heading", name="Morning bridge"))
    expect(card.get_by_text("Pain now?")).to_be_visible()
    _check(page, assert_accessible)
    card.get_by_role("button", name="3 out of 10").click()
    expect(card).to_contain_text("3 after")
    expect(card.get_by_text("Pain now?")).to_have_count(0)
    # Ignoring the tiles: Done alone is still the whole job.
    page.get_by_role("button", name=re.compile("^Done as prescribed for Chin tuck")).click()
    expect(page.get_by_text("2 of 2 exercises done.")).to_be_visible()
    assert page.url.endswith("/my/sessions/")
    entries = {entry.assignment.exercise.name: entry.pain_after for entry in SessionEntry.objects.all()}
    assert entries == {"Morning bridge": 3, "Chin tuck": None}
    _check(page, assert_accessible)
