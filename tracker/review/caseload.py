"""The caseload dashboard: every patient a clinician looks after, with what needs attention first.

What each column means (the page says the same in plain words):
- Flags: the patient's unresolved flags (open or acknowledged), the most
  severe shown first.
- Last check-in: days since the latest daily check-in, by the patient's own
  calendar; "never" if there is none.
- Pain, 7 days: the mean over the last 7 days (today and the 6 before) of the
  worse of the two pain scores of each check-in, shown once there are at least
  ROLLING_MIN_CHECK_INS check-ins in those days (the flag rules' minimum).
- Trend: that mean minus the baseline (the mean over the flag rules' baseline
  week, restarted after a clinician reviews a pain flag). A rise that counts
  as meaningful for the flag rules (2 points, or 30%) is marked.
- Adherence: over the last 14 days, counted exercise by exercise and capped
  at the plan by tracker.adherence (the rule every page uses: each exercise
  from the day it was added to the day it was removed or paused, extra
  sessions not counted), so it never exceeds 100%. Shown only while a
  clearance is in force and something was planned.
- Pain, 14 days: the worse pain score of each day over the last 14 days, for
  the row's small trend line (from the same summary, no further query).
- Clearance: the status of the patient's newest exercise decision today.

Filters: flagged (any unresolved flag), not logging (no check-in for
NOT_LOGGING_DAYS days or more, or never), no clearance (no decision in force
today), region (the patient's condition), and a name search. Every parameter
from the URL is checked: an unknown value falls back to its default.

Cost: three queries whatever the caseload size or the length of the patients'
histories: one for the patients with their summary and newest clearance, one
for the exercises in their programs over the last 14 days (for adherence), one
for their unresolved flags. Figures over the last 7 or 14 days come from
PatientSummary.recent_days, so years of history are never read. Sorting and
filtering by those figures happen in Python over the caseload (hundreds of
rows at most), then the page is cut.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cached_property
from zoneinfo import ZoneInfo

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.http import QueryDict
from django.utils import timezone

from routines.models import Assignment, AssignmentStatus, Clearance, Decision
from routines.selectors import clearance_allows

from ..adherence import PlannedExercise, adherence_counts
from ..charts import Sparkline, sparkline
from ..flags.rules import is_meaningful_rise
from ..flags.thresholds import ROLLING_MIN_CHECK_INS
from ..models import Condition, Flag, Severity, User
from ..selectors import patients_visible_to
from ..services.summaries import summaries_refresh_stale, summary_is_current

PAGE_SIZE = 25
PAIN_DAYS = 7
ADHERENCE_DAYS = 14
# No check-in for this many days (or never) counts as "not logging".
NOT_LOGGING_DAYS = 3
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 4
# A change in the 7-day mean smaller than this is shown as "about the same".
TREND_STEADY_BAND = 0.5


class Show(models.TextChoices):
    ALL = "all", "All patients"
    FLAGGED = "flagged", "With open flags"
    NOT_LOGGING = "not_logging", f"Not logging ({NOT_LOGGING_DAYS}+ days)"
    NO_CLEARANCE = "no_clearance", "No clearance in force"


class Sort(models.TextChoices):
    ATTENTION = "attention", "Needs attention"
    NAME = "name", "Name"
    LAST_CHECK_IN = "last_check_in", "Last check-in"
    PAIN = "pain", "Pain, 7 days"
    TREND = "trend", "Pain trend"
    ADHERENCE = "adherence", "Adherence"


class Direction(models.TextChoices):
    # "Natural" is the order that puts the patients most needing a look first.
    NATURAL = "", "Most concerning first"
    REVERSED = "reversed", "Reversed"


class ClearanceState(models.TextChoices):
    IN_FORCE = "in_force", "Cleared"
    RESTRICTED = "restricted", "Cleared with limits"
    NOT_CLEARED = "not_cleared", "Not cleared"
    EXPIRED = "expired", "Expired"
    REVOKED = "revoked", "Revoked"
    NONE = "none", "No decision"


REGION_CHOICES = [("", "All regions"), *Condition.choices]


@dataclass(frozen=True)
class CaseloadParams:
    """The dashboard's query string, checked. Build it with `from_query`."""

    show: str = Show.ALL
    region: str = ""
    sort: str = Sort.ATTENTION
    direction: str = Direction.NATURAL
    search: str = ""
    page: str = "1"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> "CaseloadParams":
        """Each parameter as given if it is valid, else its default; never an error."""

        def choice(name: str, allowed, default: str) -> str:
            value = query.get(name, default)
            return value if value in allowed else default

        # Names never hold control characters (NUL would even be refused by PostgreSQL).
        typed = "".join(
            character for character in str(query.get("q", "")) if character.isprintable() or character == " "
        )
        search = " ".join(typed.split())[:SEARCH_MAX_LENGTH]
        page = str(query.get("page", "1"))
        return cls(
            show=choice("show", Show.values, Show.ALL),
            region=choice("region", Condition.values, ""),
            sort=choice("sort", Sort.values, Sort.ATTENTION),
            direction=choice("dir", Direction.values, Direction.NATURAL),
            search=search,
            page=page if page.isdigit() and len(page) < 7 else "1",
        )

    def query(self, **changes) -> str:
        """This query string with some values changed (page back to 1 unless given), for links."""
        values = {
            "q": self.search,
            "show": self.show,
            "region": self.region,
            "sort": self.sort,
            "dir": self.direction,
            "page": "1",
        }
        values.update(changes)
        query = QueryDict(mutable=True)
        defaults = {"q": "", "show": Show.ALL, "region": "", "sort": Sort.ATTENTION, "dir": "", "page": "1"}
        for name, value in values.items():
            if value != defaults[name]:
                query[name] = value
        return query.urlencode()


