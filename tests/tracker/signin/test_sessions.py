"""Idle sign-out for clinicians, long sessions on a patient's own phone, signing out elsewhere, no caching."""

import time

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tracker.signin.sessions import LAST_SEEN_KEY

pytestmark = pytest.mark.django_db


def idle_for(client, seconds: int) -> None:
    session = client.session
    session[LAST_SEEN_KEY] = time.time() - seconds
    session.save()


def test_a_clinician_idle_for_fifteen_minutes_is_signed_out_with_a_reason(client, clinic):
    client.force_login(clinic.linked_physio)
    client.get(reverse("caseload"))
    idle_for(client, 15 * 60 + 5)
    response = client.get(reverse("caseload"))
    assert response["Location"].startswith(reverse("login"))
    page = client.get(response["Location"]).content.decode()
    assert "signed out after 15 minutes without activity" in page
    assert client.get(reverse("caseload")).status_code == 302


def test_a_clinician_who_keeps_working_stays_signed_in(client, clinic):
    client.force_login(clinic.linked_physio)
    idle_for(client, 14 * 60)
    assert client.get(reverse("caseload")).status_code == 200
    assert time.time() - client.session[LAST_SEEN_KEY] < 5


def test_stay_signed_in_counts_as_activity(client, clinic):
    client.force_login(clinic.linked_doctor)
    idle_for(client, 14 * 60)
    response = client.post(reverse("session_keep_alive"))
    assert response.status_code == 204
    assert int(response["X-Idle-Seconds-Left"]) > 14 * 60


def test_the_idle_time_is_a_setting(client, clinic, settings):
    settings.CLINICIAN_IDLE_MINUTES = 5
    client.force_login(clinic.linked_physio)
    idle_for(client, 6 * 60)
    assert client.get(reverse("caseload")).status_code == 302


def test_an_htmx_request_after_the_time_out_loads_the_sign_in_page_whole(client, clinic):
    client.force_login(clinic.linked_physio)
    idle_for(client, 16 * 60)
    response = client.get(reverse("caseload"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("login")


def test_clinician_pages_carry_the_time_left_for_the_warning(client, clinic):
    client.force_login(clinic.linked_physio)
    page = client.get(reverse("caseload")).content.decode()
    assert 'data-idle-seconds-left="' in page
    assert 'id="idle-warning"' in page
    assert 'src="/static/js/idle.js"' in page


def test_patients_are_never_signed_out_for_being_idle(client, clinic):
    client.force_login(clinic.patient_a)
    idle_for(client, 3 * 60 * 60)
    response = client.get(reverse("patient_home"))
    assert response.status_code == 200
    assert "data-idle-seconds-left" not in response.content.decode()


def test_a_patient_stays_signed_in_for_thirty_days_and_a_clinician_for_a_working_day(client, clinic):
    client.post(reverse("login"), {"username": clinic.patient_a.username, "password": TEST_PASSWORD})
    assert 29 * 86400 < client.session.get_expiry_age() <= 30 * 86400
    client.logout()
    client.post(reverse("login"), {"username": clinic.linked_physio.username, "password": TEST_PASSWORD})
    assert client.session.get_expiry_age() <= 12 * 3600


def test_signing_out_of_other_devices_ends_them_and_keeps_this_one(client, clinic):
    from django.test import Client

    phone, laptop = client, Client()
    phone.force_login(clinic.patient_a)
    laptop.force_login(clinic.patient_a)
    response = phone.post(reverse("sign_out_other_devices"), follow=True)
    assert "signed out everywhere else" in response.content.decode()
    assert phone.get(reverse("patient_home")).status_code == 200
    assert laptop.get(reverse("patient_home"))["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("actor", ["patient_a", "linked_physio"])
def test_pages_for_someone_signed_in_are_never_cached(client, clinic, actor):
    client.force_login(clinic.actor(actor))
    response = client.get(reverse("home"), follow=True)
    assert response["Cache-Control"] == "no-store"
