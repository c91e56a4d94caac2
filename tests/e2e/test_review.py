"""The physiotherapist's review, with the demo clinic, at a desktop.

She finds the flagged patient at the top of her caseload, reads why, pauses
the exercise that makes things worse, writes a note, and prints the report.
"""

import io
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from routines.library import install_library
from routines.models import Assignment, AssignmentStatus, Exercise
from tracker import demo
from tracker.demo_history import AGGRAVATING_SLUG
from tracker.models import ClinicalNote, User
from tracker.services.flags import flags_evaluate

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def demo_clinic(settings):
    install_library()  # transactional tests start from an empty database
    call_command("seed_demo", "--force", stdout=StringIO())
    # The flags the demo history raises (seed_demo may already have opened them: evaluating again changes nothing).
    flagged = User.objects.get(username="demo-patient-flagged")
    flags_evaluate(patient=flagged)
    return flagged


def _check(page, assert_accessible):
    assert_accessible(page)
    assert page.console_errors == []


def test_the_physiotherapist_finds_the_flagged_patient_first_acts_and_writes_a_note(
    desktop_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page = desktop_page
    flagged = demo_clinic
    physio = User.objects.get(username="demo-physio")

    # Her home page is the caseload; the flagged patient heads it.
    sign_in(page, physio, password=demo.DEMO_PASSWORD)
    assert page.url == f"{live_server.url}/caseload/"
    first_row = page.locator(".caseload-table tbody tr").first
    expect(first_row.get_by_role("rowheader")).to_contain_text(flagged.display_name)
    expect(first_row).to_contain_text("Contact provider")
    _check(page, assert_accessible)

    # Filtering by "with open flags" keeps her there (htmx swaps the results in place).
    page.get_by_label("Show").select_option("flagged")
    expect(page.locator(".caseload-count")).to_contain_text("1 of 3 patients")
    expect(page).to_have_url(re.compile(r"show=flagged"))

    # On the patient's page she reads why the flag was raised.
    first_row.get_by_role("link", name=flagged.display_name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(flagged.display_name)
    open_flags = page.locator("#flags")
    expect(
        open_flags.get_by_text(
            re.compile(r"Neck pain 7-day mean [\d.]+ vs baseline [\d.]+ \(\+[\d.]+, \+\d+%\), 3 days")
        )
    ).to_be_visible()
    _check(page, assert_accessible)

    # She pauses the exercise that aggravates the symptoms, from the program page.
    aggravating = Exercise.objects.get(slug=AGGRAVATING_SLUG).name  # the demo's "Ear-to-shoulder stretch"
    page.locator("#flags").get_by_role("link", name=f"Review {aggravating} in the program").click()
    expect(page).to_have_url(re.compile(r"/program/#assignment-\d+$"))
    row = page.locator(".program-row").filter(
        has=page.get_by_role("heading", name=re.compile(f"^{re.escape(aggravating)}"))
    )
    row.locator("summary", has_text="Pause").click()
    row.get_by_label("Why pause it?").fill("Made arm symptoms worse three times; stop until reviewed.")
    row.get_by_role("button", name=f"Pause {aggravating}").click()
    expect(page.get_by_role("status")).to_contain_text(f"{aggravating} paused.")
    _check(page, assert_accessible)

    # Back on the patient's page the program shows the pause, and she writes a note without a reload.
    page.goto(f"{live_server.url}/patients/{flagged.pk}/")
    expect(page.locator("#program")).to_contain_text(
        "Paused by the physiotherapist: Made arm symptoms worse three times"
    )
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Note", exact=True).fill(
        "Rising neck and arm pain. Paused the ear-to-shoulder stretch; call Friday."
    )
    page.get_by_role("button", name="Save note").click()
    notes = page.locator("#notes")
    expect(notes.locator(".note").first).to_contain_text("Paused the ear-to-shoulder stretch; call Friday.")
    assert page.evaluate("window.notReloaded") is True
    expect(page.get_by_label("Note", exact=True)).to_have_value("")
    _check(page, assert_accessible)
    assert ClinicalNote.objects.get(patient=flagged).author == physio
    assert Assignment.objects.get(patient=flagged, exercise__slug=AGGRAVATING_SLUG).status == AssignmentStatus.PAUSED


def test_the_report_prints_to_one_or_two_pages_about_the_right_patient(
    desktop_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page = desktop_page
    flagged = demo_clinic
    sign_in(page, User.objects.get(username="demo-physio"), password=demo.DEMO_PASSWORD)

    page.goto(f"{live_server.url}/patients/{flagged.pk}/")
    page.get_by_role("link", name="Printable report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Progress report: {flagged.display_name}")
    _check(page, assert_accessible)

    # A range ending before it starts is explained, not printed.
    page.get_by_label("From", exact=True).fill("2025-03-10")
    page.get_by_label("To", exact=True).fill("2025-03-01")
    page.get_by_role("button", name="Show this period").click()
    expect(page.get_by_role("alert")).to_contain_text("The end date (1 March 2025) is before the start date")
    _check(page, assert_accessible)
    page.go_back()

    page.emulate_media(media="print")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    text = "\n".join(pdf_page.extract_text() for pdf_page in pdf.pages)

    assert 1 <= len(pdf.pages) <= 2
    assert f"Progress report: {flagged.display_name}" in text
    assert "Pain trend" in text
    assert "Flags and outcomes" in text
    assert "Recovery tracker" not in text  # the site header and navigation are not printed
    other = User.objects.get(username="demo-patient-active")
    assert other.display_name not in text


def test_a_patient_downloads_their_own_data_on_a_phone(
    phone_page, demo_clinic, live_server, sign_in, assert_accessible
):
    page = phone_page
    patient = User.objects.get(username="demo-patient-active")
    sign_in(page, patient, password=demo.DEMO_PASSWORD)

    page.goto(f"{live_server.url}/my/progress/")
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your data")
    page.get_by_text("What is in the file").click()
    expect(page.get_by_text("neck_back_pain")).to_be_visible()
    _check(page, assert_accessible)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    download = download_info.value
    lines = Path(download.path()).read_text(encoding="utf-8-sig").splitlines()

    assert download.suggested_filename.startswith("recovery-demo-patient-active-")
    assert lines[0].startswith("date,record_type,recorded_at,")
    assert len(lines) > 21  # three weeks of check-ins, plus the exercises
