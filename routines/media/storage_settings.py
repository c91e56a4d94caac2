"""Where uploaded pictures and videos are kept, read from the environment by tracker/settings.py.

Without MEDIA_S3_BUCKET they go to the local disk under MEDIA_ROOT. With it
they go to that bucket of an S3-compatible store (Amazon S3, MinIO, Ceph,
Garage and the like) through django-storages. Every problem stops start-up
with a message that names the variable. This module imports nothing from
Django's models, so settings can use it.
"""

import re
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

FILESYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "storages.backends.s3.S3Storage"
S3_VARIABLES = (
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_ENDPOINT_URL",
    "MEDIA_S3_REGION",
    "MEDIA_S3_ACCESS_KEY_ID",
    "MEDIA_S3_SECRET_ACCESS_KEY",
    "MEDIA_S3_PREFIX",
)
# S3's rules for bucket names: 3 to 63 lower-case letters, digits, dots and hyphens.
BUCKET_NAME = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
REGION_NAME = re.compile(r"^[a-z0-9-]{2,40}$")


def media_root(environ: Mapping[str, str], *, default: Path) -> Path:
    raw = (environ.get("MEDIA_ROOT") or "").strip()
    if not raw:
        return default
    path = Path(raw)
    if not path.is_absolute():
        raise ImproperlyConfigured(f"MEDIA_ROOT must be an absolute path, such as /var/lib/tracker/media, not {raw!r}.")
    return path


def media_storage(environ: Mapping[str, str]) -> dict:
    """The STORAGES["default"] entry for uploaded media."""
    values = {name: (environ.get(name) or "").strip() for name in S3_VARIABLES}
    bucket = values["MEDIA_S3_BUCKET"]
    if not bucket:
        others = [name for name in S3_VARIABLES if values[name]]
        if others:
            raise ImproperlyConfigured(
                f"MEDIA_S3_BUCKET is required when {others[0]} is set: name the bucket that holds "
                "uploaded pictures, or remove the MEDIA_S3_ settings to keep them on the local disk."
            )
        return {"BACKEND": FILESYSTEM_BACKEND}
    if not BUCKET_NAME.match(bucket) or ".." in bucket:
        raise ImproperlyConfigured(
            f"MEDIA_S3_BUCKET must be an S3 bucket name (3 to 63 lower-case letters, digits, dots or "
            f"hyphens), not {bucket!r}."
        )
    options: dict = {
        "bucket_name": bucket,
        "file_overwrite": False,
        # Files are served through the app's own view, never by a public link.
        "default_acl": None,
        "querystring_auth": True,
    }
    endpoint = values["MEDIA_S3_ENDPOINT_URL"]
    if endpoint:
        if not re.match(r"^https?://[^/\s]+(/\S*)?$", endpoint):
            raise ImproperlyConfigured(
                f"MEDIA_S3_ENDPOINT_URL must be the store's address, such as https://s3.example-clinic.org, "
                f"not {endpoint!r}."
            )
        options["endpoint_url"] = endpoint.rstrip("/")
        # Self-hosted stores usually answer on one host name, with the bucket in the path.
        options["addressing_style"] = "path"
    region = values["MEDIA_S3_REGION"]
    if region:
        if not REGION_NAME.match(region):
            raise ImproperlyConfigured(f"MEDIA_S3_REGION must be a region name such as eu-west-2, not {region!r}.")
        options["region_name"] = region
    key_id, secret = values["MEDIA_S3_ACCESS_KEY_ID"], values["MEDIA_S3_SECRET_ACCESS_KEY"]
    if bool(key_id) != bool(secret):
        missing = "MEDIA_S3_SECRET_ACCESS_KEY" if key_id else "MEDIA_S3_ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"{missing} is required with the other MEDIA_S3_ access key setting; set both, or neither "
            "to use the server's own credentials (an instance role, for example)."
        )
    if key_id:
        options["access_key"] = key_id
        options["secret_key"] = secret
    prefix = values["MEDIA_S3_PREFIX"].strip("/")
    if prefix:
        if not re.match(r"^[A-Za-z0-9._/-]+$", prefix):
            raise ImproperlyConfigured(
                f"MEDIA_S3_PREFIX may hold only letters, digits, dots, hyphens, underscores and slashes, "
                f"not {prefix!r}."
            )
        options["location"] = prefix
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
