"""Each flag rule at, just below and just above its thresholds, on plain data (no database)."""

from fractions import Fraction

import pytest

from tracker.flags.rules import RULES, RULES_BY_ID, find_baseline, number
from tracker.models import Change, Condition, Extent, Severity

from .builders import check_in, daily, entry, explanation, review, run, snapshot

# --- Catalogue ---------------------------------------------------------------


def test_every_rule_has_a_unique_stable_id_a_severity_and_a_title():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert set(ids) == {
        "emergency.cauda_equina",
        "emergency.both_legs_or_foot_drop",
        "emergency.sudden_weakness_or_numbness",
        "emergency.neck_cord_signs",
        "contact.pain_rising",
        "contact.pain_high_day",
        "contact.pain_setback",
        "contact.nerve_symptoms_spreading",
        "contact.new_weakness",
        "contact.general_warning_signs",
        "contact.not_heard_from_you",
        "review.exercise_aggravates",
    }
    for rule in RULES:
        assert rule.id.split(".")[0] == {3: "emergency", 2: "contact", 1: "review"}[rule.severity]
        assert rule.title


def test_no_rule_finds_anything_in_an_empty_history():
    history = snapshot()
    assert [finding for rule in RULES for finding in rule.evaluate(history)] == []


def test_no_rule_finds_anything_in_a_calm_month():
    history = snapshot(daily(30, 0, back=2, limb=1), [entry(days_ago, before=2, after=2) for days_ago in range(10)])
    assert [finding for rule in RULES for finding in rule.evaluate(history)] == []


@pytest.mark.parametrize(
    ("value", "text"),
    [(6, "6"), (Fraction(121, 20), "6.1"), (Fraction(43, 7), "6.1"), (Fraction(69, 20), "3.5"), (0, "0")],
)
def test_numbers_are_shown_with_at_most_one_decimal(value, text):
    assert number(value) == text


# --- Baseline ----------------------------------------------------------------


def test_baseline_is_the_mean_of_the_first_seven_days():
    history = snapshot([*daily(27, 21, back=3, limb=2), check_in(20, back=9)])
    baseline = find_baseline(history)
    assert (baseline.means["neck_back_pain"], baseline.means["limb_pain"]) == (3, 2)
    assert baseline.check_ins == 7


def test_baseline_needs_four_check_ins_in_seven_days():
    three = [check_in(27, back=3), check_in(25, back=3), check_in(23, back=3), check_in(10, back=9)]
    assert find_baseline(snapshot(three)) is None
    four = [check_in(27, back=3), check_in(25, back=3), check_in(23, back=3), check_in(21, back=5), check_in(10)]
    assert find_baseline(snapshot(four)).means["neck_back_pain"] == 3.5


def test_a_sparse_first_week_moves_the_baseline_to_the_first_week_with_four_check_ins():
    history = snapshot([check_in(27, back=9), *daily(20, 17, back=4), check_in(5)])
    baseline = find_baseline(history)
    assert baseline.start.isoformat() == "2025-03-11"
    assert baseline.means["neck_back_pain"] == 4


def test_baseline_is_not_used_until_the_patient_checks_in_after_the_baseline_week():
    assert find_baseline(snapshot(daily(6, 0, back=3))) is None
    assert find_baseline(snapshot(daily(7, 0, back=3))) is not None


# --- Contact provider: pain rising ---------------------------------------------


def rising(after: list, *, baseline: int = 7, **options):
    return snapshot([*daily(27, 21, back=baseline, limb=2), *after], **options)


def test_pain_rising_fires_at_two_points_above_baseline_for_three_days():
    history = rising(daily(20, 0, back=9), baseline=7)
    assert explanation("contact.pain_rising", history) == (
        "Your average back pain over the last 7 days is 9, up from 7 when you started. "
        "It has stayed this high for 3 days in a row."
    )


def test_pain_rising_stays_quiet_just_below_two_points():
    # One 8 among the 9s keeps every window's mean at 8.9, below 7 + 2.
    history = rising([*daily(20, 3, back=9), check_in(2, back=8), *daily(1, 0, back=9)], baseline=7)
    assert run("contact.pain_rising", history) == []


def test_pain_rising_fires_just_above_two_points():
    assert len(run("contact.pain_rising", rising(daily(20, 0, back=10), baseline=7))) == 1


def test_pain_rising_fires_at_thirty_percent_above_a_low_baseline():
    # Baseline 3: 30% is 0.9, so the 1-point floor makes 4 the threshold (below 3 + 2).
    history = rising(daily(20, 0, back=4), baseline=3)
    assert "is 4, up from 3 when you started" in explanation("contact.pain_rising", history)


