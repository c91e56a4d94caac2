"""The caseload table is cached until one of the clinician's patients changes; it never shows stale data."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import CareTeamMembershipFactory, FlagFactory, PatientFactory, PhysiotherapistFactory
from tests.tracker.daily_helpers import checkin_post
from tracker.models import CareTeamMembership
from tracker.services.flags import flag_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio():
    return PhysiotherapistFactory()


@pytest.fixture
def patient(physio):
    patient = PatientFactory(first_name="Alex", last_name="Cached")
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    return patient


def last_check_in_cell(page: str) -> str:
    row = page.split("Alex Cached")[1].split("</tr>")[0]
    return row.split("<td>")[2].split("</td>")[0].strip()


def test_a_patients_check_in_shows_on_the_caseload_straight_away(client, physio, patient):
    client.force_login(physio)
    assert "Never" in last_check_in_cell(client.get(reverse("caseload")).text)

    client.force_login(patient)
    day = patient.local_today().isoformat()
    assert client.post(reverse("checkin", args=[day]), checkin_post(uuid.uuid4())).status_code == 302

    client.force_login(physio)
    assert last_check_in_cell(client.get(reverse("caseload")).text) == "Today"


def test_a_new_flag_shows_on_the_caseload_straight_away(client, physio, patient):
    client.force_login(physio)
    assert "Contact" not in client.get(reverse("caseload")).text.split("Alex Cached")[1].split("</tr>")[0]
    FlagFactory(patient=patient, clinician_summary="Back pain up 3 points this week.")
    assert "Back pain up 3 points this week." in client.get(reverse("caseload")).text


def test_a_patient_leaving_the_care_team_leaves_the_cached_table(client, physio, patient):
    client.force_login(physio)
    assert "Alex Cached" in client.get(reverse("caseload")).text
    CareTeamMembership.objects.filter(patient=patient).delete()
    assert "Alex Cached" not in client.get(reverse("caseload")).text


def test_each_clinician_gets_their_own_table(client, physio, patient):
    client.force_login(physio)
    assert "Alex Cached" in client.get(reverse("caseload")).text
    other = PhysiotherapistFactory()
    CareTeamMembershipFactory(patient=PatientFactory(first_name="Billie", last_name="Elsewhere"), clinician=other)
    client.force_login(other)
    page = client.get(reverse("caseload")).text
    assert "Billie Elsewhere" in page
    assert "Alex Cached" not in page


def test_filters_get_their_own_cached_table(client, physio, patient):
    client.force_login(physio)
    assert "Alex Cached" in client.get(reverse("caseload")).text
    page = client.get(reverse("caseload"), {"q": "nobody-by-this-name"}).text
    assert "0 patients matching “nobody-by-this-name”" in page
    assert "Alex Cached" not in page.split('<section id="caseload-results"')[1]


def test_the_inbox_shows_who_has_seen_an_alert_and_drops_a_resolved_one_straight_away(client, physio, patient):
    flag = FlagFactory(patient=patient, clinician_summary="Arm pain 7-day mean up 3 points.")
    client.force_login(physio)
    assert "Not yet seen" in client.get(reverse("caseload")).text.split('id="triage-inbox"')[1]

    client.post(reverse("flags_acknowledge_all", args=[patient.pk]))
    inbox = client.get(reverse("caseload")).text.split('id="triage-inbox"')[1]
    assert f"Seen by {physio.display_name}" in inbox

    flag_resolve(flag=flag, by=physio, note="Phoned: settling with rest.")
    assert "Arm pain 7-day mean up 3 points." not in client.get(reverse("caseload")).text


def test_a_caseload_served_from_the_cache_takes_mark_all_seen_from_another_signed_in_browser(client, physio, patient):
    """The inbox was rendered for the first browser; the second one's CSRF check must still pass."""
    from django.test import Client

    FlagFactory(patient=patient, clinician_summary="Arm pain 7-day mean up 3 points.")
    client.force_login(physio)
    client.get(reverse("caseload"))  # rendered and cached here
    laptop = Client(enforce_csrf_checks=True)
    laptop.force_login(physio)
    page = laptop.get(reverse("caseload")).text
    form = page.split(f'action="{reverse("flags_acknowledge_all", args=[patient.pk])}"')[1].split("</form>")[0]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = laptop.post(reverse("flags_acknowledge_all", args=[patient.pk]), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert f"Seen by {physio.display_name}" in laptop.get(reverse("caseload")).text
