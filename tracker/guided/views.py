"""The guided session: today's exercises one at a time, then a short summary.

Each exercise page is an ordinary form (pain before, what was done, pain after,
"Done" or "Skip"), so the session works with no JavaScript at all; the timers
are added by static/js/guided.js when it runs. Saving goes through
tracker.services.sessions.session_entry_save, which holds every rule (the
patient's own available exercise, the two-day edit window, the limits).

Access: patients only (role_required answers 404 to everyone else), and every
lookup is scoped to the signed-in patient, so another patient's exercise is a
404. The day in the URL is the day the session was started, so a session
started just before midnight still saves to that day.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from routines.formatting import assignment_dose
from routines.models import Assignment
from tracker.daily.edit_window import CLOSED_DAY_MESSAGE, FUTURE_DAY_MESSAGE, is_editable
from tracker.daily.encouragement import activity_for
from tracker.daily.forms import SessionEntryForm, session_entry_initial
from tracker.decorators import role_required
from tracker.flags.selectors import patient_alerts
from tracker.models import Role, User
from tracker.services.sessions import session_entry_save
from tracker.views.daily import add_service_errors, parse_day

from .selectors import GuidedSession, GuidedStep, guided_session_for
from .timers import timer_attributes


def day_name(*, patient: User, day: date) -> str:
    """ "today", "yesterday" or the date written out, for headings."""
    today = patient.local_today()
    if day == today:
        return "today"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"{day:%A} {day.day} {day:%B}"


def _closed_redirect(request, local_date: date):
    """A day outside the edit window cannot be guided: back to today's session, saying why."""
    message = FUTURE_DAY_MESSAGE if local_date > request.user.local_today() else CLOSED_DAY_MESSAGE
    messages.error(request, message)
    return redirect("guided_start")


@require_GET
@role_required(Role.PATIENT)
def guided_start(request):
    """Today's exercises in order, with where each stands, and the button that starts the session."""
    patient = request.user
    session = guided_session_for(patient=patient, local_date=patient.local_today())
    return render(
        request,
        "guided/start.html",
        {"session": session, "day": session.local_date.isoformat(), "alerts": patient_alerts(patient=patient)},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def guided_exercise(request, day: str, assignment_id: int):
    """GET: one exercise with its pictures, steps, timers and form. POST: save it and go to the next."""
    patient = request.user
    local_date = parse_day(day)
    # Scoped to the signed-in patient: another patient's exercise is a 404.
    assignment = get_object_or_404(Assignment, pk=assignment_id, patient=patient)
    if not is_editable(patient=patient, local_date=local_date):
        return _closed_redirect(request, local_date)
    session = guided_session_for(patient=patient, local_date=local_date)
    step = session.step_for(assignment.pk)
    if step is None:
        messages.error(request, f"{assignment.exercise.name} cannot be done today: it is on hold for now.")
        return redirect("guided_start")
    if request.method == "GET":
        form = SessionEntryForm(
            initial=session_entry_initial(assignment=step.assignment, entry=step.entry), assignment=step.assignment
        )
        return _exercise_page(request, session=session, step=step, form=form)
    form = SessionEntryForm(request.POST, assignment=step.assignment)
    if form.is_valid():
        try:
            session_entry_save(patient=patient, assignment=step.assignment, local_date=local_date, data=form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            word = "done" if form.cleaned_data["status"] == "done" else "skipped"
            messages.success(request, f"Saved: {step.exercise.name}, {word}.")
            following = session.next_after(step)
            if following is None:
                return redirect("guided_finish", day=local_date.isoformat())
            return redirect("guided_exercise", day=local_date.isoformat(), assignment_id=following.assignment.pk)
    return _exercise_page(request, session=session, step=step, form=form, status=400)


def _exercise_page(request, *, session: GuidedSession, step: GuidedStep, form: SessionEntryForm, status: int = 200):
    day = session.local_date.isoformat()
    previous = session.previous(step)
    following = session.next_after(step)
    return render(
        request,
        "guided/exercise.html",
        {
            "session": session,
            "step": step,
            "form": form,
            "day": day,
            "day_name": day_name(patient=request.user, day=session.local_date),
            "dose": assignment_dose(step.assignment),
            "timer": timer_attributes(assignment=step.assignment, scale=settings.GUIDED_TIMER_SCALE),
            "previous_url": (
                reverse("guided_exercise", args=[day, previous.assignment.pk]) if previous is not None else ""
            ),
            "is_last": following is None,
        },
        status=status,
    )


@require_GET
@role_required(Role.PATIENT)
def guided_finish(request, day: str):
    """The end of the session: what was saved for each exercise, and the week so far."""
    patient = request.user
    local_date = parse_day(day)
    session = guided_session_for(patient=patient, local_date=local_date)
    return render(
        request,
        "guided/finish.html",
        {
            "session": session,
            "day": day,
            "day_name": day_name(patient=patient, day=local_date),
            "activity": activity_for(patient=patient),
            "alerts": patient_alerts(patient=patient),
        },
    )
