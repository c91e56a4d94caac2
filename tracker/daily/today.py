"""What the patient's "Today" page shows: check-in status and today's exercises."""

from dataclasses import dataclass
from datetime import date, timedelta

from routines.selectors import ProgramItem, program_for
from tracker.daily.encouragement import WeekActivity, calendar_start, week_activity
from tracker.models import CheckIn, EntryStatus, SessionEntry, User


@dataclass(frozen=True)
class TodayExercise:
    item: ProgramItem
    status: str  # "" when not logged yet, else an EntryStatus value

    @property
    def done(self) -> bool:
        return self.status == EntryStatus.DONE


@dataclass(frozen=True)
class Today:
    today: date
    yesterday: date
    check_in: CheckIn | None
    checked_in_yesterday: bool
    exercises: list[TodayExercise]  # the whole program, in order, available or not
    activity: WeekActivity  # days logged this week and in the last four weeks

    @property
    def available(self) -> list[TodayExercise]:
        return [exercise for exercise in self.exercises if exercise.item.available]

    @property
    def on_hold(self) -> list[TodayExercise]:
        return [exercise for exercise in self.exercises if not exercise.item.available]

    @property
    def done_count(self) -> int:
        return sum(1 for exercise in self.available if exercise.done)

    @property
    def all_done(self) -> bool:
        return bool(self.available) and self.done_count == len(self.available)


def today_for(*, patient: User) -> Today:
    """The patient's day at a glance, in their own time zone. Five queries.

    The check-ins and entries of the calendar's four weeks are read in the
    same two queries that find today's, so the week costs nothing extra.
    """
    today = patient.local_today()
    yesterday = today - timedelta(days=1)
    first = calendar_start(today)  # always before yesterday
    check_ins = {
        check_in.local_date: check_in
        for check_in in CheckIn.objects.filter(patient=patient, local_date__range=(first, today))
    }
    entries = list(
        SessionEntry.objects.filter(session__patient=patient, session__local_date__range=(first, today)).values_list(
            "session__local_date", "assignment_id", "status"
        )
    )
    statuses = {assignment_id: status for day, assignment_id, status in entries if day == today}
    return Today(
        today=today,
        yesterday=yesterday,
        check_in=check_ins.get(today),
        checked_in_yesterday=yesterday in check_ins,
        exercises=[
            TodayExercise(item=item, status=statuses.get(item.assignment.pk, ""))
            for item in program_for(patient=patient, on=today)
        ],
        activity=week_activity(
            today=today,
            checked_in=set(check_ins),
            exercised={day for day, _, status in entries if status == EntryStatus.DONE},
        ),
    )
