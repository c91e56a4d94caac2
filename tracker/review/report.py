"""The printable progress report: one patient, one date range, one page.

The range is checked by ReportRangeForm (the end not before the start, at most
MAX_REPORT_DAYS). A range wider than the patient's data is narrowed to the days
that hold data, and the report says so in a note; a range with no data at all
still prints, saying nothing was logged. A fixed number of queries whatever
the range or the history.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django import forms
from django.db.models import Max, Min

from routines.models import Clearance
from routines.selectors import ProgramItem, clearance_allows, program_for

from .. import charts
from ..models import CheckIn, ClinicalNote, Flag, SessionLog, User
from ..outcomes.selectors import Outcomes, outcomes_for
from ..progress import Progress, progress_for
from ..selectors import care_team_of

DEFAULT_REPORT_DAYS = 28
MAX_REPORT_DAYS = 366
# Dates a report may cover: nothing in the tracker is older, and nothing later
# makes sense (far dates would also overflow the calendar arithmetic).
EARLIEST_REPORT_DAY = date(2000, 1, 1)
LATEST_REPORT_DAY = date(2099, 12, 31)
NOTES_SHOWN = 5
NOTE_WORDS = 40


class ReportRangeForm(forms.Form):
    start = forms.DateField(
        label="From",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the first day as a date, for example 2025-03-01."},
    )
    end = forms.DateField(
        label="To",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter the last day as a date, for example 2025-03-28."},
    )

    def _within_years(self, name: str) -> date | None:
        day = self.cleaned_data.get(name)
        if day is not None and not EARLIEST_REPORT_DAY <= day <= LATEST_REPORT_DAY:
            raise forms.ValidationError(
                "Choose a day between %(earliest)s and %(latest)s.",
                params={"earliest": _long(EARLIEST_REPORT_DAY), "latest": _long(LATEST_REPORT_DAY)},
                code="out_of_range",
            )
        return day

    def clean_start(self):
        return self._within_years("start")

    def clean_end(self):
        return self._within_years("end")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(
                    "The end date (%(end)s) is before the start date (%(start)s). Choose an end on or after the start.",
                    params={"start": _long(start), "end": _long(end)},
                    code="end_before_start",
                )
            if (end - start).days + 1 > MAX_REPORT_DAYS:
                raise forms.ValidationError(
                    "A report covers at most a year (%(days)s days). Choose a shorter period.",
                    params={"days": MAX_REPORT_DAYS},
                    code="too_long",
                )
        return cleaned


def report_range_form(query, *, today: date) -> ReportRangeForm:
    """The range from the query string; without one, the last four weeks."""
    if "start" in query or "end" in query:
        return ReportRangeForm(query)
    return ReportRangeForm(
        {"start": (today - timedelta(days=DEFAULT_REPORT_DAYS - 1)).isoformat(), "end": today.isoformat()}
    )


@dataclass
class Report:
    patient: User
    asked_start: date
    asked_end: date
    start: date
    end: date
    notes_about_range: list[str]
    progress: Progress
    pain_chart: charts.LineChart
    care_team: list[User]
    clearance: Clearance | None
    clearance_in_force: bool
    program: list[ProgramItem]
    flags: list[Flag]
    notes: list[ClinicalNote]
    notes_in_range: int
    has_data: bool
    outcomes: Outcomes | None = None
    first_week_average: dict[str, float | None] = field(default_factory=dict)
    last_week_average: dict[str, float | None] = field(default_factory=dict)

    @property
    def done(self) -> int:
        return sum(week.done for week in self.progress.weeks)

    @property
    def prescribed(self) -> int:
        return sum(week.prescribed for week in self.progress.weeks)

    @property
    def adherence_percent(self) -> int | None:
        return round(100 * self.done / self.prescribed) if self.prescribed else None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _data_span(patient: User) -> tuple[date | None, date | None]:
    """The first and last day with a check-in or a session. Two queries on indexed columns."""
    check_ins = CheckIn.objects.filter(patient=patient).aggregate(first=Min("local_date"), last=Max("local_date"))
    sessions = SessionLog.objects.filter(patient=patient).aggregate(first=Min("local_date"), last=Max("local_date"))
    firsts = [day for day in (check_ins["first"], sessions["first"]) if day]
    lasts = [day for day in (check_ins["last"], sessions["last"]) if day]
    return (min(firsts) if firsts else None, max(lasts) if lasts else None)


def _week_average(progress: Progress, *, first: bool) -> dict[str, float | None]:
    """Mean of each pain score over the first (or last) 7 days of the report that hold check-ins."""
    days = [day for day in progress.pain if day.checked_in]
    if not days:
        return {"neck_back": None, "limb": None}
    edge = days[0].day if first else days[-1].day
    if first:
        window = [day for day in days if day.day <= edge + timedelta(days=6)]
    else:
        window = [day for day in days if day.day >= edge - timedelta(days=6)]
    return {
        "neck_back": round(sum(day.neck_back for day in window) / len(window), 1),
        "limb": round(sum(day.limb for day in window) / len(window), 1),
    }


def report_for(*, patient: User, start: date, end: date, today: date | None = None) -> Report:
    """The report for `start` to `end` (already checked by ReportRangeForm)."""
    today = today or patient.local_today()
    notes_about_range = []
    asked_start, asked_end = start, end
    if end > today:
        end = max(today, start)
        notes_about_range.append(f"The report stops at today, {_long(today)}: there is no data after it yet.")
    first_day, last_day = _data_span(patient)
    has_data = first_day is not None and first_day <= end and last_day >= start
    if has_data and first_day > start:
        start = first_day
        notes_about_range.append(
            f"Nothing was logged before {_long(first_day)}, so the report starts on that day "
            f"instead of {_long(asked_start)}."
        )
    if not has_data:
        notes_about_range.append(
            f"Nothing was logged between {_long(asked_start)} and {_long(end)}. "
            "The report shows the program, approval, flags and notes only."
        )
    progress = progress_for(patient=patient, start=start, end=end)
    pain_chart = charts.line_chart(
        start=start,
        end=end,
        series=[
            ("neck_back", "series-a", [(day.day, day.neck_back_average) for day in progress.pain]),
            ("limb", "series-b", [(day.day, day.limb_average) for day in progress.pain]),
        ],
        height=200,
    )
    clearance = (
        Clearance.objects.filter(patient=patient)
        .select_related("doctor", "recorded_by", "revoked_by")
        .order_by("-recorded_at", "-id")
        .first()
    )
    flags = list(
        Flag.objects.filter(patient=patient, opened_at__date__lte=end)
        .exclude(resolved_at__date__lt=start)
        .select_related("assignment__exercise", "acknowledged_by", "resolved_by")
        .order_by("opened_at", "id")
    )
    notes_in_range = ClinicalNote.objects.filter(patient=patient, created_at__date__range=(start, end))
    return Report(
        patient=patient,
        asked_start=asked_start,
        asked_end=asked_end,
        start=start,
        end=end,
        notes_about_range=notes_about_range,
        progress=progress,
        pain_chart=pain_chart,
        care_team=list(care_team_of(patient=patient)),
        clearance=clearance,
        clearance_in_force=clearance_allows(clearance, on=end),
        program=program_for(patient=patient, on=today),
        flags=flags,
        notes=list(notes_in_range.select_related("author").order_by("-created_at")[:NOTES_SHOWN]),
        notes_in_range=notes_in_range.count(),
        has_data=has_data,
        outcomes=outcomes_for(patient=patient, start=asked_start, end=end),
        first_week_average=_week_average(progress, first=True),
        last_week_average=_week_average(progress, first=False),
    )
