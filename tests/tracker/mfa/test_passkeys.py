"""django-otp-webauthn's passkey endpoints: only for someone signed in, and never a way around the second step."""

import pytest

from tests.conftest import verified_authenticator
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

BEGIN_REGISTRATION = "/webauthn/registration/begin/"
BEGIN_AUTHENTICATION = "/webauthn/authentication/begin/"


def test_nobody_signed_out_can_start_adding_a_passkey(client):
    response = client.post(BEGIN_REGISTRATION)
    assert response.status_code in (401, 403)


def test_passkeys_are_a_second_step_never_a_way_to_sign_in_without_a_password(client):
    response = client.post(BEGIN_AUTHENTICATION)
    assert response.status_code in (401, 403)


def test_a_session_that_owes_its_second_step_cannot_add_a_passkey(client, clinic):
    verified_authenticator(clinic.linked_physio)
    client.post("/accounts/login/", {"username": clinic.linked_physio.username, "password": TEST_PASSWORD})
    response = client.post(BEGIN_REGISTRATION)
    assert response.status_code == 403


def test_a_verified_session_gets_the_options_to_add_a_passkey_for_this_site(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(BEGIN_REGISTRATION)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "testserver", "name": "Recovery tracker"}
    assert options["user"]["name"] == clinic.linked_physio.username


def test_a_clinician_signed_in_with_a_password_may_start_the_passkey_step(client, clinic):
    verified_authenticator(clinic.linked_physio)
    client.post("/accounts/login/", {"username": clinic.linked_physio.username, "password": TEST_PASSWORD})
    assert client.post(BEGIN_AUTHENTICATION).status_code == 200
