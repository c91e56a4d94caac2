"""A clinician's double click, retry or racing requests record a note or a decision once."""

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from routines.models import Clearance
from tracker.models import ClinicalNote


@pytest.mark.django_db
def test_the_same_note_form_sent_twice_makes_one_note(client, clinic):
    client.force_login(clinic.linked_physio)
    url = reverse("note_create", args=[clinic.patient_a.pk])
    data = {"body": "Called the patient; settling.", "submission_token": str(uuid.uuid4())}
    client.post(url, data)
    client.post(url, data, headers={"HX-Request": "true"})
    assert ClinicalNote.objects.filter(patient=clinic.patient_a).count() == 1


@pytest.mark.django_db
def test_two_forms_make_two_notes(client, clinic):
    client.force_login(clinic.linked_physio)
    url = reverse("note_create", args=[clinic.patient_a.pk])
    for body in ("First.", "Second."):
        client.post(url, {"body": body, "submission_token": str(uuid.uuid4())})
    assert ClinicalNote.objects.filter(patient=clinic.patient_a).count() == 2


@pytest.mark.django_db
def test_the_note_form_on_the_page_carries_a_fresh_token(client, clinic):
    client.force_login(clinic.linked_physio)
    page = client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).content.decode()
    assert 'name="submission_token"' in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("actor", "name", "data"),
    [
        ("linked_doctor", "clearance_record", {"record-decision": "cleared"}),
        (
            "linked_physio",
            "clearance_record_external",
            {"external-doctor_name": "Dr Rivera", "external-decided_on": "2026-01-05", "external-decision": "cleared"},
        ),
    ],
)
def test_a_decision_sent_twice_is_recorded_once(client, clinic, actor, name, data):
    client.force_login(clinic.actor(actor))
    prefix = name.removeprefix("clearance_").replace("record_external", "external").replace("record", "record")
    token = {f"{prefix}-submission_token": str(uuid.uuid4())}
    url = reverse(name, args=[clinic.patient_a.pk])
    client.post(url, {**data, **token})
    client.post(url, {**data, **token})
    assert Clearance.objects.filter(patient=clinic.patient_a).count() == 1


@pytest.mark.django_db(transaction=True)
def test_ten_requests_racing_with_one_note_form_make_one_note(clinic):
    url = reverse("note_create", args=[clinic.patient_a.pk])
    data = {"body": "Rang the patient back.", "submission_token": str(uuid.uuid4())}
    clients = []
    for _ in range(10):
        browser = Client()
        browser.force_login(clinic.linked_physio)
        clients.append(browser)

    def post(browser):
        try:
            return browser.post(url, data).status_code
        finally:
            connection.close()  # each thread has its own database connection

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(post, clients))
    assert ClinicalNote.objects.filter(patient=clinic.patient_a).count() == 1
    if connection.vendor == "postgresql":
        assert statuses == [302] * 10
    else:
        # The in-memory SQLite of the tests turns writers away at once rather than making them
        # wait: they get the "try again" page, never an error, and never a second note.
        assert set(statuses) <= {302, 503}, statuses
