"""Where to send someone back to after a form: a path on this site that they gave, or a default."""

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The `next` from the form or query if it is a plain path on this site, else `default`.

    Only a path that starts with a single "/" and holds no control characters
    is taken: anything else could lead elsewhere, or be read as a view name.
    """
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if (
        candidate.startswith("/")
        and not candidate.startswith("//")
        and candidate.isprintable()
        and url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    ):
        return candidate
    return default
