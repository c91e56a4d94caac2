"""Clinician review: the caseload dashboard, the patient page, notes, the report and the export.

Read-side helpers live here; writes go through tracker.services.
"""
