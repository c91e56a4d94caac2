"""Plain-data histories for the flag rules: no database, dates counted back from a fixed today."""

from datetime import UTC, date, datetime, time, timedelta

from tracker.flags.rules import RULES_BY_ID, CheckInPoint, Finding, Review, SessionEntryPoint, make_snapshot
from tracker.models import Condition

TODAY = date(2025, 3, 31)


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


def at(days_ago: int, hour: int = 9) -> datetime:
    """A moment on that day, for recorded_at and review times."""
    return datetime.combine(day(days_ago), time(hour), tzinfo=UTC)


def check_in(days_ago: int, back: int = 2, limb: int = 2, **fields) -> CheckInPoint:
    fields.setdefault("recorded_at", at(days_ago, 20))
    return CheckInPoint(local_date=day(days_ago), neck_back_pain=back, limb_pain=limb, **fields)


def daily(first_days_ago: int, last_days_ago: int, back: int = 2, limb: int = 2, **fields) -> list[CheckInPoint]:
    """One check-in a day from `first_days_ago` to `last_days_ago` (inclusive), all alike."""
    return [check_in(days_ago, back, limb, **fields) for days_ago in range(first_days_ago, last_days_ago - 1, -1)]


def entry(days_ago: int, assignment_id: int = 1, before: int | None = 2, after: int | None = 2, **fields):
    fields.setdefault("recorded_at", at(days_ago, 18))
    return SessionEntryPoint(
        assignment_id=assignment_id, local_date=day(days_ago), pain_before=before, pain_after=after, **fields
    )


def review(days_ago: int, hour: int = 12) -> Review:
    return Review(at=at(days_ago, hour), local_date=day(days_ago))


def snapshot(check_ins=(), entries=(), *, condition=Condition.LOWER_BACK, exercises=None, reviews=None, today=TODAY):
    return make_snapshot(
        today=today,
        condition=condition,
        check_ins=check_ins,
        entries=entries,
        exercises={1: "Glute bridges", 2: "Pelvic tilt"} if exercises is None else exercises,
        reviews=reviews,
    )


def run(rule_id: str, history) -> list[Finding]:
    return RULES_BY_ID[rule_id].evaluate(history)


def explanation(rule_id: str, history) -> str:
    (finding,) = run(rule_id, history)
    return finding.explanation
