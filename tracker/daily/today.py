"""What the patient's "Today" page shows: check-in status and today's exercises."""

from dataclasses import dataclass
from datetime import date, timedelta

from routines.selectors import ProgramItem, program_for
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
    """The patient's day at a glance, in their own time zone. Five queries."""
    today = patient.local_today()
    yesterday = today - timedelta(days=1)
    check_ins = {
        check_in.local_date: check_in
        for check_in in CheckIn.objects.filter(patient=patient, local_date__in=[today, yesterday])
    }
    statuses = dict(
        SessionEntry.objects.filter(session__patient=patient, session__local_date=today).values_list(
            "assignment_id", "status"
        )
    )
    return Today(
        today=today,
        yesterday=yesterday,
        check_in=check_ins.get(today),
        checked_in_yesterday=yesterday in check_ins,
        exercises=[
            TodayExercise(item=item, status=statuses.get(item.assignment.pk, ""))
            for item in program_for(patient=patient, on=today)
        ],
    )
