"""Adding, changing and removing an exercise's pictures and videos.

Files go through Django's default storage, so the same code writes to the
local disk or to an S3-compatible store. A stored file's name never changes:
a different picture is a new row with new names, which lets the serving view
tell browsers to keep a file for good.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from routines.models import Exercise

from .models import ExerciseMedia, MediaKind
from .uploads import LARGE_WIDTH, SMALL_WIDTH, PreparedMedia

ALT_TEXT_REQUIRED = "Describe what the picture shows, for people who cannot see it."
ALT_TEXT_MAX_LENGTH = 300


def _clean_alt_text(*, kind: str, alt_text: str) -> str:
    alt_text = (alt_text or "").strip()
    if kind == MediaKind.IMAGE and not alt_text:
        raise ValidationError({"alt_text": ALT_TEXT_REQUIRED})
    if len(alt_text) > ALT_TEXT_MAX_LENGTH:
        raise ValidationError({"alt_text": f"Keep this under {ALT_TEXT_MAX_LENGTH} characters."})
    return alt_text


def _store(folder: str, suffix: str, extension: str, content: bytes) -> str:
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{suffix}.{extension}", ContentFile(content))


def exercise_media_add(
    *, exercise: Exercise, prepared: PreparedMedia, alt_text: str, position: int = 0
) -> ExerciseMedia:
    """Store a checked picture (both widths) or video for `exercise` and record it.

    A picture needs `alt_text`. If recording fails, the files just stored are
    removed again, so nothing is left half-saved.
    """
    alt_text = _clean_alt_text(kind=prepared.kind, alt_text=alt_text)
    folder = f"exercise-media/{exercise.slug}"
    stored: list[str] = []
    try:
        if prepared.kind == MediaKind.IMAGE:
            stored.append(_store(folder, f"-{LARGE_WIDTH}", prepared.extension, prepared.large.content))
            stored.append(_store(folder, f"-{SMALL_WIDTH}", prepared.extension, prepared.small.content))
            sizes = {
                "width": prepared.large.width,
                "height": prepared.large.height,
                "small_width": prepared.small.width,
                "small_height": prepared.small.height,
            }
        else:
            stored.append(_store(folder, "", prepared.extension, prepared.video))
            sizes = {}
        with transaction.atomic():
            return ExerciseMedia.objects.create(
                exercise=exercise,
                kind=prepared.kind,
                file=stored[0],
                small_file=stored[1] if len(stored) > 1 else "",
                content_type=prepared.content_type,
                size_bytes=prepared.size_bytes,
                alt_text=alt_text,
                position=position,
                **sizes,
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise


@transaction.atomic
def exercise_media_update(*, media: ExerciseMedia, alt_text: str, position: int) -> ExerciseMedia:
    """Change what a picture or video says in words and where it comes in the order (history is kept)."""
    media.alt_text = _clean_alt_text(kind=media.kind, alt_text=alt_text)
    media.position = position
    media.save(update_fields=["alt_text", "position"])
    return media


@transaction.atomic
def exercise_media_delete(*, media: ExerciseMedia) -> None:
    """Remove a picture or video; its files are deleted from storage once the removal is committed."""
    names = [field.name for field in (media.file, media.small_file) if field]
    media.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names])
