"""Emergency advice worked out from the patient's own answers (for when the rules cannot run)."""

import pytest

from tests.factories import PatientFactory
from tests.tracker.daily_helpers import checkin_data
from tracker.flags.rules import EMERGENCY_CHECKLISTS
from tracker.models import Condition
from tracker.safety.advice import emergency_advice, emergency_signs, uncovered_emergency_signs
from tracker.services.checkins import checkin_save

EVERY_SIGN = [(checklist, field) for checklist in EMERGENCY_CHECKLISTS for field in checklist.signs]


@pytest.mark.parametrize(("checklist", "field"), EVERY_SIGN, ids=[field for _, field in EVERY_SIGN])
def test_every_emergency_sign_on_the_checklist_brings_the_advice(checklist, field):
    signs = emergency_signs(answers={field: True}, condition=Condition.NECK)
    assert [sign.field for sign in signs] == [field]
    assert checklist.signs[field] in emergency_advice(signs)


@pytest.mark.parametrize("field", ["fever", "weight_loss", "night_pain"])
def test_signs_that_are_not_emergencies_bring_no_emergency_advice(field):
    assert emergency_signs(answers={field: True}, condition=Condition.LOWER_BACK) == []


def test_clumsy_hands_are_an_emergency_sign_only_for_a_neck_problem():
    answers = {"hand_clumsiness_or_falls": True}
    assert emergency_signs(answers=answers, condition=Condition.LOWER_BACK) == []
    assert emergency_signs(answers=answers, condition=Condition.NECK) != []


def test_the_browsers_own_tick_values_count():
    signs = emergency_signs(answers={"saddle_numbness": "on", "foot_drop": ""}, condition=Condition.LOWER_BACK)
    assert [sign.field for sign in signs] == ["saddle_numbness"]


def test_several_signs_are_named_in_one_sentence():
    signs = emergency_signs(answers={"both_legs": True, "foot_drop": True}, condition=Condition.LOWER_BACK)
    assert emergency_advice(signs) == (
        "You told us about pain, numbness or weakness in both legs and a foot that drops or drags when you walk. "
        "This needs a doctor today."
    )


@pytest.mark.django_db
def test_once_the_rules_have_raised_the_flag_no_advice_is_left_over():
    patient = PatientFactory()
    answers = checkin_data(bladder_bowel_change=True)
    checkin_save(patient=patient, local_date=patient.local_today(), data=answers)
    assert uncovered_emergency_signs(patient=patient, answers=answers) == []


@pytest.mark.django_db
def test_signs_no_flag_covers_yet_are_left_over_for_the_patient():
    patient = PatientFactory()
    signs = uncovered_emergency_signs(patient=patient, answers={"saddle_numbness": True})
    assert [sign.field for sign in signs] == ["saddle_numbness"]
