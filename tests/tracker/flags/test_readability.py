"""Everything a patient reads about a flag is plain: Flesch-Kincaid grade 8 or below."""

import html

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from tracker.flags.rules import RULES
from tracker.flags.selectors import PatientAlerts
from tracker.models import Change, Condition, Extent, Flag, Role, Severity, User

from .builders import check_in, daily, entry, review, snapshot
from .readability import grade, sentences

MAX_GRADE = 8

# Histories that make every rule speak, in each of its ways of saying things.
HISTORIES = [
    snapshot([check_in(0, bladder_bowel_change=True, saddle_numbness=True)]),
    snapshot([check_in(1, both_legs=True, foot_drop=True)]),
    snapshot([check_in(0, sudden_weakness_or_numbness=True)]),
    snapshot([check_in(0, hand_clumsiness_or_falls=True)], condition=Condition.NECK),
    snapshot([*daily(27, 21, back=3, limb=2), *daily(20, 0, back=6, limb=5)]),
    snapshot(
        [*daily(27, 21, back=8), *daily(19, 13, back=3), *daily(12, 0, back=6)],
        reviews={"contact.pain_rising": review(20)},
    ),
    snapshot([*daily(27, 1, back=3), check_in(0, back=7, limb=9)], condition=Condition.NECK),
    snapshot([check_in(5, limb=9)]),
    snapshot([check_in(2, numbness=Change.NEW, extent=Extent.SPREADING), check_in(0, numbness=Change.SAME)]),
    snapshot([check_in(0, weakness=Change.NEW)]),
    snapshot([check_in(1, weakness=Change.WORSE)]),
    snapshot([check_in(0, fever=True, weight_loss=True, night_pain=True)]),
    snapshot([check_in(4, weakness=Change.WORSE, limb=8)]),
    snapshot(
        [check_in(4, back=4), check_in(2, limb=4)],
        [entry(5, before=3, after=7, symptoms_worse=True), entry(3, before=3, after=3)],
    ),
]


def explanations() -> list[str]:
    texts = [finding.explanation for history in HISTORIES for rule in RULES for finding in rule.evaluate(history)]
    assert {rule.id for rule in RULES} <= {
        finding.rule_id for history in HISTORIES for rule in RULES for finding in rule.evaluate(history)
    }, "every rule must be covered"
    return texts


@pytest.mark.parametrize("text", explanations())
def test_every_explanation_is_easy_to_read(text):
    assert grade(text) <= MAX_GRADE, f"grade {grade(text):.1f}: {text}"


@pytest.mark.parametrize("text", explanations())
def test_no_single_sentence_of_an_explanation_is_hard(text):
    for sentence in sentences(text):
        assert grade(sentence) <= MAX_GRADE + 2, f"grade {grade(sentence):.1f}: {sentence}"


def banner_text() -> str:
    physio = User(first_name="Priya", last_name="Shah", role=Role.PHYSIOTHERAPIST)
    doctor = User(first_name="Daniel", last_name="Okafor", role=Role.DOCTOR)
    explanation = "Your back pain was 8 out of 10 today."
    alerts = PatientAlerts(
        emergencies=[Flag(severity=Severity.EMERGENCY, explanation=explanation)],
        contacts=[Flag(severity=Severity.CONTACT_PROVIDER, explanation=explanation, still_applies=False)],
        reviews=[Flag(severity=Severity.REVIEW_EXERCISE, explanation=explanation)],
        physiotherapists=[physio],
        doctors=[doctor],
    )
    return html.unescape(strip_tags(render_to_string("patient/_flag_banners.html", {"alerts": alerts})))


def test_the_banners_are_easy_to_read():
    text = " ".join(banner_text().split())
    assert "Get emergency care now" in text
    assert grade(text) <= MAX_GRADE, f"grade {grade(text):.1f}"


def test_the_readability_formula_tells_plain_from_dense():
    assert grade("Stop this one for now. Tell your physio.") < 4
    assert grade("Radiculopathy necessitates comprehensive multidisciplinary neurological evaluation.") > 12
