"""When a reminder is due and when it is too late, in the person's own time zone.

Pure functions of dates, times and zones, so the daylight-saving days can be
tested directly.

Local times that do not exist or happen twice:
- Spring forward (e.g. 01:30 in London on the last Sunday in March never
  happens): the reminder goes at the same distance after the jump, 02:30
  local time. Python's zoneinfo reads a missing time with the offset from
  before the change (fold=0), which is exactly that.
- Fall back (e.g. 01:30 in London on the last Sunday in October happens
  twice): the reminder goes at the first 01:30 (fold=0), once; the database
  allows one reminder per person, kind and local day, so it is never sent
  again at the second 01:30.

Late reminders: if the worker or the scheduler was down, a check-in reminder
is still sent late until the end of the patient's evening (22:00 local, or an
hour after the chosen time if they chose a time after 21:00), and never after
their local midnight: it is about today's check-in, and a reminder at night
wakes people for a day that is over. After that it is skipped and recorded as
"too late". A clinician's digest lists what is open, which is still useful
later in the day, so it is sent late until the clinician's local midnight.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

EVENING_ENDS = time(22, 0)
LATE_GRACE = timedelta(hours=1)

# Nudges: after this many whole days without a check-in the daily reminder
# becomes a gentle nudge, then one more nudge every NUDGE_EVERY_DAYS.
NUDGE_AFTER_DAYS = 3
NUDGE_EVERY_DAYS = 7


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The moment (in UTC) when the clock on the wall in `zone` shows `at` on `day` (see the module docstring)."""
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0), tzinfo=zone)
    return wall.astimezone(UTC)


def due_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    return local_moment(day, at, zone)


def end_of_day(day: date, zone: ZoneInfo) -> datetime:
    return local_moment(day + timedelta(days=1), time(0, 0), zone)


def stale_at(day: date, at: time, zone: ZoneInfo, *, digest: bool = False) -> datetime:
    """After this moment the reminder for `day` is no longer sent (see the module docstring)."""
    midnight = end_of_day(day, zone)
    if digest:
        return midnight
    due = due_at(day, at, zone)
    return min(midnight, max(due + LATE_GRACE, local_moment(day, EVENING_ENDS, zone)))


def local_today(now: datetime, zone: ZoneInfo) -> date:
    return now.astimezone(zone).date()


def quiet_days(*, today: date, last_checkin: date | None, joined: date) -> int:
    """Whole days before today with no check-in (since the last one, or since joining)."""
    reference = last_checkin if last_checkin is not None else joined - timedelta(days=1)
    return max(0, (today - reference).days - 1)


def patient_kind_for(*, today: date, last_checkin: date | None, joined: date) -> str | None:
    """'checkin', 'nudge' or None (a quiet day between nudges: nothing is sent)."""
    quiet = quiet_days(today=today, last_checkin=last_checkin, joined=joined)
    if quiet < NUDGE_AFTER_DAYS:
        return "checkin"
    if (quiet - NUDGE_AFTER_DAYS) % NUDGE_EVERY_DAYS == 0:
        return "nudge"
    return None
