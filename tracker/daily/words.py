"""What a patient actually did, in plain words, for the session page and the history.

The prescribed dose is worded by routines.formatting.assignment_dose, so a
prescription reads the same on every page.
"""


def dose_text(
    *, sets: int | None, reps: int | None, hold_seconds: int | None, minutes: int | None, per_side: bool = False
) -> str:
    """ "2 sets of 10, hold 5 seconds, each side" or "20 minutes"; empty parts are left out."""
    parts = []
    if minutes:
        parts.append(f"{minutes} minute{'s' if minutes != 1 else ''}")
    if sets and reps:
        parts.append(f"{sets} set{'s' if sets != 1 else ''} of {reps}")
    elif reps:
        parts.append(f"{reps} time{'s' if reps != 1 else ''}")
    elif sets and not minutes:
        parts.append(f"{sets} set{'s' if sets != 1 else ''}")
    if hold_seconds:
        parts.append(f"hold {hold_seconds} second{'s' if hold_seconds != 1 else ''}")
    if parts and per_side:
        parts.append("each side")
    return ", ".join(parts)


def entry_text(entry) -> str:
    return dose_text(
        sets=entry.sets_done,
        reps=entry.reps_done,
        hold_seconds=entry.hold_seconds_done,
        minutes=entry.minutes_done,
    )
