"""The flag rules: pure functions over a snapshot of one patient's recent history.

No rule touches the database. The engine (tracker.flags.engine) builds a
PatientSnapshot from the models, runs every rule in RULES and stores what they
find as Flag rows. Each rule has a stable id (stored on the flag, so never
rename one), a severity and a short title for clinicians; what it finds carries
the data points that triggered it (JSON-ready) and an explanation for the
patient, in plain words, with the real numbers.

Terms used below (the numbers live in tracker.flags.thresholds):
- A check-in's *pain scores* are its neck/back pain and its arm/leg pain; the
  pain rules look at each score on its own.
- *Recent check-ins*: today's and yesterday's, or the latest one if the patient
  has not checked in since (CHECKLIST_RECENT_DAYS).
- *Baseline*: the patient's starting level of each pain score, the mean of the
  first 7 calendar days (counted from a check-in day) that hold at least 4
  check-ins; it counts once the patient has checked in after those 7 days.
  When a clinician resolves a pain flag (a flag from a rule in PAIN_RULE_IDS)
  the baseline starts again: it is then taken from check-ins after the day of
  that review. Until there is a baseline, only the absolute pain rule (8/10 or
  more) can fire.
- *Review*: a clinician resolving a flag. Each rule looks only at evidence
  recorded after the last review of a flag with the same dedupe key (the rule,
  plus the exercise for per-exercise rules), so a problem the clinician has
  already dealt with does not reopen a flag; anything reported after the
  review does. Acknowledging a flag is not a review: it only says "seen".
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tracker.models import RED_FLAG_FIELDS, Change, Condition, Extent, Severity

from . import thresholds as limits

# --- The snapshot: plain data the rules read --------------------------------


@dataclass(frozen=True)
class CheckInPoint:
    """One day's check-in. `recorded_at` is when this version was saved (None: unknown, counts as new)."""

    local_date: date
    neck_back_pain: int
    limb_pain: int
    numbness: str = Change.NONE
    weakness: str = Change.NONE
    extent: str = Extent.SAME
    bladder_bowel_change: bool = False
    saddle_numbness: bool = False
    both_legs: bool = False
    foot_drop: bool = False
    hand_clumsiness_or_falls: bool = False
    sudden_weakness_or_numbness: bool = False
    fever: bool = False
    weight_loss: bool = False
    night_pain: bool = False
    recorded_at: datetime | None = None

    def pain(self, score: str) -> int:
        return getattr(self, score)

    @property
    def worst_pain(self) -> int:
        return max(self.neck_back_pain, self.limb_pain)


@dataclass(frozen=True)
class SessionEntryPoint:
    """One exercise in one day's session: done or not, pain before and after, and whether symptoms got worse."""

    assignment_id: int
    local_date: date
    done: bool = True
    pain_before: int | None = None
    pain_after: int | None = None
    symptoms_worse: bool = False
    recorded_at: datetime | None = None


@dataclass(frozen=True)
class Review:
    """When a clinician last resolved a flag with a given dedupe key, as a moment and as the patient's local day."""

    at: datetime
    local_date: date


@dataclass(frozen=True)
class PatientSnapshot:
    """Everything the rules may look at for one patient, as of `today` (the patient's local day).

    Build it with make_snapshot, which sorts and de-duplicates: check-ins are
    one per day, oldest first; entries one per exercise per day, oldest first.
    `exercises` names the patient's current (not removed) assignments by id;
    entries for any other assignment are ignored. `reviews` holds the latest
    review per dedupe key.
    """

    today: date
    condition: str
    check_ins: tuple[CheckInPoint, ...] = ()
    entries: tuple[SessionEntryPoint, ...] = ()
    exercises: Mapping[int, str] = field(default_factory=dict)
    reviews: Mapping[str, Review] = field(default_factory=dict)

    def review_of(self, dedupe_key: str) -> Review | None:
        return self.reviews.get(dedupe_key)


def _latest_version(points: Iterable, key: Callable) -> list:
    """One point per key: the version recorded last (input order breaks ties), sorted by key."""
    chosen: dict = {}
    for point in points:
        current = chosen.get(key(point))
        if current is None or _recorded(point) >= _recorded(current):
            chosen[key(point)] = point
    return [chosen[item] for item in sorted(chosen)]


def _recorded(point) -> tuple:
    # Unknown times sort first; known ones (all time-zone aware) by time.
    return (point.recorded_at is not None, point.recorded_at or 0)


def make_snapshot(
    *,
    today: date,
    condition: str,
    check_ins: Iterable[CheckInPoint] = (),
    entries: Iterable[SessionEntryPoint] = (),
    exercises: Mapping[int, str] | None = None,
    reviews: Mapping[str, Review] | None = None,
) -> PatientSnapshot:
    """A snapshot with check-ins and entries in date order, keeping the last-recorded version of each day.

    So a history given out of order, or with the earlier versions of edited
    days, evaluates exactly like the clean history.
    """
    return PatientSnapshot(
        today=today,
        condition=condition,
        check_ins=tuple(_latest_version(check_ins, key=lambda point: point.local_date)),
        entries=tuple(
            sorted(
                _latest_version(entries, key=lambda point: (point.local_date, point.assignment_id)),
                key=lambda point: (point.local_date, point.assignment_id),
            )
        ),
        exercises=dict(exercises or {}),
        reviews=dict(reviews or {}),
    )


