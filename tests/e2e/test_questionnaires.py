"""A patient on a phone answers the questionnaire that is due and sees it on the progress page."""

import pytest
from playwright.sync_api import expect

from tracker.outcomes.models import Sitting

pytestmark = pytest.mark.django_db(transaction=True)


def _rate(page, question: str, value: str) -> None:
    page.get_by_role("group", name=question).get_by_text(value, exact=True).click()


def test_a_patient_answers_a_due_questionnaire_and_sees_it_on_the_progress_page(
    phone_page, clinic, sign_in, assert_accessible
):
    page, patient = phone_page, clinic.patient_a
    sign_in(page, patient)
    expect(page.get_by_role("heading", name="A short questionnaire is due")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Answer the questionnaire").click()
    expect(page.get_by_role("heading", name="A short questionnaire", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Activity 1", exact=True).fill("Sitting through a film")
    page.get_by_label("Activity 2", exact=True).fill("Putting on my socks")
    # A mistake first: only two activities. The answers stay and the message says what to do.
    _rate(page, "How well can you do this now? (activity 1)", "3")
    _rate(page, "How well can you do this now? (activity 2)", "4")
    _rate(page, "Over the last 7 days, how bad was your pain on average?", "7")
    _rate(page, "Over the last 7 days, how much did pain get in the way of enjoying your life?", "6")
    _rate(page, "Over the last 7 days, how much did pain get in the way of your usual daily tasks?", "7")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Name at least 3 activities")).to_be_visible()
    expect(page.get_by_label("Activity 1", exact=True)).to_have_value("Sitting through a film")
    assert_accessible(page)

    page.get_by_label("Activity 3", exact=True).fill("Carrying the shopping")
    _rate(page, "How well can you do this now? (activity 3)", "2")
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    expect(page.get_by_role("heading", name="My progress", level=1)).to_be_visible()
    table = page.get_by_role("table", name="Things that are hard for you: your average, 0 to 10 (higher is better)")
    expect(table).to_contain_text("3.0")
    expect(
        page.get_by_role("table", name="Pain and how it gets in the way: 0 to 10 (lower is better)")
    ).to_contain_text("6.7")
    assert_accessible(page)
    assert page.console_errors == []

    sitting = Sitting.objects.get(patient=patient)
    assert {r.instrument: str(r.score) for r in sitting.responses.all()} == {"psfs": "3.00", "peg": "6.67"}
