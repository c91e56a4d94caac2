"""Account journeys in the browser: a forgotten password, and the admin's library edit reaching a patient."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.background import run_queued_tasks
from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_patient_resets_a_forgotten_password_from_the_emailed_link(
    phone_page, clinic, live_server, sign_in, assert_accessible
):
    page = phone_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Forgotten your password?").click()
    assert_accessible(page)
    page.get_by_label("Email").fill(clinic.patient_a.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    run_queued_tasks()  # the background worker sends it

    link = re.search(r"https?://\S+/accounts/reset/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill("a fresh long passphrase")
    page.get_by_label("New password confirmation").fill("a fresh long passphrase")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_role("heading", name="Your new password is saved")).to_be_visible()

    sign_in(page, clinic.patient_a, password="a fresh long passphrase")
    assert page.url == f"{live_server.url}/my/"
    assert page.console_errors == []


def test_an_admin_edit_to_an_exercise_shows_on_the_patients_page(
    desktop_page, phone_page, clinic, live_server, sign_in, assert_accessible
):
    # A name of its own: the library the migrations install may already hold "Pelvic tilt".
    exercise = ExerciseFactory(name="Pelvic tilt, clinic version", purpose="Eases the lower back.")
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, exercise=exercise)

    sign_in(desktop_page, clinic.admin)
    desktop_page.goto(f"{live_server.url}/admin/routines/exercise/")
    desktop_page.get_by_role("link", name="Pelvic tilt, clinic version").click()
    desktop_page.get_by_label("How this helps").fill("Strengthens the muscles that hold the lower back steady.")
    desktop_page.get_by_role("button", name="Save", exact=True).click()
    expect(desktop_page.locator(".messagelist")).to_contain_text("was changed successfully")

    sign_in(phone_page, clinic.patient_a)
    phone_page.goto(f"{live_server.url}/my/exercises/")
    expect(phone_page.get_by_text("Strengthens the muscles that hold the lower back steady.")).to_be_visible()
    assert_accessible(phone_page)
    assert phone_page.console_errors == []
