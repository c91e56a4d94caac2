"""The caseload table, rendered once per state of the clinician's patients and cached until one of them changes."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from tracker.models import User
from tracker.review.caseload import CaseloadParams, caseload_for, page_queries, sort_links
from tracker.selectors import patients_visible_to
from tracker.services.summaries import SUMMARY_VERSION

from .versions import PIECE_TIMEOUT, versions

RESULTS_TEMPLATE = "clinician/caseload.html#results"
# Every time zone's midnight falls on a quarter hour: a new quarter may start a new day for some patient
# ("Today" becomes "Yesterday" in the table), so the quarter is part of the key.


def _quarter_hour() -> str:
    now = timezone.now()
    return now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0).isoformat()


def caseload_results(*, clinician: User, params: CaseloadParams) -> SafeString:
    """The results section of the caseload (counts, table, pages) as HTML.

    The key is made from the clinician, the filters, the quarter hour and the
    data version of every patient they can see (one query for who those are,
    one cache round trip for their versions), so any write about any of them,
    a patient joining or leaving the care team, or a new day for one of them
    gives a new key. The table itself is built (two queries) only then.
    """
    patient_ids = sorted(patients_visible_to(user=clinician).values_list("pk", flat=True))
    patient_versions = versions(patient_ids)
    state = "|".join(
        [
            str(clinician.pk),
            str(SUMMARY_VERSION),  # a table built from older summaries is not reused after an upgrade
            _quarter_hour(),
            params.query(page=params.page),
            ",".join(f"{patient_id}:{patient_versions[patient_id]}" for patient_id in patient_ids),
        ]
    )
    key = f"caseload:{clinician.pk}:{hashlib.sha256(state.encode()).hexdigest()}"
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
