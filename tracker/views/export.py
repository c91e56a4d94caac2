"""CSV downloads of a patient's history: for their care team, and for the patient themself."""

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..decorators import role_required
from ..models import Role, User
from ..review.export import EXPORT_COLUMNS, export_filename, export_lines
from ..selectors import patient_for_clinician


def _csv_response(patient: User) -> StreamingHttpResponse:
    response = StreamingHttpResponse(export_lines(patient=patient), content_type="text/csv; charset=utf-8")
    filename = export_filename(patient=patient, today=patient.local_today())
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Health data: never kept by a shared cache or the browser's back-forward cache.
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def patient_export(request, patient_id: int):
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    return _csv_response(patient)


@require_GET
@role_required(Role.PATIENT)
def my_export(request):
    return _csv_response(request.user)


@require_GET
@role_required(Role.PATIENT)
def my_data(request):
    """The patient's page that explains the download and offers it."""
    return render(request, "patient/my_data.html", {"columns": EXPORT_COLUMNS})
