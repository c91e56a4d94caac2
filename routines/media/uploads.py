"""Checking and preparing an uploaded picture or video before anything is stored.

Rules (each refusal says what to do instead):
- A picture must be a JPEG, PNG or WebP, judged by what the file contains, not
  by its name; at most MAX_IMAGE_BYTES; each side between MIN_IMAGE_SIDE and
  MAX_IMAGE_SIDE pixels; at most MAX_IMAGE_PIXELS in all (a small file that
  would unpack into a huge picture is refused before it is decoded); a still
  picture, not an animation; and not damaged.
- A picture is turned upright first (phones store the turn in the EXIF data),
  then re-encoded in its own format at two widths (LARGE_WIDTH and
  SMALL_WIDTH, never enlarged). Only the colour profile is carried over: EXIF
  (camera, time, GPS position), XMP and comments are dropped.
- A video must be an MP4 or WebM, judged by its first bytes, and at most
  MAX_VIDEO_BYTES. It is stored as it is (no re-encoding).
"""

import io
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from .models import IMAGE_TYPES, VIDEO_TYPES, MediaKind

if TYPE_CHECKING:
    from PIL import Image

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_VIDEO_BYTES = 25 * 1024 * 1024
MIN_IMAGE_SIDE = 200
MAX_IMAGE_SIDE = 8000
MAX_IMAGE_PIXELS = 40_000_000
LARGE_WIDTH = 960
SMALL_WIDTH = 480
JPEG_QUALITY = 85
WEBP_QUALITY = 85

PILLOW_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# The brands an MP4 file names in its first box. HEIC pictures and QuickTime
# (.mov) films use the same box with other brands, and are not MP4.
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash", b"M4V "}
WEBM_MAGIC = b"\x1a\x45\xdf\xa3"

NOT_A_PICTURE = "Upload a JPEG, PNG or WebP picture, or an MP4 or WebM video. This file is neither."
DAMAGED_PICTURE = "This picture file is damaged or incomplete. Save it again and upload the new file."
TOO_MANY_PIXELS = (
    f"This picture has more pixels than we can safely open (the most is {MAX_IMAGE_PIXELS // 1_000_000} million). "
    "Upload a smaller copy."
)
ANIMATED_PICTURE = "Moving pictures are not supported. Upload a still picture, or the movement as a short video."


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass(frozen=True)
class Rendition:
    content: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PreparedMedia:
    """An upload that passed every check, ready to store. Made only by `prepare_upload`."""

    kind: str
    content_type: str
    extension: str
    large: Rendition | None = None  # pictures only
    small: Rendition | None = None  # pictures only
    video: bytes = b""  # videos only

    @property
    def size_bytes(self) -> int:
        return len(self.video) if self.kind == MediaKind.VIDEO else len(self.large.content) + len(self.small.content)


def prepare_upload(upload: UploadedFile) -> PreparedMedia:
    """Check an uploaded file and prepare what will be stored; raises ValidationError with the reason."""
    head = upload.read(64)
    upload.seek(0)
    video_type = video_content_type(head)
    if video_type is not None:
        if upload.size > MAX_VIDEO_BYTES:
            raise ValidationError(
                f"This video is {_megabytes(upload.size)}; the limit is {_megabytes(MAX_VIDEO_BYTES)}. "
                "Upload a shorter or smaller video.",
                code="too_big",
            )
        return PreparedMedia(
            kind=MediaKind.VIDEO, content_type=video_type, extension=VIDEO_TYPES[video_type], video=upload.read()
        )
    if upload.size > MAX_IMAGE_BYTES:
        raise ValidationError(
            f"This picture is {_megabytes(upload.size)}; the limit is {_megabytes(MAX_IMAGE_BYTES)}. "
            "Upload a smaller copy.",
            code="too_big",
        )
    return prepare_image(upload.read())


def video_content_type(head: bytes) -> str | None:
    """ "video/mp4" or "video/webm" when the file's first bytes say so; otherwise None."""
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in MP4_BRANDS:
        return "video/mp4"
    if head.startswith(WEBM_MAGIC) and b"webm" in head[:64]:
        return "video/webm"
    return None


def prepare_image(data: bytes) -> PreparedMedia:
    """Check a picture and re-encode it at the two widths, without its metadata."""
    # Imported here: Pillow is only needed when an admin uploads a picture, and every web worker
    # would otherwise load it (and its image libraries) at start.
    from PIL import Image, ImageOps, UnidentifiedImageError

    with warnings.catch_warnings():
        # Pillow warns (and beyond twice the limit refuses) on a picture that would unpack huge.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(TOO_MANY_PIXELS, code="too_large") from None
        except UnidentifiedImageError:
            raise ValidationError(NOT_A_PICTURE, code="not_a_picture") from None
        content_type = PILLOW_FORMATS.get(image.format)
        if content_type is None:
            raise ValidationError(NOT_A_PICTURE, code="not_a_picture")
        _check_size(*image.size)
        if getattr(image, "n_frames", 1) > 1:
            raise ValidationError(ANIMATED_PICTURE, code="animated")
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning):
            raise ValidationError(DAMAGED_PICTURE, code="damaged") from None
    icc_profile = image.info.get("icc_profile")
    large = _rendition(upright, LARGE_WIDTH, image.format, icc_profile)
    small = _rendition(upright, SMALL_WIDTH, image.format, icc_profile)
    return PreparedMedia(
        kind=MediaKind.IMAGE,
        content_type=content_type,
        extension=IMAGE_TYPES[content_type],
        large=large,
        small=small,
    )


def _check_size(width: int, height: int) -> None:
    if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
        raise ValidationError(
            f"This picture is {width} by {height} pixels; the most is {MAX_IMAGE_SIDE} on a side "
            f"and {MAX_IMAGE_PIXELS // 1_000_000} million in all. Upload a smaller copy.",
            code="too_large",
        )
    if min(width, height) < MIN_IMAGE_SIDE:
        raise ValidationError(
            f"This picture is {width} by {height} pixels; each side needs at least {MIN_IMAGE_SIDE} "
            "to be clear on a screen. Upload a larger copy.",
            code="too_small",
        )


def _rendition(image: "Image.Image", width: int, image_format: str, icc_profile: bytes | None) -> Rendition:
    from PIL import Image

    if image.mode == "P":
        # Palette pictures are widened first so a transparent colour stays transparent.
        image = image.convert("RGBA" if "transparency" in image.info else "RGB")
    if image.width > width:
        height = max(1, round(image.height * width / image.width))
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
    else:
        resized = image.copy()
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        if resized.mode not in ("RGB", "L"):
            resized = resized.convert("RGB")
        options |= {"quality": JPEG_QUALITY, "optimize": True, "progressive": True}
    elif image_format == "WEBP":
        if resized.mode not in ("RGB", "RGBA"):
            resized = resized.convert("RGBA" if "A" in resized.getbands() else "RGB")
        options |= {"quality": WEBP_QUALITY}
    else:
        options |= {"optimize": True}
    # Nothing from the original's metadata is written: a fresh info dict, and
    # only the colour profile passed on.
    resized.info = {}
    output = io.BytesIO()
    resized.save(output, format=image_format, **options)
    return Rendition(content=output.getvalue(), width=resized.width, height=resized.height)
