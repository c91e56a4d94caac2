"""Serving uploaded pictures and videos to signed-in people, from whichever storage holds them.

The files are read through Django's storage API, so this works the same with
the local disk and with an S3-compatible store, and needs no web-server rule.
A file's URL names the stored file, and a stored file never changes, so
browsers may keep it for a year (it holds no patient data, so it is exempt
from the no-store on signed-in pages). Byte ranges are answered, because phones
(Safari above all) play a video only from a server that does.
"""

import re

from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from .models import ExerciseMedia

CACHE_CONTROL = "private, max-age=31536000, immutable"
CHUNK_BYTES = 64 * 1024
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> tuple[int, int] | None:
    """The first and last byte asked for by a single-range Range header; None if it cannot be met.

    "bytes=0-99", "bytes=100-" (to the end) and "bytes=-100" (the last 100)
    are understood; a range past the end is cut to the end.
    """
    match = RANGE.match(header.strip())
    if match is None or size == 0:
        return None
    first, last = match.groups()
    if first == "" and last == "":
        return None
    if first == "":
        length = int(last)
        if length == 0:
            return None
        return max(0, size - length), size - 1
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or end < start:
        return None
    return start, end


def _read_range(stored, start: int, end: int):
    try:
        stored.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = stored.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        stored.close()


@require_GET
@login_required
def exercise_media_file(request, media_id: int, name: str):
    """One stored picture or video file. The name must be one of that row's files, else 404."""
    media = get_object_or_404(ExerciseMedia, pk=media_id)
    field = next((field for field in (media.file, media.small_file) if field and field.name.endswith(f"/{name}")), None)
    if field is None:
        raise Http404("No such file.")
    try:
        stored = default_storage.open(field.name, "rb")
        size = stored.size
    except (FileNotFoundError, OSError):
        raise Http404("No such file.") from None
    range_header = request.headers.get("Range")
    if range_header:
        requested = byte_range(range_header, size)
        if requested is None:
            stored.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        start, end = requested
        response = StreamingHttpResponse(_read_range(stored, start, end), status=206, content_type=media.content_type)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(end - start + 1)
    else:
        response = FileResponse(stored, content_type=media.content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    # Library material, the same for everyone: exempt from the no-store that
    # tracker.signin.sessions puts on everything else a signed-in person gets.
    response.library_file = True
    response["Cache-Control"] = CACHE_CONTROL
    response["Content-Disposition"] = "inline"
    return response