@dataclass
class CaseloadRow:
    patient_values: dict
    today: date
    flags: list[Flag] = field(default_factory=list)
    last_check_in_on: date | None = None
    pain_mean: float | None = None
    pain_check_ins: int = 0
    baseline: float | None = None
    done: int = 0
    prescribed: int = 0
    clearance_state: str = ClearanceState.NONE
    # The worse pain score of each of the last 14 days, oldest first (None: no check-in that day).
    pain_days: list[int | None] = field(default_factory=list)

    @cached_property
    def patient(self) -> User:
        """The patient as a (read-only) User built from the values already fetched; no query."""
        return User(**self.patient_values)

    @property
    def top_flag(self) -> Flag | None:
        return self.flags[0] if self.flags else None

    @property
    def top_severity(self) -> int | None:
        return self.flags[0].severity if self.flags else None

    @property
    def is_emergency(self) -> bool:
        return self.top_severity == Severity.EMERGENCY

    @property
    def days_since_check_in(self) -> int | None:
        return None if self.last_check_in_on is None else max(0, (self.today - self.last_check_in_on).days)

    @property
    def not_logging(self) -> bool:
        days = self.days_since_check_in
        return days is None or days >= NOT_LOGGING_DAYS

    @property
    def trend(self) -> float | None:
        if self.pain_mean is None or self.baseline is None:
            return None
        return self.pain_mean - self.baseline

    @property
    def trend_direction(self) -> str:
        """up, down or steady; empty when there is no trend."""
        trend = self.trend
        if trend is None:
            return ""
        if trend >= TREND_STEADY_BAND:
            return "up"
        if trend <= -TREND_STEADY_BAND:
            return "down"
        return "steady"

    @property
    def trend_is_meaningful_rise(self) -> bool:
        if self.trend is None:
            return False
        return is_meaningful_rise(Fraction(self.pain_mean).limit_denominator(1000), Fraction(str(self.baseline)))

    @cached_property
    def pain_sparkline(self) -> Sparkline:
        """The last 14 days' worse pain score as a small line (from the summary: no query)."""
        return sparkline(self.pain_days)

    @property
    def pain_sparkline_label(self) -> str:
        """The line's accessible name, e.g. "Pain over 14 days: from 6 to 3"."""
        line = self.pain_sparkline
        logged = sum(1 for pain in self.pain_days if pain is not None)
        if not line:
            return f"Pain over {ADHERENCE_DAYS} days: no check-ins"
        if logged == 1:
            return f"Pain over {ADHERENCE_DAYS} days: {line.last:g} on the one day logged"
        return f"Pain over {ADHERENCE_DAYS} days: from {line.first:g} to {line.last:g}"

    @property
    def has_clearance(self) -> bool:
        return self.clearance_state in (ClearanceState.IN_FORCE, ClearanceState.RESTRICTED)

    @property
    def adherence(self) -> float | None:
        """Share of the last 14 days' prescribed exercises done, 0 to 1; None when nothing is prescribed."""
        if not self.has_clearance or self.prescribed <= 0:
            return None
        return min(1.0, self.done / self.prescribed)


