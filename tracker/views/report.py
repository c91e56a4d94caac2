"""The printable progress report for one patient and a date range."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..decorators import role_required
from ..models import Role
from ..review.report import report_for, report_range_form
from ..selectors import patient_for_clinician


@require_GET
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def patient_report(request, patient_id: int):
    """?start=YYYY-MM-DD&end=YYYY-MM-DD; without them, the last four weeks. A bad range shows why, not a report."""
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    today = patient.local_today()
    form = report_range_form(request.GET, today=today)
    report = None
    if form.is_valid():
        report = report_for(
            patient=patient, start=form.cleaned_data["start"], end=form.cleaned_data["end"], today=today
        )
    return render(
        request, "clinician/report.html", {"patient": patient, "form": form, "report": report, "today": today}
    )
