"""One row in the audit trail for every request that concerns a patient's record.

Runs after the second-factor check (a half-signed-in person reaches nothing)
and records after the view has answered, so the row says whether the access
was allowed or refused. The patient is found centrally, in this order:
1. what the shared access selector or the admin noted (tracker.audit.context),
   the id asked for even when the answer was 404;
2. a `patient_id` in the URL;
3. a patient's own pages: the patient themself.
Costs one query: the INSERT (the person and the address are already known).
It runs outside any transaction (ATOMIC_REQUESTS would wrap the view only), so
a failed INSERT is logged and leaves nothing half-done.
"""

import logging

from django.db import DatabaseError

from tracker.signin.addresses import client_address

from .context import as_id, close_subject, open_subject
from .models import AuditAction, AuditOutcome
from .registry import ADMIN_NAMESPACE, is_audited
from .services import audit_record

logger = logging.getLogger(__name__)

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# URL arguments that name the record a page is about, most specific first.
OBJECT_KWARGS = ("note_id", "flag_id", "assignment_id", "clearance_id", "day")


def outcome_for(status_code: int) -> str:
    if status_code in (403, 404):
        return AuditOutcome.REFUSED
    if status_code >= 400:
        return AuditOutcome.FAILED
    return AuditOutcome.ALLOWED


def _object_from_kwargs(kwargs: dict) -> tuple[str, str]:
    for name in OBJECT_KWARGS:
        if name in kwargs:
            return name.removesuffix("_id"), str(kwargs[name])
    return "", ""


class AuditTrailMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        subject, token = open_subject()
        try:
            response = self.get_response(request)
        finally:
            close_subject(token)
        try:
            self._record(request, response, subject)
        except DatabaseError:
            # Never a 500 for the person in front of the screen; the operator is told loudly.
            logger.exception("Could not write the audit trail for %s %s", request.method, request.path)
        return response

    def _record(self, request, response, subject) -> None:
        match = getattr(request, "resolver_match", None)
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated:
            return
        if not is_audited(match.view_name, match.namespaces):
            return
        if response.status_code == 503:
            # The database could not be reached (tracker.safety.outage): nothing was read or saved, and
            # the row could not be written either. Said in the log, where the outage is already reported.
            logger.warning("Not audited while the database is unavailable: %s %s", request.method, request.path)
            return
        if ADMIN_NAMESPACE in match.namespaces and not subject.touched:
            return  # admin pages about the exercise library, the site, ... (patient records mark themselves)
        patient_id = subject.patient_id
        if patient_id is None:
            patient_id = as_id(match.kwargs.get("patient_id"))
        if patient_id is None and user.is_patient:
            patient_id = user.pk
        object_type, object_id = subject.object_type, subject.object_id
        if not object_type:
            object_type, object_id = _object_from_kwargs(match.kwargs)
        audit_record(
            actor=user,
            action=AuditAction.READ if request.method in READ_METHODS else AuditAction.CHANGE,
            view_name=match.view_name,
            patient_id=patient_id,
            object_type=object_type,
            object_id=object_id,
            outcome=outcome_for(response.status_code),
            method=request.method or "",
            status_code=response.status_code,
            fragment=request.headers.get("HX-Request") == "true",
            client_address=client_address(request),
        )
