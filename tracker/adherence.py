"""Adherence: how much of the exercise plan a patient did, counted one way on every page.

Every adherence figure in the product comes from `adherence_counts`: the
progress page and the clinician's patient page (week by week, through
tracker.progress), the printed report (those weeks added up) and the caseload
(the last 14 days, tracker.review.caseload). Pure functions over plain data,
so the rule can be checked by hand without a database.

The rule, exercise by exercise, over a span of days:
- An exercise is planned on the days it was in the program within the span:
  from the day it was added to the day it was removed or paused (both
  included, since it could be done before the change that day). A paused
  exercise counts up to its pause and not after; it is back once resumed.
- Its plan is its times per week over those days, rounded up: 3 a week over
  a whole week is 3, over 2 days 1. At most once a day: a day's session logs
  each exercise once, so "twice a day" is planned (and can be done) daily.
- Its days done are the days within those days it was marked done; a second
  session the same day counts once, and the days count up to the plan and no
  further, so extra sessions of one exercise never make up for another.
- Done is therefore never above planned, and the share never above 100%.

What the records cannot tell: the pause day is the assignment's last change
(`updated_at`), which is the pause itself unless the dose was changed while
paused (then a few paused days count as planned and not done: the figure errs
low, never high). A pause that has since been lifted, and a times-per-week
changed during the span, are not in the assignment row: those days count at
the current plan.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from routines.models import AssignmentStatus


@dataclass(frozen=True)
class PlannedExercise:
    """An exercise of the program as adherence needs it (the patient's local days)."""

    assignment_id: int
    times_per_week: int
    added_on: date
    ended_on: date | None = None  # the day it was removed or paused; None while active

    @classmethod
    def from_assignment(
        cls,
        *,
        assignment_id: int,
        times_per_week: int,
        status: str,
        created_at: datetime,
        updated_at: datetime,
        removed_at: datetime | None,
        zone: ZoneInfo,
    ) -> "PlannedExercise":
        """From an Assignment's columns, dated in the patient's time zone `zone`."""
        if status == AssignmentStatus.REMOVED and removed_at is not None:
            ended = removed_at
        elif status == AssignmentStatus.PAUSED:
            ended = updated_at
        else:
            ended = None
        return cls(
            assignment_id=assignment_id,
            times_per_week=times_per_week,
            added_on=created_at.astimezone(zone).date(),
            ended_on=ended.astimezone(zone).date() if ended is not None else None,
        )

    def planned_days(self, first_day: date, last_day: date) -> int:
        """How many days from `first_day` to `last_day` (inclusive) it was in the program."""
        start = max(first_day, self.added_on)
        end = min(last_day, self.ended_on) if self.ended_on is not None else last_day
        return max(0, (end - start).days + 1)

    def plan(self, first_day: date, last_day: date) -> int:
        """How many times the plan asked for it over those days: times per week, pro rata, rounded up."""
        days = self.planned_days(first_day, last_day)
        return min(days, -(-self.times_per_week * days // 7))


@dataclass(frozen=True)
class Adherence:
    done: int
    planned: int

    @property
    def share(self) -> float | None:
        """0 to 1; None when nothing was planned."""
        return self.done / self.planned if self.planned else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.planned) if self.planned else None


def adherence_counts(
    *,
    exercises: Iterable[PlannedExercise],
    done_days: Mapping[int, Collection[date]],
    first_day: date,
    last_day: date,
) -> Adherence:
    """Done and planned from `first_day` to `last_day` inclusive, exercise by exercise (the module's rule).

    `done_days` holds, per assignment id, the days it was marked done (any
    days: those outside the span or outside the exercise's time in the
    program are ignored). Exercises not in `exercises` count on neither side.
    """
    done_total = planned_total = 0
    for exercise in exercises:
        planned = exercise.plan(first_day, last_day)
        if planned <= 0:
            continue
        start = max(first_day, exercise.added_on)
        end = min(last_day, exercise.ended_on) if exercise.ended_on is not None else last_day
        done = len({day for day in done_days.get(exercise.assignment_id, ()) if start <= day <= end})
        planned_total += planned
        done_total += min(done, planned)
    return Adherence(done=done_total, planned=planned_total)
