"""Serving uploaded pictures and videos from storage to signed-in people."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from routines.media.services import exercise_media_add
from routines.media.uploads import prepare_upload
from routines.media.views import CACHE_CONTROL, byte_range
from tests.factories import ExerciseFactory, PatientFactory, exercise_picture

pytestmark = pytest.mark.django_db

VIDEO = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 40


def file_url(media, field="file") -> str:
    return reverse("exercise_media_file", args=[media.pk, getattr(media, field).name.rsplit("/", 1)[-1]])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def signed_in(client):
    client.force_login(PatientFactory())
    return client


@pytest.fixture
def video():
    prepared = prepare_upload(SimpleUploadedFile("clip.mp4", VIDEO))
    return exercise_media_add(exercise=ExerciseFactory(), prepared=prepared, alt_text="The whole movement, slowly.")


def test_a_picture_is_served_from_storage_with_its_type_and_a_long_cache(signed_in):
    media = exercise_picture()
    response = signed_in.get(file_url(media, "small_file"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == CACHE_CONTROL
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response) == default_storage.open(media.small_file.name).read()
    assert int(response["Content-Length"]) == default_storage.size(media.small_file.name)


def test_a_name_that_is_not_the_rows_own_file_is_a_404(signed_in):
    media, other = exercise_picture(), exercise_picture()
    assert signed_in.get(reverse("exercise_media_file", args=[media.pk, "settings.py"])).status_code == 404
    assert signed_in.get(file_url(other).replace(f"/{other.pk}/", f"/{media.pk}/")).status_code == 404


def test_a_file_missing_from_storage_is_a_404_not_an_error(signed_in):
    media = exercise_picture()
    default_storage.delete(media.file.name)
    assert signed_in.get(file_url(media)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(file_url(exercise_picture()))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_video_is_served_in_parts_for_phones_that_ask(signed_in, video):
    response = signed_in.get(file_url(video), headers={"Range": "bytes=100-199"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(VIDEO)}"
    assert response["Content-Length"] == "100"
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == VIDEO[100:200]


def test_a_range_past_the_end_is_refused_with_the_size(signed_in, video):
    response = signed_in.get(file_url(video), headers={"Range": f"bytes={len(VIDEO)}-"})
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(VIDEO)}"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=990-2000", (990, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=1000-", None),
        ("bytes=50-10", None),
        ("bytes=-0", None),
        ("bytes=-", None),
        ("bytes=0-1,5-9", None),
        ("items=0-9", None),
    ],
)
def test_byte_ranges(header, expected):
    assert byte_range(header, 1000) == expected


def test_only_the_picture_file_is_cached_the_page_showing_it_is_not(signed_in):
    media = exercise_picture()
    assert signed_in.get(file_url(media))["Cache-Control"] == CACHE_CONTROL
    assert signed_in.get(reverse("my_exercises"))["Cache-Control"] == "no-store"
