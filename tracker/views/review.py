"""The clinician's page for one patient, and the clinical notes written on it.

Every view finds the patient through `patient_for_clinician`, so a clinician
who is not on the patient's care team gets the same 404 as a missing page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..decorators import role_required
from ..models import ClinicalNote, Role
from ..review.forms import NoteForm
from ..review.notes import notes_with_history
from ..review.patient_page import patient_page_context
from ..selectors import patient_for_clinician
from ..services.notes import note_add, note_edit
from .daily import PROGRESS_WEEKS, progress_weeks

CLINICIANS = (Role.PHYSIOTHERAPIST, Role.DOCTOR)


def _patient_page(request, patient, note_form: NoteForm):
    weeks = progress_weeks(request.GET.get("weeks"))
    context = patient_page_context(patient=patient, viewer=request.user, weeks=weeks)
    context.update(note_form=note_form, week_choices=PROGRESS_WEEKS)
    return render(request, "clinician/patient.html", context)


@require_GET
@role_required(*CLINICIANS)
def patient_detail(request, patient_id: int):
    """One patient's course for their care team; a doctor manages the clearance from here too."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    return _patient_page(request, patient, NoteForm())


def _notes_fragment(request, patient, form, *, saved: bool = False):
    # Errors come back with 200 too: htmx leaves 4xx answers unswapped. `saved` has "Note saved." read out.
    context = {"patient": patient, "notes": notes_with_history(patient=patient), "note_form": form, "saved": saved}
    return render(request, "clinician/patient.html#notes", context)


@require_POST
@vary_on_headers("HX-Request")
@role_required(*CLINICIANS)
def note_create(request, patient_id: int):
    """Add a note. htmx swaps in the refreshed notes section; without JavaScript, back to the page."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            note_add(
                patient=patient,
                author=request.user,
                body=form.cleaned_data["body"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
    if form.is_valid():
        if request.htmx:
            return _notes_fragment(request, patient, NoteForm(), saved=True)
        messages.success(request, "Note saved.")
        return redirect(reverse("patient_detail", args=[patient.pk]) + "#notes")
    if request.htmx:
        return _notes_fragment(request, patient, form)
    return _patient_page(request, patient, form)


@require_http_methods(["GET", "POST"])
@role_required(*CLINICIANS)
def note_update(request, patient_id: int, note_id: int):
    """Correct a note's wording. Only its author may; the earlier wording stays in its history."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    note = get_object_or_404(ClinicalNote.objects.select_related("author"), pk=note_id, patient=patient)
    if note.author_id != request.user.pk:
        raise Http404("Only the author can edit this note.")
    form = NoteForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            note_edit(note=note, editor=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body" if hasattr(error, "error_dict") else None, error)
        else:
            messages.success(request, "Note updated. The earlier wording is kept in its history.")
            return redirect(reverse("patient_detail", args=[patient.pk]) + "#notes")
    return render(request, "clinician/note_edit.html", {"patient": patient, "note": note, "form": form})