def test_pain_rising_stays_quiet_just_below_thirty_percent():
    history = rising([*daily(20, 3, back=4), check_in(2, back=3), *daily(1, 0, back=4)], baseline=3)
    assert run("contact.pain_rising", history) == []


def test_pain_rising_needs_at_least_one_whole_point_above_a_baseline_near_zero():
    # Baseline 1: a mean of 1.9 is 90% up but less than 1 point: not a flag.
    history = rising([*daily(20, 3, back=2), check_in(2, back=1), *daily(1, 0, back=2)], baseline=1)
    assert run("contact.pain_rising", history) == []
    assert len(run("contact.pain_rising", rising(daily(20, 0, back=2), baseline=1))) == 1


def test_pain_rising_must_last_three_days():
    two_days = rising([*daily(20, 2, back=3), *daily(1, 0, back=10)], baseline=3)
    assert run("contact.pain_rising", two_days) == []
    three_days = rising([*daily(20, 3, back=3), *daily(2, 0, back=10)], baseline=3)
    assert len(run("contact.pain_rising", three_days)) == 1


def test_pain_rising_needs_three_check_ins_in_each_window():
    sparse = rising([check_in(15, back=9), check_in(8, back=9), check_in(1, back=9)], baseline=3)
    assert run("contact.pain_rising", sparse) == []


def test_pain_rising_never_fires_without_a_baseline():
    # Every third day: never 4 check-ins in 7 days, so no baseline at all.
    history = snapshot([check_in(days_ago, back=2 if days_ago > 20 else 9) for days_ago in range(27, -1, -3)])
    assert run("contact.pain_rising", history) == []


def test_pain_rising_names_arm_or_leg_pain_by_condition():
    history = snapshot([*daily(27, 21, back=2, limb=3), *daily(20, 0, back=2, limb=6)], condition=Condition.NECK)
    assert explanation("contact.pain_rising", history).startswith(
        "Your average arm pain over the last 7 days is 6, up from 3 when you started."
    )


def test_pain_rising_evidence_has_the_baseline_and_each_days_mean():
    (finding,) = run("contact.pain_rising", rising(daily(20, 0, back=9), baseline=7))
    scores = finding.evidence["scores"]["neck_back_pain"]
    assert scores["baseline"] == 7
    assert scores["threshold"] == 9
    assert [item["mean"] for item in scores["rolling_means"]] == [9, 9, 9]
    assert finding.evidence["baseline"]["check_ins"] == 7


def test_pain_rising_baseline_starts_again_after_a_clinician_review():
    reviewed = {"contact.pain_rising": review(10)}
    steady_since = rising(daily(20, 0, back=6), baseline=3, reviews=reviewed)
    assert len(run("contact.pain_rising", rising(daily(20, 0, back=6), baseline=3))) == 1
    assert run("contact.pain_rising", steady_since) == []


def test_pain_rising_after_a_review_says_so():
    history = snapshot(
        [*daily(27, 21, back=8), *daily(19, 13, back=3), *daily(12, 0, back=6)],
        reviews={"contact.pain_rising": review(20)},
    )
    assert "up from 3 after your last review" in explanation("contact.pain_rising", history)


# --- Contact provider: a day of very high pain ---------------------------------


def test_a_day_at_eight_out_of_ten_fires():
    history = snapshot([check_in(2), check_in(1), check_in(0, back=8)])
    assert explanation("contact.pain_high_day", history) == "Your back pain was 8 out of 10 today."


def test_a_day_at_seven_out_of_ten_without_a_baseline_does_not_fire():
    assert run("contact.pain_high_day", snapshot([check_in(0, back=7, limb=7)])) == []


def test_a_day_at_nine_in_the_leg_fires():
    assert explanation("contact.pain_high_day", snapshot([check_in(0, limb=9)])) == (
        "Your leg pain was 9 out of 10 today."
    )


def test_a_day_three_points_above_baseline_fires():
    history = snapshot([*daily(27, 1, back=3), check_in(0, back=6)])
    assert explanation("contact.pain_high_day", history) == (
        "Your back pain was 6 out of 10 today. When you started, it was 3 on average."
    )


def test_a_day_two_points_above_baseline_does_not_fire():
    assert run("contact.pain_high_day", snapshot([*daily(27, 1, back=3), check_in(0, back=5)])) == []