@dataclass
class Caseload:
    params: CaseloadParams
    page: Page
    total: int
    matching: int
    flagged: int

    @property
    def rows(self) -> list[CaseloadRow]:
        return list(self.page.object_list)


@dataclass(frozen=True)
class _NewestClearance:
    """The fields of a Clearance that clearance_allows reads (a model instance per patient would cost more)."""

    decision: str
    valid_until: date | None
    revoked_at: datetime | None


def _clearance_state(decision: str | None, valid_until: date | None, revoked_at: datetime | None, today: date) -> str:
    if decision is None:
        return ClearanceState.NONE
    if clearance_allows(_NewestClearance(decision, valid_until, revoked_at), on=today):
        return ClearanceState.RESTRICTED if decision == Decision.RESTRICTED else ClearanceState.IN_FORCE
    if revoked_at is not None:
        return ClearanceState.REVOKED
    if decision == Decision.NOT_CLEARED:
        return ClearanceState.NOT_CLEARED
    return ClearanceState.EXPIRED


PATIENT_FIELDS = ("id", "username", "first_name", "last_name", "condition", "time_zone")


def _patients(*, clinician: User, params: CaseloadParams):
    """One dict per patient (not model instances: building hundreds of those would cost more than the query)."""
    newest_clearance = Clearance.objects.filter(patient=OuterRef("pk")).order_by("-recorded_at", "-id")
    patients = (
        # The access rule's own queryset, used as a subquery: joining it here
        # would need DISTINCT over every column below.
        # Discharged patients leave the caseload (tracker.clinics lists them on a page of their own).
        User.objects.filter(pk__in=patients_visible_to(user=clinician).values("pk"), discharged_at__isnull=True)
        .annotate(
            clearance_decision=Subquery(newest_clearance.values("decision")[:1]),
            clearance_valid_until=Subquery(newest_clearance.values("valid_until")[:1]),
            clearance_revoked_at=Subquery(newest_clearance.values("revoked_at")[:1]),
        )
        .order_by()
    )
    if params.region:
        patients = patients.filter(condition=params.region)
    for word in params.search.split()[:SEARCH_MAX_WORDS]:
        patients = patients.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(username__icontains=word)
        )
    return patients.values(
        *PATIENT_FIELDS,
        "clearance_decision",
        "clearance_valid_until",
        "clearance_revoked_at",
        "summary__last_check_in_on",
        "summary__baseline_pain",
        "summary__recent_days",
        "summary__recent_until",
    )


PROGRAM_COLUMNS = ("patient_id", "id", "times_per_week", "status", "created_at", "updated_at", "removed_at")


def _program_exercises(*, clinician: User, since: datetime) -> dict[int, list[PlannedExercise]]:
    """Each visible patient's exercises that were in the program at some point since `since`, by patient id.

    Active and paused ones, and those removed since then (adherence counts them
    up to the day they were removed or paused). One query.
    """
    rows = (
        Assignment.objects.filter(patient__in=patients_visible_to(user=clinician).values("pk"))
        .filter(~Q(status=AssignmentStatus.REMOVED) | Q(removed_at__gte=since))
        .order_by()
        .values_list(*PROGRAM_COLUMNS, "patient__time_zone")
    )
    by_patient: dict[int, list[PlannedExercise]] = defaultdict(list)
    for patient_id, assignment_id, times_per_week, status, created_at, updated_at, removed_at, zone in rows:
        by_patient[patient_id].append(
            PlannedExercise.from_assignment(
                assignment_id=assignment_id,
                times_per_week=times_per_week,
                status=status,
                created_at=created_at,
                updated_at=updated_at,
                removed_at=removed_at,
                zone=ZoneInfo(zone),
            )
        )
    return by_patient


