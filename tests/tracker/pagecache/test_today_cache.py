"""The Today page is built once per write: later visits read it from the cache, and no write leaves it stale."""

import uuid

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from tests.factories import CareTeamMembershipFactory, FlagFactory, PatientFactory
from tests.tracker.daily_helpers import checkin_post, program
from tracker.models import Severity
from tracker.pagecache import versions
from tracker.services.flags import flag_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(client):
    patient = PatientFactory()
    client.force_login(patient)
    return patient


def test_the_first_visit_builds_the_page_and_the_next_runs_only_the_sign_in_queries(
    client, patient, django_assert_num_queries
):
    program(patient, size=3)
    # Session, account, the page's six, whether a questionnaire is due, the audit trail's INSERT.
    with django_assert_num_queries(10):
        client.get(reverse("patient_home"))
    # Session, account and the audit INSERT: the page comes from the cache.
    with django_assert_num_queries(3):
        response = client.get(reverse("patient_home"))
    assert response.status_code == 200
    assert "0 of 3 done" in response.text


def test_a_check_in_shows_on_the_next_visit(client, patient):
    assert "Check in for today" in client.get(reverse("patient_home")).text
    day = patient.local_today().isoformat()
    response = client.post(reverse("checkin", args=[day]), checkin_post(uuid.uuid4()))
    assert response.status_code == 302
    page = client.get(reverse("patient_home")).text
    assert "Check in for today" not in page
    assert "Change today's check-in" in page


def test_an_exercise_marked_done_shows_on_the_next_visit(client, patient):
    first, _ = program(patient, size=2)
    assert "0 of 2 done" in client.get(reverse("patient_home")).text
    day = patient.local_today().isoformat()
    client.post(reverse("session_done", args=[day, first.pk]))
    assert "1 of 2 done" in client.get(reverse("patient_home")).text


def test_a_flag_a_clinician_resolves_leaves_the_patients_page(client, patient):
    physio = CareTeamMembershipFactory(patient=patient).clinician
    flag = FlagFactory(patient=patient, severity=Severity.CONTACT_PROVIDER)
    assert flag.explanation in client.get(reverse("patient_home")).text
    flag_resolve(flag=flag, by=physio, note="Called them; pain is settling.")
    assert flag.explanation not in client.get(reverse("patient_home")).text


def test_another_patients_write_keeps_this_patients_page_cached(client, patient, django_assert_num_queries):
    client.get(reverse("patient_home"))
    other = PatientFactory()
    FlagFactory(patient=other)
    with django_assert_num_queries(3):  # session, account, the audit INSERT
        client.get(reverse("patient_home"))


def test_a_write_that_rolls_back_still_leaves_a_fresh_version_and_commits_bump_again(transactional_db):
    patient = PatientFactory()
    before = versions.version(patient.pk)

    def write_then_fail():
        with transaction.atomic():
            FlagFactory(patient=patient)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        write_then_fail()
    # The version changed at the write (harmless: one rebuild) and the failed commit adds nothing.
    during = versions.version(patient.pk)
    assert during != before
    with transaction.atomic():
        FlagFactory(patient=patient)
        inside = versions.version(patient.pk)
    assert versions.version(patient.pk) != inside  # given again after the commit


def test_a_lost_version_is_replaced_and_every_reader_agrees(patient):
    first = versions.version(patient.pk)
    cache.delete(f"pv:{patient.pk}")
    replaced = versions.version(patient.pk)
    assert replaced != first
    assert versions.version(patient.pk) == replaced
