"""The client's real address, when the app runs behind the TLS proxy the README prescribes.

Only the proxy may speak for the client. `TrustedProxyHeadersMiddleware`
removes X-Forwarded-For and X-Forwarded-Proto from any request that did not
come from a trusted proxy address (TRUSTED_PROXY_ADDRESSES), so nobody can
claim to be on HTTPS or to come from elsewhere by sending the headers
themselves. `client_address` then reads the address the outermost trusted
proxy recorded: each of the TRUSTED_PROXY_COUNT proxies appends the address it
was connected from, so the client is the TRUSTED_PROXY_COUNT-th entry from
the right. Sign-in throttling (django-axes) and the audit trail use it.
"""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest

PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


def _is_address(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True


def from_trusted_proxy(request: HttpRequest) -> bool:
    return request.META.get("REMOTE_ADDR", "") in settings.TRUSTED_PROXY_ADDRESSES


def client_address(request: HttpRequest) -> str:
    """The address of the person's device, as the trusted proxies saw it; REMOTE_ADDR without proxies."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0 or not from_trusted_proxy(request):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < count:
        return remote  # fewer hops than configured: do not trust a shorter list
    candidate = forwarded[-count]
    return candidate if _is_address(candidate) else remote


class TrustedProxyHeadersMiddleware:
    """First in the chain: forwarding headers count only when the trusted proxy sent them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in PROXY_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
