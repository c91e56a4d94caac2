"""The setback rule: pain back up 2 points and 30% above the best recent 7-day level, for 3 days.

Histories are plain data (tests/tracker/flags/builders.py); TODAY is 31 March 2025. A patient starts
high (so the first-week baseline is high and the rising-pain rule stays quiet), improves, then worsens.
"""

from fractions import Fraction

import pytest

from tracker.flags import thresholds as limits
from tracker.flags.rules import RULES_BY_ID, is_setback
from tracker.models import Condition, Severity

from .builders import check_in, daily, review, run, snapshot


def improved_then(level: int, *, best: int = 2, start: int = 7, limb: int = 1):
    """A week at `start`, two weeks at the `best` level, then the last 10 days at `level`."""
    return snapshot(
        [
            *daily(30, 24, back=start, limb=limb),
            *daily(23, 10, back=best, limb=limb),
            *daily(9, 0, back=level, limb=limb),
        ]
    )


def test_it_is_a_contact_provider_rule():
    assert RULES_BY_ID["contact.pain_setback"].severity == Severity.CONTACT_PROVIDER


def test_a_rise_of_two_points_and_thirty_percent_above_the_best_week_fires_while_below_the_first_week():
    history = improved_then(4)  # best 2, now 4: +2 points, +100%; still below the first week's 7
    (finding,) = run("contact.pain_setback", history)
    assert finding.dedupe_key == "contact.pain_setback"
    assert run("contact.pain_rising", history) == []  # the old rule alone would have missed it
    assert finding.explanation == (
        "Your average back pain over the last 7 days is 4. Not long ago you had it down to 2. "
        "It has stayed this much higher for 3 days in a row."
    )
    # The best week is the last one that was all at 2: 15 to 21 March.
    assert finding.clinician_summary == "Back pain 7-day mean 4 vs best recent 2 (week to 21 Mar; +2, +100%), 3 days."


@pytest.mark.parametrize(("one_day", "fires"), [(3, False), (4, True)])
def test_just_below_two_points_does_not_fire_and_at_two_points_does(one_day, fires):
    # Best 2. The three judged windows (23-29, 24-30, 25-31 March) all hold 27 March: at 3 their
    # means are (6 x 4 + 3) / 7 = 3.86, just under 2 points up; at 4 they are 4.0, exactly 2 up.
    history = snapshot([*daily(30, 24, back=7), *daily(23, 10, back=2), *daily(9, 5, back=4)])
    history = snapshot(
        [*history.check_ins, check_in(4, back=one_day), *daily(3, 0, back=4)],
    )
    assert bool(run("contact.pain_setback", history)) is fires


@pytest.mark.parametrize(("best", "now", "fires"), [(5, 7, True), (5, 6, False), (6, 8, True), (7, 9, False)])
def test_both_two_points_and_thirty_percent_are_needed(best, now, fires):
    # 5 -> 7: +2 and +40%. 5 -> 6: +1. 6 -> 8: +2 and +33%. 7 -> 9: +2 but only +29%.
    history = improved_then(now, best=best, start=10)
    assert bool(run("contact.pain_setback", history)) is fires


def test_the_threshold_at_just_below_and_just_above_each_limit():
    # Two points: from 3, at least 5 (30% of 3 is only 0.9).
    assert is_setback(Fraction(5), Fraction(3))
    assert not is_setback(Fraction(499, 100), Fraction(3))
    assert is_setback(Fraction(501, 100), Fraction(3))
    # Thirty percent: from 10, at least 13 (2 points would be only 12).
    assert is_setback(Fraction(13), Fraction(10))
    assert not is_setback(Fraction(1299, 100), Fraction(10))
    assert is_setback(Fraction(1301, 100), Fraction(10))
    assert limits.SETBACK_RISE_POINTS == 2
    assert Fraction(3, 10) == limits.SETBACK_RISE_FRACTION


def test_it_must_last_three_days():
    history = snapshot([*daily(30, 24, back=7), *daily(23, 2, back=2), *daily(1, 0, back=9)])
    assert run("contact.pain_setback", history) == []


def test_the_best_level_must_be_recent():
    # The low came more than four weeks before the judged days: it no longer counts as "recent".
    history = snapshot([*daily(60, 45, back=1), *daily(44, 10, back=4), *daily(9, 0, back=4)])
    assert run("contact.pain_setback", history) == []


def test_a_review_of_a_pain_flag_starts_the_best_level_again():
    reviews = {"contact.pain_setback": review(5)}
    history = snapshot([*daily(30, 24, back=7), *daily(23, 10, back=2), *daily(9, 0, back=5)], reviews=reviews)
    assert run("contact.pain_setback", history) == []


def test_leg_pain_for_a_lower_back_patient_and_arm_pain_for_a_neck_patient():
    for condition, words in ((Condition.LOWER_BACK, "leg pain"), (Condition.NECK, "arm pain")):
        history = snapshot(
            [*daily(30, 24, back=1, limb=7), *daily(23, 10, back=1, limb=2), *daily(9, 0, back=1, limb=5)],
            condition=condition,
        )
        (finding,) = run("contact.pain_setback", history)
        assert f"average {words}" in finding.explanation


def test_the_evidence_keeps_the_best_week_and_each_judged_mean():
    (finding,) = run("contact.pain_setback", improved_then(5))
    scores = finding.evidence["scores"]["neck_back_pain"]
    assert scores["best_recent"] == {"to": "2025-03-21", "mean": 2.0}
    assert [item["date"] for item in scores["rolling_means"]] == ["2025-03-29", "2025-03-30", "2025-03-31"]
    assert finding.evidence["lookback_days"] == 28


def test_an_old_history_with_nothing_recent_does_not_fire():
    history = snapshot([*daily(80, 74, back=7), *daily(73, 60, back=2), *daily(59, 50, back=6)])
    assert run("contact.pain_setback", history) == []
