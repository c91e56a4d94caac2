"""Hypothesis strategies: valid patient histories for the flag rules, and ways to make them worse.

A valid history is anything the database can hold: at most one check-in per
day and one entry per exercise per day, scores 0-10, any mix of answers, any
gaps, possibly a day in the future (a patient who moved time zone), and
reviews at any time. Entries may name an exercise no longer in the program.
"""

from dataclasses import replace

from hypothesis import strategies as st

from tracker.flags.rules import PAIN_RULE_IDS, CheckInPoint, SessionEntryPoint
from tracker.models import RED_FLAG_FIELDS, Change, Condition, Extent

from .builders import at, check_in, day, review, snapshot

pain = st.integers(min_value=0, max_value=10)
optional_pain = st.none() | pain
# Warning signs are rare in real histories; mostly "no" keeps the other rules in play.
rare_yes = st.sampled_from([False] * 6 + [True])
days_ago = st.integers(min_value=-1, max_value=45)

# From least to most worrying, for "one step worse".
CHANGE_ORDER = [Change.NONE, Change.BETTER, Change.SAME, Change.WORSE, Change.NEW]
EXTENT_ORDER = [Extent.RETREATING, Extent.SAME, Extent.SPREADING]


def around(level: float):
    """A pain score near `level`: real pain drifts, it does not jump at random every day."""
    return st.integers(-1, 1).map(lambda noise: max(0, min(10, round(level) + noise)))


CALM_CHANGES = [Change.NONE, Change.BETTER, Change.SAME]
CALM_EXTENTS = [Extent.RETREATING, Extent.SAME]


@st.composite
def check_in_on(draw, days: int, level: float | None = None, calm: bool = False) -> CheckInPoint:
    """One check-in; a `calm` one has only pain to go on (no nerve changes, no warning signs)."""
    scores = pain if level is None else around(level)
    changes, extents = (CALM_CHANGES, CALM_EXTENTS) if calm else (CHANGE_ORDER, EXTENT_ORDER)
    return CheckInPoint(
        local_date=day(days),
        neck_back_pain=draw(scores),
        limb_pain=draw(scores),
        numbness=draw(st.sampled_from(changes)),
        weakness=draw(st.sampled_from(changes)),
        extent=draw(st.sampled_from(extents)),
        **{name: False if calm else draw(rare_yes) for name in RED_FLAG_FIELDS},
        recorded_at=at(days, 20),
    )


@st.composite
def entry_on(draw, days: int, assignment_id: int) -> SessionEntryPoint:
    """One exercise on one day; pain after is near pain before, so sessions sit around the limits."""
    before = draw(st.none() | st.integers(0, 7))
    change = draw(st.integers(-4, 4))
    after = draw(st.none() | st.just(max(0, min(10, (before or 3) + change))))
    return SessionEntryPoint(
        assignment_id=assignment_id,
        local_date=day(days),
        done=draw(st.sampled_from([True, True, True, False])),
        pain_before=before,
        pain_after=after,
        symptoms_worse=draw(st.sampled_from([False, False, True])),
        recorded_at=at(days, 18),
    )


