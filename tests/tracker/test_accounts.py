import re

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.urls import reverse

import tracker.settings as configured
from tests.background import run_queued_tasks
from tests.conftest import verified_authenticator
from tests.factories import TEST_PASSWORD, PatientFactory
from tests.tracker.mfa_helpers import totp_now

pytestmark = pytest.mark.django_db


def sign_in(client, username, password=TEST_PASSWORD, address="203.0.113.5"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = configured.PASSWORD_HASHERS
    assert make_password("a long passphrase").startswith("argon2$")


def test_after_signing_in_a_patient_lands_on_their_today_page(client, clinic):
    response = sign_in(client, clinic.patient_a.username)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/my/"


@pytest.mark.parametrize(
    ("actor", "home"), [("linked_physio", "/caseload/"), ("linked_doctor", "/caseload/"), ("admin", "/admin/")]
)
def test_after_both_steps_of_signing_in_each_role_lands_on_its_own_home_page(client, clinic, actor, home):
    user = clinic.actor(actor)
    device = verified_authenticator(user)
    response = sign_in(client, user.username)
    assert client.get(response["Location"])["Location"] == "/account/two-factor/"
    response = client.post(reverse("mfa_verify"), {"token": totp_now(device)})
    assert response["Location"] == "/"
    assert client.get("/")["Location"] == home


def test_a_user_without_a_role_is_told_the_account_is_not_set_up(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get(reverse("home"))
    assert response.status_code == 403
    assert "not set up yet" in response.text


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(client, clinic):
    known = sign_in(client, clinic.patient_a.username, password="wrong")
    unknown = sign_in(client, "nobody-by-this-name", password="wrong")
    assert known.status_code == unknown.status_code == 200
    error = re.compile(r'<div class="form-errors">(.*?)</div>', re.S)
    assert error.search(known.text).group(1) == error.search(unknown.text).group(1)
    assert 'value="nobody-by-this-name"' in unknown.text  # what was typed is kept


def test_repeated_failures_lock_that_account_from_that_address_even_with_the_right_password(client, clinic, settings):
    username = clinic.patient_a.username
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, username, password="wrong")
    locked = sign_in(client, username)
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text
    # Someone else's guesses from elsewhere do not lock the patient out.
    elsewhere = sign_in(client, username, address="198.51.100.7")
    assert elsewhere.status_code == 302


def test_the_lockout_looks_the_same_for_an_account_that_does_not_exist(client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "ghost", password="wrong")
    locked = sign_in(client, "ghost")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.text


def test_password_reset_sends_a_working_link_by_email(client):
    patient = PatientFactory(email="nora@example.org")
    response = client.post(reverse("password_reset"), {"email": "nora@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []  # sent by the background worker, not while the page waits
    run_queued_tasks()
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.text
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    patient.refresh_from_db()
    assert patient.check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_address_looks_the_same_and_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    run_queued_tasks()
    assert mail.outbox == []


def test_a_signed_in_user_can_change_their_password(client, clinic):
    client.force_login(clinic.patient_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": TEST_PASSWORD, "new_password1": "another long phrase", "new_password2": "another long phrase"},
    )
    assert response.status_code == 302
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.check_password("another long phrase")


def test_a_too_short_new_password_is_refused_with_a_message(client, clinic):
    client.force_login(clinic.patient_a)
    response = client.post(
        reverse("password_change"), {"old_password": TEST_PASSWORD, "new_password1": "abc", "new_password2": "abc"}
    )
    assert response.status_code == 200
    assert "too short" in response.text
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.check_password(TEST_PASSWORD)


def test_signing_out_needs_a_post_and_ends_the_session(client, clinic):
    client.force_login(clinic.patient_a)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("patient_home")).status_code == 302