def test_yesterdays_high_day_still_counts_today():
    history = snapshot([check_in(1, back=8), check_in(0, back=2)])
    assert explanation("contact.pain_high_day", history) == "Your back pain was 8 out of 10 yesterday."


def test_an_older_high_day_with_calmer_check_ins_since_does_not_count():
    assert run("contact.pain_high_day", snapshot([check_in(2, back=9), check_in(1), check_in(0)])) == []


def test_an_older_high_day_counts_while_it_is_the_latest_news():
    assert "on 26 March" in explanation("contact.pain_high_day", snapshot([check_in(5, back=9)]))


# --- Contact provider: nerve symptoms for more than 48 hours -------------------


def test_new_numbness_still_there_two_days_later_fires():
    history = snapshot(
        [check_in(2, numbness=Change.NEW), check_in(1, numbness=Change.SAME), check_in(0, numbness=Change.SAME)]
    )
    assert explanation("contact.nerve_symptoms_spreading", history) == (
        "On 29 March you told us your numbness or tingling was new or worse. It has not eased in the 2 days since."
    )


def test_new_numbness_for_one_day_does_not_fire():
    history = snapshot([check_in(1, numbness=Change.NEW), check_in(0, numbness=Change.SAME)])
    assert run("contact.nerve_symptoms_spreading", history) == []


def test_numbness_that_eased_in_between_starts_counting_again():
    history = snapshot(
        [check_in(2, numbness=Change.WORSE), check_in(1, numbness=Change.BETTER), check_in(0, numbness=Change.WORSE)]
    )
    assert run("contact.nerve_symptoms_spreading", history) == []


def test_spreading_symptoms_over_a_gap_in_check_ins_fire():
    history = snapshot([check_in(3, extent=Extent.SPREADING), check_in(0, extent=Extent.SAME)])
    assert explanation("contact.nerve_symptoms_spreading", history) == (
        "On 28 March you told us your symptoms were spreading further down your leg. "
        "It has not eased in the 3 days since."
    )


def test_spreading_symptoms_for_a_neck_patient_mention_the_arm():
    history = snapshot(
        [check_in(2, extent=Extent.SPREADING), check_in(0, extent=Extent.SPREADING)], condition=Condition.NECK
    )
    assert "further down your arm" in explanation("contact.nerve_symptoms_spreading", history)


def test_symptoms_moving_back_toward_the_spine_end_the_run():
    history = snapshot([check_in(3, extent=Extent.SPREADING), check_in(0, extent=Extent.RETREATING)])
    assert run("contact.nerve_symptoms_spreading", history) == []


def test_numbness_already_reviewed_does_not_reopen():
    history = snapshot(
        [check_in(days_ago, numbness=Change.NEW if days_ago == 3 else Change.SAME) for days_ago in (3, 2, 1, 0)],
        reviews={"contact.nerve_symptoms_spreading": review(1, hour=12)},
    )
    assert run("contact.nerve_symptoms_spreading", history) == []


# --- Contact provider: new weakness; fever, weight loss, night pain -----------


@pytest.mark.parametrize(("change", "words"), [(Change.NEW, "is new"), (Change.WORSE, "is getting worse")])
def test_new_or_worse_weakness_fires(change, words):
    text = explanation("contact.new_weakness", snapshot([check_in(0, weakness=change)]))
    assert text.startswith(f"Today you told us your weakness {words}.")


@pytest.mark.parametrize("change", [Change.NONE, Change.BETTER, Change.SAME])
def test_weakness_that_is_not_new_or_worse_does_not_fire(change):
    assert run("contact.new_weakness", snapshot([check_in(0, weakness=change)])) == []


def test_new_weakness_two_days_ago_with_steady_check_ins_since_does_not_fire():
    history = snapshot([check_in(2, weakness=Change.NEW), check_in(1, weakness=Change.SAME), check_in(0)])
    assert run("contact.new_weakness", history) == []


def test_fever_and_night_pain_fire_together():
    text = explanation("contact.general_warning_signs", snapshot([check_in(0, fever=True, night_pain=True)]))
    assert text.startswith("Today you told us about a fever and new pain at night.")


@pytest.mark.parametrize("sign", ["fever", "weight_loss", "night_pain"])
def test_each_general_warning_sign_fires_on_its_own(sign):
    findings = run("contact.general_warning_signs", snapshot([check_in(0, **{sign: True})]))
    assert [finding.evidence["signs"] for finding in findings] == [[sign]]


# --- Emergency ---------------------------------------------------------------

