"""Clinicians acting on flags: mark as seen (acknowledge) and resolve with a note.

Both work with htmx (the alert's row is swapped in place) and without
JavaScript (a plain POST, then back to the page the clinician came from).
Only clinicians on the patient's active care team get past the selectors;
anyone else gets the same 404 as a missing page.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from ..decorators import role_required
from ..flags.selectors import flag_for_clinician
from ..models import Flag, Role
from ..next_url import safe_next_url
from ..selectors import patient_for_clinician
from ..services.flags import RESOLUTION_NOTE_MAX_LENGTH, flag_acknowledge, flag_resolve

ROW = "clinician/_alerts.html#alert-row"


class FlagResolveForm(forms.Form):
    note = forms.CharField(
        label="What did you do or decide?",
        max_length=RESOLUTION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Write a short note on what you did or decided."},
    )


def _flag(request, patient_id: int, flag_id: int) -> Flag:
    patient = patient_for_clinician(user=request.user, patient_id=patient_id)
    try:
        return flag_for_clinician(clinician=request.user, patient=patient, flag_id=flag_id)
    except Flag.DoesNotExist:
        raise Http404("No such flag.") from None


def _next_url(request) -> str:
    """Where to go back to: the page the clinician came from if it is on this site, else the caseload."""
    return safe_next_url(request, reverse("caseload"))


def _row(request, flag: Flag, **context):
    flag = Flag.objects.select_related("patient", "assignment__exercise", "acknowledged_by", "resolved_by").get(
        pk=flag.pk
    )
    return render(request, ROW, {"flag": flag, "alerts_next": _next_url(request), **context})


@require_POST
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def flag_acknowledge_view(request, patient_id: int, flag_id: int):
    """Mark the alert as seen by this clinician."""
    flag = _flag(request, patient_id, flag_id)
    error = ""
    try:
        flag_acknowledge(flag=flag, by=request.user)
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if request.htmx:
        return _row(request, flag, alert_error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Marked as seen: the alert for {flag.patient.display_name}.")
    return redirect(_next_url(request))


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def flag_resolve_view(request, patient_id: int, flag_id: int):
    """Resolve the alert with a note. GET shows the form on a page of its own (the no-JavaScript path)."""
    flag = _flag(request, patient_id, flag_id)
    form = FlagResolveForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            flag_resolve(flag=flag, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as problem:
            if hasattr(problem, "error_dict"):
                for field, field_errors in problem.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                error = " ".join(problem.messages)
        else:
            if request.htmx:
                return _row(request, flag)
            messages.success(request, f"Resolved: the alert for {flag.patient.display_name}.")
            return redirect(_next_url(request))
    context = {"resolve_form": form if request.method == "POST" else None, "alert_error": error}
    if request.htmx:
        return _row(request, flag, **context)
    return render(request, "clinician/flag_resolve.html", {"flag": flag, "alerts_next": _next_url(request), **context})
