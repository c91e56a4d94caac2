"""Checking uploads: type by content, size limits, re-encoding without metadata, videos by their first bytes."""

import io
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from routines.media import uploads
from routines.media.uploads import LARGE_WIDTH, SMALL_WIDTH, prepare_upload
from tests.factories import picture_bytes

MP4_HEAD = b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41" + b"\x00" * 64
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
MOV_HEAD = b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  " + b"\x00" * 64
HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(content: bytes, name: str = "photo.jpg") -> str:
    with pytest.raises(ValidationError) as caught:
        prepare_upload(upload(content, name))
    return caught.value.messages[0]


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


@pytest.mark.parametrize(
    ("image_format", "content_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_a_picture_is_kept_in_its_format_at_two_widths(image_format, content_type):
    prepared = prepare_upload(upload(picture_bytes(width=2400, height=1600, image_format=image_format)))
    assert prepared.content_type == content_type
    assert (prepared.large.width, prepared.large.height) == (LARGE_WIDTH, 640)
    assert (prepared.small.width, prepared.small.height) == (SMALL_WIDTH, 320)
    assert opened(prepared.large.content).format == image_format
    assert opened(prepared.small.content).size == (SMALL_WIDTH, 320)


def test_a_small_picture_is_never_enlarged():
    prepared = prepare_upload(upload(picture_bytes(width=400, height=300)))
    assert (prepared.large.width, prepared.small.width) == (400, 400)


def test_the_type_is_judged_by_the_content_not_the_name():
    prepared = prepare_upload(upload(picture_bytes(image_format="PNG"), name="holiday.jpg"))
    assert prepared.content_type == "image/png"
    assert prepared.extension == "png"
    assert refusal(b"<svg onload='alert(1)'></svg>" * 20, name="drawing.png") == uploads.NOT_A_PICTURE


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "TIFF"])
def test_other_picture_formats_are_refused(image_format):
    assert refusal(picture_bytes(image_format=image_format)) == uploads.NOT_A_PICTURE


def test_location_and_camera_details_are_removed_and_the_picture_turned_upright():
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned; show it rotated 90 degrees clockwise.
    exif[0x010F] = "Phone maker"
    exif[0x0132] = "2026:11:20 08:15:00"
    exif.get_ifd(0x8825)[2] = (51.0, 30.0, 0.0)  # GPS latitude
    original = picture_bytes(width=800, height=600, image_format="JPEG", exif=exif, comment=b"Taken at home")
    assert opened(original).getexif()  # the test picture really carries the details

    prepared = prepare_upload(upload(original))
    for rendition in (prepared.large, prepared.small):
        result = opened(rendition.content)
        assert dict(result.getexif()) == {}
        assert "exif" not in result.info
        assert "comment" not in result.info
        assert b"Phone maker" not in rendition.content
        assert b"Taken at home" not in rendition.content
    assert (prepared.large.width, prepared.large.height) == (600, 800)  # turned upright


def test_the_colour_profile_is_kept():
    profile = b"\x00" * 20 + b"a colour profile"
    image = Image.new("RGB", (300, 300), (10, 120, 200))
    output = io.BytesIO()
    image.save(output, format="PNG", icc_profile=profile)
    prepared = prepare_upload(upload(output.getvalue(), name="p.png"))
    assert opened(prepared.small.content).info.get("icc_profile") == profile


def test_a_transparent_png_stays_transparent():
    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    output = io.BytesIO()
    image.save(output, format="PNG")
    prepared = prepare_upload(upload(output.getvalue(), name="p.png"))
    assert opened(prepared.small.content).getpixel((5, 5))[3] == 0


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_IMAGE_BYTES", 200 * 1024)
    noise = Image.frombytes("RGB", (400, 400), os.urandom(400 * 400 * 3))
    output = io.BytesIO()
    noise.save(output, format="PNG")
    assert output.tell() > 300 * 1024
    message = refusal(output.getvalue())
    assert message == f"This picture is {output.tell() / 1048576:.1f} MB; the limit is 0.2 MB. Upload a smaller copy."


def test_a_picture_too_small_to_see_is_refused():
    message = refusal(picture_bytes(width=150, height=400))
    assert message == (
        "This picture is 150 by 400 pixels; each side needs at least 200 to be clear on a screen. Upload a larger copy."
    )


def test_a_picture_with_too_many_pixels_is_refused_without_decoding_it():
    # 9000 by 9000 one-bit pixels pack into a few kilobytes but would unpack to 81 million pixels.
    image = Image.new("1", (9000, 9000))
    output = io.BytesIO()
    image.save(output, format="PNG")
    assert len(output.getvalue()) < 100_000
    assert "pixels" in refusal(output.getvalue())


def test_a_decompression_bomb_beyond_pillows_own_limit_is_refused():
    image = Image.new("1", (10_000, 10_000))
    output = io.BytesIO()
    image.save(output, format="PNG")
    assert refusal(output.getvalue()) == uploads.TOO_MANY_PIXELS


def test_a_moving_picture_is_refused():
    frames = [Image.new("RGB", (300, 300), colour) for colour in ((255, 0, 0), (0, 0, 255))]
    output = io.BytesIO()
    frames[0].save(output, format="WEBP", save_all=True, append_images=frames[1:])
    assert refusal(output.getvalue()) == uploads.ANIMATED_PICTURE


def test_a_damaged_picture_is_refused():
    whole = picture_bytes(width=800, height=600, image_format="JPEG")
    assert refusal(whole[: len(whole) // 2]) == uploads.DAMAGED_PICTURE


@pytest.mark.parametrize(("head", "content_type"), [(MP4_HEAD, "video/mp4"), (WEBM_HEAD, "video/webm")])
def test_an_mp4_or_webm_video_is_kept_as_it_is(head, content_type):
    content = head + b"\x01" * 5000
    prepared = prepare_upload(upload(content, name="clip.bin", content_type="application/octet-stream"))
    assert prepared.content_type == content_type
    assert prepared.video == content
    assert prepared.size_bytes == len(content)


@pytest.mark.parametrize("head", [MOV_HEAD, HEIC_HEAD], ids=["quicktime", "heic"])
def test_look_alike_files_are_not_taken_for_an_mp4(head):
    assert refusal(head + b"\x01" * 5000, name="clip.mp4") == uploads.NOT_A_PICTURE


def test_a_video_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "MAX_VIDEO_BYTES", 2000)
    message = refusal(MP4_HEAD + b"\x01" * 5000, name="clip.mp4")
    assert message.startswith("This video is")
    assert "Upload a shorter or smaller video." in message
