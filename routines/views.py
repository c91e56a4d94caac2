"""Pages for exercise programs and doctors' approvals.

Access: patients see only their own program; a clinician reaches a patient
only through tracker.selectors.patient_for_clinician (404 otherwise). A linked
doctor may view a program; only a linked physiotherapist changes it. Only a
linked doctor records a decision in the app; a linked physiotherapist records
one given outside it. Every rule is enforced again in routines.services.

The program builder is one page. Its actions answer an htmx request with the
program fragment and a plain form POST with a redirect (or the page with the
form's errors), so it works without JavaScript.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from tracker.decorators import role_required
from tracker.models import Role, User
from tracker.selectors import patient_for_clinician

from . import services
from .forms import (
    AssignmentAddForm,
    AssignmentChangeForm,
    AssignmentPauseForm,
    ClearanceForm,
    ExternalClearanceForm,
    RevokeForm,
    VersionForm,
    add_service_error,
)
from .models import ActivityToAvoid, Assignment, AssignmentStatus, Clearance, Exercise
from .selectors import ProgramItem, ProgramState, program_state

PROGRAM_TEMPLATE = "routines/program.html"
CLEARANCE_TEMPLATE = "routines/clearance.html"


# Patients and the public ---------------------------------------------------------------


@require_GET
@role_required(Role.PATIENT)
def my_exercises(request):
    """The patient's own program: locked until a doctor's approval is in force."""
    state = program_state(patient=request.user, with_steps=True, with_pictures=True)
    return render(request, "routines/my_exercises.html", {"state": state})


@require_GET
def activities_to_avoid(request):
    """Public: what to stay away from while a pinched nerve heals."""
    return render(request, "routines/avoid.html", {"activities": ActivityToAvoid.objects.all()})


# Program builder ---------------------------------------------------------------------


@dataclass
class ProgramRow:
    """One assignment on the builder page, with the forms to act on it."""

    item: ProgramItem
    change_form: AssignmentChangeForm
    pause_form: AssignmentPauseForm
    open_form: str = ""  # "change" or "pause" when that form is shown again with its errors

    @property
    def assignment(self) -> Assignment:
        return self.item.assignment


@dataclass(frozen=True)
class LibraryOption:
    exercise: Exercise
    covered: bool
    in_program: bool


def _row_forms(assignment: Assignment) -> tuple[AssignmentChangeForm, AssignmentPauseForm]:
    prefix = f"a{assignment.pk}"
    change = AssignmentChangeForm(
        prefix=f"{prefix}-change",
        initial={
            "version": assignment.version,
            "sets": assignment.sets,
            "reps": assignment.reps,
            "hold_seconds": assignment.hold_seconds,
            "minutes": assignment.minutes,
            "times_per_week": assignment.times_per_week,
        },
    )
    pause = AssignmentPauseForm(prefix=f"{prefix}-pause", initial={"version": assignment.version})
    return change, pause


def _program_context(
    request,
    patient: User,
    *,
    add_form: AssignmentAddForm | None = None,
    bound_row: tuple[int, str, object] | None = None,
    program_errors: list[str] | None = None,
    status_message: str = "",
) -> dict:
    """Everything the builder page shows. The viewer's right to see it was checked by the caller."""
    state: ProgramState = program_state(patient=patient)
    can_edit = request.user.is_physiotherapist
    rows = []
    for item in state.items:
        change_form, pause_form = _row_forms(item.assignment)
        open_form = ""
        if bound_row is not None and bound_row[0] == item.assignment.pk:
            _, open_form, form = bound_row
            if open_form == "change":
                change_form = form
            else:
                pause_form = form
        rows.append(ProgramRow(item=item, change_form=change_form, pause_form=pause_form, open_form=open_form))
    context = {
        "patient": patient,
        "state": state,
        "rows": rows,
        "can_edit": can_edit,
        "program_errors": program_errors or [],
        "status_message": status_message,
    }
    if can_edit:
        in_program = {item.exercise.pk for item in state.items}
        clearance = state.in_force
        context["library"] = [
            LibraryOption(
                exercise=exercise,
                covered=clearance is not None and clearance.covers(exercise.region),
                in_program=exercise.pk in in_program,
            )
            for exercise in Exercise.objects.filter(active=True).order_by("region", "position", "name")
        ]
        context["add_form"] = add_form or AssignmentAddForm(prefix="add")
    return context


