"""The reminder pages as people use them: settings, the one-click unsubscribe, browsers, the app files."""

import json
from datetime import date, time, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core import signing
from django.urls import reverse
from PIL import Image

from tests.factories import CareTeamMembershipFactory, PatientFactory, PhysiotherapistFactory
from tests.tracker.reminders.helpers import patient_with_reminder, utc
from tracker.reminders.delivery import deliver
from tracker.reminders.links import UNSUBSCRIBE_SALT, unsubscribe_token
from tracker.reminders.models import PushSubscription, Reminder, ReminderSettings
from tracker.reminders.scheduler import schedule_due

pytestmark = pytest.mark.django_db

ENDPOINT = "https://push.example.org/send/abc123"
KEYS = {"p256dh": "BB8ijk-juLfyzH7qHxfRqOnoRkfXT3IigzTifvnBalYGLozQauQh", "auth": "c2VjcmV0LWF1dGg"}


def test_a_patient_sees_the_defaults_then_changes_time_and_channel(client):
    patient = PatientFactory(time_zone="America/New_York")
    client.force_login(patient)
    page = client.get(reverse("reminder_settings")).content.decode()
    assert 'value="18:00"' in page
    assert "Your time zone is America/New_York." in page
    response = client.post(
        reverse("reminder_settings"), {"enabled": "on", "send_at": "07:45", "by_push": "on"}, follow=True
    )
    assert "We will remind you at 07:45 each day." in response.content.decode()
    choice = ReminderSettings.objects.get(user=patient)
    assert (choice.enabled, choice.send_at, choice.by_email, choice.by_push) == (True, time(7, 45), False, True)


