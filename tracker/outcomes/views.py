"""The patient's questionnaire page, and the care team's "ask for one now" button.

The patient's page names no one in its URL: each patient answers their own.
The ask is found through `patient_for_clinician`, so anyone outside the
patient's care team gets the same 404 as a missing page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from tracker.decorators import role_required
from tracker.models import Role
from tracker.selectors import patient_for_clinician

from .forms import QuestionnaireForm
from .instruments import PEG_QUESTIONS, PSFS_HIGH, PSFS_INTRO, PSFS_LOW, PSFS_RATING_QUESTION
from .selectors import due_for, psfs_activities
from .services import ask_now, sitting_save


@require_http_methods(["GET", "POST"])
@role_required(Role.PATIENT)
def questionnaire(request):
    patient = request.user
    today = patient.local_today()
    due = due_for(patient=patient, today=today)
    activities = [] if due.baseline else psfs_activities(patient=patient)
    form = None
    if due.due:
        form = QuestionnaireForm(request.POST or None, baseline=due.baseline, activities=activities)
    if request.method == "POST" and form is None:
        messages.info(request, "There is no questionnaire to answer today. Thank you.")
        return redirect("my_progress")
    if request.method == "POST" and form.is_valid():
        try:
            sitting_save(patient=patient, local_date=today, **form.service_arguments())
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.error_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, "Thank you. Your answers are saved. You can see them on your progress page.")
            return redirect(reverse("my_progress") + "#questionnaires")
    return render(
        request,
        "outcomes/questionnaire.html",
        {
            "due": due,
            "form": form,
            "psfs_intro": PSFS_INTRO,
            "psfs_question": PSFS_RATING_QUESTION,
            "psfs_low": PSFS_LOW,
            "psfs_high": PSFS_HIGH,
            "peg_questions": PEG_QUESTIONS,
        },
    )


@require_POST
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def questionnaire_ask(request, patient_id: int):
    """Ask the patient for a questionnaire now. Asking twice while one is open changes nothing."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    _, created = ask_now(patient=patient, clinician=request.user)
    if created:
        messages.success(
            request, f"{patient.display_name} will see a questionnaire to answer the next time they open the app."
        )
    else:
        messages.info(request, f"A questionnaire is already waiting for {patient.display_name}.")
    return redirect(reverse("patient_detail", args=[patient.pk]) + "#questionnaires")