@st.composite
def histories(draw, max_days: int = 40):
    """(check_ins, entries, condition, reviews): a clean, valid history as plain lists."""
    check_in_days = draw(st.lists(days_ago, unique=True, max_size=max_days))
    # Pain that starts somewhere and drifts up or down, or (None) anything at all.
    start = draw(st.none() | st.integers(0, 9))
    slope = draw(st.sampled_from([-0.2, 0, 0.1, 0.2, 0.4]))

    def level(days: int) -> float | None:
        return None if start is None else start + slope * (45 - days)

    # Most real histories are calm apart from pain; then the pain and exercise rules decide.
    calm = draw(st.booleans())
    check_ins = [draw(check_in_on(days, level(days), calm)) for days in sorted(check_in_days, reverse=True)]
    entry_keys = draw(
        st.lists(st.tuples(st.integers(-1, 30), st.sampled_from([1, 1, 1, 2, 3])), unique=True, max_size=max_days // 2)
    )
    entries = [draw(entry_on(days, assignment_id)) for days, assignment_id in sorted(entry_keys, reverse=True)]
    review_keys = draw(
        st.lists(
            st.sampled_from(
                [*PAIN_RULE_IDS, "contact.not_heard_from_you", "emergency.cauda_equina", "review.exercise_aggravates:1"]
            ),
            unique=True,
            max_size=3,
        )
    )
    reviews = {key: review(draw(st.integers(0, 40)), hour=draw(st.integers(0, 23))) for key in review_keys}
    condition = draw(st.sampled_from(Condition.values))
    return check_ins, entries, condition, reviews


def as_snapshot(history):
    check_ins, entries, condition, reviews = history
    return snapshot(check_ins, entries, condition=condition, reviews=reviews)


@st.composite
def messy_versions(draw, history):
    """The same history shuffled, with older versions of some days mixed in (what edits leave behind)."""
    check_ins, entries, condition, reviews = history
    stale_check_ins = [
        replace(
            draw(check_in_on((day(0) - point.local_date).days)), recorded_at=at((day(0) - point.local_date).days, 7)
        )
        for point in check_ins
        if draw(st.booleans())
    ]
    stale_entries = [
        replace(
            draw(entry_on((day(0) - point.local_date).days, point.assignment_id)),
            recorded_at=at((day(0) - point.local_date).days, 6),
        )
        for point in entries
        if draw(st.booleans())
    ]
    messy_check_ins = draw(st.permutations([*check_ins, *stale_check_ins]))
    messy_entries = draw(st.permutations([*entries, *stale_entries]))
    return messy_check_ins, messy_entries, condition, reviews


@st.composite
def worsenings(draw, history):
    """The history with one symptom made worse, in a way a patient could report.

    One of: a pain score on the latest check-in goes up; a safety-checklist
    answer on any check-in becomes "yes"; numbness, weakness or extent on any
    check-in moves toward the worrying end; an exercise's pain after goes up;
    an exercise's "symptoms spread or got worse" becomes "yes".
    """
    check_ins, entries, condition, reviews = history
    check_ins, entries = list(check_ins), list(entries)
    kinds = []
    if check_ins:
        kinds += ["latest_pain", "checklist", "change"]
    if entries:
        kinds += ["pain_after", "symptoms_worse"]
    if not kinds:
        return history
    kind = draw(st.sampled_from(kinds))
    if kind == "latest_pain":
        score = draw(st.sampled_from(["neck_back_pain", "limb_pain"]))
        latest = check_ins[-1]
        check_ins[-1] = replace(latest, **{score: min(10, getattr(latest, score) + draw(st.integers(1, 10)))})
    elif kind == "checklist":
        index = draw(st.integers(0, len(check_ins) - 1))
        check_ins[index] = replace(check_ins[index], **{draw(st.sampled_from(RED_FLAG_FIELDS)): True})
    elif kind == "change":
        index = draw(st.integers(0, len(check_ins) - 1))
        name = draw(st.sampled_from(["numbness", "weakness", "extent"]))
        order = EXTENT_ORDER if name == "extent" else CHANGE_ORDER
        current = order.index(getattr(check_ins[index], name))
        check_ins[index] = replace(check_ins[index], **{name: order[draw(st.integers(current, len(order) - 1))]})
    elif kind == "pain_after":
        index = draw(st.integers(0, len(entries) - 1))
        after = entries[index].pain_after
        entries[index] = replace(entries[index], pain_after=draw(st.integers(after or 0, 10)))
    else:
        index = draw(st.integers(0, len(entries) - 1))
        entries[index] = replace(entries[index], symptoms_worse=True)
    return check_ins, entries, condition, reviews


@st.composite
def improve_then_worsen(draw):
    """Daily-ish check-ins whose pain falls to a low and climbs again: the shape the setback rule is for."""
    high = draw(st.integers(4, 10))
    low = draw(st.integers(0, high))
    again = draw(st.integers(low, 10))
    turn = draw(st.integers(8, 30))  # days ago of the lowest point
    days = sorted(set(draw(st.lists(st.integers(0, 45), min_size=20, max_size=45))), reverse=True)
    check_ins = []
    for days_ago in days:
        if days_ago >= turn:
            level = low + (high - low) * (days_ago - turn) / max(1, 45 - turn)
        else:
            level = low + (again - low) * (turn - days_ago) / turn
        pain = max(0, min(10, round(level) + draw(st.integers(-1, 1))))
        check_ins.append(check_in(days_ago, back=pain, limb=draw(st.integers(0, pain))))
    return check_ins, [], draw(st.sampled_from(Condition.values)), {}
