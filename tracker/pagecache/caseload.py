"""The caseload page's pieces, built once per state of the clinician's patients and cached until one of them changes.

The state is who the clinician's patients are and the data version of each
(one query, one cache round trip). Two pieces hang off it: the results
section (counts, table, pages) as HTML, and the unresolved alerts that the
triage inbox and the "care team not yet reached" warning are drawn from. Any
write about any of the patients, a patient joining or leaving the care team,
changes the state, so neither piece is ever shown stale.
"""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tracker.flags.selectors import alerts_for_clinician
from tracker.models import Flag, User
from tracker.review.caseload import CaseloadParams, caseload_for, page_queries, sort_links
from tracker.selectors import patients_visible_to
from tracker.services.summaries import SUMMARY_VERSION

from .versions import PIECE_TIMEOUT, versions

RESULTS_TEMPLATE = "clinician/caseload.html#results"


@dataclass(frozen=True)
class CaseloadState:
    clinician_id: int
    digest: str  # of every visible patient's id and data version


def caseload_state(*, clinician: User) -> CaseloadState:
    patient_ids = sorted(patients_visible_to(user=clinician).values_list("pk", flat=True))
    patient_versions = versions(patient_ids)
    described = ",".join(f"{patient_id}:{patient_versions[patient_id]}" for patient_id in patient_ids)
    return CaseloadState(clinician_id=clinician.pk, digest=hashlib.sha256(described.encode()).hexdigest())


def _quarter_hour() -> str:
    # Every time zone's midnight falls on a quarter hour: a new quarter may start a new day for some
    # patient ("Today" becomes "Yesterday" in the table), so the results are keyed by it too.
    now = timezone.now()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).isoformat()


def caseload_results(*, clinician: User, params: CaseloadParams, state: CaseloadState | None = None) -> SafeString:
    """The results section of the caseload (counts, table, pages) as HTML; built (two queries) only on a new state."""
    state = state or caseload_state(clinician=clinician)
    # SUMMARY_VERSION: a table built from older summaries is not reused after an upgrade.
    filters = f"{SUMMARY_VERSION}|{_quarter_hour()}|{params.query(page=params.page)}"
    filters = hashlib.sha256(filters.encode()).hexdigest()
    key = f"caseload:{state.clinician_id}:{state.digest}:{filters}"
    html = cache.get(key)
    if html is None:
        caseload = caseload_for(clinician=clinician, params=params)
        html = render_to_string(
            RESULTS_TEMPLATE,
            {
                "caseload": caseload,
                "params": params,
                "sort_links": sort_links(params),
                "page_queries": page_queries(caseload),
            },
        )
        cache.set(key, html, PIECE_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our own template, with its autoescaping


def caseload_alerts(*, clinician: User, state: CaseloadState | None = None) -> list[Flag]:
    """alerts_for_clinician (unresolved flags of the clinician's patients), read from the database only on a new state.

    Flags are drawn per request from this list (their ages, the forms' CSRF
    tokens), so only the data is cached, never the HTML.
    """
    state = state or caseload_state(clinician=clinician)
    key = f"caseload-alerts:{state.clinician_id}:{state.digest}"
    alerts = cache.get(key)
    if alerts is None:
        alerts = alerts_for_clinician(clinician=clinician)
        cache.set(key, alerts, PIECE_TIMEOUT)
    return alerts


def dashboard_key(*, state: CaseloadState, params: CaseloadParams, severity: str, next_url: str) -> str:
    """The key of the page's inbox, filters and table as this request would draw them.

    The minute is part of it: the inbox says how long each card's oldest alert
    has waited, to the minute.
    """
    minute = timezone.now().replace(second=0, microsecond=0).isoformat()
    drawn = f"{SUMMARY_VERSION}|{minute}|{params.query(page=params.page)}|{severity}|{next_url}"
    return f"caseload-page:{state.clinician_id}:{state.digest}:{hashlib.sha256(drawn.encode()).hexdigest()}"