def test_turning_reminders_off_on_the_settings_page(client):
    patient = patient_with_reminder()
    client.force_login(patient)
    response = client.post(reverse("reminder_settings"), {"send_at": "18:00", "by_email": "on"}, follow=True)
    assert "Reminders are off." in response.content.decode()
    assert ReminderSettings.objects.get(user=patient).enabled is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"enabled": "on", "send_at": "25:00", "by_email": "on"}, "Write the time as hours and minutes"),
        ({"enabled": "on", "send_at": "", "by_email": "on"}, "Choose a time, such as 18:00."),
        ({"enabled": "on", "send_at": "18:00"}, "Choose how to remind you"),
    ],
)
def test_bad_choices_get_a_clear_message_and_nothing_is_saved(client, data, message):
    patient = PatientFactory()
    client.force_login(patient)
    response = client.post(reverse("reminder_settings"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReminderSettings.objects.filter(user=patient).exists()


def test_without_vapid_keys_the_page_says_push_is_not_set_up(client, settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = settings.VAPID_SUBJECT = ""
    client.force_login(PatientFactory())
    page = client.get(reverse("reminder_settings")).content.decode()
    assert "not set up on this server yet, so reminders come by e-mail" in page
    assert "reminders-push.js" not in page
    assert 'name="by_push"' in page
    assert "disabled" in page


def test_with_vapid_keys_the_page_loads_the_subscribe_script_with_the_public_key(client, settings):
    client.force_login(PatientFactory())
    page = client.get(reverse("reminder_settings")).content.decode()
    assert f'data-vapid-key="{settings.VAPID_PUBLIC_KEY}"' in page
    assert "js/reminders-push.js" in page
    assert "<script>" not in page  # no inline script (CSP)


def test_the_patient_sees_recent_reminders_and_whether_they_went(client):
    patient = patient_with_reminder()
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    deliver(Reminder.objects.get(user=patient).pk, now=utc(2026, 1, 15, 18, 0))
    Reminder.objects.create(
        user=patient,
        kind="checkin",
        local_date=date(2026, 1, 16),
        due_at=utc(2026, 1, 16, 18, 0),
        stale_at=utc(2026, 1, 16, 22, 0),
        status="skipped",
        skip_reason="Not needed: today's check-in was already done.",
    )
    client.force_login(patient)
    page = client.get(reverse("reminder_settings")).content.decode()
    assert "Thu 15 Jan" in page
    assert "Sent</span> by e-mail at 18:00" in page
    assert "Fri 16 Jan" in page
    assert "Not needed: today&#x27;s check-in was already done." in page


def test_the_care_team_sees_the_patients_reminders_on_the_patient_page(client):
    patient = patient_with_reminder(at=time(19, 15))
    physio = PhysiotherapistFactory()
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    schedule_due(now=utc(2026, 1, 15, 19, 15))
    deliver(Reminder.objects.get(user=patient).pk, now=utc(2026, 1, 15, 19, 16))
    client.force_login(physio)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert "Check-in reminders" in page
    assert "On, daily at 19:15 (Europe/London), by e-mail." in page
    assert "Sent</span> by e-mail" in page


def test_a_patient_cannot_see_another_patients_reminders(client):
    alice = patient_with_reminder()
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    client.force_login(PatientFactory())
    page = client.get(reverse("reminder_settings")).content.decode()
    assert "Thu 15 Jan" not in page
    assert Reminder.objects.filter(user=alice).exists()


def test_the_settings_page_runs_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    patient = patient_with_reminder()
    for day in range(1, 20):
        now = utc(2026, 1, day, 18, 0)
        schedule_due(now=now)
    client.force_login(patient)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("reminder_settings"))
    assert response.status_code == 200


# The one-click unsubscribe.


def test_the_link_asks_once_then_one_click_turns_reminders_off_without_signing_in(client):
    patient = patient_with_reminder()
    url = reverse("reminder_unsubscribe", args=[unsubscribe_token(user_id=patient.pk, what="patient")])
    page = client.get(url)
    assert page.status_code == 200
    assert "Stop check-in reminders?" in page.content.decode()
    assert ReminderSettings.objects.get(user=patient).enabled is True  # a link checker opening it changes nothing
    done = client.post(url)
    assert "Reminders are off" in done.content.decode()
    assert ReminderSettings.objects.get(user=patient).enabled is False


def test_a_mail_programs_one_click_post_works_without_a_csrf_token():
    from django.test import Client

    patient = PatientFactory()
    url = reverse("reminder_unsubscribe", args=[unsubscribe_token(user_id=patient.pk, what="patient")])
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert ReminderSettings.objects.get(user=patient).enabled is False


def test_the_digest_link_turns_off_only_the_digest(client):
    physio = PhysiotherapistFactory()
    url = reverse("reminder_unsubscribe", args=[unsubscribe_token(user_id=physio.pk, what="digest")])
    assert "Stop the daily digest?" in client.get(url).content.decode()
    assert "Emergencies still reach you at once" in client.post(url).content.decode()
    assert ReminderSettings.objects.get(user=physio).enabled is False


def forged_tokens(patient_pk: int, other_pk: int) -> list[str]:
    real = unsubscribe_token(user_id=patient_pk, what="patient")
    _payload, rest = real.split(":", 1)
    other = unsubscribe_token(user_id=other_pk, what="patient")
    return [
        real[:-1] + ("A" if real[-1] != "A" else "B"),  # a changed signature
        other.split(":", 1)[0] + ":" + rest,  # another person's payload with this signature
        signing.dumps({"u": other_pk, "w": "patient"}, salt=UNSUBSCRIBE_SALT, key="not-the-secret-key"),
        signing.dumps({"u": other_pk, "w": "patient"}, salt="another.purpose"),
        "nothing-signed-here",
    ]


@pytest.mark.parametrize("index", range(5))
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_link_is_refused_with_a_clear_page(client, index, method):
    patient = PatientFactory()
    victim = PatientFactory()
    token = forged_tokens(patient.pk, victim.pk)[index]
    response = getattr(client, method)(reverse("reminder_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "This link does not work" in response.content.decode()
    assert "not one we sent" in response.content.decode()
    assert not ReminderSettings.objects.filter(enabled=False).exists()


def test_an_expired_link_is_refused_with_a_clear_page(client, monkeypatch):
    patient = PatientFactory()
    token = unsubscribe_token(user_id=patient.pk, what="patient")
    import time as clock

    real_time = clock.time
    monkeypatch.setattr(clock, "time", lambda: real_time() + timedelta(days=91).total_seconds())
    response = client.post(reverse("reminder_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "more than 90 days old" in response.content.decode()
    assert not ReminderSettings.objects.filter(user=patient, enabled=False).exists()


# Browsers subscribing.


def test_a_browser_subscribes_with_json_and_push_turns_on(client):
    patient = PatientFactory()
    client.force_login(patient)
    response = client.post(
        reverse("push_subscribe"), json.dumps({"endpoint": ENDPOINT, "keys": KEYS}), content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["message"] == "Notifications are on for this browser."
    assert PushSubscription.objects.get(endpoint=ENDPOINT).user == patient
    assert ReminderSettings.objects.get(user=patient).by_push is True
    # The same browser again updates it; another person signing in on it takes it over.
    other = PatientFactory()
    client.force_login(other)
    client.post(
        reverse("push_subscribe"), json.dumps({"endpoint": ENDPOINT, "keys": KEYS}), content_type="application/json"
    )
    assert list(PushSubscription.objects.values_list("user", flat=True)) == [other.pk]


@pytest.mark.parametrize(
    "body",
    ["not json", json.dumps([1, 2]), json.dumps({"endpoint": "http://insecure.example.org/x", "keys": KEYS})],
)
def test_a_bad_subscription_is_refused_with_a_message(client, body):
    client.force_login(PatientFactory())
    response = client.post(reverse("push_subscribe"), body, content_type="application/json")
    assert response.status_code == 400
    assert "cannot use" in response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_a_patient_removes_only_their_own_browser(client):
    owner = PatientFactory()
    PushSubscription.objects.create(user=owner, endpoint=ENDPOINT, **KEYS)
    client.force_login(PatientFactory())
    client.post(reverse("push_unsubscribe"), json.dumps({"endpoint": ENDPOINT}), content_type="application/json")
    assert PushSubscription.objects.filter(endpoint=ENDPOINT).exists()
    client.force_login(owner)
    client.post(reverse("push_unsubscribe"), json.dumps({"endpoint": ENDPOINT}), content_type="application/json")
    assert not PushSubscription.objects.exists()


# The service worker and the manifest.


def test_the_service_worker_is_served_from_the_root_as_javascript(client):
    response = client.get("/service-worker.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert 'addEventListener("push"' in body
    assert 'addEventListener("notificationclick"' in body
    assert 'addEventListener("fetch"' not in body  # it never caches pages


def test_the_manifest_lets_the_tracker_go_on_the_home_screen(client, settings):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["display"], manifest["scope"]) == ("/my/", "standalone", "/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix(settings.STATIC_URL).lstrip("/").removeprefix("static/"))
        assert path is not None, icon
        with Image.open(path) as image:
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_every_page_links_the_manifest(client):
    client.force_login(PatientFactory())
    assert '<link rel="manifest" href="/manifest.webmanifest">' in client.get(reverse("patient_home")).content.decode()


def test_a_clinician_chooses_the_digest_time(client):
    physio = PhysiotherapistFactory()
    client.force_login(physio)
    assert 'value="08:00"' in client.get(reverse("digest_settings")).content.decode()
    response = client.post(reverse("digest_settings"), {"enabled": "on", "send_at": "07:10"}, follow=True)
    assert "Your digest comes at 07:10 each day." in response.content.decode()
    assert ReminderSettings.objects.get(user=physio).send_at == time(7, 10)
