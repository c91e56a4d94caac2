"""Which URLs are audited. Everything is, unless it is named here with the reason.

A new URL is therefore audited without anyone remembering to: the middleware
records every request a signed-in person makes to it, and
tests/tracker/audit/test_every_url.py walks the access matrix and fails if a
URL about one patient does not name that patient in its row.
"""

# URL names (namespace:name) that never show or change a patient's record.
NOT_PATIENT_DATA = {
    "home": "only sends each person on to their own start page",
    "login": "signing in",
    "logout": "signing out",
    "password_change": "the person's own password",
    "password_change_done": "the person's own password",
    "password_reset": "password reset, before signing in",
    "password_reset_done": "password reset, before signing in",
    "password_reset_confirm": "password reset, before signing in",
    "password_reset_complete": "password reset, before signing in",
    "favicon": "the site icon",
    "healthz": "counts for monitoring, no one named",
    "mfa_verify": "the second step of signing in",
    "mfa_setup": "the person's own second factor",
    "mfa_manage": "the person's own second factor",
    "mfa_recovery_codes": "the person's own second factor",
    "mfa_turn_off": "the person's own second factor",
    "mfa_passkey_remove": "the person's own second factor",
    "session_keep_alive": "keeps the session open; the page it keeps open was recorded",
    "sign_out_other_devices": "the person's own sessions",
    "activities_to_avoid": "general advice, the same for everyone",
    "exercise_media_file": "library pictures and videos, the same for everyone",
    "invitation_accept": "the link in an invitation e-mail, before the person has joined",
    "clinic_terms": "the clinic's terms and privacy notice, the same for everyone",
    "digest_settings": "the clinician's own time for their daily e-mail",
    "service_worker": "the script that shows reminders, the same for everyone",
    "web_manifest": "the app's name and icons for the home screen, the same for everyone",
}
# Whole URL namespaces outside the audit here. The Django admin is audited by
# its model admins instead (AuditedAdminMixin names the patient of each record).
NOT_PATIENT_DATA_NAMESPACES = {
    "otp_webauthn": "passkey sign-in and set-up",
}
ADMIN_NAMESPACE = "admin"


def is_audited(view_name: str, namespaces: list[str]) -> bool:
    if view_name in NOT_PATIENT_DATA:
        return False
    return not any(namespace in NOT_PATIENT_DATA_NAMESPACES for namespace in namespaces)
