"""Storing, changing and removing exercise pictures through the storage API."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from routines.media import services
from routines.media.models import ExerciseMedia, MediaKind
from routines.media.uploads import prepare_upload
from tests.factories import ExerciseFactory, exercise_picture, picture_bytes

pytestmark = pytest.mark.django_db


def prepared_picture(**picture):
    return prepare_upload(SimpleUploadedFile("IMG_2041 at home.png", picture_bytes(**picture)))


def test_a_picture_is_stored_at_both_widths_under_new_names():
    exercise = ExerciseFactory(slug="hip-roll")
    media = services.exercise_media_add(
        exercise=exercise, prepared=prepared_picture(width=1600, height=1200), alt_text="  Knees to one side. "
    )
    assert media.kind == MediaKind.IMAGE
    assert media.alt_text == "Knees to one side."
    assert (media.width, media.height, media.small_width, media.small_height) == (960, 720, 480, 360)
    assert media.file.name.startswith("exercise-media/hip-roll/")
    assert media.file.name.endswith("-960.png")
    assert media.small_file.name.endswith("-480.png")
    assert "IMG_2041" not in media.file.name  # the uploaded name can say where or who
    assert default_storage.exists(media.file.name)
    assert default_storage.exists(media.small_file.name)
    assert media.history.count() == 1


def test_a_picture_needs_words_and_nothing_is_stored_without_them():
    exercise = ExerciseFactory()
    with pytest.raises(ValidationError) as caught:
        services.exercise_media_add(exercise=exercise, prepared=prepared_picture(), alt_text="   ")
    assert caught.value.message_dict == {"alt_text": [services.ALT_TEXT_REQUIRED]}
    assert ExerciseMedia.objects.count() == 0
    assert not default_storage.exists(f"exercise-media/{exercise.slug}")


def test_stored_files_are_removed_again_if_the_row_cannot_be_saved(monkeypatch):
    saved = []
    real_save = default_storage.save
    monkeypatch.setattr(
        default_storage, "save", lambda name, content: saved.append(real_save(name, content)) or saved[-1]
    )

    def broken_create(**values):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ExerciseMedia.objects, "create", broken_create)
    with pytest.raises(RuntimeError):
        services.exercise_media_add(exercise=ExerciseFactory(), prepared=prepared_picture(), alt_text="Lying down.")
    assert len(saved) == 2
    assert not any(default_storage.exists(name) for name in saved)


def test_a_video_is_stored_once_and_may_go_without_words():
    head = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41"
    prepared = prepare_upload(SimpleUploadedFile("clip.mp4", head + b"\x02" * 4000))
    media = services.exercise_media_add(exercise=ExerciseFactory(), prepared=prepared, alt_text="")
    assert media.kind == MediaKind.VIDEO
    assert media.content_type == "video/mp4"
    assert not media.small_file
    assert default_storage.open(media.file.name).read() == head + b"\x02" * 4000


def test_changing_the_words_and_order_keeps_history():
    media = exercise_picture()
    services.exercise_media_update(media=media, alt_text="Hips lifted.", position=3)
    media.refresh_from_db()
    assert (media.alt_text, media.position) == ("Hips lifted.", 3)
    assert media.history.count() == 2
    with pytest.raises(ValidationError):
        services.exercise_media_update(media=media, alt_text="", position=3)


def test_removing_a_picture_deletes_its_files_once_committed(django_capture_on_commit_callbacks):
    media = exercise_picture()
    names = [media.file.name, media.small_file.name]
    with django_capture_on_commit_callbacks(execute=True):
        services.exercise_media_delete(media=media)
    assert not ExerciseMedia.objects.exists()
    assert not any(default_storage.exists(name) for name in names)
