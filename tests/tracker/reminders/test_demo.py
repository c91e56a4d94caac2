"""The demo's reminders: a week of past reminders to look at, and a second run changes nothing."""

import pytest

from tests.factories import CheckInFactory, PatientFactory, PhysiotherapistFactory
from tracker.reminders.demo import PAST_DAYS, seed_reminders
from tracker.reminders.models import Reminder, ReminderSettings

pytestmark = pytest.mark.django_db


def test_demo_reminders_are_made_once():
    patient = PatientFactory(username="demo-patient-active")
    physio = PhysiotherapistFactory()
    CheckInFactory(patient=patient, local_date=patient.local_today().replace(day=1))
    seed_reminders(patients=[patient], clinicians=[physio])
    assert Reminder.objects.filter(user=patient).count() == PAST_DAYS
    assert not Reminder.objects.filter(user=patient, local_date=patient.local_today()).exists()
    assert ReminderSettings.objects.get(user=physio).send_at.hour == 8
    seed_reminders(patients=[patient], clinicians=[physio])
    assert Reminder.objects.filter(user=patient).count() == PAST_DAYS
    assert ReminderSettings.objects.count() == 2
