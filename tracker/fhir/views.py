"""FHIR downloads: a clinician's for a patient on their care team, a patient's of their own record.

Found through `patient_for_clinician`, so a clinician outside the care team
gets the same 404 as a missing page; the patient's URL names no one.
"""

import json

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from tracker.decorators import role_required
from tracker.models import Role, User
from tracker.selectors import patient_for_clinician

from .export import patient_bundle

FHIR_JSON = "application/fhir+json"


def _download(patient: User, filename: str) -> HttpResponse:
    body = json.dumps(patient_bundle(patient), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type=f"{FHIR_JSON}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def patient_fhir(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    return _download(patient, f"patient-{patient.pk}-fhir.json")


@require_GET
@role_required(Role.PATIENT)
def my_fhir(request):
    return _download(request.user, "my-record-fhir.json")
