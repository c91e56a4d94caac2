"""Questionnaires in the admin: to look at, not to change (they are the patient's own answers)."""

from django.contrib import admin

from tracker.audit.admin import AuditedAdminMixin

from .models import QuestionnaireAsk, Response, Sitting


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ResponseInline(ReadOnly, admin.TabularInline):
    model = Response
    fields = ("instrument", "score")
    readonly_fields = fields
    extra = 0


@admin.register(Sitting)
class SittingAdmin(AuditedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ("patient", "local_date", "baseline")
    list_select_related = ("patient",)
    search_fields = ("patient__username", "patient__last_name")
    readonly_fields = ("patient", "local_date", "baseline", "created_at")
    fields = readonly_fields
    inlines = [ResponseInline]


@admin.register(QuestionnaireAsk)
class QuestionnaireAskAdmin(AuditedAdminMixin, ReadOnly, admin.ModelAdmin):
    list_display = ("patient", "asked_by", "asked_at", "answered_by")
    list_select_related = ("patient", "asked_by", "answered_by")
