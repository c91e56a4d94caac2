"""Every request gets an id, carried by each log line written while it runs and sent back as X-Request-ID.

The reverse proxy may set X-Request-ID (nginx: `proxy_set_header X-Request-ID
$request_id;`) so its access log and ours share the id; a missing or odd value
is replaced by a new one. With debug off, one line per request is logged
(method, path, status, time) on the `tracker.requests` logger.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
_VALID = re.compile(r"[A-Za-z0-9._-]{8,64}")
current_request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger("tracker.requests")


def request_id_from(value: str | None) -> str:
    """The proxy's id if it is a plain token of 8 to 64 letters, digits, dots, dashes or underscores, else a new one."""
    if value and _VALID.fullmatch(value):
        return value
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(HEADER))
        request.request_id = request_id
        token = current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            if logger.isEnabledFor(logging.INFO):
                logger.info(
                    "%s %s %s",
                    request.method,
                    request.path,
                    response.status_code,
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    },
                )
            return response
        finally:
            current_request_id.reset(token)
