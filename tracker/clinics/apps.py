from django.apps import AppConfig


class ClinicsConfig(AppConfig):
    name = "tracker.clinics"
    label = "clinics"
    verbose_name = "Clinics and enrolment"
