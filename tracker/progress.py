"""A patient's progress between two days: pain over time, exercise adherence, logged days.

Read-only and reusable: the patient's own progress page and the clinician's
views call `progress_for` and render templates/includes/progress_charts.html.
It runs three queries whatever the length of the history.

Definitions (shown to patients and clinicians, so keep them simple):
- Daily pain: the two 0-10 scores from that day's check-in.
- 7-day average: the mean of the check-ins in the 7 days ending on that day
  (days without a check-in are left out, not counted as zero).
- Adherence, per calendar week (Monday to Sunday, cut to the range asked
  for): done against prescribed, counted exercise by exercise and capped at
  the plan by tracker.adherence (the one rule every page uses).
- Calendar: each day with a check-in and/or at least one exercise done.
- Nerve-symptom markers: each day in the range whose check-in said numbness
  or weakness was new or worse, or that symptoms were spreading.
- Since you started: the mean of each pain score over the first 7 days from
  the first check-in, against the latest 7-day average (the one shown above
  the chart), once those weeks do not overlap.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import F

from routines.models import Assignment
from tracker import charts
from tracker.adherence import PlannedExercise, adherence_counts
from tracker.daily.forms import pain_labels
from tracker.models import Change, CheckIn, EntryStatus, Extent, SessionEntry, User

ROLLING_DAYS = 7


@dataclass(frozen=True)
class PainDay:
    day: date
    neck_back: int | None
    limb: int | None
    neck_back_average: float | None
    limb_average: float | None

    @property
    def checked_in(self) -> bool:
        return self.neck_back is not None

    @property
    def label(self) -> str:
        """Like "Mon 3 Mar"; built here because the template's date filter is slow over a year of rows."""
        return f"{self.day:%a} {self.day.day} {self.day:%b}"


@dataclass(frozen=True)
class AdherenceWeek:
    start: date  # Monday, or the range's first day
    end: date  # Sunday, or the range's last day
    done: int
    prescribed: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.done / self.prescribed) if self.prescribed else None

    @property
    def label(self) -> str:
        return charts.short_date(self.start)

    @property
    def span(self) -> str:
        """Like "3 Mar to 9 Mar"."""
        return f"{charts.short_date(self.start)} to {charts.short_date(self.end)}"


@dataclass(frozen=True)
class CalendarDay:
    day: date
    in_range: bool
    checked_in: bool
    exercised: bool

    @property
    def logged(self) -> bool:
        return self.checked_in or self.exercised

    @property
    def label(self) -> str:
        return charts.short_date(self.day)


@dataclass(frozen=True)
class NerveDay:
    """A day whose check-in reported a nerve symptom getting worse."""

    day: date
    numbness: bool  # numbness or tingling new or worse
    weakness: bool  # weakness new or worse
    spreading: bool  # symptoms spreading further down the limb


@dataclass(frozen=True)
class FirstWeek:
    """The mean of each pain score over the 7 days from the patient's first check-in."""

    started_on: date
    back: float
    limb: float


