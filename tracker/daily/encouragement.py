"""The patient's week at a glance: how many days this week they logged, and the last four weeks.

A day counts as logged when the patient checked in or did at least one
exercise that day (the same rule as "Days logged" on the progress page). Weeks
run Monday to Sunday in the patient's own time zone. This is encouragement
only: nothing here counts a run of days or warns about breaking one.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from tracker.models import CheckIn, EntryStatus, SessionEntry, User
from tracker.progress import CalendarDay

CALENDAR_WEEKS = 4


@dataclass(frozen=True)
class WeekActivity:
    today: date
    weeks: list[list[CalendarDay]]  # oldest week first, Monday first; days after today are out of range

    @property
    def this_week(self) -> list[CalendarDay]:
        return self.weeks[-1]

    @property
    def days_this_week(self) -> int:
        return sum(1 for day in self.this_week if day.in_range and day.logged)

    @property
    def days_in_calendar(self) -> int:
        return sum(1 for week in self.weeks for day in week if day.in_range and day.logged)


def calendar_start(today: date) -> date:
    """The Monday that starts the calendar: CALENDAR_WEEKS whole weeks ending with this one."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=CALENDAR_WEEKS - 1)


def week_activity(*, today: date, checked_in: set[date], exercised: set[date]) -> WeekActivity:
    """The calendar from the days with a check-in and the days with an exercise done. No queries."""
    first = calendar_start(today)
    weeks = []
    for week in range(CALENDAR_WEEKS):
        monday = first + timedelta(weeks=week)
        weeks.append(
            [
                CalendarDay(day=day, in_range=day <= today, checked_in=day in checked_in, exercised=day in exercised)
                for day in (monday + timedelta(days=offset) for offset in range(7))
            ]
        )
    return WeekActivity(today=today, weeks=weeks)


def activity_for(*, patient: User) -> WeekActivity:
    """The current week and the three before it, each day marked with what was logged. Two queries."""
    today = patient.local_today()
    first = calendar_start(today)
    checked_in = set(
        CheckIn.objects.filter(patient=patient, local_date__range=(first, today)).values_list("local_date", flat=True)
    )
    exercised = set(
        SessionEntry.objects.filter(
            session__patient=patient, session__local_date__range=(first, today), status=EntryStatus.DONE
        )
        .values_list("session__local_date", flat=True)
        .distinct()
    )
    return week_activity(today=today, checked_in=checked_in, exercised=exercised)