def _program_response(request, patient: User, **context_parts) -> HttpResponse:
    context = _program_context(request, patient, **context_parts)
    template = f"{PROGRAM_TEMPLATE}#program" if request.htmx else PROGRAM_TEMPLATE
    return render(request, template, context)


def _after_success(request, patient: User, message: str) -> HttpResponse:
    if request.htmx:
        return _program_response(request, patient, status_message=message)
    messages.success(request, message)
    return redirect("program", patient_id=patient.pk)


@require_GET
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def program(request, patient_id: int):
    """The program builder (physiotherapist) or the program read-only (doctor)."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    return render(request, PROGRAM_TEMPLATE, _program_context(request, patient))


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST)
def program_add(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id, role=Role.PHYSIOTHERAPIST)
    form = AssignmentAddForm(request.POST, prefix="add")
    if form.is_valid():
        try:
            assignment = services.assignment_add(
                physio=request.user, patient=patient, exercise=form.cleaned_data["exercise"], **form.dose()
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _after_success(request, patient, f"{assignment.exercise.name} added to the program.")
    return _program_response(request, patient, add_form=form)


def _assignment_for(request, patient_id: int, assignment_id: int) -> tuple[User, Assignment]:
    """The linked physiotherapist's patient and one of that patient's assignments; else 404."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id, role=Role.PHYSIOTHERAPIST)
    assignment = get_object_or_404(Assignment.objects.select_related("exercise"), pk=assignment_id, patient=patient)
    return patient, assignment


def _row_action(request, patient, assignment, *, form, form_kind: str, action, success: str) -> HttpResponse:
    """Run a row action; field errors go back on the row's form, anything else above the program."""
    if form.is_valid():
        try:
            action(form)
        except ValidationError as error:
            if hasattr(error, "error_dict") and set(error.message_dict) <= set(form.fields):
                add_service_error(form, error)
            else:
                return _program_response(request, patient, program_errors=error.messages)
        else:
            return _after_success(request, patient, success)
    if assignment.status == AssignmentStatus.REMOVED:
        return _program_response(request, patient, program_errors=[services.REMOVED_MESSAGE])
    if "version" in form.errors:
        return _program_response(request, patient, program_errors=[services.STALE_MESSAGE])
    return _program_response(request, patient, bound_row=(assignment.pk, form_kind, form))


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST)
def assignment_change(request, patient_id: int, assignment_id: int):
    patient, assignment = _assignment_for(request, patient_id, assignment_id)
    form = AssignmentChangeForm(request.POST, prefix=f"a{assignment.pk}-change")
    return _row_action(
        request,
        patient,
        assignment,
        form=form,
        form_kind="change",
        action=lambda form: services.assignment_change(
            physio=request.user,
            assignment=assignment,
            expected_version=form.cleaned_data["version"],
            **form.dose(),
        ),
        success=f"Dose of {assignment.exercise.name} changed.",
    )


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST)
def assignment_pause(request, patient_id: int, assignment_id: int):
    patient, assignment = _assignment_for(request, patient_id, assignment_id)
    form = AssignmentPauseForm(request.POST, prefix=f"a{assignment.pk}-pause")
    return _row_action(
        request,
        patient,
        assignment,
        form=form,
        form_kind="pause",
        action=lambda form: services.assignment_pause(
            physio=request.user,
            assignment=assignment,
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        ),
        success=f"{assignment.exercise.name} paused.",
    )


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST)
def assignment_resume(request, patient_id: int, assignment_id: int):
    patient, assignment = _assignment_for(request, patient_id, assignment_id)
    return _row_action(
        request,
        patient,
        assignment,
        form=VersionForm(request.POST),
        form_kind="resume",
        action=lambda form: services.assignment_resume(
            physio=request.user, assignment=assignment, expected_version=form.cleaned_data["version"]
        ),
        success=f"{assignment.exercise.name} resumed.",
    )


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST)
def assignment_remove(request, patient_id: int, assignment_id: int):
    patient, assignment = _assignment_for(request, patient_id, assignment_id)
    return _row_action(
        request,
        patient,
        assignment,
        form=VersionForm(request.POST),
        form_kind="remove",
        action=lambda form: services.assignment_remove(
            physio=request.user, assignment=assignment, expected_version=form.cleaned_data["version"]
        ),
        success=f"{assignment.exercise.name} removed from the program.",
    )


