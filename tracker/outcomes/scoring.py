"""Scoring and scheduling of the questionnaires: pure functions, no database.

Scoring
-------
- **PSFS** (Patient-Specific Functional Scale, Stratford 1995). At the first
  questionnaire the patient names 3 to 5 everyday activities that their problem
  makes hard; every time after, they rate the same activities. Each rating is
  0 (cannot do it at all) to 10 (can do it as before). The score is the mean
  of the ratings, 0 to 10, higher is better, kept to 2 decimals.
- **PEG-3** (Krebs 2009). Three ratings 0 to 10 over the last 7 days: average
  pain, how much pain got in the way of enjoying life, and of general activity.
  The score is their mean, 0 to 10, lower is better, kept to 2 decimals.
- **PGIC** (Patient Global Impression of Change). One answer on 7 points,
  1 "very much improved" ... 4 "no change" ... 7 "very much worse". The score is
  that number. It asks about change since the start, so it is not asked at the
  first (baseline) questionnaire.

A meaningful change (shown to the care team, with its direction) compares the
latest score with the baseline (the patient's first questionnaire):
- PSFS: the mean moved by at least 2 points (PSFS_MEANINGFUL_POINTS; Stratford
  1995 and later work put the smallest change that matters at about 2 points for
  the mean score);
- PEG: the score moved by at least 30% of the baseline (PEG_MEANINGFUL_PERCENT;
  the 30% change that is meaningful for pain, Farrar 2001, which Krebs 2009
  used for the PEG). With a baseline of 0 there is no percentage, so no PEG
  change is called meaningful.

Schedule
--------
The questionnaire (PSFS and PEG; PGIC from the second time on) is due:
- at the start: as soon as the patient has none on record;
- then every QUESTIONNAIRE_INTERVAL_DAYS (14) days after the last one, counted
  in the patient's own calendar days;
- and at any time a clinician on the care team asks for one now (the ask stays
  open until the patient answers; asking again while one is open changes nothing).
At most one questionnaire is stored per patient per day.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .instruments import PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES

QUESTIONNAIRE_INTERVAL_DAYS = 14
PSFS_MEANINGFUL_POINTS = Decimal("2")
PEG_MEANINGFUL_PERCENT = Decimal("30")

RATING_MIN, RATING_MAX = 0, 10
PGIC_MIN, PGIC_MAX = 1, 7

_TWO_PLACES = Decimal("0.01")


def _mean(values: list[int]) -> Decimal:
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(_TWO_PLACES, rounding=ROUND_HALF_UP)


def _check_ratings(values: list[int], *, what: str) -> None:
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
            raise ValueError(f"{what}: each rating must be a whole number from 0 to 10, not {value!r}.")


def psfs_score(ratings: list[int]) -> Decimal:
    """Mean of 3 to 5 activity ratings (0-10)."""
    if not PSFS_MIN_ACTIVITIES <= len(ratings) <= PSFS_MAX_ACTIVITIES:
        raise ValueError(f"PSFS needs 3 to 5 rated activities, not {len(ratings)}.")
    _check_ratings(ratings, what="PSFS")
    return _mean(ratings)


def peg_score(pain: int, enjoyment: int, activity: int) -> Decimal:
    """Mean of the three PEG ratings (0-10)."""
    _check_ratings([pain, enjoyment, activity], what="PEG")
    return _mean([pain, enjoyment, activity])


def pgic_score(answer: int) -> Decimal:
    if isinstance(answer, bool) or not isinstance(answer, int) or not PGIC_MIN <= answer <= PGIC_MAX:
        raise ValueError(f"PGIC: the answer must be a whole number from 1 to 7, not {answer!r}.")
    return Decimal(answer)


@dataclass(frozen=True)
class Change:
    """The latest score against the baseline, and whether the change is meaningful."""

    baseline: Decimal
    latest: Decimal
    points: Decimal  # latest - baseline
    percent: Decimal | None  # relative to the baseline; None when the baseline is 0
    meaningful: bool
    improved: bool | None  # None when there is no change at all

    @property
    def direction(self) -> str:
        if self.improved is None:
            return "no change"
        return "improvement" if self.improved else "worsening"


def psfs_change(baseline: Decimal, latest: Decimal) -> Change:
    points = latest - baseline
    percent = (points / baseline * 100).quantize(Decimal("1")) if baseline else None
    return Change(
        baseline=baseline,
        latest=latest,
        points=points,
        percent=percent,
        meaningful=abs(points) >= PSFS_MEANINGFUL_POINTS,
        improved=None if points == 0 else points > 0,  # higher is better
    )


def peg_change(baseline: Decimal, latest: Decimal) -> Change:
    points = latest - baseline
    # Compared unrounded: 30% is meaningful, 29.9% is not.
    exact_percent = points / baseline * 100 if baseline else None
    return Change(
        baseline=baseline,
        latest=latest,
        points=points,
        percent=exact_percent.quantize(Decimal("1"), rounding=ROUND_HALF_UP) if exact_percent is not None else None,
        meaningful=exact_percent is not None and abs(exact_percent) >= PEG_MEANINGFUL_PERCENT,
        improved=None if points == 0 else points < 0,  # lower is better
    )


@dataclass(frozen=True)
class Due:
    due: bool
    baseline: bool  # the first questionnaire: PGIC is not asked
    asked_by_clinician: bool
    next_on: date | None  # when the next scheduled one falls (None before the first)


def questionnaire_due(*, today: date, last_on: date | None, asked: bool) -> Due:
    """Whether a questionnaire is due today (see the module docstring)."""
    if last_on is None:
        return Due(due=True, baseline=True, asked_by_clinician=asked, next_on=None)
    next_on = last_on + timedelta(days=QUESTIONNAIRE_INTERVAL_DAYS)
    answered_today = last_on >= today
    return Due(
        due=not answered_today and (asked or today >= next_on),
        baseline=False,
        asked_by_clinician=asked,
        next_on=next_on,
    )
