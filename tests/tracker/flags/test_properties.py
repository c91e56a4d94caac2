"""Properties of the whole rule set over any valid history (hypothesis)."""

import json

from hypothesis import event, given, settings
from hypothesis import strategies as st

from tracker.flags.rules import RULES

from .strategies import as_snapshot, histories, improve_then_worsen, messy_versions, worsenings

PROPERTY_SETTINGS = settings(max_examples=150, deadline=None)


def all_findings(history):
    snapshot = as_snapshot(history)
    return [finding for rule in RULES for finding in rule.evaluate(snapshot)]


def highest_severity(history) -> int:
    return max((finding.severity for finding in all_findings(history)), default=0)


@PROPERTY_SETTINGS
@given(histories())
def test_rules_never_crash_and_always_explain_themselves(history):
    for finding in all_findings(history):
        assert finding.explanation.strip()
        json.dumps(finding.evidence)  # stored in a JSONField as it is


@PROPERTY_SETTINGS
@given(st.data())
def test_out_of_order_and_edited_histories_evaluate_like_the_clean_history(data):
    clean = data.draw(histories())
    messy = data.draw(messy_versions(clean))
    assert all_findings(messy) == all_findings(clean)


@PROPERTY_SETTINGS
@given(st.data())
def test_making_any_symptom_worse_never_lowers_the_highest_severity(data):
    history = data.draw(histories())
    worse = data.draw(worsenings(history))
    assert highest_severity(worse) >= highest_severity(history)


@PROPERTY_SETTINGS
@given(st.data())
def test_making_any_symptom_worse_never_silences_a_rule(data):
    # Stronger than the severity property: every flag that was raised is still raised.
    history = data.draw(histories())
    worse = data.draw(worsenings(history))
    before = {finding.dedupe_key for finding in all_findings(history)}
    after = {finding.dedupe_key for finding in all_findings(worse)}
    assert before <= after


def test_an_empty_history_finds_nothing():
    assert all_findings(([], [], "neck", {})) == []


@PROPERTY_SETTINGS
@given(st.one_of(histories(max_days=60), improve_then_worsen()))
def test_a_setback_always_stands_two_points_and_thirty_percent_above_its_best_recent_week(history):
    from fractions import Fraction

    from tracker.flags import thresholds as limits

    for finding in all_findings(history):
        if finding.rule_id != "contact.pain_setback":
            continue
        event("a setback was found")
        for score in finding.evidence["scores"].values():
            best = Fraction(score["best_recent"]["mean"]).limit_denominator(1000)
            assert len(score["rolling_means"]) == limits.SUSTAINED_DAYS
            for judged in score["rolling_means"]:
                value = Fraction(judged["mean"]).limit_denominator(1000)
                # Evidence numbers are rounded to 2 decimals; allow that much.
                assert value - best >= limits.SETBACK_RISE_POINTS - Fraction(1, 50)
                assert value - best >= limits.SETBACK_RISE_FRACTION * best - Fraction(1, 50)
                assert judged["check_ins"] >= limits.ROLLING_MIN_CHECK_INS
