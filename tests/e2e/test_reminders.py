"""A reminder e-mail's link, followed in a real browser: sign in, land on today's check-in; and the reminders page."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, PatientFactory
from tracker.reminders.delivery import deliver
from tracker.reminders.models import Reminder, ReminderSettings

pytestmark = pytest.mark.django_db(transaction=True)


def _reminder_email(patient):
    """Today's reminder for the patient, sent through the real delivery code; returns the e-mail."""
    now = timezone.now()
    reminder = Reminder.objects.create(
        user=patient,
        kind="checkin",
        local_date=patient.local_today(),
        due_at=now - timedelta(minutes=1),
        stale_at=now + timedelta(hours=1),
    )
    assert deliver(reminder.pk) == "sent"
    [message] = mail.outbox
    return message


def test_the_reminder_link_opens_todays_check_in_after_signing_in(phone_page, live_server, settings, assert_accessible):
    settings.SITE_URL = live_server.url
    page = phone_page
    patient = PatientFactory(first_name="Rosa")
    message = _reminder_email(patient)
    link = re.search(r"Check in here:\n(\S+)", message.body).group(1)
    assert link == f"{live_server.url}/my/check-in/"

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/my/check-in/"))
    page.get_by_label("Username").fill(patient.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check-in for today")
    assert f"/my/check-in/{patient.local_today().isoformat()}/" in page.url or page.url.endswith("/my/check-in/")
    assert_accessible(page)


def test_the_unsubscribe_link_stops_reminders_in_one_click(desktop_page, live_server, settings, assert_accessible):
    settings.SITE_URL = live_server.url
    page = desktop_page
    patient = PatientFactory()
    message = _reminder_email(patient)
    link = re.search(r"To stop these reminders with one click: (\S+)", message.body).group(1)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Stop reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders are off")
    assert ReminderSettings.objects.get(user=patient).enabled is False


def test_the_reminders_page_registers_the_service_worker_and_saves_a_new_time(
    phone_page, live_server, sign_in, assert_accessible
):
    page = phone_page
    patient = PatientFactory()
    sign_in(page, patient)
    page.get_by_role("link", name="Reminders").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reminders")
    registered = page.evaluate("navigator.serviceWorker.ready.then(r => r.active ? r.scope : null)")
    assert registered == f"{live_server.url}/"
    expect(page.get_by_role("button", name="Turn on notifications here")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("At this time (your time zone)").fill("07:30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("We will remind you at 07:30 each day.")).to_be_visible()
    assert ReminderSettings.objects.get(user=patient).send_at.strftime("%H:%M") == "07:30"
