"""What the questionnaire pages show: whether one is due, and each instrument's trend."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef

from tracker.models import User

from .instruments import PGIC_CLINICIAN_WORDS, PGIC_PATIENT_WORDS, SHORT_NAMES, Instrument
from .models import PsfsActivity, QuestionnaireAsk, Response, Sitting
from .scoring import Change, Due, peg_change, psfs_change, questionnaire_due


def due_for(*, patient: User, today: date | None = None) -> Due:
    """One query: the last questionnaire's day and whether a clinician's ask is open."""
    today = today or patient.local_today()
    row = (
        User.objects.filter(pk=patient.pk)
        .annotate(
            last_on=Max("questionnaires__local_date"),
            asked=Exists(QuestionnaireAsk.objects.filter(patient=OuterRef("pk"), answered_by__isnull=True)),
        )
        .values("last_on", "asked")
        .first()
    )
    return questionnaire_due(today=today, last_on=row["last_on"], asked=row["asked"])


def psfs_activities(*, patient: User) -> list[PsfsActivity]:
    return list(PsfsActivity.objects.filter(patient=patient).order_by("position"))


@dataclass(frozen=True)
class Point:
    day: date
    score: Decimal
    from_baseline: Decimal | None  # points since the baseline (None for the baseline itself)

    @property
    def change_text(self) -> str:
        """Signed, one decimal: "+1.3", "-2.0", "0.0"."""
        if self.from_baseline is None:
            return ""
        value = self.from_baseline.quantize(Decimal("0.1"))
        return f"+{value}" if value > 0 else str(value)

    @property
    def pgic_words(self) -> str:
        return PGIC_PATIENT_WORDS.get(int(self.score), "")

    @property
    def pgic_clinician_words(self) -> str:
        return PGIC_CLINICIAN_WORDS.get(int(self.score), "")


@dataclass
class Trend:
    instrument: str
    points: list[Point] = field(default_factory=list)
    change: Change | None = None  # the latest against the baseline (PSFS and PEG)

    @property
    def short_name(self) -> str:
        return SHORT_NAMES[self.instrument]

    @property
    def name(self) -> str:
        return Instrument(self.instrument).label

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def newest_first(self) -> list[Point]:
        return list(reversed(self.points))

    @property
    def latest_words(self) -> str:
        """PGIC: the latest answer in the patient's words."""
        return PGIC_PATIENT_WORDS.get(int(self.latest.score), "") if self.latest else ""

    @property
    def latest_clinician_words(self) -> str:
        return PGIC_CLINICIAN_WORDS.get(int(self.latest.score), "") if self.latest else ""

    @property
    def clinician_summary(self) -> str:
        """E.g. "PSFS mean 6.33 vs baseline 3.00 (+3.33 points): meaningful improvement"."""
        change = self.change
        if change is None:
            return ""
        what = "mean" if self.instrument == Instrument.PSFS else "score"
        percent = f", {change.percent:+}%" if change.percent is not None else ""
        verdict = f"meaningful {change.direction}" if change.meaningful else "change below the meaningful threshold"
        if change.improved is None:
            verdict = "no change"
        return (
            f"{self.short_name} {what} {change.latest} vs baseline {change.baseline} "
            f"({change.points:+} points{percent}): {verdict}"
        )


@dataclass
class Outcomes:
    psfs: Trend
    peg: Trend
    pgic: Trend
    due: Due | None = None

    @property
    def trends(self) -> list[Trend]:
        return [self.psfs, self.peg, self.pgic]

    @property
    def any(self) -> bool:
        return bool(self.psfs.points or self.peg.points or self.pgic.points)

    @property
    def meaningful(self) -> list[Trend]:
        return [trend for trend in (self.psfs, self.peg) if trend.change and trend.change.meaningful]


def outcomes_for(*, patient: User, start: date | None = None, end: date | None = None) -> Outcomes:
    """Each instrument's scores, oldest first, and the change since baseline. One query.

    The baseline is always the patient's first questionnaire, even when the
    range (a report's) starts later.
    """
    responses = list(
        Response.objects.filter(sitting__patient=patient)
        .select_related("sitting")
        .order_by("sitting__local_date", "instrument")
        .only("instrument", "score", "baseline", "sitting__local_date")
    )
    trends = {instrument: Trend(instrument=instrument) for instrument in Instrument.values}
    baselines: dict[str, Decimal] = {}
    for response in responses:
        day = response.sitting.local_date
        first = baselines.setdefault(response.instrument, response.score)
        if end is not None and day > end:
            continue
        trend = trends[response.instrument]
        if start is None or day >= start:
            from_baseline = None if response.baseline else response.score - first
            trend.points.append(Point(day=day, score=response.score, from_baseline=from_baseline))
    for instrument, compare in ((Instrument.PSFS, psfs_change), (Instrument.PEG, peg_change)):
        trend = trends[instrument]
        if instrument in baselines and trend.latest and trend.latest.from_baseline is not None:
            trend.change = compare(baselines[instrument], trend.latest.score)
    return Outcomes(psfs=trends[Instrument.PSFS], peg=trends[Instrument.PEG], pgic=trends[Instrument.PGIC])


def sittings_for(*, patient: User):
    """Every questionnaire with its responses and answers (for the FHIR export). Three queries."""
    return (
        Sitting.objects.filter(patient=patient)
        .prefetch_related("responses__answers__activity")
        .order_by("local_date", "id")
    )
