from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "tracker.fhir"
    label = "fhir"
    verbose_name = "FHIR export"
