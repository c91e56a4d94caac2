from django.urls import path

from . import views

urlpatterns = [
    path("patients/<int:patient_id>/export.fhir.json", views.patient_fhir, name="patient_fhir"),
    path("my/export.fhir.json", views.my_fhir, name="my_fhir"),
]
