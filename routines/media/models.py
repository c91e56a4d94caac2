"""Pictures and short videos that staff add to a library exercise, beside its line drawings.

The files live in Django's default storage (the local disk, or an S3-compatible
store in production). A picture is stored only as re-encoded copies at two
widths, so what the person uploaded (and any location or camera data in it) is
never kept; a video is stored as uploaded.
"""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords


class MediaKind(models.TextChoices):
    IMAGE = "image", "Picture"
    VIDEO = "video", "Video"


IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}


class ExerciseMedia(models.Model):
    """One picture or video of an exercise, shown to patients in the order of `position`.

    A picture has a large copy (`file`, at most LARGE_WIDTH wide) and a small
    one (`small_file`), both with their pixel sizes, and always a text
    alternative. A video has only `file`.
    """

    exercise = models.ForeignKey("routines.Exercise", on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    file = models.FileField(upload_to="exercise-media/", max_length=255)
    small_file = models.FileField(upload_to="exercise-media/", max_length=255, blank=True)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    small_width = models.PositiveIntegerField(null=True, blank=True)
    small_height = models.PositiveIntegerField(null=True, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    alt_text = models.CharField(
        "what it shows, in words",
        max_length=300,
        blank=True,
        help_text="For people who cannot see it. Needed for a picture; for a video, a short description.",
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the page: lowest first.")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "picture or video"
        verbose_name_plural = "pictures and videos"
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=MediaKind.values), name="exercise_media_kind_valid"),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=MediaKind.IMAGE, content_type__in=list(IMAGE_TYPES))
                    & ~models.Q(alt_text="")
                    & ~models.Q(small_file="")
                    & models.Q(width__isnull=False, height__isnull=False)
                    & models.Q(small_width__isnull=False, small_height__isnull=False)
                )
                | (models.Q(kind=MediaKind.VIDEO, content_type__in=list(VIDEO_TYPES)) & models.Q(small_file="")),
                name="exercise_media_complete",
                violation_error_message="A picture needs its two sizes and a text alternative; a video only its file.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.exercise}: {self.alt_text or self.file.name}"

    @property
    def is_image(self) -> bool:
        return self.kind == MediaKind.IMAGE

    @property
    def url(self) -> str:
        """Where the large picture (or the video) is served; it changes whenever the file does."""
        return reverse("exercise_media_file", args=[self.pk, self.file.name.rsplit("/", 1)[-1]])

    @property
    def small_url(self) -> str:
        field = self.small_file or self.file
        return reverse("exercise_media_file", args=[self.pk, field.name.rsplit("/", 1)[-1]])

    @property
    def file_names(self) -> set[str]:
        """The stored names this row serves (the last part of each path)."""
        return {field.name.rsplit("/", 1)[-1] for field in (self.file, self.small_file) if field}
