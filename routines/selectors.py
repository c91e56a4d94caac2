"""What a patient may do with their exercise program, derived from rows every time.

Nothing here is stored: whether an exercise is available today follows from the
newest clearance, the assignment's own status and the patient's unresolved
flags. A clearance that lapses or is revoked therefore suspends the program the
moment it happens, and resolving a flag lifts the pause the moment it happens.

Every function runs a fixed number of queries, whatever the size of the program.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from tracker.models import Flag, Severity, User

from .models import Assignment, AssignmentStatus, Clearance, Decision, Exercise, ExerciseMedia, ExerciseStep, Region


def current_clearance(*, patient: User) -> Clearance | None:
    """The newest decision recorded for the patient, whatever it says (for display and history).

    Newest means most recently recorded: a later decision always replaces an
    earlier one, even if the later one is a refusal or has since been revoked.
    One query.
    """
    return (
        Clearance.objects.filter(patient=patient)
        .select_related("doctor", "recorded_by", "revoked_by")
        .order_by("-recorded_at", "-id")
        .first()
    )


def clearance_allows(clearance: Clearance | None, *, on: date) -> bool:
    """True when this decision allows exercise on the given day.

    It must be a "cleared" or "cleared with restrictions" decision, not
    revoked, and `on` must be no later than `valid_until` (the last valid day,
    inclusive). No queries.
    """
    if clearance is None or clearance.revoked_at is not None:
        return False
    if clearance.decision not in (Decision.CLEARED, Decision.RESTRICTED):
        return False
    return clearance.valid_until is None or on <= clearance.valid_until


def clearance_in_force(*, patient: User, on: date | None = None) -> Clearance | None:
    """The patient's newest decision if it allows exercise on `on`; otherwise None.

    `on` defaults to the patient's own today (their time zone), so a clearance
    valid until 10 March holds until midnight of 10 March where the patient
    lives. Only the newest decision counts: a newer refusal or a revocation
    ends an older approval. One query.
    """
    on = on or patient.local_today()
    clearance = current_clearance(patient=patient)
    return clearance if clearance_allows(clearance, on=on) else None


class Blocker:
    """Why an assignment is not available, as a short code the templates can style."""

    NONE = ""
    NO_CLEARANCE = "no_clearance"
    REGION_NOT_COVERED = "region_not_covered"
    EMERGENCY_FLAG = "emergency_flag"
    PAUSED = "paused"
    REVIEW_FLAG = "review_flag"
    DISCHARGED = "discharged"


@dataclass(frozen=True)
class ProgramItem:
    """One exercise in a patient's program and whether they may do it on the day asked about.

    `reason` says in plain words why it is not available (empty when it is);
    `blocker` is the same as a code (see Blocker); `flag` is the review-exercise
    flag that pauses it, if that is the reason.
    """

    assignment: Assignment
    exercise: Exercise
    available: bool
    reason: str
    blocker: str = Blocker.NONE
    flag: Flag | None = None

    @property
    def clinician_reason(self) -> str:
        """Why it is on hold, as the care team reads it (`reason` speaks to the patient)."""
        if self.blocker == Blocker.NO_CLEARANCE:
            return "No clearance in force."
        if self.blocker == Blocker.REGION_NOT_COVERED:
            return f"Clearance does not cover {_region_label(self.exercise.region)} exercises."
        if self.blocker == Blocker.EMERGENCY_FLAG:
            return "Emergency flag open: whole program paused until a clinician resolves it."
        if self.blocker == Blocker.PAUSED:
            return f"Paused by the physiotherapist: {self.assignment.pause_reason}"
        if self.blocker == Blocker.REVIEW_FLAG and self.flag is not None:
            return f"Paused by a review-exercise flag: {self.flag.clinician_summary}"
        return self.reason


def _region_label(region: str) -> str:
    return Region(region).label.lower() if region in Region.values else region


@dataclass(frozen=True)
class ProgramState:
    """A patient's program as one page needs it.

    `current` is the newest decision (whatever it says), `in_force` the same
    decision when it allows exercise on the day asked about (else None),
    `emergency` whether an unresolved emergency flag pauses everything.
    """

    on: date
    current: Clearance | None
    in_force: Clearance | None
    emergency: bool
    items: list[ProgramItem]

    @property
    def available(self) -> list[ProgramItem]:
        return [item for item in self.items if item.available]

    @property
    def on_hold(self) -> list[ProgramItem]:
        return [item for item in self.items if not item.available]

    @property
    def expired(self) -> bool:
        """The newest decision allowed exercise but its last valid day has passed."""
        current = self.current
        return (
            current is not None
            and current.revoked_at is None
            and current.decision != Decision.NOT_CLEARED
            and current.valid_until is not None
            and current.valid_until < self.on
        )


def program_state(
    *, patient: User, on: date | None = None, with_steps: bool = False, with_pictures: bool = False
) -> ProgramState:
    """The newest decision, whether it is in force, and every assignment with its derived state.

    The rules are program_for's. Three queries, one more with `with_steps` and
    one more with `with_pictures` (each exercise's uploaded pictures and videos).
    """
    on = on or patient.local_today()
    current = current_clearance(patient=patient)
    clearance = current if clearance_allows(current, on=on) else None
    assignments = (
        Assignment.objects.filter(patient=patient)
        .exclude(status=AssignmentStatus.REMOVED)
        .select_related("exercise", "prescribed_by")
        .order_by("position", "id")
    )
    if with_steps:
        assignments = assignments.prefetch_related(
            Prefetch("exercise__steps", queryset=ExerciseStep.objects.order_by("position", "id"))
        )
    if with_pictures:
        assignments = assignments.prefetch_related(
            Prefetch("exercise__media", queryset=ExerciseMedia.objects.order_by("position", "id"))
        )
    assignments = list(assignments)
    flags = list(
        Flag.objects.unresolved()
        .filter(patient=patient)
        .filter(
            Q(severity=Severity.EMERGENCY) | Q(severity=Severity.REVIEW_EXERCISE, assignment__isnull=False),
        )
        .order_by("opened_at", "id")
    )
    emergency = any(flag.severity == Severity.EMERGENCY for flag in flags)
    review_flags = {
        flag.assignment_id: flag
        for flag in reversed(flags)  # the oldest unresolved flag wins if there are several
        if flag.severity == Severity.REVIEW_EXERCISE
    }
    items = [
        _item(
            assignment,
            clearance=clearance,
            emergency=emergency,
            review_flags=review_flags,
            discharged=patient.discharged_at is not None,
        )
        for assignment in assignments
    ]
    return ProgramState(on=on, current=current, in_force=clearance, emergency=emergency, items=items)


def program_for(
    *, patient: User, on: date | None = None, with_steps: bool = False, with_pictures: bool = False
) -> list[ProgramItem]:
    """Every assignment not removed, in program order, each with whether it is available on `on`.

    An assignment is available only when all of these hold, checked in this
    order (the first that fails gives the reason):
    1. a clearance is in force on `on` (see clearance_in_force);
    2. that clearance covers the exercise's body region;
    3. the patient has no unresolved EMERGENCY flag (it pauses the whole
       program until a clinician resolves it);
    4. the physiotherapist has not paused it;
    5. there is no unresolved REVIEW_EXERCISE flag about this assignment.

    `on` defaults to the patient's own today. Three queries (four with
    `with_steps`, which also loads each exercise's ordered steps, and one more
    with `with_pictures`).
    """
    return program_state(patient=patient, on=on, with_steps=with_steps, with_pictures=with_pictures).items


def _item(
    assignment: Assignment,
    *,
    clearance: Clearance | None,
    emergency: bool,
    review_flags: dict[int, Flag],
    discharged: bool = False,
) -> ProgramItem:
    exercise = assignment.exercise

    def blocked(blocker: str, reason: str, flag: Flag | None = None) -> ProgramItem:
        return ProgramItem(assignment, exercise, available=False, reason=reason, blocker=blocker, flag=flag)

    # A discharged patient's program stops (tracker.clinics): kept, not shown as anything to do.
    if discharged:
        return blocked(Blocker.DISCHARGED, "Stopped: you have been discharged from the clinic's care.")

    if clearance is None:
        return blocked(
            Blocker.NO_CLEARANCE,
            "On hold: there is no doctor's approval for exercise in force right now.",
        )
    if not clearance.covers(exercise.region):
        return blocked(
            Blocker.REGION_NOT_COVERED,
            f"On hold: the doctor's approval does not cover {_region_label(exercise.region)} exercises.",
        )
    if emergency:
        return blocked(
            Blocker.EMERGENCY_FLAG,
            "On hold: an urgent warning about your symptoms is open. "
            "All exercises stay paused until a clinician has looked at it.",
        )
    if assignment.status == AssignmentStatus.PAUSED:
        return blocked(Blocker.PAUSED, f"Paused by your physiotherapist: {assignment.pause_reason}")
    flag = review_flags.get(assignment.pk)
    if flag is not None:
        return blocked(
            Blocker.REVIEW_FLAG,
            f"Paused until your physiotherapist has reviewed it: {flag.explanation}",
            flag=flag,
        )
    return ProgramItem(assignment, exercise, available=True, reason="")


def loggable_assignments(*, patient: User, on: date) -> list[Assignment]:
    """The assignments the patient may log for `on`: exactly the available ones from program_for.

    A suspended or paused exercise can never be logged. Three queries.
    """
    return [item.assignment for item in program_for(patient=patient, on=on) if item.available]
