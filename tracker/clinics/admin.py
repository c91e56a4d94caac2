from django.contrib import admin

from .models import Clinic, ConsentRecord, Discharge, Invitation


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "phone", "emergency_number", "time_zone"]
    search_fields = ["name"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "clinic", "role", "invited_by", "sent_at", "accepted_at", "cancelled_at"]
    list_filter = ["clinic", "role"]
    search_fields = ["email", "last_name"]
    list_select_related = ["clinic", "invited_by"]
    readonly_fields = ["accepted_user", "accepted_at", "approved_at", "approved_by", "cancelled_at", "cancelled_by"]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(admin.ModelAdmin):
    list_display = ["user", "version", "accepted_at"]
    list_select_related = ["user"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Discharge)
class DischargeAdmin(admin.ModelAdmin):
    list_display = ["patient", "discharged_at", "discharged_by", "readmitted_at"]
    list_select_related = ["patient", "discharged_by"]

    def has_change_permission(self, request, obj=None):
        return False
