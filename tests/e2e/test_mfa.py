"""The second step of signing in, in Chromium: an authenticator app, recovery codes and a passkey."""

import base64

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CareTeamMembershipFactory, PhysiotherapistFactory
from tests.tracker.mfa_helpers import totp_now
from tracker.mfa.services import AUTHENTICATOR_NAME

pytestmark = pytest.mark.django_db(transaction=True)


def password_step(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def code_from_key_on_page(page) -> str:
    key = base64.b32decode(page.locator(".secret-key").inner_text().replace(" ", ""))
    return f"{TOTP(key).token():06d}"


def test_a_physiotherapists_first_sign_in_sets_up_the_app_then_a_recovery_code_gets_them_in(
    desktop_page, live_server, assert_accessible
):
    page = desktop_page
    physio = PhysiotherapistFactory()
    CareTeamMembershipFactory(clinician=physio)
    password_step(page, live_server, physio)

    expect(page.get_by_role("heading", name="Set up the second step of signing in")).to_be_visible()
    expect(page.get_by_role("figure")).to_contain_text("QR code")
    assert_accessible(page)
    page.get_by_label("The 6-digit code your app shows").fill(code_from_key_on_page(page))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Save your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page.get_by_role("heading", name="Your caseload")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server, physio)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your caseload")).to_be_visible()
    expect(page.get_by_text("You used a recovery code; 9 left.")).to_be_visible()
    assert page.console_errors == []


def test_a_clinician_adds_a_passkey_and_uses_it_as_the_second_step(desktop_page, live_server, sign_in):
    page = desktop_page
    physio = PhysiotherapistFactory()
    authenticator = page.context.new_cdp_session(page)
    authenticator.send("WebAuthn.enable")
    authenticator.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    sign_in(page, physio)
    page.goto(f"{live_server.url}/account/two-factor/manage/")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_text("No passkeys yet.")).to_have_count(0)
    expect(page.locator(".plain-list li")).to_have_count(1)

    page.get_by_role("button", name="Sign out").click()
    password_step(page, live_server, physio)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="Your caseload")).to_be_visible()
    assert [error for error in page.console_errors if "favicon" not in error] == []


def test_the_authenticator_code_signs_a_doctor_in_on_a_phone(phone_page, live_server):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.factories import DoctorFactory

    page = phone_page
    doctor = DoctorFactory()
    device = TOTPDevice.objects.create(user=doctor, name=AUTHENTICATOR_NAME, confirmed=True)
    password_step(page, live_server, doctor)
    page.get_by_label("Code from your authenticator app, or a recovery code").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".field-error", has_text="That code did not work")).to_be_visible()
    page.wait_for_timeout(1500)  # django-otp makes a second try wait a second after a wrong code
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp_now(device))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your patients")).to_be_visible()
