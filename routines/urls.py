from django.urls import include, path

from . import views

urlpatterns = [
    path("", include("routines.media.urls")),
    path("my/exercises/", views.my_exercises, name="my_exercises"),
    path("avoid/", views.activities_to_avoid, name="activities_to_avoid"),
    path("patients/<int:patient_id>/program/", views.program, name="program"),
    path("patients/<int:patient_id>/program/add/", views.program_add, name="program_add"),
    path(
        "patients/<int:patient_id>/program/<int:assignment_id>/change/",
        views.assignment_change,
        name="assignment_change",
    ),
    path(
        "patients/<int:patient_id>/program/<int:assignment_id>/pause/", views.assignment_pause, name="assignment_pause"
    ),
    path(
        "patients/<int:patient_id>/program/<int:assignment_id>/resume/",
        views.assignment_resume,
        name="assignment_resume",
    ),
    path(
        "patients/<int:patient_id>/program/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("patients/<int:patient_id>/clearance/", views.clearance, name="clearance"),
    path("patients/<int:patient_id>/clearance/record/", views.clearance_record, name="clearance_record"),
    path(
        "patients/<int:patient_id>/clearance/external/",
        views.clearance_record_external,
        name="clearance_record_external",
    ),
    path(
        "patients/<int:patient_id>/clearance/<int:clearance_id>/revoke/",
        views.clearance_revoke,
        name="clearance_revoke",
    ),
]