EMERGENCY_SIGNS = [
    ("bladder_bowel_change", "emergency.cauda_equina", "a change in how your bladder or bowel works"),
    ("saddle_numbness", "emergency.cauda_equina", "numbness around your bottom or genitals"),
    ("both_legs", "emergency.both_legs_or_foot_drop", "pain, numbness or weakness in both legs"),
    ("foot_drop", "emergency.both_legs_or_foot_drop", "a foot that drops or drags when you walk"),
    ("sudden_weakness_or_numbness", "emergency.sudden_weakness_or_numbness", "sudden weakness or numbness"),
]


@pytest.mark.parametrize(("sign", "rule_id", "words"), EMERGENCY_SIGNS)
def test_each_emergency_sign_opens_its_emergency_rule(sign, rule_id, words):
    (finding,) = run(rule_id, snapshot([check_in(1), check_in(0, **{sign: True})]))
    assert finding.severity == Severity.EMERGENCY
    assert finding.explanation.startswith(f"Today you told us about {words}")


@pytest.mark.parametrize(("sign", "rule_id", "words"), EMERGENCY_SIGNS)
def test_no_emergency_without_the_sign(sign, rule_id, words):
    assert run(rule_id, snapshot([check_in(1), check_in(0)])) == []


def test_hand_clumsiness_or_falls_is_an_emergency_for_a_neck_patient():
    (finding,) = run(
        "emergency.neck_cord_signs", snapshot([check_in(0, hand_clumsiness_or_falls=True)], condition=Condition.NECK)
    )
    assert "spinal cord" in finding.explanation


def test_hand_clumsiness_rule_is_only_for_neck_patients():
    history = snapshot([check_in(0, hand_clumsiness_or_falls=True)], condition=Condition.LOWER_BACK)
    assert run("emergency.neck_cord_signs", history) == []


def test_an_emergency_sign_from_yesterday_still_counts():
    assert len(run("emergency.cauda_equina", snapshot([check_in(1, bladder_bowel_change=True), check_in(0)]))) == 1


def test_an_older_emergency_sign_with_clear_check_ins_since_does_not_open_a_flag():
    history = snapshot([check_in(3, bladder_bowel_change=True), check_in(1), check_in(0)])
    assert run("emergency.cauda_equina", history) == []


def test_an_emergency_sign_reported_after_a_review_opens_again():
    reviewed = {"emergency.cauda_equina": review(0, hour=8)}
    before_review = snapshot([check_in(0, bladder_bowel_change=True, recorded_at=None)], reviews=reviewed)
    assert len(run("emergency.cauda_equina", before_review)) == 1  # an unknown time counts, to be safe
    seen = snapshot([check_in(1, bladder_bowel_change=True)], reviews={"emergency.cauda_equina": review(0)})
    assert run("emergency.cauda_equina", seen) == []


def test_emergency_beats_everything():
    history = snapshot(
        [
            *daily(27, 3, back=2),
            check_in(2, back=9, fever=True),
            check_in(1, back=9),
            check_in(0, back=9, foot_drop=True),
        ],
        [entry(2, after=9), entry(1, after=9)],
    )
    findings = [finding for rule in RULES for finding in rule.evaluate(history)]
    assert {finding.severity for finding in findings} == set(Severity)
    assert max(finding.severity for finding in findings) == Severity.EMERGENCY


# --- Contact provider: we have not heard from you ----------------------------


def test_worse_symptoms_then_three_quiet_days_fires():
    history = snapshot([check_in(4), check_in(3, weakness=Change.WORSE)])
    assert explanation("contact.not_heard_from_you", history) == (
        "On 28 March you told us your symptoms were worse, and we have not heard from you in the 3 days since. "
        "Please check in today, and contact your physiotherapist or doctor."
    )


def test_worse_symptoms_then_two_quiet_days_does_not_fire():
    assert run("contact.not_heard_from_you", snapshot([check_in(2, weakness=Change.WORSE)])) == []


def test_a_calm_last_check_in_then_silence_does_not_fire():
    assert run("contact.not_heard_from_you", snapshot([check_in(10)])) == []


def test_high_pain_then_silence_counts_as_worse():
    (finding,) = run("contact.not_heard_from_you", snapshot([check_in(4, limb=8)]))
    assert finding.evidence["signs"] == ["leg pain at 8 out of 10"]


def test_a_check_in_the_clinician_already_reviewed_does_not_reopen_not_heard():
    history = snapshot([check_in(5, numbness=Change.NEW)], reviews={"contact.not_heard_from_you": review(1)})
    assert run("contact.not_heard_from_you", history) == []


