"""Pictures and videos edited inline on an exercise in the admin.

A new row takes a file; the form checks and prepares it (routines.media.uploads)
so any problem shows beside the file, and the exercise admin then stores it
through routines.media.services. An existing row's file is fixed: to show a
different picture, remove the row and add a new one.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from .models import ExerciseMedia, MediaKind
from .services import ALT_TEXT_REQUIRED, exercise_media_add, exercise_media_delete, exercise_media_update
from .uploads import MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, MIN_IMAGE_SIDE, prepare_upload

UPLOAD_HELP = (
    f"A JPEG, PNG or WebP picture (at most {MAX_IMAGE_BYTES // (1024 * 1024)} MB, each side at least "
    f"{MIN_IMAGE_SIDE} pixels), or a short MP4 or WebM video (at most {MAX_VIDEO_BYTES // (1024 * 1024)} MB). "
    "Location and camera details are removed from pictures."
)


class ExerciseMediaForm(forms.ModelForm):
    upload = forms.FileField(label="File", required=False, help_text=UPLOAD_HELP)

    class Meta:
        model = ExerciseMedia
        fields = ["alt_text", "position"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepared = None
        if self.instance.pk is not None:
            # A stored file never changes (its URL is cached for good): replace it by adding a new row.
            self.fields["upload"].disabled = True
            self.fields["upload"].help_text = "To show a different file, remove this one and add a new one."

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None or not self.has_changed():
            return cleaned
        upload = cleaned.get("upload")
        if upload is None:
            self.add_error("upload", "Choose a picture or video to upload.")
            return cleaned
        try:
            self.prepared = prepare_upload(upload)
        except forms.ValidationError as error:
            self.add_error("upload", error)
            return cleaned
        if self.prepared.kind == MediaKind.IMAGE and not (cleaned.get("alt_text") or "").strip():
            self.add_error("alt_text", ALT_TEXT_REQUIRED)
        return cleaned


class ExerciseMediaInline(admin.StackedInline):
    model = ExerciseMedia
    form = ExerciseMediaForm
    extra = 1
    fields = ["preview", "upload", "alt_text", "position"]
    readonly_fields = ["preview"]
    ordering = ["position", "id"]
    verbose_name = "uploaded picture or video"
    verbose_name_plural = "uploaded pictures and videos (shown after the drawings, lowest position first)"

    @admin.display(description="Shown as")
    def preview(self, media: ExerciseMedia) -> str:
        if media.pk is None:
            return "-"
        if media.kind == MediaKind.IMAGE:
            return format_html(
                '<img src="{}" alt="{}" width="{}" height="{}" class="exercise-media-preview"> '
                "<br>{} by {} pixels, {} KB in all",
                media.small_url,
                media.alt_text,
                media.small_width,
                media.small_height,
                media.width,
                media.height,
                media.size_bytes // 1024,
            )
        return format_html(
            '<a href="{}">Video ({}, {} KB)</a>', media.url, media.content_type, media.size_bytes // 1024
        )


def save_media_formset(formset, exercise) -> None:
    """Apply the inline's changes through the services (called from the exercise admin's save_formset)."""
    formset.save(commit=False)  # works out deleted_objects and the changed forms
    for media in formset.deleted_objects:
        exercise_media_delete(media=media)
    deleted = {id(media) for media in formset.deleted_objects}
    for form in formset.forms:
        if id(form.instance) in deleted or form.cleaned_data.get("DELETE") or not form.has_changed():
            continue
        if form.instance.pk is None:
            if form.prepared is not None:
                exercise_media_add(
                    exercise=exercise,
                    prepared=form.prepared,
                    alt_text=form.cleaned_data.get("alt_text", ""),
                    position=form.cleaned_data.get("position") or 0,
                )
        else:
            exercise_media_update(
                media=form.instance,
                alt_text=form.cleaned_data.get("alt_text", ""),
                position=form.cleaned_data.get("position") or 0,
            )