def _row(values: dict, flags: list[Flag], exercises: list[PlannedExercise]) -> CaseloadRow:
    today = timezone.localdate(timezone=ZoneInfo(values["time_zone"]))
    row = CaseloadRow(
        patient_values={name: values[name] for name in PATIENT_FIELDS},
        today=today,
        flags=flags,
        clearance_state=_clearance_state(
            values["clearance_decision"], values["clearance_valid_until"], values["clearance_revoked_at"], today
        ),
        last_check_in_on=values["summary__last_check_in_on"],
    )
    baseline = values["summary__baseline_pain"]
    row.baseline = float(baseline) if baseline is not None else None
    recent = values["summary__recent_days"] or ()
    until = values["summary__recent_until"]
    first_day = today - timedelta(days=ADHERENCE_DAYS - 1)
    # caseload_for refreshed any summary written by an older version; one that still is not current counts as empty.
    if until is not None and summary_is_current(recent):
        all_pains, _dones, done_by_assignment, _version = recent
        # Position of today in the stored days (the last is `until`); the
        # window of n days ending today is the n positions up to it.
        today_end = len(all_pains) + (today - until).days
        fortnight = [
            all_pains[position] if 0 <= position < len(all_pains) else None
            for position in range(today_end - ADHERENCE_DAYS, today_end)
        ]
        row.pain_days = fortnight
        pains = [pain for pain in fortnight[-PAIN_DAYS:] if pain is not None]
        done_days = {
            int(key): {until - timedelta(days=len(days) - 1 - position) for position, mark in enumerate(days) if mark}
            for key, days in done_by_assignment.items()
            if isinstance(days, list) and key.isdigit()
        }
    else:
        pains, done_days = [], {}
        row.pain_days = [None] * ADHERENCE_DAYS
    counts = adherence_counts(exercises=exercises, done_days=done_days, first_day=first_day, last_day=today)
    row.done, row.prescribed = counts.done, counts.planned
    row.pain_check_ins = len(pains)
    if len(pains) >= ROLLING_MIN_CHECK_INS:
        row.pain_mean = sum(pains) / len(pains)
    return row


def _sort_name(row: CaseloadRow) -> tuple:
    values = row.patient_values
    return (values["last_name"].casefold(), values["first_name"].casefold(), values["id"])


# Each sort: a key that puts the most concerning patient first, and which rows
# have no value (they always go last, whichever way the column is sorted).
def _attention_key(row: CaseloadRow) -> tuple:
    oldest_flag = min((flag.opened_at for flag in row.flags), default=None)
    days = row.days_since_check_in
    return (
        -(row.top_severity or 0),
        oldest_flag.timestamp() if oldest_flag else 0,
        -(days if days is not None else 10**6),
        -(row.trend or 0),
        _sort_name(row),
    )


SORT_KEYS = {
    Sort.ATTENTION: (_attention_key, lambda row: False),
    Sort.NAME: (_sort_name, lambda row: False),
    Sort.LAST_CHECK_IN: (
        lambda row: (-(row.days_since_check_in if row.days_since_check_in is not None else 10**6), _sort_name(row)),
        lambda row: False,
    ),
    Sort.PAIN: (lambda row: (-(row.pain_mean or 0), _sort_name(row)), lambda row: row.pain_mean is None),
    Sort.TREND: (lambda row: (-(row.trend or 0), _sort_name(row)), lambda row: row.trend is None),
    Sort.ADHERENCE: (lambda row: (row.adherence or 0, _sort_name(row)), lambda row: row.adherence is None),
}

SHOW_FILTERS = {
    Show.ALL: lambda row: True,
    Show.FLAGGED: lambda row: bool(row.flags),
    Show.NOT_LOGGING: lambda row: row.not_logging,
    Show.NO_CLEARANCE: lambda row: not row.has_clearance,
}


