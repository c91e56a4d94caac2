"""The audit trail as a CSV file for the clinic's review, streamed row by row.

Times are ISO 8601 in UTC. Every text cell goes through the same formula
guard as the patients' export (tracker.review.export.spreadsheet_safe), so a
name like "=HYPERLINK(...)" shows as text in a spreadsheet.
"""

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from tracker.review.export import spreadsheet_safe

from .models import AuditEvent

HEADER = [
    "time_utc",
    "person",
    "person_username",
    "role",
    "patient",
    "patient_id",
    "action",
    "outcome",
    "page_or_action",
    "object_type",
    "object_id",
    "method",
    "status",
    "client_address",
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _name(user, user_id) -> str:
    if user is None:
        return "" if user_id is None else f"(no longer on record, #{user_id})"
    return user.get_full_name() or user.username


def audit_row(event: AuditEvent) -> list:
    return [
        spreadsheet_safe(value)
        for value in (
            event.at.isoformat(),
            _name(event.actor, event.actor_id),
            event.actor.username if event.actor else "",
            event.actor_role,
            _name(event.patient, event.patient_id),
            "" if event.patient_id is None else event.patient_id,
            event.action,
            event.outcome,
            event.view_name,
            event.object_type,
            event.object_id,
            event.method,
            "" if event.status_code is None else event.status_code,
            event.client_address or "",
        )
    ]


def audit_csv_lines(events: QuerySet[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(HEADER)
    for event in events.iterator(chunk_size=500):
        yield writer.writerow(audit_row(event))
