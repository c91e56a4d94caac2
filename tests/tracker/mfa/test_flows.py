"""The second step of signing in: required for clinicians and staff, optional for patients."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import verified_authenticator
from tests.factories import TEST_PASSWORD, PatientFactory, PhysiotherapistFactory, passkey_for
from tests.tracker.mfa_helpers import totp_now

pytestmark = pytest.mark.django_db

CODE_LABEL = "Code from your authenticator app, or a recovery code"


def password_only(client, user):
    """Signed in with the password only, through the sign-in form: the first of the two steps."""
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def set_up_authenticator(client) -> tuple[TOTPDevice, list[str]]:
    page = client.get(reverse("mfa_setup")).content.decode()
    assert "Set up the second step of signing in" in page
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("mfa_setup"), {"token": totp_now(device)})
    codes = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    return device, codes


@pytest.mark.parametrize(
    "url",
    ["/caseload/", "/admin/", "/account/two-factor/manage/", "/accounts/password_change/", "/my/"],
)
def test_a_clinician_who_has_only_given_a_password_is_sent_to_set_up_the_second_step(client, clinic, url):
    password_only(client, clinic.linked_physio)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/account/two-factor/setup/")


def test_patient_pages_are_not_reachable_either_before_the_second_step(client, clinic):
    password_only(client, clinic.linked_physio)
    url = reverse("patient_detail", args=[clinic.patient_a.pk])
    assert client.get(url)["Location"] == f"/account/two-factor/setup/?next={url.replace('/', '%2F')}"


def test_a_staff_member_needs_the_second_step_for_the_django_admin(client, clinic):
    password_only(client, clinic.admin)
    assert client.get("/admin/")["Location"].startswith("/account/two-factor/setup/")


def test_the_first_sign_in_sets_up_the_app_and_shows_ten_recovery_codes_once(client, clinic):
    password_only(client, clinic.linked_physio)
    device, codes = set_up_authenticator(client)
    device.refresh_from_db()
    assert device.confirmed
    assert len(codes) == 10
    assert len(set(codes)) == 10
    assert client.get(reverse("caseload")).status_code == 200


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type(client, clinic):
    password_only(client, clinic.linked_physio)
    page = client.get(reverse("mfa_setup")).content.decode()
    assert "<svg" in page
    assert 'class="secret-key"' in page
    assert "style=" not in page


def test_a_wrong_code_during_set_up_is_refused_with_a_clear_message(client, clinic):
    password_only(client, clinic.linked_physio)
    client.get(reverse("mfa_setup"))
    response = client.post(reverse("mfa_setup"), {"token": "000000"})
    assert "That code did not work" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clinic.linked_physio, confirmed=True).exists()
    assert client.get(reverse("caseload")).status_code == 302


def test_a_later_sign_in_asks_for_the_code_and_then_lets_the_clinician_in(client, clinic):
    device = verified_authenticator(clinic.linked_doctor)
    password_only(client, clinic.linked_doctor)
    assert client.get(reverse("caseload"))["Location"].startswith("/account/two-factor/?next=")
    response = client.post(reverse("mfa_verify") + "?next=/caseload/", {"token": totp_now(device)})
    assert response["Location"] == "/caseload/"
    assert client.get(reverse("caseload")).status_code == 200


def test_a_code_cannot_be_used_twice(client, clinic):
    device = verified_authenticator(clinic.linked_doctor)
    code = totp_now(device)
    password_only(client, clinic.linked_doctor)
    client.post(reverse("mfa_verify"), {"token": code})
    client.logout()
    password_only(client, clinic.linked_doctor)
    response = client.post(reverse("mfa_verify"), {"token": code})
    assert "That code did not work" in response.content.decode()


def test_a_session_with_a_factor_cannot_add_another_before_showing_one(client, clinic):
    verified_authenticator(clinic.linked_physio)
    password_only(client, clinic.linked_physio)
    response = client.get(reverse("mfa_setup"))
    assert response["Location"].startswith(reverse("mfa_verify"))
    assert not TOTPDevice.objects.filter(user=clinic.linked_physio, confirmed=False).exists()


def test_a_recovery_code_works_once_and_says_how_many_are_left(client, clinic):
    password_only(client, clinic.linked_physio)
    _, codes = set_up_authenticator(client)
    client.logout()
    password_only(client, clinic.linked_physio)
    response = client.post(reverse("mfa_verify"), {"token": codes[0].upper()}, follow=True)
    assert "You used a recovery code; 9 left." in response.content.decode()
    client.logout()
    password_only(client, clinic.linked_physio)
    response = client.post(reverse("mfa_verify"), {"token": codes[0]})
    assert "That code did not work" in response.content.decode()
    assert StaticToken.objects.filter(device__user=clinic.linked_physio).count() == 9


def test_guessing_codes_is_slowed_down_by_throttling(client, clinic):
    device = verified_authenticator(clinic.linked_doctor)
    password_only(client, clinic.linked_doctor)
    for _ in range(3):
        client.post(reverse("mfa_verify"), {"token": "123456"})
    response = client.post(reverse("mfa_verify"), {"token": totp_now(device)})
    assert "Too many wrong codes in a row. Wait a few seconds" in response.content.decode()
    assert client.get(reverse("caseload")).status_code == 302


def test_an_htmx_request_before_the_second_step_is_sent_to_the_whole_page(client, clinic):
    password_only(client, clinic.linked_physio)
    response = client.get(reverse("caseload"), headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith("/account/two-factor/setup/")


def test_new_recovery_codes_replace_the_old_ones(client, clinic):
    password_only(client, clinic.linked_physio)
    _, old = set_up_authenticator(client)
    response = client.post(reverse("mfa_recovery_codes"))
    new = re.findall(r"<li><code>([a-z2-7]+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(old) & set(new)
    assert StaticToken.objects.filter(device__user=clinic.linked_physio, token__in=old).count() == 0


def test_a_clinician_cannot_turn_the_second_step_off(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("mfa_turn_off"), follow=True)
    assert "required for clinic staff" in response.content.decode()
    assert TOTPDevice.objects.filter(user=clinic.linked_physio).exists()


def test_a_clinician_cannot_remove_their_only_passkey_without_an_app():
    physio = PhysiotherapistFactory()
    passkey = passkey_for(physio)
    from tracker.mfa.services import passkey_remove

    with pytest.raises(Exception, match="Keep at least one way"):
        passkey_remove(user=physio, passkey_id=passkey.pk)


# Patients: their choice.


def test_a_patient_is_never_asked_for_a_second_step_unless_they_turn_it_on(client):
    patient = PatientFactory()
    password_only(client, patient)
    assert client.get(reverse("patient_home")).status_code == 200


def test_a_patient_who_turns_it_on_is_asked_at_the_next_sign_in_and_can_turn_it_off(client):
    patient = PatientFactory()
    password_only(client, patient)
    _, codes = set_up_authenticator(client)
    assert len(codes) == 10
    client.logout()
    password_only(client, patient)
    assert client.get(reverse("patient_home"))["Location"].startswith("/account/two-factor/")
    client.post(reverse("mfa_verify"), {"token": codes[1]})
    assert client.get(reverse("patient_home")).status_code == 200
    client.post(reverse("mfa_turn_off"))
    assert not TOTPDevice.objects.filter(user=patient).exists()
    client.logout()
    password_only(client, patient)
    assert client.get(reverse("patient_home")).status_code == 200


def test_the_security_page_lists_the_factors_without_inline_script(client, clinic):
    client.force_login(clinic.linked_physio)
    passkey_for(clinic.linked_physio, name="Work laptop")
    page = client.get(reverse("mfa_manage")).content.decode()
    assert "Work laptop" in page
    assert "Authenticator app" in page
    assert "Turn off the second step" not in page
