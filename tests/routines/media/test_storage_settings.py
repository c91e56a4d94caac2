"""Where uploads are kept: the local disk by default, an S3-compatible store when MEDIA_S3_BUCKET is set."""

import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from routines.media.storage_settings import FILESYSTEM_BACKEND, S3_BACKEND, media_root, media_storage
from tests.tracker.test_settings import start
from tracker.guided.timer_settings import guided_timer_scale

S3 = {"MEDIA_S3_BUCKET": "clinic-media"}


def test_without_a_bucket_uploads_stay_on_the_local_disk():
    assert media_storage({}) == {"BACKEND": FILESYSTEM_BACKEND}


def test_a_bucket_sends_uploads_to_s3_privately():
    storage = media_storage({**S3, "MEDIA_S3_REGION": "eu-west-2", "MEDIA_S3_PREFIX": "/tracker/"})
    assert storage["BACKEND"] == S3_BACKEND
    assert storage["OPTIONS"] == {
        "bucket_name": "clinic-media",
        "file_overwrite": False,
        "default_acl": None,
        "querystring_auth": True,
        "region_name": "eu-west-2",
        "location": "tracker",
    }


def test_a_self_hosted_store_gets_its_address_keys_and_path_style_bucket_names():
    storage = media_storage(
        {
            **S3,
            "MEDIA_S3_ENDPOINT_URL": "https://s3.clinic.example/",
            "MEDIA_S3_ACCESS_KEY_ID": "key-id",
            "MEDIA_S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    options = storage["OPTIONS"]
    assert options["endpoint_url"] == "https://s3.clinic.example"
    assert options["addressing_style"] == "path"
    assert (options["access_key"], options["secret_key"]) == ("key-id", "secret")


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"MEDIA_S3_ENDPOINT_URL": "https://s3.clinic.example"}, "MEDIA_S3_BUCKET is required"),
        ({"MEDIA_S3_BUCKET": "Clinic_Media"}, "MEDIA_S3_BUCKET must be"),
        ({"MEDIA_S3_BUCKET": "ab"}, "MEDIA_S3_BUCKET must be"),
        ({**S3, "MEDIA_S3_ENDPOINT_URL": "s3.clinic.example"}, "MEDIA_S3_ENDPOINT_URL must be"),
        ({**S3, "MEDIA_S3_REGION": "Europe West"}, "MEDIA_S3_REGION must be"),
        ({**S3, "MEDIA_S3_ACCESS_KEY_ID": "key-id"}, "MEDIA_S3_SECRET_ACCESS_KEY is required"),
        ({**S3, "MEDIA_S3_SECRET_ACCESS_KEY": "secret"}, "MEDIA_S3_ACCESS_KEY_ID is required"),
        ({**S3, "MEDIA_S3_PREFIX": "a b"}, "MEDIA_S3_PREFIX may hold only"),
    ],
)
def test_a_malformed_storage_setting_is_refused_by_name(environ, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        media_storage(environ)


def test_media_root_must_be_absolute(tmp_path):
    assert media_root({}, default=tmp_path) == tmp_path
    assert media_root({"MEDIA_ROOT": "/srv/media"}, default=tmp_path).as_posix() == "/srv/media"
    with pytest.raises(ImproperlyConfigured, match="MEDIA_ROOT must be an absolute path"):
        media_root({"MEDIA_ROOT": "media"}, default=tmp_path)


@pytest.mark.parametrize(("raw", "scale"), [("", 1.0), ("1", 1.0), ("0.02", 0.02)])
def test_the_timer_scale_is_real_time_unless_a_test_speeds_it_up(raw, scale):
    assert guided_timer_scale({"GUIDED_TIMER_SCALE": raw}) == scale


@pytest.mark.parametrize("raw", ["0", "-1", "2", "fast", "nan"])
def test_a_timer_scale_outside_0_to_1_is_refused_by_name(raw):
    with pytest.raises(ImproperlyConfigured, match="GUIDED_TIMER_SCALE must be a number above 0 and at most 1"):
        guided_timer_scale({"GUIDED_TIMER_SCALE": raw})


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MEDIA_S3_BUCKET": "Not A Bucket"}, "MEDIA_S3_BUCKET"),
        ({"MEDIA_ROOT": "relative/media"}, "MEDIA_ROOT"),
        ({"GUIDED_TIMER_SCALE": "fast"}, "GUIDED_TIMER_SCALE"),
    ],
)
def test_start_up_stops_on_a_bad_media_or_timer_setting_naming_it(env, named):
    result = start({"DJANGO_DEBUG": "true", **env})
    assert result.returncode != 0
    assert named in result.stderr


def test_start_up_with_a_bucket_uses_the_s3_backend():
    result = start({"DJANGO_DEBUG": "true", "MEDIA_S3_BUCKET": "clinic-media"}, names=("STORAGES",))
    assert result.returncode == 0, result.stderr
    assert S3_BACKEND in json.loads(result.stdout)["STORAGES"]