# Clearances -----------------------------------------------------------------------------


def _clearance_context(
    request,
    patient: User,
    *,
    record_form: ClearanceForm | None = None,
    external_form: ExternalClearanceForm | None = None,
    revoke_form: RevokeForm | None = None,
) -> dict:
    user = request.user
    history = list(
        Clearance.objects.filter(patient=patient)
        .select_related("doctor", "recorded_by", "revoked_by")
        .order_by("-recorded_at", "-id")
    )
    state = program_state(patient=patient)
    current = history[0] if history else None
    context = {
        "patient": patient,
        "state": state,
        "history": history,
        "current": current,
        "can_revoke": current is not None and services.can_revoke(user=user, clearance=current),
        "revoke_form": revoke_form or RevokeForm(prefix="revoke"),
    }
    if user.is_doctor:
        context["record_form"] = record_form or ClearanceForm(prefix="record")
    if user.is_physiotherapist:
        context["external_form"] = external_form or ExternalClearanceForm(prefix="external")
    return context


@require_GET
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def clearance(request, patient_id: int):
    """The patient's current decision, its history, and the form this clinician may use."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    return render(request, CLEARANCE_TEMPLATE, _clearance_context(request, patient))


@require_POST
@role_required(Role.DOCTOR)
def clearance_record(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id, role=Role.DOCTOR)
    form = ClearanceForm(request.POST, prefix="record")
    if form.is_valid():
        try:
            services.clearance_record(doctor=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Your decision is recorded. The patient and their physiotherapist can see it.")
            return redirect("clearance", patient_id=patient.pk)
    return render(request, CLEARANCE_TEMPLATE, _clearance_context(request, patient, record_form=form))


@require_POST
@role_required(Role.PHYSIOTHERAPIST)
def clearance_record_external(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id, role=Role.PHYSIOTHERAPIST)
    form = ExternalClearanceForm(request.POST, prefix="external")
    if form.is_valid():
        try:
            services.clearance_record_external(physio=request.user, patient=patient, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "The doctor's decision is recorded, with you as the person who entered it.")
            return redirect("clearance", patient_id=patient.pk)
    return render(request, CLEARANCE_TEMPLATE, _clearance_context(request, patient, external_form=form))


@require_POST
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def clearance_revoke(request, patient_id: int, clearance_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    clearance = get_object_or_404(Clearance, pk=clearance_id, patient=patient)
    if request.user.is_physiotherapist and not (clearance.is_external and clearance.recorded_by_id == request.user.pk):
        # A physiotherapist may only withdraw an outside approval they entered themselves.
        raise Http404("No such decision.")
    form = RevokeForm(request.POST, prefix="revoke")
    if form.is_valid():
        try:
            services.clearance_revoke(by=request.user, clearance=clearance, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, "Approval withdrawn. Every exercise in the program is on hold from now.")
            return redirect("clearance", patient_id=patient.pk)
    return render(request, CLEARANCE_TEMPLATE, _clearance_context(request, patient, revoke_form=form))
