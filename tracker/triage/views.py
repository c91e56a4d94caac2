"""Mark all of a patient's alerts as seen, from their inbox card.

With htmx the card is swapped in place; without JavaScript it is a plain POST
and the clinician goes back to the page they came from with a message. Only
clinicians on the patient's active care team get past the selector; anyone
else gets the same 404 as a missing page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from tracker.decorators import role_required
from tracker.models import Role
from tracker.next_url import safe_next_url
from tracker.selectors import patient_for_clinician

from .selectors import card_for
from .services import flags_acknowledge_all

CARD = "triage/_inbox.html#inbox-card"


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def acknowledge_all(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    next_url = safe_next_url(request, reverse("caseload"))
    error = ""
    try:
        marked = flags_acknowledge_all(patient=patient, by=request.user)
    except ValidationError as problem:
        error, marked = " ".join(problem.messages), 0
    if request.htmx:
        card = card_for(patient=patient)
        return render(
            request, CARD, {"card": card, "card_patient": patient, "inbox_next": next_url, "card_error": error}
        )
    if error:
        messages.error(request, error)
    elif marked:
        messages.success(
            request, f"Marked as seen: {marked} alert{'s' if marked != 1 else ''} for {patient.display_name}."
        )
    else:
        messages.info(request, f"Every alert for {patient.display_name} was already marked as seen.")
    return redirect(next_url)
