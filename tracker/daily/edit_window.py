"""Which days a patient may still fill in or change.

The rule: a day's check-in and session log can be written on that day and on
the day after (so yesterday can be filled in late), counted in the patient's
own time zone. Older days are closed so that what the care team and the flag
rules have already seen does not shift under them; a future day has not
happened yet.
"""

from datetime import date, timedelta

from django.core.exceptions import ValidationError

from tracker.models import User

# Today and yesterday.
EDIT_WINDOW_DAYS = 2

FUTURE_DAY_MESSAGE = "That day has not come yet. You can fill in today or yesterday."
CLOSED_DAY_MESSAGE = "This day is closed. You can add or change an entry only on the day itself and the day after."


def editable_days(*, patient: User) -> list[date]:
    """The days the patient may write, newest first: today and yesterday in their time zone."""
    today = patient.local_today()
    return [today - timedelta(days=offset) for offset in range(EDIT_WINDOW_DAYS)]


def is_editable(*, patient: User, local_date: date, today: date | None = None) -> bool:
    today = today or patient.local_today()
    return today - timedelta(days=EDIT_WINDOW_DAYS - 1) <= local_date <= today


def check_editable(*, patient: User, local_date: date) -> None:
    """Raise ValidationError (on the `local_date` field) if the day is in the future or closed."""
    today = patient.local_today()
    if local_date > today:
        raise ValidationError({"local_date": FUTURE_DAY_MESSAGE}, code="future_day")
    if not is_editable(patient=patient, local_date=local_date, today=today):
        raise ValidationError({"local_date": CLOSED_DAY_MESSAGE}, code="closed_day")