@dataclass(frozen=True)
class Progress:
    patient: User
    start: date
    end: date
    pain: list[PainDay]  # one per day, oldest first
    weeks: list[AdherenceWeek]  # oldest first
    calendar: list[list[CalendarDay]]  # whole weeks, Monday first
    back_label: str
    limb_label: str
    nerve_days: list[NerveDay] = ()
    first_week: FirstWeek | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def check_in_days(self) -> list[PainDay]:
        """Days with a check-in, newest first (the table under the pain chart)."""
        return [day for day in reversed(self.pain) if day.checked_in]

    @property
    def days_checked_in(self) -> int:
        return sum(1 for day in self.pain if day.checked_in)

    @property
    def days_exercised(self) -> int:
        return sum(1 for week in self.calendar for day in week if day.in_range and day.exercised)

    @property
    def has_pain(self) -> bool:
        return self.days_checked_in > 0

    @property
    def has_adherence(self) -> bool:
        return any(week.prescribed or week.done for week in self.weeks)

    @property
    def latest_average(self) -> PainDay | None:
        """The newest day that has a 7-day average."""
        return next((day for day in reversed(self.pain) if day.neck_back_average is not None), None)

    @cached_property
    def back_chart(self) -> charts.LineChart:
        return self._pain_chart("neck_back")

    @cached_property
    def limb_chart(self) -> charts.LineChart:
        return self._pain_chart("limb")

    def _pain_chart(self, score: str) -> charts.LineChart:
        return charts.line_chart(
            start=self.start,
            end=self.end,
            series=[
                ("daily", "series-a", [(day.day, getattr(day, score)) for day in self.pain]),
                ("average", "series-avg", [(day.day, getattr(day, f"{score}_average")) for day in self.pain]),
            ],
            dots=["daily"],
        )

    @property
    def pain_charts(self) -> list[tuple[charts.LineChart, str]]:
        return [(self.back_chart, self.back_label), (self.limb_chart, self.limb_label)]

    @cached_property
    def nerve_chart(self) -> charts.MarkerChart:
        """Under the pain chart: a mark on each day a nerve symptom was reported new, worse or spreading."""
        return charts.marker_chart(
            start=self.start,
            end=self.end,
            rows=[
                ("Numbness", "mark-numbness", [day.day for day in self.nerve_days if day.numbness]),
                ("Weakness", "mark-weakness", [day.day for day in self.nerve_days if day.weakness]),
                ("Spreading", "mark-spreading", [day.day for day in self.nerve_days if day.spreading]),
            ],
        )

    @property
    def nerve_summary(self) -> str:
        """The marker row in words, e.g. "Numbness new or worse on 3 days, weakness on none, spreading on 1 day"."""

        def days(count: int) -> str:
            return "no days" if count == 0 else f"{count} day{'s' if count != 1 else ''}"

        numbness = sum(1 for day in self.nerve_days if day.numbness)
        weakness = sum(1 for day in self.nerve_days if day.weakness)
        spreading = sum(1 for day in self.nerve_days if day.spreading)
        return (
            f"Numbness or tingling new or worse on {days(numbness)}, weakness new or worse on {days(weakness)}, "
            f"symptoms spreading further on {days(spreading)}"
        )

    @property
    def since_start(self) -> FirstWeek | None:
        """The first week, when the latest 7-day average (the one shown above the chart) no longer overlaps it."""
        first, latest = self.first_week, self.latest_average
        if first is None or latest is None:
            return None
        if latest.day - timedelta(days=ROLLING_DAYS - 1) <= first.started_on + timedelta(days=ROLLING_DAYS - 1):
            return None
        return first

    @property
    def since_start_words(self) -> list[str]:
        """Each pain score from the first week to the latest 7-day average, in words."""
        first, latest = self.since_start, self.latest_average
        if first is None:
            return []

        def change(label: str, before: float, now: float) -> str:
            if abs(now - before) < 0.5:
                return f"{label.lower()} stayed about the same, at {now:g}"
            went = "went down" if now < before else "went up"
            return f"{label.lower()} {went} from {before:g} to {now:g}"

        return [
            change(self.back_label, first.back, latest.neck_back_average),
            change(self.limb_label, first.limb, latest.limb_average),
        ]

    @property
    def weeks_newest_first(self) -> list[AdherenceWeek]:
        return list(reversed(self.weeks))

    @cached_property
    def adherence_chart(self) -> charts.BarChart:
        return charts.bar_chart(bars=[(week.label, week.done, week.prescribed) for week in self.weeks])


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


