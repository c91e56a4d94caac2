"""Staff add, describe and remove an exercise's pictures inline on the exercise in the admin."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from routines.media.models import ExerciseMedia
from routines.media.uploads import NOT_A_PICTURE
from routines.models import Exercise
from tests.factories import exercise_picture, picture_bytes

pytestmark = pytest.mark.django_db


def change_form(exercise: Exercise, media_rows: list[dict] | None = None, existing=()) -> dict:
    """The exercise's change form as the admin posts it, with its steps unchanged."""
    steps = list(exercise.steps.all())
    data = {
        "name": exercise.name,
        "slug": exercise.slug,
        "region": exercise.region,
        "kind": exercise.kind,
        "purpose": exercise.purpose,
        "cautions": exercise.cautions,
        "position": exercise.position,
        "active": "on",
        "drawing": exercise.drawing,
        "drawing_start_alt": exercise.drawing_start_alt,
        "drawing_end_alt": exercise.drawing_end_alt,
        "default_sets": exercise.default_sets,
        "default_reps": exercise.default_reps or "",
        "default_hold_seconds": exercise.default_hold_seconds,
        "default_minutes": exercise.default_minutes or "",
        "steps-TOTAL_FORMS": len(steps),
        "steps-INITIAL_FORMS": len(steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        "media-TOTAL_FORMS": len(existing) + len(media_rows or []),
        "media-INITIAL_FORMS": len(existing),
        "media-MIN_NUM_FORMS": 0,
        "media-MAX_NUM_FORMS": 1000,
    }
    for index, step in enumerate(steps):
        data |= {
            f"steps-{index}-id": step.pk,
            f"steps-{index}-position": step.position,
            f"steps-{index}-text": step.text,
        }
    for index, media in enumerate(existing):
        data |= {
            f"media-{index}-id": media.pk,
            f"media-{index}-exercise": exercise.pk,
            f"media-{index}-alt_text": media.alt_text,
            f"media-{index}-position": media.position,
        }
    for offset, row in enumerate(media_rows or [], start=len(existing)):
        data |= {f"media-{offset}-{name}": value for name, value in row.items()}
    return data


def post(admin_client, exercise, data):
    return admin_client.post(reverse("admin:routines_exercise_change", args=[exercise.pk]), data)


@pytest.fixture
def bridge():
    return Exercise.objects.get(slug="glute-bridge")


def test_staff_upload_a_picture_and_see_it_on_the_exercise(admin_client, bridge):
    upload = SimpleUploadedFile("IMG_0001.jpg", picture_bytes(width=2000, height=1500, image_format="JPEG"))
    response = post(
        admin_client,
        bridge,
        change_form(bridge, [{"upload": upload, "alt_text": "Hips lifted, seen from the side.", "position": 1}]),
    )
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    media = ExerciseMedia.objects.get(exercise=bridge)
    assert (media.content_type, media.width, media.small_width) == ("image/jpeg", 960, 480)
    assert media.alt_text == "Hips lifted, seen from the side."
    page = admin_client.get(reverse("admin:routines_exercise_change", args=[bridge.pk])).text
    assert f'src="{media.small_url}"' in page
    assert 'alt="Hips lifted, seen from the side."' in page
    assert admin_client.get(media.small_url).status_code == 200


def test_the_admin_shows_the_line_drawings_with_their_words(admin_client, bridge):
    page = admin_client.get(reverse("admin:routines_exercise_change", args=[bridge.pk])).text
    assert page.count('<svg class="drawing" role="img"') == 2
    assert f'aria-label="{bridge.drawing_start_alt}"' in page
    assert "css/admin-media.css" in page


def test_a_file_that_is_not_a_picture_is_refused_beside_the_file(admin_client, bridge):
    upload = SimpleUploadedFile("notes.png", b"just some text, not a picture" * 10)
    response = post(
        admin_client, bridge, change_form(bridge, [{"upload": upload, "alt_text": "Words.", "position": 0}])
    )
    assert response.status_code == 200
    assert NOT_A_PICTURE in response.text
    assert not ExerciseMedia.objects.exists()


def test_a_picture_without_words_is_refused(admin_client, bridge):
    upload = SimpleUploadedFile("p.png", picture_bytes())
    response = post(admin_client, bridge, change_form(bridge, [{"upload": upload, "alt_text": "", "position": 0}]))
    assert response.status_code == 200
    assert "Describe what the picture shows, for people who cannot see it." in response.text
    assert not ExerciseMedia.objects.exists()


def test_staff_change_the_words_and_remove_a_picture(admin_client, bridge, django_capture_on_commit_callbacks):
    kept, removed = exercise_picture(exercise=bridge), exercise_picture(exercise=bridge)
    data = change_form(bridge, existing=[kept, removed])
    data["media-0-alt_text"] = "Better words."
    data["media-1-DELETE"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(admin_client, bridge, data)
    assert response.status_code == 302
    kept.refresh_from_db()
    assert kept.alt_text == "Better words."
    assert list(ExerciseMedia.objects.all()) == [kept]
    assert not default_storage.exists(removed.file.name)
    assert not default_storage.exists(removed.small_file.name)
