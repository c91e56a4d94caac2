"""An emergency e-mail that has not reached the care team in time shows on every linked clinician's caseload."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tracker.flags.selectors import unreached_emergency_flags
from tracker.models import Flag, FlagNotification, NotificationStatus
from tracker.services.flags import flag_acknowledge, flags_evaluate

from .records import log_check_in

pytestmark = pytest.mark.django_db


def emergency_sent_minutes_ago(clinic, minutes: int) -> Flag:
    log_check_in(clinic.patient_a, 0, bladder_bowel_change=True)
    flags_evaluate(patient=clinic.patient_a)
    flag = Flag.objects.get(patient=clinic.patient_a)
    then = timezone.now() - timedelta(minutes=minutes)
    Flag.objects.filter(pk=flag.pk).update(opened_at=then)
    FlagNotification.objects.filter(flag=flag).update(created_at=then)
    return flag


def test_an_emergency_nobody_was_reached_about_in_ten_minutes_is_escalated(clinic):
    flag = emergency_sent_minutes_ago(clinic, 11)
    assert list(unreached_emergency_flags()) == [flag]


def test_an_emergency_is_given_ten_minutes_before_it_is_escalated(clinic):
    emergency_sent_minutes_ago(clinic, 9)
    assert list(unreached_emergency_flags()) == []


def test_one_delivered_email_means_the_care_team_was_reached(clinic):
    flag = emergency_sent_minutes_ago(clinic, 30)
    FlagNotification.objects.filter(flag=flag, recipient=clinic.linked_doctor).update(
        status=NotificationStatus.SENT, sent_at=timezone.now()
    )
    assert list(unreached_emergency_flags()) == []


def test_a_clinician_who_has_seen_the_flag_has_been_reached(clinic):
    flag = emergency_sent_minutes_ago(clinic, 30)
    flag_acknowledge(flag=flag, by=clinic.linked_physio)
    assert list(unreached_emergency_flags()) == []


def test_every_linked_clinician_sees_care_team_not_yet_reached_and_no_one_else_does(client, clinic):
    emergency_sent_minutes_ago(clinic, 12)
    for clinician, shown in (
        (clinic.linked_physio, True),
        (clinic.linked_doctor, True),
        (clinic.unlinked_physio, False),
    ):
        client.force_login(clinician)
        page = client.get(reverse("caseload")).content.decode()
        assert ("Care team not yet reached" in page) is shown
        assert (clinic.patient_a.display_name in page.split("Care team not yet reached")[-1][:2000]) is shown
