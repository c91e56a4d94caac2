from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .audit.admin import AuditedAdminMixin
from .models import CareTeamMembership, CheckIn, ClinicalNote, Flag, FlagNotification, SessionLog, User


class CareTeamInline(admin.TabularInline):
    model = CareTeamMembership
    fk_name = "patient"
    extra = 0
    fields = ["clinician", "started_at", "ended_at"]
    autocomplete_fields = ["clinician"]
    verbose_name = "care-team clinician"
    verbose_name_plural = "care team (for patients)"


@admin.register(User)
class UserAdmin(AuditedAdminMixin, SimpleHistoryAdmin, BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "clinic", "condition", "is_staff", "is_active"]
    list_filter = ["clinic", "role", "condition", "is_staff", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            "Clinic",
            {
                "fields": [
                    "clinic",
                    "role",
                    "is_clinic_manager",
                    "condition",
                    "time_zone",
                    "date_of_birth",
                    "phone",
                    "clinic_patient_id",
                    "discharged_at",
                ]
            },
        ),
    ]
    readonly_fields = ["discharged_at"]
    add_fieldsets = [
        *BaseUserAdmin.add_fieldsets,
        ("Clinic", {"fields": ["first_name", "last_name", "email", "clinic", "role", "condition", "time_zone"]}),
    ]
    inlines = [CareTeamInline]


@admin.register(CareTeamMembership)
class CareTeamMembershipAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    list_display = ["patient", "clinician", "started_at", "ended_at"]
    list_filter = ["clinician__role", ("ended_at", admin.EmptyFieldListFilter)]
    search_fields = ["patient__username", "patient__last_name", "clinician__username", "clinician__last_name"]
    autocomplete_fields = ["patient", "clinician"]
    list_select_related = ["patient", "clinician"]


# Clinical records are read-only in the admin: they are changed through the
# product, where the rules and the history live. Looking at them is audited.
class ReadOnlyClinicalAdmin(AuditedAdminMixin, SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "local_date", "neck_back_pain", "limb_pain", "numbness", "weakness"]
    list_select_related = ["patient"]
    date_hierarchy = "local_date"
    search_fields = ["patient__username", "patient__last_name"]


@admin.register(SessionLog)
class SessionLogAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "local_date"]
    list_select_related = ["patient"]
    search_fields = ["patient__username", "patient__last_name"]


@admin.register(Flag)
class FlagAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "severity", "rule_id", "status", "opened_at"]
    list_filter = ["severity", "status", "rule_id"]
    list_select_related = ["patient"]
    search_fields = ["patient__username", "patient__last_name"]


@admin.register(ClinicalNote)
class ClinicalNoteAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "author", "created_at"]
    list_select_related = ["patient", "author"]


@admin.register(FlagNotification)
class FlagNotificationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Care-team e-mails about flags: staff can see which are waiting or failed, and why."""

    list_display = ["flag", "recipient", "severity", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "severity"]
    list_select_related = ["flag", "recipient"]
    readonly_fields = [field.name for field in FlagNotification._meta.fields]

    def audit_patient_id(self, obj) -> int | None:
        return obj.flag.patient_id

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
