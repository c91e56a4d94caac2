from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tracker.audit"
    label = "audit"
    verbose_name = "Audit trail"
