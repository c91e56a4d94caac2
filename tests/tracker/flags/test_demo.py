"""The demo clinic's flags come from running the rules over its seeded history."""

import pytest
from django.core.management import call_command

from tracker.models import Flag, Severity, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def unresolved(username: str):
    return Flag.objects.unresolved().filter(patient__username=username)


def test_the_flagged_demo_patient_has_an_open_contact_flag_from_rising_pain(demo):
    flag = unresolved("demo-patient-flagged").get(rule_id="contact.pain_rising")
    assert flag.severity == Severity.CONTACT_PROVIDER
    assert flag.explanation.startswith("Your average neck pain over the last 7 days is")
    assert "up from 3 when you started" in flag.explanation


def test_the_other_demo_patients_have_no_flags(demo):
    assert not unresolved("demo-patient-active").exists()
    assert not unresolved("demo-patient-new").exists()


def test_seeding_again_adds_no_second_flag(demo):
    before = list(unresolved("demo-patient-flagged").values_list("pk", "explanation"))
    call_command("seed_demo")
    assert list(unresolved("demo-patient-flagged").values_list("pk", "explanation")) == before
    assert User.objects.filter(username="demo-patient-flagged").exists()
