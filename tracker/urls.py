from django.contrib import admin
from django.urls import include, path, re_path

from .views import caseload, daily, export, flags, home, report, review

urlpatterns = [
    path("", home.home, name="home"),
    path("my/", home.patient_home, name="patient_home"),
    path("caseload/", caseload.caseload, name="caseload"),
    # Exercise library, clearances and programs (routines app).
    # routines/urls.py: /my/exercises/ (the patient's program, per issue 3), /avoid/, and
    # /patients/<id>/program/... and /patients/<id>/clearance/... . Today's session log
    # therefore needs a path of its own, not /my/exercises/ itself.
    path("", include("routines.urls")),
    # Daily check-in, session log and progress (patients).
    path("my/check-in/", daily.checkin_today, name="checkin_today"),
    re_path(r"^my/check-in/(?P<day>\d{4}-\d{2}-\d{2})/$", daily.checkin, name="checkin"),
    path("my/sessions/", daily.session_today, name="session_today"),
    re_path(r"^my/sessions/(?P<day>\d{4}-\d{2}-\d{2})/$", daily.session_log, name="session_log"),
    re_path(
        r"^my/sessions/(?P<day>\d{4}-\d{2}-\d{2})/(?P<assignment_id>\d+)/$", daily.session_entry, name="session_entry"
    ),
    re_path(
        r"^my/sessions/(?P<day>\d{4}-\d{2}-\d{2})/(?P<assignment_id>\d+)/done/$",
        daily.session_done,
        name="session_done",
    ),
    path("", include("tracker.guided.urls")),
    # Clinics: invitations, joining, the manager's pages, care teams, discharge, the patient's account.
    path("", include("tracker.clinics.urls")),
    path("", include("tracker.quick_pain.urls")),
    path("my/history/", daily.history, name="my_history"),
    path("my/progress/", daily.progress, name="my_progress"),
    # Flags: acknowledge and resolve (care team).
    path(
        "patients/<int:patient_id>/flags/<int:flag_id>/acknowledge/",
        flags.flag_acknowledge_view,
        name="flag_acknowledge",
    ),
    path("patients/<int:patient_id>/flags/<int:flag_id>/resolve/", flags.flag_resolve_view, name="flag_resolve"),
    path("", include("tracker.triage.urls")),
    # Clinician review: patient page, notes, report, export.
    path("patients/<int:patient_id>/", review.patient_detail, name="patient_detail"),
    path("patients/<int:patient_id>/notes/", review.note_create, name="note_create"),
    path("patients/<int:patient_id>/notes/<int:note_id>/edit/", review.note_update, name="note_update"),
    path("patients/<int:patient_id>/report/", report.patient_report, name="patient_report"),
    path("patients/<int:patient_id>/export.csv", export.patient_export, name="patient_export"),
    path("my/data/", export.my_data, name="my_data"),
    path("my/export.csv", export.my_export, name="my_export"),
    path("", include("tracker.outcomes.urls")),
    path("", include("tracker.fhir.urls")),
    path("", include("tracker.signin.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("tracker.mfa.urls")),
    # The audit trail: the patient's "who has looked at my record" and the clinic's review.
    path("", include("tracker.audit.urls")),
    path("webauthn/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("admin/", admin.site.urls),
    path("", include("tracker.health.urls")),
    path("", include("tracker.reminders.urls")),
    # Browsers ask for this on pages without an icon link (the Django admin).
    path("favicon.ico", home.favicon, name="favicon"),
]

handler404 = "tracker.views.errors.not_found"
handler500 = "tracker.views.errors.server_error"
