"""The patient's "who has looked at my record" page, and the clinic's review of the audit trail."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tracker.decorators import role_required
from tracker.models import Role

from .export import audit_csv_lines
from .forms import AuditFilterForm
from .policy import can_review_clinic_audit
from .selectors import audit_events_for_review, filtered_events, staff_visits_for

REVIEW_PAGE_SIZE = 100


@require_GET
@role_required(Role.PATIENT)
def my_record_views(request):
    """Who on the clinic's staff has looked at or changed the patient's record, by person and day."""
    return render(request, "audit/my_record_views.html", {"visits": staff_visits_for(patient=request.user)})


def _filtered(request):
    if not can_review_clinic_audit(request.user):
        raise Http404("No such page.")
    form = AuditFilterForm(request.GET or None)
    return form, filtered_events(audit_events_for_review(viewer=request.user), **form.filters())


def _review_page(request, form, page, status=200):
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "audit/review.html", context, status=status)


@require_GET
@login_required
def audit_review(request):
    """The audit trail, newest first, with filters, a page at a time."""
    form, events = _filtered(request)
    return _review_page(request, form, Paginator(events, REVIEW_PAGE_SIZE).get_page(request.GET.get("page")))


@require_GET
@login_required
def audit_export(request):
    """The same rows as the review shows with these filters, as a CSV file."""
    form, events = _filtered(request)
    if form.is_bound and not form.is_valid():
        return _review_page(request, form, Paginator(events.none(), REVIEW_PAGE_SIZE).get_page(1), status=400)
    response = StreamingHttpResponse(audit_csv_lines(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-trail-{timezone.localdate().isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    return response
