"""The physiotherapist's and doctor's home page: their caseload, most in need of attention first."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..decorators import role_required
from ..flags.selectors import alerts_for_clinician, unreached_emergencies_for
from ..models import Role
from ..pagecache.caseload import caseload_results
from ..review.caseload import NOT_LOGGING_DAYS, REGION_CHOICES, CaseloadParams, Direction, Show, Sort


@require_GET
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def caseload(request):
    """The dashboard. htmx filter changes get only the results; the same URL works without JavaScript."""
    params = CaseloadParams.from_query(request.GET)
    # The table comes from the cache until one of the clinician's patients changes (tracker.pagecache).
    results = caseload_results(clinician=request.user, params=params)
    # htmx restoring a page from its history (back button, cache miss) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(results)
    context = {
        "results": results,
        "params": params,
        "show_choices": Show.choices,
        "sort_choices": Sort.choices,
        "direction_choices": Direction.choices,
        "region_choices": REGION_CHOICES,
        "not_logging_days": NOT_LOGGING_DAYS,
    }
    # The alert list (flags needing action) heads the full page; filtering does not touch it.
    context["alerts"] = alerts_for_clinician(clinician=request.user)
    context["unreached"] = unreached_emergencies_for(clinician=request.user)
    context["alerts_next"] = request.get_full_path()
    return render(request, "clinician/caseload.html", context)
