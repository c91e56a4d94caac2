from django.contrib import admin

from tracker.audit.admin import AuditedAdminMixin

from .models import Clinic, ConsentRecord, Discharge, Invitation


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "emergency_number", "time_zone"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["email", "clinic", "role", "invited_by", "sent_at", "accepted_at", "cancelled_at"]
    list_filter = ["clinic", "role"]
    search_fields = ["email", "last_name"]
    list_select_related = ["clinic", "invited_by"]

    def audit_patient_id(self, obj):
        # Once accepted, the invitation is part of that person's record.
        return obj.accepted_user_id if obj.role == "patient" else None

    readonly_fields = ["accepted_user", "accepted_at", "approved_at", "approved_by", "cancelled_at", "cancelled_by"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "version", "accepted_at"]

    def audit_patient_id(self, obj):
        return obj.user_id if obj.user.is_patient else None

    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Discharge)
class DischargeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["patient", "discharged_at", "discharged_by", "readmitted_at"]
    list_select_related = ["patient", "discharged_by"]

    def has_change_permission(self, request, obj=None):
        return False
