"""The version of the terms and privacy notice people accept when they join (templates/clinics/terms.html).

Change the wording there and raise this version: everyone accepts the new one
at their next visit to the join page; the record keeps one row per version.
"""

TERMS_VERSION = "2026-11"
