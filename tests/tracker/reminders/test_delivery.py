"""What a reminder says and how it travels: the e-mail with its links and headers, and the browser notification."""

import base64
import json
import os
from datetime import time

import http_ece
import pytest
import pywebpush
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core import mail

from tests.tracker.reminders.helpers import patient_with_reminder, utc
from tracker.reminders.delivery import deliver
from tracker.reminders.links import read_unsubscribe_token
from tracker.reminders.models import PushSubscription, Reminder
from tracker.reminders.scheduler import schedule_due

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakePushService:
    """Stands in for the browser vendor's push service: records what the server posts, answers `status`."""

    def __init__(self, status: int = 201):
        self.status = status
        self.posts: list[dict] = []

    def post(self, url, data=None, headers=None, timeout=None, **kwargs):
        self.posts.append({"url": url, "data": data, "headers": headers})
        response = type("Response", (), {})()
        response.status_code = self.status
        response.text = ""
        response.content = b""
        response.headers = {}
        response.reason = "Gone" if self.status == 410 else "Created"
        return response


@pytest.fixture
def push_service(monkeypatch):
    service = FakePushService()
    monkeypatch.setattr(pywebpush.requests, "post", service.post)
    return service


def browser_subscription(patient):
    """A real subscription key pair, as a browser makes one; the private half decrypts what it receives."""
    private = ec.generate_private_key(ec.SECP256R1())
    public = private.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    auth = os.urandom(16)
    subscription = PushSubscription.objects.create(
        user=patient, endpoint=f"https://push.example.org/send/{b64(os.urandom(8))}", p256dh=b64(public), auth=b64(auth)
    )
    return subscription, private, auth


def scheduled(patient) -> Reminder:
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    return Reminder.objects.get(user=patient)


def test_the_email_links_to_todays_check_in_and_carries_a_signed_unsubscribe(settings):
    settings.SITE_URL = "https://tracker.example.org"
    patient = patient_with_reminder(first_name="Alice")
    reminder = scheduled(patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 0)) == "sent"
    [message] = mail.outbox
    assert message.to == [patient.email]
    assert message.subject == "[Recovery tracker] Time for today's check-in"
    assert "Hello Alice," in message.body
    assert "https://tracker.example.org/my/check-in/" in message.body
    assert "https://tracker.example.org/my/reminders/" in message.body
    assert message.extra_headers["Message-ID"] == reminder.message_id
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"To stop these reminders with one click: {unsubscribe}" in message.body
    token = unsubscribe.rstrip("/").rsplit("/", 1)[1]
    assert read_unsubscribe_token(token) == (patient.pk, "patient")
    reminder.refresh_from_db()
    assert (reminder.status, reminder.channels) == ("sent", "e-mail")


def test_a_browser_notification_is_encrypted_for_that_browser_alone(push_service, settings):
    settings.SITE_URL = "https://tracker.example.org"
    patient = patient_with_reminder(by_email=False, by_push=True)
    subscription, private, auth = browser_subscription(patient)
    reminder = scheduled(patient)
    status = deliver(reminder.pk, now=utc(2026, 1, 15, 18, 0))
    assert (status, Reminder.objects.get(pk=reminder.pk).last_error) == ("sent", "")
    assert mail.outbox == []  # push only, as chosen
    [post] = push_service.posts
    assert post["url"] == subscription.endpoint
    assert post["headers"]["Content-Encoding"] == "aes128gcm"
    assert post["headers"]["Authorization"].startswith("vapid t=")
    plain = http_ece.decrypt(post["data"], private_key=private, auth_secret=auth, version="aes128gcm")
    payload = json.loads(plain)
    assert payload["url"] == "https://tracker.example.org/my/check-in/"
    assert "check-in" in payload["body"]
    reminder.refresh_from_db()
    assert (reminder.pushed_to, reminder.channels) == (1, "browser notification")


def test_a_browser_that_unsubscribed_is_forgotten_and_email_still_goes(push_service):
    push_service.status = 410
    patient = patient_with_reminder(by_email=True, by_push=True)
    browser_subscription(patient)
    reminder = scheduled(patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 0)) == "sent"
    assert not PushSubscription.objects.filter(user=patient).exists()
    assert len(mail.outbox) == 1


def test_push_only_without_any_browser_falls_back_to_email():
    patient = patient_with_reminder(by_email=False, by_push=True)
    reminder = scheduled(patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 0)) == "sent"
    assert len(mail.outbox) == 1


def test_without_vapid_keys_no_push_is_tried(push_service, settings):
    settings.VAPID_PRIVATE_KEY = ""
    patient = patient_with_reminder(by_email=True, by_push=True)
    browser_subscription(patient)
    reminder = scheduled(patient)
    assert deliver(reminder.pk, now=utc(2026, 1, 15, 18, 0)) == "sent"
    assert push_service.posts == []
    assert len(mail.outbox) == 1


def test_each_reminder_has_its_own_message_id():
    first = patient_with_reminder()
    second = patient_with_reminder(at=time(18, 0))
    schedule_due(now=utc(2026, 1, 15, 18, 0))
    ids = set(Reminder.objects.filter(user__in=[first, second]).values_list("message_id", flat=True))
    assert len(ids) == 2
