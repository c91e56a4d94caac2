"""The README's demo clinicians sign in with a published authenticator key, only ever with debug on."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import TEST_PASSWORD, PhysiotherapistFactory
from tracker.mfa.demo import give_demo_authenticators

pytestmark = pytest.mark.django_db


def test_demo_code_prints_the_code_that_signs_a_demo_clinician_in(client, settings):
    settings.DEBUG = True
    physio = PhysiotherapistFactory(username="demo-physio")
    give_demo_authenticators([physio])
    output = StringIO()
    call_command("demo_code", "demo-physio", stdout=output)
    code = output.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    client.post(reverse("login"), {"username": "demo-physio", "password": TEST_PASSWORD})
    client.post(reverse("mfa_verify"), {"token": code})
    assert client.get(reverse("caseload")).status_code == 200


def test_demo_code_is_refused_with_debug_off(settings):
    settings.DEBUG = False
    physio = PhysiotherapistFactory(username="demo-physio")
    give_demo_authenticators([physio])
    with pytest.raises(CommandError, match="only with DJANGO_DEBUG on"):
        call_command("demo_code", "demo-physio")


def test_the_sign_in_page_mentions_the_demo_key_only_with_debug_on(client, settings):
    physio = PhysiotherapistFactory(username="demo-physio")
    give_demo_authenticators([physio])
    client.post(reverse("login"), {"username": "demo-physio", "password": TEST_PASSWORD})
    settings.DEBUG = True
    assert "manage.py demo_code demo-physio" in client.get(reverse("mfa_verify")).content.decode()
    settings.DEBUG = False
    assert "demo_code" not in client.get(reverse("mfa_verify")).content.decode()


def test_giving_the_demo_authenticators_twice_changes_nothing():
    physio = PhysiotherapistFactory()
    give_demo_authenticators([physio])
    give_demo_authenticators([physio])
    assert TOTPDevice.objects.filter(user=physio).count() == 1
