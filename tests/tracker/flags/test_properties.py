"""Properties of the whole rule set over any valid history (hypothesis)."""

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.flags.rules import RULES

from .strategies import as_snapshot, histories, messy_versions, worsenings

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
