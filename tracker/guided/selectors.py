"""What a guided session shows: the day's available exercises in program order, and what is logged.

A guided session is a way through the same session log as the session page:
it shows only exercises the patient may log that day, and saving goes through
tracker.services.sessions like everywhere else.
"""

from dataclasses import dataclass
from datetime import date

from routines.models import Assignment, Exercise
from routines.selectors import ProgramItem, program_for
from tracker.models import EntryStatus, SessionEntry, User


@dataclass(frozen=True)
class GuidedStep:
    """One exercise in the session: its place, the prescription, and the entry saved so far (if any)."""

    number: int  # 1 for the first exercise
    item: ProgramItem
    entry: SessionEntry | None

    @property
    def assignment(self) -> Assignment:
        return self.item.assignment

    @property
    def exercise(self) -> Exercise:
        return self.item.exercise

    @property
    def logged(self) -> bool:
        return self.entry is not None

    @property
    def done(self) -> bool:
        return self.entry is not None and self.entry.status == EntryStatus.DONE


@dataclass(frozen=True)
class GuidedSession:
    local_date: date
    steps: list[GuidedStep]  # available exercises only, in program order
    on_hold: list[ProgramItem]

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def done_count(self) -> int:
        return sum(1 for step in self.steps if step.done)

    @property
    def logged_count(self) -> int:
        return sum(1 for step in self.steps if step.logged)

    @property
    def first_to_do(self) -> GuidedStep | None:
        """Where "Start" leads: the first exercise not logged yet, else the first of all."""
        return next((step for step in self.steps if not step.logged), self.steps[0] if self.steps else None)

    def step_for(self, assignment_id: int) -> GuidedStep | None:
        return next((step for step in self.steps if step.assignment.pk == assignment_id), None)

    def next_after(self, step: GuidedStep) -> GuidedStep | None:
        """The next exercise after `step` that is not logged yet (None when the session is over)."""
        return next((later for later in self.steps[step.number :] if not later.logged), None)

    def previous(self, step: GuidedStep) -> GuidedStep | None:
        return self.steps[step.number - 2] if step.number > 1 else None


def guided_session_for(*, patient: User, local_date: date) -> GuidedSession:
    """The patient's guided session for `local_date`, with steps and pictures loaded. Six queries."""
    items = program_for(patient=patient, on=local_date, with_steps=True, with_pictures=True)
    entries = {
        entry.assignment_id: entry
        for entry in SessionEntry.objects.filter(session__patient=patient, session__local_date=local_date)
    }
    available = [item for item in items if item.available]
    return GuidedSession(
        local_date=local_date,
        steps=[
            GuidedStep(number=number, item=item, entry=entries.get(item.assignment.pk))
            for number, item in enumerate(available, start=1)
        ],
        on_hold=[item for item in items if not item.available],
    )
