"""When reminders are due and when they are too late, in the patient's own zone, across daylight saving."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker.reminders.timing import due_at, patient_kind_for, quiet_days, stale_at

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # An ordinary winter and summer evening.
        (LONDON, date(2026, 1, 15), time(18, 0), utc(2026, 1, 15, 18, 0)),
        (LONDON, date(2026, 7, 15), time(18, 0), utc(2026, 7, 15, 17, 0)),
        (NEW_YORK, date(2026, 1, 15), time(18, 0), utc(2026, 1, 15, 23, 0)),
        (NEW_YORK, date(2026, 7, 15), time(18, 0), utc(2026, 7, 15, 22, 0)),
        # Spring-forward days: the evening reminder keeps its wall-clock time (one hour earlier in UTC).
        (LONDON, date(2026, 3, 28), time(18, 0), utc(2026, 3, 28, 18, 0)),
        (LONDON, date(2026, 3, 29), time(18, 0), utc(2026, 3, 29, 17, 0)),
        (NEW_YORK, date(2026, 3, 7), time(8, 0), utc(2026, 3, 7, 13, 0)),
        (NEW_YORK, date(2026, 3, 8), time(8, 0), utc(2026, 3, 8, 12, 0)),
        # Autumn days: one hour later in UTC.
        (LONDON, date(2026, 10, 24), time(18, 0), utc(2026, 10, 24, 17, 0)),
        (LONDON, date(2026, 10, 25), time(18, 0), utc(2026, 10, 25, 18, 0)),
        (NEW_YORK, date(2026, 10, 31), time(8, 0), utc(2026, 10, 31, 12, 0)),
        (NEW_YORK, date(2026, 11, 1), time(8, 0), utc(2026, 11, 1, 13, 0)),
        # A time that does not exist (the clocks jump over it): sent just as far after the jump.
        (LONDON, date(2026, 3, 29), time(1, 30), utc(2026, 3, 29, 1, 30)),  # 02:30 BST
        (NEW_YORK, date(2026, 3, 8), time(2, 30), utc(2026, 3, 8, 7, 30)),  # 03:30 EDT
        # A time that happens twice: the first one only.
        (LONDON, date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30)),  # 01:30 BST, not GMT
        (NEW_YORK, date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),  # 01:30 EDT, not EST
    ],
)
def test_due_time_follows_the_wall_clock(zone, day, at, expected):
    assert due_at(day, at, zone) == expected


@pytest.mark.parametrize("zone", [LONDON, NEW_YORK])
def test_the_missing_hour_moves_the_reminder_after_the_jump_and_it_shows_that_local_time(zone):
    day = date(2026, 3, 29) if zone is LONDON else date(2026, 3, 8)
    at = time(1, 30) if zone is LONDON else time(2, 30)
    local = due_at(day, at, zone).astimezone(zone)
    assert local.date() == day
    assert (local.hour, local.minute) == (at.hour + 1, 30)


@pytest.mark.parametrize("zone", [LONDON, NEW_YORK])
def test_a_time_that_happens_twice_is_due_once_at_the_first(zone):
    day = date(2026, 10, 25) if zone is LONDON else date(2026, 11, 1)
    first = due_at(day, time(1, 30), zone)
    second = datetime.combine(day, time(1, 30, fold=1), tzinfo=zone).astimezone(UTC)
    assert second - first == timedelta(hours=1)
    assert first.astimezone(zone).fold == 0


def test_a_reminder_stays_sendable_until_the_end_of_the_evening():
    day = date(2026, 1, 15)
    assert stale_at(day, time(18, 0), LONDON) == utc(2026, 1, 15, 22, 0)
    assert stale_at(day, time(9, 0), NEW_YORK) == utc(2026, 1, 16, 3, 0)  # 22:00 EST


def test_a_late_chosen_time_gets_an_hour_but_never_passes_midnight():
    day = date(2026, 1, 15)
    assert stale_at(day, time(21, 30), LONDON) == utc(2026, 1, 15, 22, 30)
    assert stale_at(day, time(23, 30), LONDON) == utc(2026, 1, 16, 0, 0)


def test_evening_ends_at_local_22_00_on_change_days_too():
    assert stale_at(date(2026, 3, 29), time(18, 0), LONDON) == utc(2026, 3, 29, 21, 0)  # 22:00 BST
    assert stale_at(date(2026, 10, 25), time(18, 0), LONDON) == utc(2026, 10, 25, 22, 0)  # 22:00 GMT
    assert stale_at(date(2026, 3, 8), time(18, 0), NEW_YORK) == utc(2026, 3, 9, 2, 0)  # 22:00 EDT
    assert stale_at(date(2026, 11, 1), time(18, 0), NEW_YORK) == utc(2026, 11, 2, 3, 0)  # 22:00 EST


def test_a_digest_can_go_late_until_local_midnight():
    assert stale_at(date(2026, 3, 29), time(8, 0), LONDON, digest=True) == utc(2026, 3, 29, 23, 0)


@pytest.mark.parametrize(
    ("last_checkin", "expected_quiet", "kind"),
    [
        (date(2026, 5, 10), 0, "checkin"),  # checked in yesterday
        (date(2026, 5, 8), 2, "checkin"),
        (date(2026, 5, 7), 3, "nudge"),  # three whole days without one
        (date(2026, 5, 6), 4, None),  # then quiet for a week
        (date(2026, 5, 1), 9, None),
        (date(2026, 4, 30), 10, "nudge"),
    ],
)
def test_three_quiet_days_turn_the_reminder_into_a_nudge_then_a_weekly_one(last_checkin, expected_quiet, kind):
    today = date(2026, 5, 11)
    assert quiet_days(today=today, last_checkin=last_checkin, joined=date(2026, 1, 1)) == expected_quiet
    assert patient_kind_for(today=today, last_checkin=last_checkin, joined=date(2026, 1, 1)) == kind


def test_a_new_patient_who_never_checked_in_counts_from_joining():
    assert patient_kind_for(today=date(2026, 5, 11), last_checkin=None, joined=date(2026, 5, 11)) == "checkin"
    assert patient_kind_for(today=date(2026, 5, 11), last_checkin=None, joined=date(2026, 5, 8)) == "nudge"