def progress_for(*, patient: User, start: date, end: date) -> Progress:
    """The patient's progress from `start` to `end` inclusive (local dates). Three queries."""
    if end < start:
        start, end = end, start
    # Every check-in up to `end` (a few small columns): the range, the days before it for the
    # 7-day averages, and the first week for "since you started".
    rows = list(
        CheckIn.objects.filter(patient=patient, local_date__lte=end)
        .order_by("local_date")
        .values_list("local_date", "neck_back_pain", "limb_pain", "numbness", "weakness", "extent")
    )
    first_shown = start - timedelta(days=ROLLING_DAYS - 1)
    scores = {local_date: (back, limb) for local_date, back, limb, *_ in rows if local_date >= first_shown}
    worse = (Change.NEW, Change.WORSE)
    nerve_days = [
        NerveDay(
            day=local_date, numbness=numbness in worse, weakness=weakness in worse, spreading=extent == Extent.SPREADING
        )
        for local_date, _, _, numbness, weakness, extent in rows
        if start <= local_date <= end and (numbness in worse or weakness in worse or extent == Extent.SPREADING)
    ]
    done_days: dict[int, set[date]] = {}
    for local_date, assignment_id in SessionEntry.objects.filter(
        session__patient=patient, session__local_date__range=(start, end), status=EntryStatus.DONE
    ).values_list("session__local_date", "assignment_id"):
        done_days.setdefault(assignment_id, set()).add(local_date)
    program = [
        PlannedExercise.from_assignment(**columns, zone=patient.zone)
        for columns in Assignment.objects.filter(patient=patient).values(
            "times_per_week", "status", "created_at", "updated_at", "removed_at", assignment_id=F("id")
        )
    ]
    exercised = set().union(*done_days.values())
    days = _days(start, end)
    back_label, limb_label = pain_labels(patient)
    return Progress(
        patient=patient,
        start=start,
        end=end,
        pain=_pain_days(days, scores),
        weeks=adherence_weeks(start, end, done_days, program),
        calendar=_calendar(start, end, scores, exercised),
        back_label=back_label,
        limb_label=limb_label,
        nerve_days=nerve_days,
        first_week=_first_week(rows),
    )


def _first_week(rows: list[tuple]) -> FirstWeek | None:
    """The means of the check-ins in the 7 days from the first one (rows oldest first)."""
    if not rows:
        return None
    started_on = rows[0][0]
    week = [row for row in rows if row[0] < started_on + timedelta(days=ROLLING_DAYS)]
    return FirstWeek(started_on=started_on, back=_mean([row[1] for row in week]), limb=_mean([row[2] for row in week]))


def _pain_days(days: list[date], scores: dict[date, tuple[int, int]]) -> list[PainDay]:
    result = []
    for day in days:
        window = [scores[other] for other in _days(day - timedelta(days=ROLLING_DAYS - 1), day) if other in scores]
        back, limb = scores.get(day, (None, None))
        result.append(
            PainDay(
                day=day,
                neck_back=back,
                limb=limb,
                neck_back_average=_mean([pair[0] for pair in window]),
                limb_average=_mean([pair[1] for pair in window]),
            )
        )
    return result


def adherence_weeks(
    start: date, end: date, done_days: dict[int, set[date]], program: list[PlannedExercise]
) -> list[AdherenceWeek]:
    """Done and prescribed for each calendar week from `start` to `end`, the first and last cut to the range."""
    weeks = []
    week_start = _monday(start)
    while week_start <= end:
        first, last = max(week_start, start), min(week_start + timedelta(days=6), end)
        counts = adherence_counts(exercises=program, done_days=done_days, first_day=first, last_day=last)
        weeks.append(AdherenceWeek(start=first, end=last, done=counts.done, prescribed=counts.planned))
        week_start += timedelta(days=7)
    return weeks


def _calendar(
    start: date, end: date, scores: dict[date, tuple[int, int]], exercised: set[date]
) -> list[list[CalendarDay]]:
    weeks = []
    week_start = _monday(start)
    while week_start <= end:
        weeks.append(
            [
                CalendarDay(
                    day=day,
                    in_range=start <= day <= end,
                    checked_in=start <= day <= end and day in scores,
                    exercised=day in exercised,
                )
                for day in _days(week_start, week_start + timedelta(days=6))
            ]
        )
        week_start += timedelta(days=7)
    return weeks
