"""The patient's daily pages: check-in, exercise log, history and progress.

Only patients reach these views (role_required answers 404 to everyone else),
and every query is scoped to the signed-in patient, so another person's
exercise id or day answers 404 or shows only the patient's own data.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import DatabaseError
from django.db.models import Count, Min
from django.forms import Form
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from routines.formatting import assignment_dose
from routines.models import Assignment
from routines.selectors import ProgramItem
from tracker.daily.edit_window import CLOSED_DAY_MESSAGE, FUTURE_DAY_MESSAGE, is_editable
from tracker.daily.forms import (
    RED_FLAG_LABELS,
    CheckInForm,
    SessionEntryForm,
    checkin_initial,
    pain_labels,
    session_entry_initial,
)
from tracker.daily.words import entry_text
from tracker.decorators import role_required
from tracker.models import CheckIn, EntryStatus, Role, SessionEntry, SessionLog, User
from tracker.outcomes.selectors import outcomes_for
from tracker.pagecache.html import cached_fragment, with_csrf_token
from tracker.pagecache.sessions import session_day, session_page_key
from tracker.progress import progress_for
from tracker.safety.advice import emergency_advice, emergency_signs, uncovered_emergency_signs
from tracker.services.checkins import checkin_save
from tracker.services.sessions import session_entry_save, session_mark_done

logger = logging.getLogger(__name__)

HISTORY_PAGE_DAYS = 28
PROGRESS_WEEKS = (4, 12, 26, 52)


def parse_day(value: str) -> date:
    """A YYYY-MM-DD day from the URL; anything else is a page that does not exist."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("No such day.") from None


def day_name(*, patient: User, day: date) -> str:
    """ "today", "yesterday" or the date written out, for headings."""
    today = patient.local_today()
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"{day:%A} {day.day} {day:%B %Y}"


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else at the top."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error)


# Check-in


