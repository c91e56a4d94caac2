"""Reads: a person's recent reminders, for themself and their care team."""

from django.db.models import QuerySet

from tracker.models import User

from .models import PATIENT_KINDS, Reminder

RECENT = 14


def recent_reminders(*, user: User, limit: int = RECENT) -> list[Reminder]:
    return list(Reminder.objects.filter(user=user).order_by("-local_date", "-id")[:limit])


def recent_patient_reminders(*, patient: User, limit: int = 7) -> QuerySet[Reminder]:
    """The patient's own reminders (never a clinician's digest); the caller has checked access."""
    return Reminder.objects.filter(user=patient, kind__in=PATIENT_KINDS).order_by("-local_date", "-id")[:limit]
