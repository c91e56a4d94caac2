"""Doses and frequencies in plain words, for patients and clinicians alike."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def describe_dose(*, sets: int, reps: int | None, hold_seconds: int, minutes: int | None, per_side: bool) -> str:
    """E.g. "2 sets of 10, hold each for 5 seconds, on each side" or "20 minutes"."""
    if reps is None:
        text = _plural(minutes or 0, "minute")
        if sets > 1:
            text += f", {sets} times"
        return text
    text = f"{_plural(sets, 'set')} of {reps}"
    if hold_seconds:
        text += f", hold each for {_plural(hold_seconds, 'second')}"
    if per_side:
        text += ", on each side"
    return text


def describe_frequency(times_per_week: int) -> str:
    """E.g. "every day", "twice a day", "3 times a week"."""
    if times_per_week == 7:
        return "every day"
    if times_per_week == 14:
        return "twice a day"
    if times_per_week == 1:
        return "once a week"
    return f"{times_per_week} times a week"


def assignment_dose(assignment) -> str:
    return describe_dose(
        sets=assignment.sets,
        reps=assignment.reps,
        hold_seconds=assignment.hold_seconds,
        minutes=assignment.minutes,
        per_side=assignment.exercise.per_side,
    )


def exercise_default_dose(exercise) -> str:
    return describe_dose(
        sets=exercise.default_sets,
        reps=exercise.default_reps,
        hold_seconds=exercise.default_hold_seconds,
        minutes=exercise.default_minutes,
        per_side=exercise.per_side,
    )
