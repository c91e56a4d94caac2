"""Every rule speaks twice: to the patient (plain words) and about the patient to the care team (clinical, numbers)."""

import re

import pytest

from tracker.flags.rules import RULES
from tracker.models import Change, Condition, Extent

from .builders import check_in, daily, entry, run, snapshot

# One history per rule that makes it fire, oldest first (TODAY is 31 March 2025).
HISTORIES = {
    "emergency.cauda_equina": lambda: snapshot([check_in(0, bladder_bowel_change=True, saddle_numbness=True)]),
    "emergency.both_legs_or_foot_drop": lambda: snapshot([check_in(1, both_legs=True, foot_drop=True)]),
    "emergency.sudden_weakness_or_numbness": lambda: snapshot([check_in(0, sudden_weakness_or_numbness=True)]),
    "emergency.neck_cord_signs": lambda: snapshot(
        [check_in(0, hand_clumsiness_or_falls=True)], condition=Condition.NECK
    ),
    "contact.pain_rising": lambda: snapshot([*daily(20, 14, back=3), *daily(6, 0, back=7)]),
    "contact.pain_high_day": lambda: snapshot([*daily(20, 14, back=3), check_in(0, back=8)]),
    "contact.pain_setback": lambda: snapshot([*daily(30, 24, back=6), *daily(23, 10, back=2), *daily(9, 0, back=5)]),
    "contact.nerve_symptoms_spreading": lambda: snapshot(
        [check_in(3, numbness=Change.NEW), check_in(2, numbness=Change.SAME), check_in(1, numbness=Change.SAME)]
    ),
    "contact.new_weakness": lambda: snapshot([check_in(0, weakness=Change.NEW)]),
    "contact.general_warning_signs": lambda: snapshot([check_in(0, fever=True, night_pain=True)]),
    "contact.not_heard_from_you": lambda: snapshot([check_in(4, numbness=Change.WORSE, extent=Extent.SPREADING)]),
    "review.exercise_aggravates": lambda: snapshot(
        [], [entry(5, before=2, after=6), entry(3, before=2, after=2, symptoms_worse=True), entry(1)]
    ),
}
SECOND_PERSON = re.compile(r"\b(you|your|yours)\b", re.IGNORECASE)


def test_every_rule_has_a_history_here():
    assert {rule.id for rule in RULES} == set(HISTORIES)


@pytest.mark.parametrize("rule_id", sorted(HISTORIES))
def test_the_care_team_reads_a_third_person_clinical_summary_with_the_facts(rule_id):
    (finding,) = run(rule_id, HISTORIES[rule_id]())
    summary = finding.clinician_summary
    assert summary, f"{rule_id} gives the care team no summary"
    assert not SECOND_PERSON.search(summary), summary
    assert summary != finding.explanation
    assert re.search(r"\d", summary), f"{rule_id}'s summary carries no date or number: {summary}"
    assert summary.endswith("."), "whole sentences: nothing cut off"


def test_rising_pain_gives_mean_baseline_change_and_days():
    (finding,) = run("contact.pain_rising", HISTORIES["contact.pain_rising"]())
    assert finding.clinician_summary == "Back pain 7-day mean 7 vs baseline 3 (+4, +133%), 3 days."


def test_a_high_pain_day_gives_the_score_and_its_distance_from_baseline():
    (finding,) = run("contact.pain_high_day", HISTORIES["contact.pain_high_day"]())
    assert finding.clinician_summary == "Back pain 8/10 on 31 Mar (baseline 3, +5)."


def test_cauda_equina_signs_are_named_clinically_with_the_day():
    (finding,) = run("emergency.cauda_equina", HISTORIES["emergency.cauda_equina"]())
    assert finding.clinician_summary == (
        "Reported new bladder or bowel dysfunction and saddle anaesthesia on the safety checklist (31 Mar). "
        "Possible cauda equina syndrome: same-day emergency assessment."
    )


def test_an_aggravating_exercise_lists_each_session_that_counted():
    (finding,) = run("review.exercise_aggravates", HISTORIES["review.exercise_aggravates"]())
    assert finding.clinician_summary == (
        "Glute bridges aggravated symptoms in 2 of the last 3 sessions (26 Mar pain 2\u21926; 28 Mar symptoms worse). "
        "Paused pending physiotherapy review."
    )


def test_the_patient_still_reads_their_own_words():
    (finding,) = run("contact.pain_high_day", HISTORIES["contact.pain_high_day"]())
    assert finding.explanation.startswith("Your back pain was 8 out of 10 today.")
