"""The exercise library is edited here by staff; clearances and programs are read-only.

Retiring an exercise (unticking "active") keeps it readable in old programs and
logs but stops it being prescribed. Every change is kept in history.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin import ReadOnlyClinicalAdmin

from .media.admin import ExerciseMediaInline, save_media_formset
from .media.drawings import drawing_keys, drawing_svg
from .models import ActivityToAvoid, Assignment, Clearance, Exercise, ExerciseMedia, ExerciseStep


class ExerciseStepInline(admin.TabularInline):
    model = ExerciseStep
    extra = 1
    fields = ["position", "text"]
    ordering = ["position", "id"]
    verbose_name = "step"
    verbose_name_plural = "steps (in order: lowest position first)"


@admin.register(Exercise)
class ExerciseAdmin(SimpleHistoryAdmin):
    list_display = ["name", "region", "kind", "default_sets", "default_reps", "default_minutes", "per_side", "active"]
    list_filter = ["region", "kind", "active"]
    search_fields = ["name", "purpose", "cautions"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ExerciseStepInline, ExerciseMediaInline]
    actions = ["retire", "reinstate"]
    readonly_fields = ["drawing_preview"]

    class Media:
        css = {"all": ["css/admin-media.css"]}

    fieldsets = [
        (None, {"fields": ["name", "slug", "region", "kind", "purpose", "cautions", "position", "active"]}),
        (
            "Line drawing",
            {
                "fields": ["drawing", "drawing_start_alt", "drawing_end_alt", "drawing_preview"],
                "description": "The start and end position, drawn for this app. Patients see them with the steps; "
                "the words are read out to people who cannot see the drawing.",
            },
        ),
        (
            "Usual dose",
            {
                "fields": [
                    "default_sets",
                    "default_reps",
                    "default_hold_seconds",
                    "default_minutes",
                    "per_side",
                ],
                "description": "Exercises counted in repetitions leave minutes empty; timed ones (walking) "
                "leave repetitions empty.",
            },
        ),
    ]

    @admin.display(description="Drawing as saved")
    def drawing_preview(self, exercise: Exercise) -> str:
        if not exercise.drawing or exercise.drawing not in drawing_keys():
            return "No drawing."
        return format_html_join(
            " ",
            '<span class="exercise-drawing-preview">{}</span>',
            (
                (drawing_svg(exercise.drawing, "start", alt=exercise.drawing_start_alt),),
                (drawing_svg(exercise.drawing, "end", alt=exercise.drawing_end_alt),),
            ),
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name in ("drawing_start_alt", "drawing_end_alt"):
            kwargs["widget"] = forms.Textarea(attrs={"rows": 2, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        if formset.model is ExerciseMedia:
            save_media_formset(formset, form.instance)
        else:
            super().save_formset(request, form, formset, change)

    @admin.action(description="Retire the selected exercises (no new prescriptions)")
    def retire(self, request, queryset):
        # Saved one by one, not with update(), so each change is kept in history.
        for exercise in queryset.filter(active=True):
            exercise.active = False
            exercise.save(update_fields=["active"])

    @admin.action(description="Bring the selected exercises back into use")
    def reinstate(self, request, queryset):
        for exercise in queryset.filter(active=False):
            exercise.active = True
            exercise.save(update_fields=["active"])

    def has_delete_permission(self, request, obj=None):
        # Exercises are referenced by programs and logs; retire them instead.
        return False


@admin.register(ActivityToAvoid)
class ActivityToAvoidAdmin(SimpleHistoryAdmin):
    list_display = ["title", "reason", "position"]
    list_editable = ["position"]
    search_fields = ["title", "reason"]


@admin.register(Clearance)
class ClearanceAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "decision", "decided_on", "valid_until", "doctor_name", "recorded_by", "revoked_at"]
    list_filter = ["decision", ("revoked_at", admin.EmptyFieldListFilter)]
    list_select_related = ["patient", "doctor", "recorded_by"]
    search_fields = ["patient__username", "patient__last_name", "external_doctor_name", "doctor__last_name"]
    date_hierarchy = "decided_on"


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyClinicalAdmin):
    list_display = ["patient", "exercise", "status", "sets", "reps", "minutes", "times_per_week", "prescribed_by"]
    list_filter = ["status", "exercise__region", "exercise"]
    list_select_related = ["patient", "exercise", "prescribed_by"]
    search_fields = ["patient__username", "patient__last_name", "exercise__name"]
