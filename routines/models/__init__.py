from routines.media.models import ExerciseMedia, MediaKind

from .assignments import Assignment, AssignmentStatus
from .clearances import Clearance, Decision
from .exercises import (
    HOLD_SECONDS_RANGE,
    MINUTES_RANGE,
    REPS_RANGE,
    SETS_RANGE,
    TIMES_PER_WEEK_RANGE,
    ActivityToAvoid,
    Exercise,
    ExerciseStep,
    Kind,
    Region,
)

__all__ = [
    "HOLD_SECONDS_RANGE",
    "MINUTES_RANGE",
    "REPS_RANGE",
    "SETS_RANGE",
    "TIMES_PER_WEEK_RANGE",
    "ActivityToAvoid",
    "Assignment",
    "AssignmentStatus",
    "Clearance",
    "Decision",
    "Exercise",
    "ExerciseMedia",
    "ExerciseStep",
    "Kind",
    "MediaKind",
    "Region",
]
