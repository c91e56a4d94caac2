"""Patients edit their own e-mail (confirmed by a link), phone and time zone; the care team sees who they are."""

import re

import pytest
from django.core import mail, signing
from django.urls import reverse

from tests.background import run_queued_tasks
from tracker.clinics.tokens import email_change_token

pytestmark = pytest.mark.django_db


def test_phone_and_time_zone_change_at_once_and_the_email_after_confirming(client, clinic):
    patient = clinic.patient_a
    old_email = patient.email
    client.force_login(patient)
    response = client.post(
        reverse("my_account"), {"email": "Alice.New@Example.org", "phone": "07700 900111", "time_zone": "Europe/Paris"}
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.phone == "07700 900111"
    assert patient.time_zone == "Europe/Paris"
    assert patient.email == old_email  # not yet
    run_queued_tasks()
    assert mail.outbox[-1].to == ["alice.new@example.org"]
    link = re.search(r"https?://\S+/account/email/\S+/", mail.outbox[-1].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert "Your e-mail address is changed" in client.get(path).content.decode()
    patient.refresh_from_db()
    assert patient.email == "alice.new@example.org"
    # Used once: opening it again says there is nothing left to do.
    response = client.get(path)
    assert response.status_code == 410
    assert "already confirmed" in response.content.decode()


def test_an_email_link_for_an_address_someone_else_has_is_refused(client, clinic):
    token = email_change_token(user=clinic.patient_a, new_email=clinic.patient_b.email)
    response = client.get(reverse("account_email_confirm", args=[token]))
    assert response.status_code == 410
    assert "Another account uses it" in response.content.decode()
    forged = signing.dumps({"u": clinic.patient_a.pk, "old": "x", "new": "evil@example.org"}, salt="other")
    assert client.get(reverse("account_email_confirm", args=[forged])).status_code == 400
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.email != "evil@example.org"


def test_bad_account_input_gets_a_clear_message(client, clinic):
    client.force_login(clinic.patient_a)
    response = client.post(
        reverse("my_account"), {"email": "not an email", "phone": "call me", "time_zone": "Moon/Base"}
    )
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Write the phone number with digits only" in page
    assert "is not a time zone name" in page


def test_the_patient_page_starts_with_who_this_is(client, clinic):
    patient = clinic.patient_a
    patient.phone = "07700 900123"
    patient.clinic_patient_id = "RS-77"
    patient.date_of_birth = "1975-03-02"
    patient.save()
    client.force_login(clinic.linked_doctor)
    page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    assert 'href="tel:07700900123"' in page
    assert "RS-77" in page
    assert "2 Mar 1975" in page
    assert f'href="mailto:{patient.email}"' in page
