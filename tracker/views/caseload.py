"""The physiotherapist's and doctor's home page: their caseload, most in need of attention first."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from ..decorators import role_required
from ..flags.selectors import unreached_among
from ..models import Role
from ..pagecache.caseload import caseload_alerts, caseload_results, caseload_state, dashboard_key
from ..pagecache.html import cached_fragment, with_csrf_token
from ..review.caseload import NOT_LOGGING_DAYS, REGION_CHOICES, CaseloadParams, Direction, Show, Sort
from ..triage.selectors import SeverityFilter, inbox_for, severity_filter_from


@require_GET
@vary_on_headers("HX-Request")
@role_required(Role.PHYSIOTHERAPIST, Role.DOCTOR)
def caseload(request):
    """The dashboard. htmx filter changes get only the results (or the inbox); the same URL works without JavaScript."""
    params = CaseloadParams.from_query(request.GET)
    inbox_context = {
        "severity_choices": SeverityFilter.choices,
        "inbox_next": request.get_full_path(),
    }
    # The table and the alerts come from the cache until one of the clinician's patients changes
    # (tracker.pagecache.caseload); the state that says so is worked out once for both.
    state = caseload_state(clinician=request.user)
    # htmx restoring a page from its history (back button, cache miss) needs the whole page.
    if request.htmx and not request.htmx.history_restore_request and request.htmx.target == "triage-inbox":
        # The inbox's own severity filter.
        alerts = caseload_alerts(clinician=request.user, state=state)
        inbox = inbox_for(clinician=request.user, severity=severity_filter_from(request.GET), alerts=alerts)
        return render(request, "triage/_inbox.html#inbox", {"inbox": inbox, **inbox_context})
    if request.htmx and not request.htmx.history_restore_request:
        return HttpResponse(caseload_results(clinician=request.user, params=params, state=state))
    severity = severity_filter_from(request.GET)

    def dashboard_context() -> dict:
        # The triage inbox (flags needing action, one card per patient) heads the page; filtering the
        # patients does not touch it.
        alerts = caseload_alerts(clinician=request.user, state=state)
        return {
            "results": caseload_results(clinician=request.user, params=params, state=state),
            "params": params,
            "show_choices": Show.choices,
            "sort_choices": Sort.choices,
            "direction_choices": Direction.choices,
            "region_choices": REGION_CHOICES,
            "not_logging_days": NOT_LOGGING_DAYS,
            "inbox": inbox_for(clinician=request.user, severity=severity, alerts=alerts),
            **inbox_context,
        }

    dashboard = cached_fragment(
        key=dashboard_key(state=state, params=params, severity=severity, next_url=inbox_context["inbox_next"]),
        template_name="clinician/caseload.html#dashboard",
        context=dashboard_context,
    )
    context = {
        "dashboard": with_csrf_token(dashboard, request),
        # Emergencies whose care team was not reached: worked out per request (they appear on the minute).
        "unreached": unreached_among(caseload_alerts(clinician=request.user, state=state)),
    }
    return render(request, "clinician/caseload.html", context)
