"""The clinician's triage inbox: open flags grouped by patient, one card each, most urgent first.

selectors: the inbox (one query, grouped in Python); services: mark all of a
patient's open flags as seen; views/urls: that action (htmx or a plain POST).
The caseload page (tracker.views.caseload) shows the inbox.
"""
