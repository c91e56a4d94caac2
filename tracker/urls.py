from django.contrib import admin
from django.urls import include, path

from .views import home

urlpatterns = [
    path("", home.home, name="home"),
    path("my/", home.patient_home, name="patient_home"),
    path("caseload/", home.caseload, name="caseload"),
    # Exercise library, clearances and programs (routines app).
    # Daily check-in, session log and progress (patients).
    # Flags: acknowledge and resolve (care team).
    # Clinician review: patient page, notes, report, export.
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for this on pages without an icon link (the Django admin).
    path("favicon.ico", home.favicon, name="favicon"),
]

handler404 = "tracker.views.errors.not_found"
handler500 = "tracker.views.errors.server_error"