def _refresh_stale_summaries(patients: list[dict]) -> None:
    """Bring summaries written by an older version of the code up to date, in place (no query when all are current).

    This is how an upgrade that changes what the summary holds needs no manual step
    (see SUMMARY_VERSION in tracker.services.summaries). A patient with no summary
    has logged nothing yet and is left alone.
    """
    stale = [
        values["id"]
        for values in patients
        if values["summary__recent_until"] is not None and not summary_is_current(values["summary__recent_days"])
    ]
    if not stale:
        return
    refreshed = summaries_refresh_stale(patient_ids=stale)
    for values in patients:
        summary = refreshed.get(values["id"])
        if summary is not None:
            for name in ("last_check_in_on", "baseline_pain", "recent_days", "recent_until"):
                values[f"summary__{name}"] = getattr(summary, name)


def caseload_for(*, clinician: User, params: CaseloadParams, page_size: int = PAGE_SIZE) -> Caseload:
    """The clinician's patients as dashboard rows, filtered, sorted and cut to the page asked for. Three queries."""
    patients = list(_patients(clinician=clinician, params=params))
    _refresh_stale_summaries(patients)
    flags_by_patient: dict[int, list[Flag]] = defaultdict(list)
    exercises_by_patient: dict[int, list[PlannedExercise]] = {}
    if patients:
        # A day before the earliest first day of the window in any time zone.
        since = timezone.now() - timedelta(days=ADHERENCE_DAYS + 1)
        exercises_by_patient = _program_exercises(clinician=clinician, since=since)
        open_flags = (
            Flag.objects.unresolved()
            .filter(patient__in=patients_visible_to(user=clinician).values("pk"))
            .select_related("assignment__exercise")
            .only(
                "id",
                "patient_id",
                "severity",
                "rule_id",
                "status",
                "clinician_summary",
                "opened_at",
                "assignment__exercise__name",
            )
            .order_by("-severity", "opened_at", "id")
        )
        for flag in open_flags:
            flags_by_patient[flag.patient_id].append(flag)
    rows = [
        _row(values, flags_by_patient.get(values["id"], []), exercises_by_patient.get(values["id"], []))
        for values in patients
    ]
    flagged = sum(1 for row in rows if row.flags)
    shown = [row for row in rows if SHOW_FILTERS[params.show](row)]
    key, missing = SORT_KEYS[params.sort]
    with_value = sorted((row for row in shown if not missing(row)), key=key)
    if params.direction == Direction.REVERSED:
        with_value.reverse()
    ordered = with_value + sorted((row for row in shown if missing(row)), key=_sort_name)
    paginator = Paginator(ordered, page_size)
    return Caseload(
        params=params,
        page=paginator.get_page(params.page),
        total=len(rows),
        matching=len(ordered),
        flagged=flagged,
    )


# How each sort orders its column when not reversed, for aria-sort.
NATURAL_ARIA_SORT = {
    Sort.ATTENTION: "other",
    Sort.NAME: "ascending",
    Sort.LAST_CHECK_IN: "descending",
    Sort.PAIN: "descending",
    Sort.TREND: "descending",
    Sort.ADHERENCE: "ascending",
}
FLIPPED = {"ascending": "descending", "descending": "ascending", "other": "other"}


@dataclass(frozen=True)
class SortLink:
    sort: str
    label: str
    query: str
    aria_sort: str  # empty when the column is not the one sorted on


def sort_links(params: CaseloadParams) -> dict[str, SortLink]:
    """For each sortable column: the link that sorts by it (or flips it, if it is already the sort)."""
    links = {}
    for sort, label in Sort.choices:
        active = params.sort == sort
        if active:
            direction = Direction.NATURAL if params.direction == Direction.REVERSED else Direction.REVERSED
            aria = NATURAL_ARIA_SORT[sort]
            aria = FLIPPED[aria] if params.direction == Direction.REVERSED else aria
        else:
            direction, aria = Direction.NATURAL, ""
        links[sort] = SortLink(sort=sort, label=label, query=params.query(sort=sort, dir=direction), aria_sort=aria)
    return links


def page_queries(caseload: Caseload) -> dict[str, str]:
    """Query strings for the first, previous, next and last pages (only those that exist)."""
    page, params = caseload.page, caseload.params
    queries = {}
    if page.has_previous():
        queries["first"] = params.query(page="1")
        queries["previous"] = params.query(page=str(page.previous_page_number()))
    if page.has_next():
        queries["next"] = params.query(page=str(page.next_page_number()))
        queries["last"] = params.query(page=str(page.paginator.num_pages))
    return queries