# --- What a rule finds -------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    """What one rule found, in two voices, with the evidence.

    `explanation` speaks to the patient (plain words, grade 8 or below, what
    to do); `clinician_summary` speaks about the patient to the care team
    (third person, clinical terms, the numbers), for every clinician page,
    the report and the e-mails.
    """

    explanation: str
    evidence: dict
    assignment_id: int | None = None
    clinician_summary: str = ""


@dataclass(frozen=True)
class Finding:
    """A hit with the rule's identity: what the engine stores as a flag."""

    rule_id: str
    severity: Severity
    title: str
    dedupe_key: str
    explanation: str
    evidence: dict
    assignment_id: int | None = None
    clinician_summary: str = ""


def dedupe_key_for(rule_id: str, assignment_id: int | None = None) -> str:
    """One unresolved flag per patient per key: the rule, plus the assignment for per-exercise rules."""
    return rule_id if assignment_id is None else f"{rule_id}:{assignment_id}"


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str
    check: Callable[[PatientSnapshot], Hit | list[Hit] | None] = field(compare=False)

    def evaluate(self, snapshot: PatientSnapshot) -> list[Finding]:
        result = self.check(snapshot)
        hits = [] if result is None else [result] if isinstance(result, Hit) else list(result)
        return [
            Finding(
                rule_id=self.id,
                severity=self.severity,
                title=self.title,
                dedupe_key=dedupe_key_for(self.id, hit.assignment_id),
                explanation=hit.explanation,
                evidence=hit.evidence,
                assignment_id=hit.assignment_id,
                clinician_summary=hit.clinician_summary,
            )
            for hit in hits
        ]


RULES: list[Rule] = []


def rule(rule_id: str, severity: Severity, title: str):
    """Register a rule function in RULES under a stable id."""

    def register(function):
        RULES.append(Rule(id=rule_id, severity=severity, title=title, check=function))
        return function

    return register


# --- Small helpers -----------------------------------------------------------

PAIN_SCORES = ("neck_back_pain", "limb_pain")
NERVE_CHANGES_WORSE = {Change.NEW, Change.WORSE}
# Still there and not improving: continues a run of worsening nerve symptoms.
NERVE_CHANGES_ONGOING = {Change.NEW, Change.WORSE, Change.SAME}


def pain_name(score: str, condition: str) -> str:
    """What the patient calls this pain score, e.g. "leg pain" for a lower-back patient's limb pain."""
    names = {
        Condition.NECK: {"neck_back_pain": "neck pain", "limb_pain": "arm pain"},
        Condition.LOWER_BACK: {"neck_back_pain": "back pain", "limb_pain": "leg pain"},
    }
    default = {"neck_back_pain": "neck or back pain", "limb_pain": "arm or leg pain"}
    return names.get(condition, default)[score]


def limb_word(condition: str) -> str:
    return {Condition.NECK: "arm", Condition.LOWER_BACK: "leg"}.get(condition, "arm or leg")


