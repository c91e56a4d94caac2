"""Writes: people's reminder choices, browsers subscribing, and the one-click unsubscribe."""

from django.db import transaction

from tracker.models import User

from .models import CLINICIAN_DEFAULT_TIME, PATIENT_DEFAULT_TIME, PushSubscription, ReminderSettings


def default_settings(user: User) -> ReminderSettings:
    """The choice of someone who never changed it (not saved)."""
    return ReminderSettings(
        user=user,
        enabled=True,
        send_at=CLINICIAN_DEFAULT_TIME if user.is_clinician else PATIENT_DEFAULT_TIME,
        by_email=True,
        by_push=False,
    )


def current_settings(*, user: User) -> ReminderSettings:
    return ReminderSettings.objects.filter(user=user).first() or default_settings(user)


@transaction.atomic
def settings_save(*, user: User, enabled: bool, send_at, by_email: bool, by_push: bool) -> ReminderSettings:
    choice, _ = ReminderSettings.objects.update_or_create(
        user=user,
        defaults={"enabled": enabled, "send_at": send_at, "by_email": by_email, "by_push": by_push},
    )
    return choice


@transaction.atomic
def turn_off(*, user: User) -> ReminderSettings:
    """The one-click unsubscribe: reminders (or the digest) off, the chosen time kept for turning them on again."""
    choice = current_settings(user=user)
    choice.enabled = False
    choice.save()
    return choice


@transaction.atomic
def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, user_agent: str = "") -> PushSubscription:
    """Remember a browser for this person. The same browser subscribing again updates its keys.

    A browser endpoint belongs to whoever signed in on that browser last, so
    a shared computer never sends one person's reminders to another.
    """
    subscription, _ = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]}
    )
    choice = current_settings(user=user)
    if not choice.by_push:
        choice.by_push = True
        choice.save()
    return subscription


@transaction.atomic
def push_unsubscribe(*, user: User, endpoint: str) -> int:
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return deleted