@require_GET
@role_required(Role.PATIENT)
def checkin_today(request):
    return _checkin_page(request, local_date=request.user.local_today())


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def checkin(request, day: str):
    """GET: the check-in form for a day (or a read-only view once the day is closed). POST: save it.

    The form posts to the day it was opened for, so a form opened just before
    midnight still saves to that day.
    """
    patient = request.user
    local_date = parse_day(day)
    if request.method == "GET":
        return _checkin_page(request, local_date=local_date)
    form = CheckInForm(request.POST, patient=patient)
    if form.is_valid():
        try:
            checkin_save(
                patient=patient,
                local_date=local_date,
                data=form.cleaned_data,
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except DatabaseError:
            # Nothing was saved (the save and its safety step are one transaction).
            logger.exception("Could not save the check-in of patient %s", patient.pk)
            return _checkin_not_saved(request, local_date=local_date, form=form)
        else:
            # Warning signs the flag rules have not turned into a banner (they could
            # not run) are told to the patient from their own answers.
            try:
                signs = uncovered_emergency_signs(patient=patient, answers=form.cleaned_data)
            except DatabaseError:
                # Saved, but the database went away before we could look: say it all.
                signs = emergency_signs(answers=form.cleaned_data, condition=patient.condition)
            advice = emergency_advice(signs)
            if advice:
                messages.add_message(request, messages.ERROR, advice, extra_tags="emergency")
            saved = f"Thank you. Your check-in for {day_name(patient=patient, day=local_date)} is saved."
            if emergency_signs(answers=form.cleaned_data, condition=patient.condition):
                # The emergency message leads the page; "saved" comes under it, plainly
                # (templates/patient/_saved_after_emergency.html), never as a green box above.
                messages.add_message(request, messages.INFO, saved, extra_tags="quiet-saved")
            else:
                messages.success(request, saved)
            return redirect("patient_home")
    return _checkin_page(request, local_date=local_date, form=form)


def _emergency_reasons(patient: User, answers) -> list[str]:
    advice = emergency_advice(emergency_signs(answers=answers, condition=patient.condition))
    return [advice] if advice else []


def _checkin_not_saved(request, *, local_date: date, form: CheckInForm):
    """503 with the patient's answers still in the form, and the emergency advice their answers call for.

    Renders without touching the database, which may still be unreachable.
    """
    patient = request.user
    back_label, limb_label = pain_labels(patient)
    return render(
        request,
        "patient/checkin.html",
        {
            "form": form,
            "not_saved": True,
            "emergency_reasons": _emergency_reasons(patient, form.cleaned_data),
            "local_date": local_date,
            "day_name": day_name(patient=patient, day=local_date),
            "editable": True,
            "back_label": back_label,
            "limb_label": limb_label,
        },
        status=503,
    )


def _checkin_page(request, *, local_date: date, form: CheckInForm | None = None):
    patient = request.user
    today = patient.local_today()
    existing = CheckIn.objects.filter(patient=patient, local_date=local_date).first()
    editable = is_editable(patient=patient, local_date=local_date, today=today)
    prefilled_from = None
    if form is None and editable:
        previous = None
        if existing is None:
            previous = (
                CheckIn.objects.filter(patient=patient, local_date__lt=local_date).order_by("-local_date").first()
            )
            prefilled_from = previous.local_date if previous else None
        form = CheckInForm(
            initial=checkin_initial(patient=patient, existing=existing, previous=previous), patient=patient
        )
    closed_message = ""
    if local_date > today:
        closed_message = FUTURE_DAY_MESSAGE
    elif not editable:
        closed_message = CLOSED_DAY_MESSAGE
    back_label, limb_label = pain_labels(patient)
    return render(
        request,
        "patient/checkin.html",
        {
            # A form sent back with errors still shows the emergency advice its answers call for.
            "emergency_reasons": _emergency_reasons(patient, form.data) if form is not None and form.is_bound else [],
            "form": form if editable or (form is not None and form.is_bound) else None,
            "local_date": local_date,
            "day_name": day_name(patient=patient, day=local_date),
            "existing": existing,
            "editable": editable,
            "closed_message": closed_message,
            "prefilled_from": prefilled_from,
            "prefilled_from_name": day_name(patient=patient, day=prefilled_from) if prefilled_from else "",
            "back_label": back_label,
            "limb_label": limb_label,
            "reported": [RED_FLAG_LABELS[name] for name in existing.red_flags_reported] if existing else [],
        },
    )


# Exercise sessions


@dataclass
class ExerciseCard:
    """One exercise on the session page: what is prescribed, what was logged, the form to log it."""

    item: ProgramItem
    entry: SessionEntry | None
    form: SessionEntryForm | None
    open_details: bool = False
    error: str = ""
    saved: bool = False

    @property
    def assignment(self) -> Assignment:
        return self.item.assignment

    @property
    def anchor(self) -> str:
        return f"exercise-{self.assignment.pk}"

    @property
    def offers_quick_pain(self) -> bool:
        """Done, still open to change, and no pain-after yet: the card offers one optional tap for it."""
        return bool(self.form and self.done and self.entry.pain_after is None)

    @property
    def pain_choices(self) -> range:
        return range(11)

    @property
    def prescription(self) -> str:
        return assignment_dose(self.assignment)

    @property
    def logged(self) -> str:
        return entry_text(self.entry) if self.entry else ""

    @property
    def done(self) -> bool:
        return self.entry is not None and self.entry.status == EntryStatus.DONE


def _cards(
    *, patient: User, local_date: date, editable: bool, bound: SessionEntryForm | None = None
) -> tuple[list[ExerciseCard], list[SessionEntry]]:
    """The cards for the day's program, plus entries logged for exercises no longer in it.

    Five queries, or none while the patient's data has not changed (tracker.pagecache).
    """
    items, cached_entries = session_day(patient=patient, local_date=local_date)
    entries = dict(cached_entries)  # popped below: the cached copy stays whole
    cards = []
    for item in items:
        entry = entries.pop(item.assignment.pk, None)
        form = None
        if bound is not None and bound.assignment.pk == item.assignment.pk:
            form = bound
        elif editable and item.available:
            form = SessionEntryForm(
                initial=session_entry_initial(assignment=item.assignment, entry=entry), assignment=item.assignment
            )
        cards.append(ExerciseCard(item=item, entry=entry, form=form, open_details=form is bound and bound is not None))
    return cards, list(entries.values())


def _counts(cards: list[ExerciseCard]) -> dict[str, int]:
    return {
        "done_count": sum(1 for card in cards if card.done),
        "available_count": sum(1 for card in cards if card.item.available),
    }


@require_GET
@role_required(Role.PATIENT)
def session_today(request):
    return _session_page(request, local_date=request.user.local_today())


@require_GET
@role_required(Role.PATIENT)
def session_log(request, day: str):
    return _session_page(request, local_date=parse_day(day))


def _session_page(request, *, local_date: date, bound: SessionEntryForm | None = None, error: str = ""):
    patient = request.user
    today = patient.local_today()
    editable = is_editable(patient=patient, local_date=local_date, today=today)
    closed_message = ""
    if local_date > today:
        closed_message = FUTURE_DAY_MESSAGE
    elif not editable:
        closed_message = CLOSED_DAY_MESSAGE
    page = {
        "local_date": local_date,
        "day_name": day_name(patient=patient, day=local_date),
        "editable": editable,
        "closed_message": closed_message,
        "other_day": today - timedelta(days=1) if local_date == today else today,
        "other_day_name": "yesterday" if local_date == today else "today",
    }

    def with_cards() -> dict:
        cards, other_entries = _cards(patient=patient, local_date=local_date, editable=editable, bound=bound)
        for card in cards:
            if bound is not None and card.assignment.pk == bound.assignment.pk:
                card.error = error
        return {**page, "cards": cards, "other_entries": other_entries, **_counts(cards)}

    if bound is None:
        # The cards, with their forms, come from the cache until the patient's next write (tracker.pagecache).
        html = cached_fragment(
            key=session_page_key(patient=patient, local_date=local_date, today=today),
            template_name="patient/session.html#session-body",
            context=with_cards,
        )
        return render(request, "patient/session.html", {**page, "session_body": with_csrf_token(html, request)})
    return render(request, "patient/session.html", with_cards())


def card_response(request, *, local_date: date, assignment: Assignment, form=None, error: str = "", saved=False):
    """After a POST: the one card for htmx, otherwise the whole page (or a redirect after success)."""
    patient = request.user
    if request.htmx:
        editable = is_editable(patient=patient, local_date=local_date)
        cards, _ = _cards(patient=patient, local_date=local_date, editable=editable, bound=form)
        card = next((card for card in cards if card.assignment.pk == assignment.pk), None)
        if card is None:
            raise Http404("No such exercise in your program.")
        card.error, card.saved = error, saved
        return render(
            request,
            "patient/session.html#exercise-card",
            {"card": card, "local_date": local_date, "editable": editable, "oob_count": True, **_counts(cards)},
        )
    if saved:
        messages.success(request, f"Saved: {assignment.exercise.name}.")
        return redirect(f"{reverse('session_log', args=[local_date.isoformat()])}#exercise-{assignment.pk}")
    if form is None:
        messages.error(request, error)
        return redirect(f"{reverse('session_log', args=[local_date.isoformat()])}#exercise-{assignment.pk}")
    return _session_page(request, local_date=local_date, bound=form, error=error)


def own_assignment(request, assignment_id: int) -> Assignment:
    # Scoped to the signed-in patient: another patient's exercise is a 404.
    return get_object_or_404(Assignment.objects.select_related("exercise"), pk=assignment_id, patient=request.user)


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PATIENT)
def session_entry(request, day: str, assignment_id: int):
    """Save how one exercise went (done or skipped, dose, pain, note)."""
    local_date = parse_day(day)
    assignment = own_assignment(request, int(assignment_id))
    form = SessionEntryForm(request.POST, assignment=assignment)
    if form.is_valid():
        try:
            session_entry_save(patient=request.user, assignment=assignment, local_date=local_date, data=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return card_response(request, local_date=local_date, assignment=assignment, saved=True)
    return card_response(request, local_date=local_date, assignment=assignment, form=form)


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PATIENT)
def session_done(request, day: str, assignment_id: int):
    """One tap: done, exactly as prescribed."""
    local_date = parse_day(day)
    assignment = own_assignment(request, int(assignment_id))
    try:
        session_mark_done(patient=request.user, assignment=assignment, local_date=local_date)
    except ValidationError as error:
        return card_response(request, local_date=local_date, assignment=assignment, error=" ".join(error.messages))
    return card_response(request, local_date=local_date, assignment=assignment, saved=True)