def number(value: Fraction | int | float) -> str:
    """A score for people: one decimal place at most, halves rounded up ("6.1", "4", "3.5")."""
    rounded = (Decimal(Fraction(value).numerator) / Decimal(Fraction(value).denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    text = f"{rounded:f}"
    return text.removesuffix(".0")


def as_json_number(value: Fraction | int) -> float:
    return round(float(value), 2)


def day_words(day: date, today: date) -> str:
    """'today', 'yesterday' or 'on 3 March'."""
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"on {day.day} {MONTHS[day.month - 1]}"


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def short_date(day: date) -> str:
    """'25 Nov', for the care team's summaries."""
    return f"{day.day} {MONTHS[day.month - 1][:3]}"


def signed(value: Fraction | int | float) -> str:
    """'+3.4' or '-1': a change with its sign."""
    return f"{'+' if value >= 0 else '-'}{number(abs(Fraction(value)))}"


def percent_change(value: Fraction, baseline: Fraction) -> str:
    """'+113%' (empty when the baseline is 0: no percentage of nothing)."""
    if baseline == 0:
        return ""
    rise = (Fraction(value) - baseline) / baseline * 100
    rounded = int((abs(rise) + Fraction(1, 2)) // 1)
    return f"{'+' if rise >= 0 else '-'}{rounded}%"


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def after_review(points: Iterable, review: Review | None) -> list:
    """Only what was recorded after the review (unknown times count as new: safer)."""
    if review is None:
        return list(points)
    return [point for point in points if point.recorded_at is None or point.recorded_at > review.at]


def recent_check_ins(points: list[CheckInPoint], today: date) -> list[CheckInPoint]:
    """Today's and yesterday's check-ins, or the latest one if there are none from those days."""
    first_day = today - timedelta(days=limits.CHECKLIST_RECENT_DAYS - 1)
    recent = [point for point in points if point.local_date >= first_day]
    return recent or points[-1:]


def within_recent_days(points: Iterable, today: date) -> list:
    first_day = today - timedelta(days=limits.RECENT_DAYS - 1)
    return [point for point in points if point.local_date >= first_day]


def mean(values: list[int]) -> Fraction:
    return Fraction(sum(values), len(values))


# --- Baseline ----------------------------------------------------------------

PAIN_RULE_IDS = ("contact.pain_rising", "contact.pain_high_day", "contact.pain_setback")


@dataclass(frozen=True)
class Baseline:
    start: date
    end: date
    check_ins: int
    means: dict[str, Fraction]
    after_review: bool

    @property
    def phrase(self) -> str:
        return "after your last review" if self.after_review else "when you started"

    def as_evidence(self) -> dict:
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "check_ins": self.check_ins,
            **{score: as_json_number(value) for score, value in self.means.items()},
        }


def baseline_review(snapshot: PatientSnapshot) -> Review | None:
    reviews = [snapshot.review_of(rule_id) for rule_id in PAIN_RULE_IDS]
    reviews = [review for review in reviews if review is not None]
    return max(reviews, key=lambda review: review.at) if reviews else None


def baseline_check_ins(snapshot: PatientSnapshot) -> list[CheckInPoint]:
    """The check-ins a baseline may come from: all of them, or those after the day of the last pain review."""
    review = baseline_review(snapshot)
    if review is None:
        return list(snapshot.check_ins)
    return [point for point in snapshot.check_ins if point.local_date > review.local_date]


def find_baseline(snapshot: PatientSnapshot) -> Baseline | None:
    """The first 7-day stretch, starting on a check-in day, with at least 4 check-ins; None if there is none yet.

    The baseline only counts once the patient has checked in after that
    stretch: a level still being measured is not compared against, and the
    check-in being judged is then never part of its own baseline.
    """
    points = baseline_check_ins(snapshot)
    end_index = 0
    for start_index, first in enumerate(points):
        last_day = first.local_date + timedelta(days=limits.BASELINE_DAYS - 1)
        end_index = max(end_index, start_index)
        while end_index < len(points) and points[end_index].local_date <= last_day:
            end_index += 1
        window = points[start_index:end_index]
        if len(window) >= limits.BASELINE_MIN_CHECK_INS:
            if points[-1].local_date <= last_day:
                return None  # still in the baseline week: the level is not settled yet
            return Baseline(
                start=first.local_date,
                end=last_day,
                check_ins=len(window),
                means={score: mean([point.pain(score) for point in window]) for score in PAIN_SCORES},
                after_review=baseline_review(snapshot) is not None,
            )
    return None


def is_meaningful_rise(value: Fraction, baseline: Fraction) -> bool:
    """At least 2 points above baseline, or at least 30% above it (and at least 1 whole point)."""
    rise = value - baseline
    if rise >= limits.MEANINGFUL_RISE_POINTS:
        return True
    return rise >= limits.MEANINGFUL_RISE_FRACTION * baseline and rise >= limits.MEANINGFUL_RISE_FLOOR_POINTS


def rising_threshold(baseline: Fraction) -> Fraction:
    """The lowest value that counts as a meaningful rise above this baseline."""
    by_percent = max(
        baseline + limits.MEANINGFUL_RISE_FRACTION * baseline, baseline + limits.MEANINGFUL_RISE_FLOOR_POINTS
    )
    return min(baseline + limits.MEANINGFUL_RISE_POINTS, by_percent)


# --- Emergency: get care now -------------------------------------------------


def _checklist_hit(
    snapshot: PatientSnapshot,
    rule_id: str,
    signs: Mapping[str, str],
    meaning: str,
    *,
    clinical: Mapping[str, str],
    clinical_meaning: str,
    applies: bool = True,
) -> Hit | None:
    """A hit when any of `signs` (field -> plain words) is ticked on a recent check-in after the last review."""
    if not applies:
        return None
    points = recent_check_ins(after_review(snapshot.check_ins, snapshot.review_of(rule_id)), snapshot.today)
    reported = [(point, name) for point in points for name in signs if getattr(point, name)]
    if not reported:
        return None
    latest_day = max(point.local_date for point, _ in reported)
    names = list(dict.fromkeys(name for _, name in reported))
    explanation = (
        f"{upper_first(day_words(latest_day, snapshot.today))} you told us about "
        f"{join_words([signs[name] for name in names])}. {meaning}"
    )
    evidence = {
        "signs": names,
        "check_ins": sorted({point.local_date.isoformat() for point, _ in reported}),
    }
    days = sorted({point.local_date for point, _ in reported})
    summary = (
        f"Reported {join_words([clinical[name] for name in names])} on the safety checklist "
        f"({', '.join(short_date(day) for day in days)}). {clinical_meaning}"
    )
    return Hit(explanation=explanation, evidence=evidence, clinician_summary=summary)


@dataclass(frozen=True)
class EmergencyChecklist:
    """An emergency rule that fires on safety-checklist answers: which ticks, in plain words, and what they mean."""

    rule_id: str
    signs: Mapping[str, str]  # check-in field -> what the patient told us, in their words
    meaning: str
    neck_only: bool = False
    clinical: Mapping[str, str] = field(default_factory=dict)  # check-in field -> the clinical term
    clinical_meaning: str = ""

    def applies_to(self, condition: str) -> bool:
        return not self.neck_only or condition == Condition.NECK


# The emergency warning signs of the daily safety checklist (cauda equina
# warning cards; NICE CKS sciatica red flags; the source article). The rules
# below fire on them, and tracker.safety.advice reads the same table to tell a
# patient what to do from their own answers when the rules could not run.
EMERGENCY_CHECKLISTS = (
    EmergencyChecklist(
        "emergency.cauda_equina",
        {
            "bladder_bowel_change": "a change in how your bladder or bowel works",
            "saddle_numbness": "numbness around your bottom or genitals",
        },
        "This can mean the nerves at the base of your spine are badly squeezed. It needs a doctor today.",
        clinical={
            "bladder_bowel_change": "new bladder or bowel dysfunction",
            "saddle_numbness": "saddle anaesthesia",
        },
        clinical_meaning="Possible cauda equina syndrome: same-day emergency assessment.",
    ),
    EmergencyChecklist(
        "emergency.both_legs_or_foot_drop",
        {
            "both_legs": "pain, numbness or weakness in both legs",
            "foot_drop": "a foot that drops or drags when you walk",
        },
        "This can mean a nerve is badly squeezed. It needs a doctor today.",
        clinical={"both_legs": "bilateral leg symptoms", "foot_drop": "foot drop"},
        clinical_meaning="Possible severe or progressive neurological deficit: same-day assessment.",
    ),
    EmergencyChecklist(
        "emergency.sudden_weakness_or_numbness",
        {"sudden_weakness_or_numbness": "sudden weakness or numbness that has not gone away"},
        "This needs a doctor today.",
        clinical={"sudden_weakness_or_numbness": "sudden, unresolved weakness or numbness"},
        clinical_meaning="Acute neurological change: same-day assessment.",
    ),
    EmergencyChecklist(
        "emergency.neck_cord_signs",
        {"hand_clumsiness_or_falls": "clumsy hands, a change in how you walk, or a fall"},
        "With a neck problem, this can mean the spinal cord is pressed. It needs a doctor today.",
        neck_only=True,
        clinical={"hand_clumsiness_or_falls": "hand clumsiness, gait change or falls"},
        clinical_meaning="Possible cervical myelopathy: same-day assessment.",
    ),
)
EMERGENCY_CHECKLISTS_BY_ID = {checklist.rule_id: checklist for checklist in EMERGENCY_CHECKLISTS}


def _emergency_checklist_hit(snapshot: PatientSnapshot, rule_id: str) -> Hit | None:
    checklist = EMERGENCY_CHECKLISTS_BY_ID[rule_id]
    return _checklist_hit(
        snapshot,
        rule_id,
        checklist.signs,
        checklist.meaning,
        clinical=checklist.clinical,
        clinical_meaning=checklist.clinical_meaning,
        applies=checklist.applies_to(snapshot.condition),
    )


@rule("emergency.cauda_equina", Severity.EMERGENCY, "Bladder, bowel or saddle numbness (cauda equina signs)")
def cauda_equina(snapshot: PatientSnapshot) -> Hit | None:
    """New bladder or bowel control problems, or numbness around the bottom or genitals (cauda equina cards)."""
    return _emergency_checklist_hit(snapshot, "emergency.cauda_equina")


@rule("emergency.both_legs_or_foot_drop", Severity.EMERGENCY, "Symptoms in both legs or a foot drop")
def both_legs_or_foot_drop(snapshot: PatientSnapshot) -> Hit | None:
    """New weakness or sciatica in both legs, or a new foot drop (NICE CKS; cauda equina cards)."""
    return _emergency_checklist_hit(snapshot, "emergency.both_legs_or_foot_drop")


@rule("emergency.sudden_weakness_or_numbness", Severity.EMERGENCY, "Sudden weakness or numbness that has not gone")
def sudden_weakness_or_numbness(snapshot: PatientSnapshot) -> Hit | None:
    """Sudden weakness or numbness that has not resolved (the source article; NICE CKS)."""
    return _emergency_checklist_hit(snapshot, "emergency.sudden_weakness_or_numbness")


@rule("emergency.neck_cord_signs", Severity.EMERGENCY, "Clumsy hands, change in walking or falls (neck)")
def neck_cord_signs(snapshot: PatientSnapshot) -> Hit | None:
    """Neck patients only: hand clumsiness, a change in walking or falls (signs the spinal cord is pressed)."""
    return _emergency_checklist_hit(snapshot, "emergency.neck_cord_signs")


# --- Contact provider: within a day or two -----------------------------------


@rule("contact.pain_rising", Severity.CONTACT_PROVIDER, "Pain rising above the starting level")
def pain_rising(snapshot: PatientSnapshot) -> list[Hit] | None:
    """The 7-day mean of a pain score is a meaningful rise above baseline on 3 days in a row.

    Days: the latest check-in day and the 2 days before it. Each day's mean
    takes the check-ins from that day and the 6 before it (from the baseline
    start on), and needs at least 3 of them. The latest check-in must be after
    the baseline week and within RECENT_DAYS. Both pain scores are checked;
    one hit names every score that rose.
    """
    baseline = find_baseline(snapshot)
    if baseline is None:
        return None
    points = [point for point in snapshot.check_ins if point.local_date >= baseline.start]
    latest = points[-1].local_date
    if latest <= baseline.end or latest < snapshot.today - timedelta(days=limits.RECENT_DAYS - 1):
        return None
    days = [latest - timedelta(days=offset) for offset in reversed(range(limits.SUSTAINED_DAYS))]
    # Only the judged days' windows count: scanning a year of check-ins for each of them was most of the rule's time.
    recent = [point for point in points if point.local_date >= days[0] - timedelta(days=limits.ROLLING_DAYS - 1)]
    risen: dict[str, list[tuple[date, Fraction, int]]] = {}
    for score in PAIN_SCORES:
        means = []
        for day in days:
            window = [
                point.pain(score)
                for point in recent
                if day - timedelta(days=limits.ROLLING_DAYS - 1) <= point.local_date <= day
            ]
            if len(window) < limits.ROLLING_MIN_CHECK_INS or not is_meaningful_rise(
                mean(window), baseline.means[score]
            ):
                break
            means.append((day, mean(window), len(window)))
        else:
            risen[score] = means
    if not risen:
        return None
    sentences = [
        f"Your average {pain_name(score, snapshot.condition)} over the last {limits.ROLLING_DAYS} days is "
        f"{number(means[-1][1])}, up from {number(baseline.means[score])} {baseline.phrase}."
        for score, means in risen.items()
    ]
    sentences.append(f"It has stayed this high for {limits.SUSTAINED_DAYS} days in a row.")
    summary = " ".join(
        f"{upper_first(pain_name(score, snapshot.condition))} {limits.ROLLING_DAYS}-day mean {number(means[-1][1])} "
        f"vs baseline {number(baseline.means[score])} ({signed(means[-1][1] - baseline.means[score])}"
        + (f", {percent_change(means[-1][1], baseline.means[score])}" if baseline.means[score] else "")
        + f"), {limits.SUSTAINED_DAYS} days."
        for score, means in risen.items()
    ) + (" Baseline reset at the last review." if baseline.after_review else "")
    evidence = {
        "baseline": baseline.as_evidence(),
        "scores": {
            score: {
                "baseline": as_json_number(baseline.means[score]),
                "threshold": as_json_number(rising_threshold(baseline.means[score])),
                "rolling_means": [
                    {"date": day.isoformat(), "mean": as_json_number(value), "check_ins": count}
                    for day, value, count in means
                ],
            }
            for score, means in risen.items()
        },
    }
    return Hit(explanation=" ".join(sentences), evidence=evidence, clinician_summary=summary)


def rolling_mean(points: list[CheckInPoint], score: str, day: date) -> tuple[Fraction, int] | None:
    """The mean of `score` over the ROLLING_DAYS ending on `day`, with its count; None with too few check-ins."""
    first = day - timedelta(days=limits.ROLLING_DAYS - 1)
    window = [point.pain(score) for point in points if first <= point.local_date <= day]
    if len(window) < limits.ROLLING_MIN_CHECK_INS:
        return None
    return mean(window), len(window)


def is_setback(value: Fraction, best: Fraction) -> bool:
    """At least 2 points AND at least 30% above the best recent level."""
    rise = value - best
    return rise >= limits.SETBACK_RISE_POINTS and rise >= limits.SETBACK_RISE_FRACTION * best


@rule("contact.pain_setback", Severity.CONTACT_PROVIDER, "Pain back up from the best recent level (setback)")
def pain_setback(snapshot: PatientSnapshot) -> Hit | None:
    """The 7-day mean of a pain score is 2 points and 30% above its lowest 7-day mean of the recent weeks, 3 days.

    A patient who improved a lot and then worsens again is told, even while
    still below the first week's level (which the rising-pain rule compares
    with). The best recent level is the lowest rolling mean among the windows
    ending in the SETBACK_LOOKBACK_DAYS before the SUSTAINED_DAYS judged; the
    judged days are the latest check-in day and the 2 before it, each with its
    own 7-day mean. Only check-ins after the last review of a pain flag count.
    """
    points = baseline_check_ins(snapshot)
    if not points:
        return None
    latest = points[-1].local_date
    if latest < snapshot.today - timedelta(days=limits.RECENT_DAYS - 1):
        return None
    judged_days = [latest - timedelta(days=offset) for offset in reversed(range(limits.SUSTAINED_DAYS))]
    first_judged = judged_days[0]
    # Only the windows ending in the look-back and on the judged days count: scanning a year of check-ins for
    # each of some 30 windows was most of the time of every evaluation.
    oldest = first_judged - timedelta(days=limits.SETBACK_LOOKBACK_DAYS + limits.ROLLING_DAYS - 1)
    points = [point for point in points if point.local_date >= oldest]
    setbacks: dict[str, tuple[date, Fraction, list[tuple[date, Fraction, int]]]] = {}
    for score in PAIN_SCORES:
        earlier = []  # (mean, day) of every window before the judged days
        for offset in range(1, limits.SETBACK_LOOKBACK_DAYS + 1):
            window_end = first_judged - timedelta(days=offset)
            found = rolling_mean(points, score, window_end)
            if found is not None:
                earlier.append((found[0], window_end))
        if not earlier:
            continue
        # The lowest mean; of equal ones, the most recent.
        best, best_day = min(earlier, key=lambda item: (item[0], -item[1].toordinal()))
        judged = []
        for day in judged_days:
            found = rolling_mean(points, score, day)
            if found is None or not is_setback(found[0], best):
                break
            judged.append((day, found[0], found[1]))
        else:
            setbacks[score] = (best_day, best, judged)
    if not setbacks:
        return None
    sentences = []
    summaries = []
    for score, (best_day, best, judged) in setbacks.items():
        now = judged[-1][1]
        name = pain_name(score, snapshot.condition)
        sentences.append(
            f"Your average {name} over the last {limits.ROLLING_DAYS} days is {number(now)}. "
            f"Not long ago you had it down to {number(best)}."
        )
        summaries.append(
            f"{upper_first(name)} {limits.ROLLING_DAYS}-day mean {number(now)} vs best recent {number(best)} "
            f"(week to {short_date(best_day)}; {signed(now - best)}, {percent_change(now, best) or 'from 0'}), "
            f"{limits.SUSTAINED_DAYS} days."
        )
    sentences.append(f"It has stayed this much higher for {limits.SUSTAINED_DAYS} days in a row.")
    evidence = {
        "scores": {
            score: {
                "best_recent": {"to": best_day.isoformat(), "mean": as_json_number(best)},
                "rolling_means": [
                    {"date": day.isoformat(), "mean": as_json_number(value), "check_ins": count}
                    for day, value, count in judged
                ],
            }
            for score, (best_day, best, judged) in setbacks.items()
        },
        "lookback_days": limits.SETBACK_LOOKBACK_DAYS,
    }
    return Hit(explanation=" ".join(sentences), evidence=evidence, clinician_summary=" ".join(summaries))


@rule("contact.pain_high_day", Severity.CONTACT_PROVIDER, "A day of very high pain")
def pain_high_day(snapshot: PatientSnapshot) -> Hit | None:
    """A recent check-in with a pain score of 8/10 or more, or 3 or more points above baseline."""
    baseline = find_baseline(snapshot)
    points = recent_check_ins(
        after_review(snapshot.check_ins, snapshot.review_of("contact.pain_high_day")), snapshot.today
    )
    high = []
    for point in points:
        for score in PAIN_SCORES:
            value = point.pain(score)
            above = value - baseline.means[score] if baseline else None
            if value >= limits.HIGH_PAIN_SCORE or (above is not None and above >= limits.HIGH_PAIN_RISE_POINTS):
                high.append((point, score, value, above))
    if not high:
        return None
    # Explain the latest high day; the evidence keeps every one.
    latest_day = high[-1][0].local_date
    sentences = []
    for point, score, value, above in high:
        if point.local_date != latest_day:
            continue
        sentences.append(
            f"Your {pain_name(score, snapshot.condition)} was {value} out of 10 "
            f"{day_words(point.local_date, snapshot.today)}."
        )
        if baseline is not None and above is not None and above >= limits.HIGH_PAIN_RISE_POINTS:
            sentences.append(f"{upper_first(baseline.phrase)}, it was {number(baseline.means[score])} on average.")
    summary = " ".join(
        f"{upper_first(pain_name(score, snapshot.condition))} {value}/10 on {short_date(point.local_date)}"
        + (
            f" (baseline {number(baseline.means[score])}, {signed(value - baseline.means[score])})."
            if baseline is not None
            else " (no baseline yet)."
        )
        for point, score, value, _ in high
        if point.local_date == latest_day
    )
    evidence = {
        "baseline": baseline.as_evidence() if baseline else None,
        "high_scores": [
            {
                "date": point.local_date.isoformat(),
                "score": score,
                "value": value,
                "above_baseline": as_json_number(above) if above is not None else None,
            }
            for point, score, value, above in high
        ],
    }
    return Hit(explanation=" ".join(sentences), evidence=evidence, clinician_summary=summary)


def _worsening_run(points: list[CheckInPoint], *, starts: Callable, continues: Callable) -> list[CheckInPoint]:
    """The run of check-ins ending at the latest one in which a sign began and has not eased since.

    A run starts at a check-in where `starts` holds and carries on through
    later check-ins where `continues` holds; any other check-in ends it. Days
    with no check-in neither start nor end it.
    """
    run: list[CheckInPoint] = []
    for point in points:
        if run and continues(point):
            run.append(point)
        elif starts(point):
            run = [point]
        else:
            run = []
    return run


@rule("contact.nerve_symptoms_spreading", Severity.CONTACT_PROVIDER, "Numbness or symptoms spreading for over 48 h")
def nerve_symptoms_spreading(snapshot: PatientSnapshot) -> Hit | None:
    """New or worse numbness/tingling, or symptoms spreading down the limb, for more than 48 hours.

    The sign starts a run when reported (numbness new or worse; symptoms
    spreading); the run goes on while later check-ins say it is still there
    and not easing (numbness new, worse or the same; extent spreading or the
    same) and ends at any check-in that says it is better or gone. The rule
    fires when the latest check-in is in a run that began at least
    NERVE_SIGN_MIN_DAYS calendar days before it.
    """
    points = within_recent_days(
        after_review(snapshot.check_ins, snapshot.review_of("contact.nerve_symptoms_spreading")), snapshot.today
    )
    if not points:
        return None
    latest = points[-1].local_date
    runs = {
        "numbness": _worsening_run(
            points,
            starts=lambda point: point.numbness in NERVE_CHANGES_WORSE,
            continues=lambda point: point.numbness in NERVE_CHANGES_ONGOING,
        ),
        "extent": _worsening_run(
            points,
            starts=lambda point: point.extent == Extent.SPREADING,
            continues=lambda point: point.extent in (Extent.SPREADING, Extent.SAME),
        ),
    }
    lasting = {
        sign: run
        for sign, run in runs.items()
        if run and (latest - run[0].local_date).days >= limits.NERVE_SIGN_MIN_DAYS
    }
    if not lasting:
        return None
    words = {
        "numbness": "your numbness or tingling was new or worse",
        "extent": f"your symptoms were spreading further down your {limb_word(snapshot.condition)}",
    }
    sentences = [
        f"{upper_first(day_words(run[0].local_date, snapshot.today))} you told us {words[sign]}. "
        f"It has not eased in the {(latest - run[0].local_date).days} days since."
        for sign, run in lasting.items()
    ]
    clinical = {
        "numbness": "Paraesthesia new or worse",
        "extent": "Symptoms spreading distally (peripheralising)",
    }
    summary = " ".join(
        f"{clinical[sign]} since {short_date(run[0].local_date)}, not improving for "
        f"{(latest - run[0].local_date).days} days ({len(run)} check-ins)."
        for sign, run in lasting.items()
    )
    evidence = {
        sign: {
            "since": run[0].local_date.isoformat(),
            "latest": latest.isoformat(),
            "days": (latest - run[0].local_date).days,
            "check_ins": [
                {"date": point.local_date.isoformat(), "numbness": point.numbness, "extent": point.extent}
                for point in run
            ],
        }
        for sign, run in lasting.items()
    }
    return Hit(explanation=" ".join(sentences), evidence=evidence, clinician_summary=summary)


@rule("contact.new_weakness", Severity.CONTACT_PROVIDER, "New or worse weakness")
def new_weakness(snapshot: PatientSnapshot) -> Hit | None:
    """A recent check-in says weakness is new or getting worse (NICE CKS: progressive neurological deficit)."""
    points = recent_check_ins(
        after_review(snapshot.check_ins, snapshot.review_of("contact.new_weakness")), snapshot.today
    )
    weak = [point for point in points if point.weakness in NERVE_CHANGES_WORSE]
    if not weak:
        return None
    point = weak[-1]
    state = "new" if point.weakness == Change.NEW else "getting worse"
    explanation = (
        f"{upper_first(day_words(point.local_date, snapshot.today))} you told us your weakness is {state}. "
        "Weakness that is new or growing should be checked soon."
    )
    evidence = {"check_ins": [{"date": item.local_date.isoformat(), "weakness": item.weakness} for item in weak]}
    summary = (
        f"Motor weakness reported {'new' if point.weakness == Change.NEW else 'worsening'} on "
        f"{short_date(point.local_date)}: possible progressive deficit, assess strength."
    )
    return Hit(explanation=explanation, evidence=evidence, clinician_summary=summary)


@rule("contact.general_warning_signs", Severity.CONTACT_PROVIDER, "Fever, weight loss or night pain")
def general_warning_signs(snapshot: PatientSnapshot) -> Hit | None:
    """Fever, weight loss with no reason, or new pain at night (NICE CKS: possible infection or other cause)."""
    return _checklist_hit(
        snapshot,
        "contact.general_warning_signs",
        {
            "fever": "a fever",
            "weight_loss": "weight loss you cannot explain",
            "night_pain": "new pain at night",
        },
        "These are not usual with a pinched nerve, so a doctor should check the cause.",
        clinical={
            "fever": "fever",
            "weight_loss": "unexplained weight loss",
            "night_pain": "new non-mechanical night pain",
        },
        clinical_meaning="Non-mechanical red flags (infection, malignancy): medical review.",
    )


def worse_signs(point: CheckInPoint, baseline: Baseline | None, condition: str) -> list[str]:
    """What on this check-in counts as "worse symptoms", as short plain phrases (empty if nothing)."""
    signs = []
    for name, words in (
        ("numbness", "numbness or tingling"),
        ("weakness", "weakness"),
    ):
        if getattr(point, name) in NERVE_CHANGES_WORSE:
            signs.append(f"{words} {'new' if getattr(point, name) == Change.NEW else 'worse'}")
    if point.extent == Extent.SPREADING:
        signs.append("symptoms spreading")
    flagged = [name for name in RED_FLAG_FIELDS if getattr(point, name)]
    if flagged:
        signs.append("a warning sign on the safety checklist")
    for score in PAIN_SCORES:
        value = point.pain(score)
        if value >= limits.HIGH_PAIN_SCORE or (
            baseline is not None and is_meaningful_rise(Fraction(value), baseline.means[score])
        ):
            signs.append(f"{pain_name(score, condition)} at {value} out of 10")
    return signs


@rule("contact.not_heard_from_you", Severity.CONTACT_PROVIDER, "Worse symptoms, then no check-in for 3 days")
def not_heard_from_you(snapshot: PatientSnapshot) -> Hit | None:
    """The latest check-in reported worse symptoms and NOT_HEARD_FROM_DAYS days have passed without another.

    "Worse symptoms": numbness or weakness new or worse, symptoms spreading,
    any safety-checklist answer, or a pain score at 8/10 or more or a
    meaningful rise above baseline (see worse_signs).
    """
    points = after_review(snapshot.check_ins, snapshot.review_of("contact.not_heard_from_you"))
    if not points:
        return None
    latest = snapshot.check_ins[-1]
    if latest.local_date != points[-1].local_date:
        return None  # the latest check-in was already seen at the last review
    quiet_days = (snapshot.today - latest.local_date).days
    if quiet_days < limits.NOT_HEARD_FROM_DAYS:
        return None
    signs = worse_signs(latest, find_baseline(snapshot), snapshot.condition)
    if not signs:
        return None
    explanation = (
        f"{upper_first(day_words(latest.local_date, snapshot.today))} you told us your symptoms were worse, "
        f"and we have not heard from you in the {quiet_days} days since. "
        "Please check in today, and contact your physiotherapist or doctor."
    )
    evidence = {"last_check_in": latest.local_date.isoformat(), "days_without_check_in": quiet_days, "signs": signs}
    summary = (
        f"No check-in for {quiet_days} days since {short_date(latest.local_date)}, when the patient reported "
        f"{join_words(signs)}. Contact the patient."
    )
    return Hit(explanation=explanation, evidence=evidence, clinician_summary=summary)


# --- Review exercise: stop this one exercise ---------------------------------


def _session_reasons(entry: SessionEntryPoint, next_day: CheckInPoint | None) -> list[str]:
    """Why this session counts as aggravating (empty if it does not). See thresholds for each limit."""
    reasons = []
    if (
        entry.pain_before is not None
        and entry.pain_after is not None
        and entry.pain_after - entry.pain_before > limits.SESSION_PAIN_RISE_LIMIT
    ):
        reasons.append("pain_rose")
    if (
        entry.pain_after is not None
        and entry.pain_after > limits.SESSION_PAIN_CEILING
        and (entry.pain_before is None or entry.pain_after > entry.pain_before)
    ):
        reasons.append("pain_high")  # the exercise raised pain above 5/10 (not: pain already high that eased)
    if entry.symptoms_worse:
        reasons.append("symptoms_worse")
    if (
        next_day is not None
        and entry.pain_before is not None
        and next_day.worst_pain - entry.pain_before > limits.NEXT_MORNING_RISE_LIMIT
    ):
        reasons.append("worse_next_morning")
    return reasons


def _session_sentences(
    entry: SessionEntryPoint, reasons: list[str], next_day: CheckInPoint | None, today: date
) -> list[str]:
    """What went wrong in one session, as short sentences that start with the day."""
    day = day_words(entry.local_date, today)
    sentences = []
    if "pain_rose" in reasons or "pain_high" in reasons:
        if entry.pain_before is None:
            sentences.append(f"{day} your pain went up to {entry.pain_after}")
        else:
            sentences.append(f"{day} your pain went from {entry.pain_before} to {entry.pain_after}")
    if "symptoms_worse" in reasons:
        sentences.append(
            "your symptoms also spread or got worse" if sentences else f"{day} your symptoms spread or got worse"
        )
    if "worse_next_morning" in reasons and next_day is not None:
        rise = f"your pain was {next_day.worst_pain}, up from {entry.pain_before} before"
        sentences.append(f"the next day {rise}" if sentences else f"the day after the session {day}, {rise} it")
    return [f"{upper_first(sentence)}." for sentence in sentences]


@rule("review.exercise_aggravates", Severity.REVIEW_EXERCISE, "Exercise made symptoms worse")
def exercise_aggravates(snapshot: PatientSnapshot) -> list[Hit]:
    """In 2 of an exercise's last 3 sessions (done, within RECENT_DAYS) it aggravated symptoms.

    A session aggravates when pain after is more than 2 points above pain
    before, or it rose to above 5/10; or the patient said symptoms spread or got worse; or
    the next morning was worse: the check-in on the day after the session has
    its higher pain score above the pain before the exercise (Silbernagel 2007).
    Only that exercise is paused.
    """
    check_ins = {point.local_date: point for point in snapshot.check_ins}
    by_assignment: dict[int, list[SessionEntryPoint]] = {}
    for entry in within_recent_days(snapshot.entries, snapshot.today):
        if entry.done and entry.assignment_id in snapshot.exercises:
            by_assignment.setdefault(entry.assignment_id, []).append(entry)
    hits = []
    for assignment_id, entries in by_assignment.items():
        key = dedupe_key_for("review.exercise_aggravates", assignment_id)
        last = after_review(entries, snapshot.review_of(key))[-limits.EXERCISE_SESSIONS_CONSIDERED :]
        judged = []
        for entry in last:
            next_day = check_ins.get(entry.local_date + timedelta(days=1))
            judged.append((entry, _session_reasons(entry, next_day), next_day))
        bad = [(entry, reasons, next_day) for entry, reasons, next_day in judged if reasons]
        if len(bad) < limits.EXERCISE_AGGRAVATING_SESSIONS:
            continue
        name = snapshot.exercises[assignment_id]
        details = " ".join(
            sentence
            for entry, reasons, next_day in bad
            for sentence in _session_sentences(entry, reasons, next_day, snapshot.today)
        )
        explanation = (
            f"{name} made your symptoms worse in {len(bad)} of your last {len(last)} sessions. {details} "
            "Stop this exercise for now, and tell your physiotherapist."
        )
        clinical = {
            "pain_rose": lambda entry, next_day: f"pain {entry.pain_before}\u2192{entry.pain_after}",
            "pain_high": lambda entry, next_day: f"pain to {entry.pain_after}/10",
            "symptoms_worse": lambda entry, next_day: "symptoms worse",
            "worse_next_morning": lambda entry, next_day: (
                f"next-day pain {next_day.worst_pain} vs {entry.pain_before} before"
            ),
        }
        session_summaries = []
        for entry, reasons, next_day in bad:
            shown = [reason for reason in reasons if not (reason == "pain_high" and "pain_rose" in reasons)]
            details_text = ", ".join(clinical[reason](entry, next_day) for reason in shown)
            session_summaries.append(f"{short_date(entry.local_date)} {details_text}")
        summary = (
            f"{name} aggravated symptoms in {len(bad)} of the last {len(last)} sessions "
            f"({'; '.join(session_summaries)}). Paused pending physiotherapy review."
        )
        evidence = {
            "exercise": name,
            "sessions": [
                {
                    "date": entry.local_date.isoformat(),
                    "pain_before": entry.pain_before,
                    "pain_after": entry.pain_after,
                    "symptoms_worse": entry.symptoms_worse,
                    "next_day_pain": next_day.worst_pain if next_day else None,
                    "reasons": reasons,
                }
                for entry, reasons, next_day in judged
            ],
        }
        hits.append(
            Hit(explanation=explanation, evidence=evidence, assignment_id=assignment_id, clinician_summary=summary)
        )
    return hits


RULES_BY_ID = {rule.id: rule for rule in RULES}
