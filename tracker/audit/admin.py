from django.contrib import admin

from .context import note_object, note_patient
from .models import AuditEvent


def patient_id_of(obj) -> int | None:
    """The patient a record belongs to: a patient account itself, or the record's `patient`."""
    if getattr(obj, "is_patient", False):
        return obj.pk
    return getattr(obj, "patient_id", None)


class AuditedAdminMixin:
    """Admin pages about patients' records go into the audit trail, with the patient each one concerns.

    Every page of the model (list, add, change, history, delete) is recorded
    by the audit middleware; the record's patient is noted when the admin
    loads it, at no extra query. Admins of patient data must use this
    (tests/tracker/audit/test_admin.py checks).
    """

    def audit_patient_id(self, obj) -> int | None:
        return patient_id_of(obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        note_patient(
            self.audit_patient_id(obj) if obj is not None else None,
            object_type=self.model._meta.label_lower,
            object_id=object_id,
        )
        return obj

    def has_view_history_or_change_history_permission(self, request, obj=None):
        # django-simple-history's history pages load the record themselves and ask this about it.
        if obj is not None:
            note_patient(self.audit_patient_id(obj), object_type=self.model._meta.label_lower, object_id=obj.pk)
        return super().has_view_history_or_change_history_permission(request, obj)

    def changelist_view(self, request, extra_context=None):
        note_object(object_type=self.model._meta.label_lower)
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        note_object(object_type=self.model._meta.label_lower)
        return super().add_view(request, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note_patient(self.audit_patient_id(obj), object_type=self.model._meta.label_lower, object_id=obj.pk)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is only ever added to, by the app itself."""

    list_display = ["at", "actor", "actor_role", "patient", "action", "outcome", "view_name", "client_address"]
    list_filter = ["action", "outcome", "actor_role"]
    search_fields = ["view_name", "actor__username", "actor__last_name", "patient__username", "patient__last_name"]
    list_select_related = ["actor", "patient"]
    date_hierarchy = "at"
    readonly_fields = [field.name for field in AuditEvent._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