# History and progress


@dataclass
class HistoryDay:
    day: date
    check_in: dict | None
    done: int
    skipped: int
    editable: bool


@require_GET
@role_required(Role.PATIENT)
def history(request):
    """Every logged day, newest first, four weeks per page, with links to change the days still open."""
    patient = request.user
    today = patient.local_today()
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        page = 1
    last = today - timedelta(days=HISTORY_PAGE_DAYS * (page - 1))
    first = last - timedelta(days=HISTORY_PAGE_DAYS - 1)
    check_ins = {
        row["local_date"]: row
        for row in CheckIn.objects.filter(patient=patient, local_date__range=(first, last)).values(
            "local_date", "neck_back_pain", "limb_pain", "numbness", "weakness", "extent"
        )
    }
    counts: dict[date, dict[str, int]] = {}
    for row in (
        SessionEntry.objects.filter(session__patient=patient, session__local_date__range=(first, last))
        .values("session__local_date", "status")
        .annotate(count=Count("id"))
    ):
        counts.setdefault(row["session__local_date"], {})[row["status"]] = row["count"]
    earliest = min(
        filter(
            None,
            [
                CheckIn.objects.filter(patient=patient).aggregate(first=Min("local_date"))["first"],
                SessionLog.objects.filter(patient=patient, entries__isnull=False).aggregate(first=Min("local_date"))[
                    "first"
                ],
            ],
        ),
        default=None,
    )
    days = [
        HistoryDay(
            day=day,
            check_in=check_ins.get(day),
            done=counts.get(day, {}).get(EntryStatus.DONE, 0),
            skipped=counts.get(day, {}).get(EntryStatus.SKIPPED, 0),
            editable=is_editable(patient=patient, local_date=day, today=today),
        )
        for day in (last - timedelta(days=offset) for offset in range(HISTORY_PAGE_DAYS))
        if day in check_ins or day in counts
    ]
    back_label, limb_label = pain_labels(patient)
    return render(
        request,
        "patient/history.html",
        {
            "days": days,
            "first": first,
            "last": last,
            "page": page,
            "newer_page": page - 1 if page > 1 else None,
            "older_page": page + 1 if earliest is not None and earliest < first else None,
            "back_label": back_label,
            "limb_label": limb_label,
        },
    )


def progress_weeks(value: str | None) -> int:
    """The range asked for in ?weeks=; anything unknown falls back to four weeks."""
    try:
        weeks = int(value or PROGRESS_WEEKS[0])
    except ValueError:
        return PROGRESS_WEEKS[0]
    return weeks if weeks in PROGRESS_WEEKS else PROGRESS_WEEKS[0]


@require_GET
@role_required(Role.PATIENT)
def progress(request):
    patient = request.user
    today = patient.local_today()
    weeks = progress_weeks(request.GET.get("weeks"))
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    return render(
        request,
        "patient/progress.html",
        {
            "progress": progress_for(patient=patient, start=start, end=today),
            "outcomes": outcomes_for(patient=patient),
            "weeks": weeks,
            "week_choices": PROGRESS_WEEKS,
        },
    )
