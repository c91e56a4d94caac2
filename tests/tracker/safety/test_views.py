"""What the patient sees when the rules could not run or the database failed: their answers and the advice."""

import uuid

import pytest
from django.db import OperationalError
from django.urls import reverse

from tests.factories import PatientFactory
from tests.tracker.daily_helpers import checkin_post
from tracker.flags.rules import Rule
from tracker.models import CheckIn, Severity

from .faults import connection_drops_after

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(client):
    patient = PatientFactory()
    client.force_login(patient)
    return patient


def post_check_in(client, patient, **answers):
    url = reverse("checkin", args=[patient.local_today().isoformat()])
    return client.post(url, checkin_post(uuid.uuid4(), **answers))


def test_a_database_error_while_saving_gives_the_form_back_with_the_answers_and_the_emergency_advice(client, patient):
    with connection_drops_after('INSERT INTO "tracker_checkin"'):
        response = post_check_in(client, patient, neck_back_pain=7, saddle_numbness="on", note="Worse since lunch")
    page = response.content.decode()
    assert response.status_code == 503
    assert "We could not save your check-in" in page
    assert "Your answers are still below" in page
    assert 'name="saddle_numbness" id="id_saddle_numbness" checked' in page
    assert 'name="neck_back_pain" value="7" id="id_neck_back_pain_7" checked' in page
    assert "Worse since lunch" in page
    assert "Get emergency care now" in page
    assert "numbness around your bottom or genitals" in page
    assert 'href="tel:999"' in page
    assert not CheckIn.objects.filter(patient=patient).exists()


def test_a_database_error_without_a_warning_sign_keeps_the_answers_without_emergency_advice(client, patient):
    with connection_drops_after('INSERT INTO "tracker_checkin"'):
        response = post_check_in(client, patient)
    assert response.status_code == 503
    assert "Get emergency care now" not in response.content.decode()


def test_sending_the_same_form_again_once_the_database_is_back_saves_it_once(client, patient):
    data = checkin_post(uuid.uuid4(), bladder_bowel_change="on")
    url = reverse("checkin", args=[patient.local_today().isoformat()])
    with connection_drops_after('INSERT INTO "tracker_checkin"'):
        assert client.post(url, data).status_code == 503
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert CheckIn.objects.filter(patient=patient).count() == 1


def test_a_form_with_a_mistake_still_shows_the_emergency_advice_for_a_ticked_warning_sign(client, patient):
    response = post_check_in(client, patient, neck_back_pain="", foot_drop="on")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Get emergency care now" in page
    assert "a foot that drops or drags when you walk" in page


def test_when_the_rules_could_not_run_the_patient_is_told_from_their_own_answers(client, patient, monkeypatch):
    def broken(snapshot):
        raise ValueError("bug")

    monkeypatch.setattr("tracker.flags.engine.RULES", [Rule("test.broken", Severity.EMERGENCY, "Broken", broken)])
    response = post_check_in(client, patient, bladder_bowel_change="on")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Get emergency care now" in page
    assert "You told us about a change in how your bladder or bowel works." in page
    assert 'href="tel:999"' in page
    # The emergency comes before the "saved" thank-you.
    assert page.index("Get emergency care now") < page.index("Your check-in for today is saved")


def test_when_the_rules_ran_the_emergency_is_told_once_by_the_flag_banner(client, patient):
    response = post_check_in(client, patient, bladder_bowel_change="on")
    page = client.get(response["Location"]).content.decode()
    assert page.count("Get emergency care now") == 1
    assert "Today you told us about a change in how your bladder or bowel works." in page


def test_the_emergency_number_is_a_setting(client, patient, settings):
    settings.EMERGENCY_PHONE_NUMBER = "112"
    response = post_check_in(client, patient, neck_back_pain="", bladder_bowel_change="on")
    assert 'href="tel:112"' in response.content.decode()


def test_a_database_outage_on_any_page_answers_503_with_what_to_do(client, patient, monkeypatch):
    def down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("tracker.pagecache.today.today_for", down)
    response = client.get(reverse("patient_home"))
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "We could not reach our records just now" in page
    assert 'href="tel:999"' in page


def test_an_htmx_request_during_an_outage_gets_a_notice_for_the_pages_outage_region(client, patient, monkeypatch):
    def down(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr("tracker.pagecache.today.today_for", down)
    response = client.get(reverse("patient_home"), headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert response["HX-Retarget"] == "#outage"
    assert "<html" not in response.content.decode()
    assert "We could not reach our records just now" in response.content.decode()


def test_every_page_has_the_region_the_outage_notice_goes_into(client, patient):
    assert 'id="outage"' in client.get(reverse("patient_home")).content.decode()


def test_the_emergency_number_is_the_patients_clinics_own(client, patient, settings):
    settings.EMERGENCY_PHONE_NUMBER = "999"
    patient.clinic.emergency_number = "911"
    patient.clinic.save()
    response = post_check_in(client, patient, neck_back_pain="", bladder_bowel_change="on")
    assert 'href="tel:911"' in response.content.decode()