# --- Review exercise ---------------------------------------------------------


def test_exercise_raising_pain_three_points_in_two_of_three_sessions_fires():
    history = snapshot([], [entry(5, before=2, after=5), entry(3, before=2, after=5), entry(1, before=2, after=2)])
    (finding,) = run("review.exercise_aggravates", history)
    assert finding.severity == Severity.REVIEW_EXERCISE
    assert finding.assignment_id == 1
    assert finding.dedupe_key == "review.exercise_aggravates:1"
    assert finding.explanation == (
        "Glute bridges made your symptoms worse in 2 of your last 3 sessions. On 26 March your pain went from 2 to 5. "
        "On 28 March your pain went from 2 to 5. Stop this exercise for now, and tell your physiotherapist."
    )


def test_exercise_raising_pain_two_points_does_not_fire():
    history = snapshot([], [entry(5, before=2, after=4), entry(3, before=2, after=4), entry(1, before=2, after=4)])
    assert run("review.exercise_aggravates", history) == []


def test_exercise_pain_above_five_fires():
    history = snapshot([], [entry(3, before=5, after=6), entry(1, before=5, after=6)])
    assert len(run("review.exercise_aggravates", history)) == 1


def test_pain_already_above_five_that_eases_during_the_exercise_does_not_fire():
    history = snapshot([], [entry(3, before=7, after=6), entry(1, before=7, after=6)])
    assert run("review.exercise_aggravates", history) == []


def test_exercise_pain_of_five_does_not_fire():
    history = snapshot([], [entry(3, before=4, after=5), entry(1, before=4, after=5)])
    assert run("review.exercise_aggravates", history) == []


def test_symptoms_spreading_in_two_sessions_fires_and_in_one_does_not():
    two = snapshot([], [entry(3, symptoms_worse=True), entry(2), entry(1, symptoms_worse=True)])
    assert "On 28 March your symptoms spread or got worse." in explanation("review.exercise_aggravates", two)
    one = snapshot([], [entry(3, symptoms_worse=True), entry(2), entry(1)])
    assert run("review.exercise_aggravates", one) == []


def test_worse_next_morning_counts():
    # The day after each session the check-in's higher score is 4, above the 3 before exercising.
    worse = snapshot(
        [check_in(4, back=4), check_in(2, limb=4)], [entry(5, before=3, after=3), entry(3, before=3, after=3)]
    )
    assert "The day after the session on 26 March, your pain was 4, up from 3 before it." in explanation(
        "review.exercise_aggravates", worse
    )
    same = snapshot(
        [check_in(4, back=3), check_in(2, limb=3)], [entry(5, before=3, after=3), entry(3, before=3, after=3)]
    )
    assert run("review.exercise_aggravates", same) == []


def test_only_the_last_three_sessions_count():
    history = snapshot(
        [], [entry(9, after=9), entry(7, after=9), entry(5, after=2), entry(3, after=2), entry(1, after=2)]
    )
    assert run("review.exercise_aggravates", history) == []


def test_skipped_sessions_do_not_count():
    history = snapshot([], [entry(3, after=9, done=False), entry(2, after=9, done=False), entry(1, after=9)])
    assert run("review.exercise_aggravates", history) == []


def test_each_exercise_is_judged_on_its_own():
    history = snapshot([], [entry(3, 1, after=9), entry(1, 1, after=9), entry(3, 2, after=2), entry(1, 2, after=9)])
    assert [finding.assignment_id for finding in run("review.exercise_aggravates", history)] == [1]


def test_an_exercise_no_longer_in_the_program_is_ignored():
    history = snapshot([], [entry(3, after=9), entry(1, after=9)], exercises={2: "Pelvic tilt"})
    assert run("review.exercise_aggravates", history) == []


def test_a_reviewed_exercise_counts_only_sessions_after_the_review():
    reviews = {"review.exercise_aggravates:1": review(2)}
    old_sessions = snapshot([], [entry(5, after=9), entry(3, after=9), entry(1, after=2)], reviews=reviews)
    assert run("review.exercise_aggravates", old_sessions) == []
    new_sessions = snapshot([], [entry(5, after=9), entry(1, after=9), entry(0, after=9)], reviews=reviews)
    assert len(run("review.exercise_aggravates", new_sessions)) == 1


def test_every_rule_is_registered_by_id():
    assert set(RULES_BY_ID) == {rule.id for rule in RULES}
