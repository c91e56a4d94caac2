"""The S3 code path, against a real S3-compatible server on this machine (moto's server, started here).

The same service and view as with the local disk: pictures stored at both
widths in the bucket, served back through the app, ranges answered, and
removed from the bucket with their row.
"""

import io
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from storages.backends.s3 import S3Storage

from routines.media.services import exercise_media_add, exercise_media_delete
from routines.media.storage_settings import media_storage
from routines.media.uploads import prepare_upload
from tests.factories import ExerciseFactory, PatientFactory, exercise_picture

pytestmark = pytest.mark.django_db

BUCKET = "tracker-media-test"
PREFIX = "uploads"
CREDENTIALS = {"aws_access_key_id": "test-key-id", "aws_secret_access_key": "test-secret", "region_name": "us-east-1"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_server():
    """moto's S3-compatible server in a subprocess on a free local port, stopped after the module."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{url}/moto-api/", timeout=1)  # noqa: S310 - our own local server
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def bucket(s3_server, settings):
    client = boto3.client("s3", endpoint_url=s3_server, **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(
            {
                "MEDIA_S3_BUCKET": BUCKET,
                "MEDIA_S3_ENDPOINT_URL": s3_server,
                "MEDIA_S3_REGION": CREDENTIALS["region_name"],
                "MEDIA_S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
                "MEDIA_S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
                "MEDIA_S3_PREFIX": PREFIX,
            }
        ),
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client) -> set[str]:
    return {item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])}


def test_the_storage_in_use_is_s3(bucket):
    assert isinstance(default_storage, S3Storage)


def test_a_picture_is_stored_in_the_bucket_at_both_widths(bucket):
    media = exercise_picture(width=2000, height=1000)
    assert keys(bucket) == {f"{PREFIX}/{media.file.name}", f"{PREFIX}/{media.small_file.name}"}
    small = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{media.small_file.name}")["Body"].read()
    large = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{media.file.name}")["Body"].read()
    assert Image.open(io.BytesIO(small)).size == (480, 240)
    assert Image.open(io.BytesIO(large)).size == (960, 480)


def test_the_app_serves_a_picture_from_the_bucket(bucket, client):
    media = exercise_picture()
    client.force_login(PatientFactory())
    response = client.get(media.small_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    stored = bucket.get_object(Bucket=BUCKET, Key=f"{PREFIX}/{media.small_file.name}")["Body"].read()
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Length"] == str(len(stored))


def test_a_video_in_the_bucket_is_served_in_parts(bucket, client):
    video = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + bytes(range(256)) * 20
    prepared = prepare_upload(SimpleUploadedFile("clip.mp4", video))
    media = exercise_media_add(exercise=ExerciseFactory(), prepared=prepared, alt_text="")
    client.force_login(PatientFactory())
    response = client.get(media.url, headers={"Range": "bytes=1000-1099"})
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 1000-1099/{len(video)}"
    assert b"".join(response.streaming_content) == video[1000:1100]


def test_removing_a_picture_removes_it_from_the_bucket(bucket, django_capture_on_commit_callbacks):
    media = exercise_picture()
    assert len(keys(bucket)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        exercise_media_delete(media=media)
    assert keys(bucket) == set()


def test_a_file_missing_from_the_bucket_is_a_404(bucket, client):
    media = exercise_picture()
    bucket.delete_object(Bucket=BUCKET, Key=f"{PREFIX}/{media.file.name}")
    client.force_login(PatientFactory())
    assert (
        client.get(reverse("exercise_media_file", args=[media.pk, media.file.name.rsplit("/", 1)[-1]])).status_code
        == 404
    )
