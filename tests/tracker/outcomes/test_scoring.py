"""Scoring and the schedule, against examples scored by hand."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tracker.outcomes.scoring import (
    QUESTIONNAIRE_INTERVAL_DAYS,
    peg_change,
    peg_score,
    pgic_score,
    psfs_change,
    psfs_score,
    questionnaire_due,
)

D = Decimal


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([3, 4, 2], "3.00"),  # 9 / 3
        ([6, 6, 4], "5.33"),  # 16 / 3 = 5.333...
        ([1, 1, 0], "0.67"),  # 2 / 3 = 0.666... rounds half up
        ([7, 8, 5, 6], "6.50"),  # 26 / 4
        ([1, 2, 2, 3, 10], "3.60"),  # 18 / 5
        ([0, 0, 0], "0.00"),
        ([10, 10, 10, 10, 10], "10.00"),
    ],
)
def test_psfs_is_the_mean_of_the_activity_ratings(ratings, expected):
    assert psfs_score(ratings) == D(expected)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [((7, 6, 7), "6.67"), ((4, 4, 4), "4.00"), ((0, 0, 1), "0.33"), ((10, 10, 10), "10.00"), ((2, 5, 9), "5.33")],
)
def test_peg_is_the_mean_of_its_three_answers(answers, expected):
    assert peg_score(*answers) == D(expected)


@pytest.mark.parametrize("ratings", [[5, 5], [5, 5, 5, 5, 5, 5], [5, 5, 11], [5, 5, -1], [5, 5, True], [5, 5, "5"]])
def test_psfs_refuses_too_few_too_many_or_out_of_range_ratings(ratings):
    with pytest.raises(ValueError, match="PSFS"):
        psfs_score(ratings)


@pytest.mark.parametrize("answers", [(11, 0, 0), (0, -1, 0), (0, 0, 2.5)])
def test_peg_refuses_answers_outside_0_to_10(answers):
    with pytest.raises(ValueError, match="PEG"):
        peg_score(*answers)


@pytest.mark.parametrize(("answer", "ok"), [(0, False), (1, True), (4, True), (7, True), (8, False)])
def test_pgic_is_its_answer_from_1_to_7(answer, ok):
    if ok:
        assert pgic_score(answer) == D(answer)
    else:
        with pytest.raises(ValueError, match="PGIC"):
            pgic_score(answer)


@pytest.mark.parametrize(
    ("baseline", "latest", "meaningful", "direction"),
    [
        ("3.00", "5.00", True, "improvement"),  # exactly +2
        ("3.00", "4.99", False, "improvement"),  # just below
        ("3.00", "5.33", True, "improvement"),
        ("5.00", "3.00", True, "worsening"),  # PSFS: lower is worse
        ("5.00", "3.01", False, "worsening"),
        ("4.00", "4.00", False, "no change"),
    ],
)
def test_a_psfs_change_of_2_points_is_meaningful(baseline, latest, meaningful, direction):
    change = psfs_change(D(baseline), D(latest))
    assert (change.meaningful, change.direction) == (meaningful, direction)


@pytest.mark.parametrize(
    ("baseline", "latest", "meaningful", "direction", "percent"),
    [
        ("10.00", "7.00", True, "improvement", -30),  # exactly -30%
        ("6.67", "4.67", False, "improvement", -30),  # -29.99%: just below, though it rounds to 30
        ("5.00", "6.50", True, "worsening", 30),  # PEG: higher is worse
        ("5.00", "6.49", False, "worsening", 30),  # +29.8%
        ("6.67", "4.00", True, "improvement", -40),
    ],
)
def test_a_peg_change_of_30_percent_is_meaningful(baseline, latest, meaningful, direction, percent):
    change = peg_change(D(baseline), D(latest))
    assert (change.meaningful, change.direction, change.percent) == (meaningful, direction, percent)


def test_a_peg_baseline_of_0_has_no_percentage_so_no_meaningful_change():
    change = peg_change(D("0.00"), D("5.00"))
    assert change.percent is None
    assert not change.meaningful
    assert change.direction == "worsening"


TODAY = date(2026, 3, 15)


def test_the_first_questionnaire_is_due_at_once_and_is_the_baseline():
    due = questionnaire_due(today=TODAY, last_on=None, asked=False)
    assert due.due
    assert due.baseline
    assert due.next_on is None


@pytest.mark.parametrize(("days_ago", "due"), [(0, False), (1, False), (13, False), (14, True), (30, True)])
def test_the_next_one_is_due_14_days_after_the_last(days_ago, due):
    result = questionnaire_due(today=TODAY, last_on=TODAY - timedelta(days=days_ago), asked=False)
    assert result.due is due
    assert not result.baseline
    assert result.next_on == TODAY - timedelta(days=days_ago) + timedelta(days=QUESTIONNAIRE_INTERVAL_DAYS)


def test_a_clinicians_ask_makes_one_due_now_but_not_twice_in_a_day():
    assert questionnaire_due(today=TODAY, last_on=TODAY - timedelta(days=3), asked=True).due
    assert not questionnaire_due(today=TODAY, last_on=TODAY, asked=True).due
    asked_first = questionnaire_due(today=TODAY, last_on=None, asked=True)
    assert asked_first.due
    assert asked_first.baseline
    assert asked_first.asked_by_clinician
