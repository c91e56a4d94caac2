"""Shared helpers for the daily check-in, session log and progress tests."""

from datetime import datetime

from django.utils import timezone

from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory


def freeze_now(monkeypatch, moment: datetime) -> None:
    """Make "now" a fixed moment for everything that asks django.utils.timezone.now()."""
    monkeypatch.setattr(timezone, "now", lambda: moment)


def checkin_data(**overrides) -> dict:
    """A complete, valid check-in as the service takes it."""
    return {
        "neck_back_pain": 4,
        "limb_pain": 3,
        "numbness": "same",
        "weakness": "none",
        "extent": "same",
        "note": "",
        **overrides,
    }


def checkin_post(token, **overrides) -> dict:
    """A complete, valid check-in as the browser posts it."""
    return {key: str(value) for key, value in {**checkin_data(), "submission_token": token, **overrides}.items()}


def program(patient, *, size: int = 2, **assignment_fields) -> list:
    """A cleared patient with `size` available exercises."""
    ClearanceFactory(patient=patient)
    return [AssignmentFactory(patient=patient, exercise=ExerciseFactory(), **assignment_fields) for _ in range(size)]
