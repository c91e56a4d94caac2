"""What the guided session's timers count, handed to static/js/guided.js as data attributes.

The prescription decides the timers: a hold countdown for each repetition when
the exercise is held, a repetition counter the patient taps when it is not,
a countdown of the minutes for timed activities such as walking, and a rest
between sets and between sides. Without JavaScript none of this shows and the
page is an ordinary form.
"""

from routines.models import Assignment

# House rules, not clinical thresholds: a gentle pause to breathe between
# holds, and a short rest before the next set or the other side.
RELAX_SECONDS = 3
REST_SECONDS = 30


def timer_attributes(*, assignment: Assignment, scale: float) -> dict[str, str]:
    """The data-* attributes (without the prefix) that describe the timers for one prescription.

    `scale` is settings.GUIDED_TIMER_SCALE: 1 in real use; tests make it small
    so that a whole session runs in seconds.
    """
    return {
        "sets": str(assignment.sets),
        "reps": "" if assignment.reps is None else str(assignment.reps),
        "hold-seconds": str(assignment.hold_seconds or 0),
        "minutes": "" if assignment.minutes is None else str(assignment.minutes),
        "per-side": "true" if assignment.exercise.per_side else "false",
        "relax-seconds": str(RELAX_SECONDS),
        "rest-seconds": str(REST_SECONDS),
        "scale": f"{scale:g}",
    }
