"""Rendered HTML kept in the cache, with the forms' CSRF token put in per request.

A fragment rendered once and served to its owner until their data changes
saves most of a page's work. Its forms still need the CSRF token of the
session reading it: the fragment is rendered with a placeholder where the
token goes, and each request puts its own token there (Django accepts any
masking of the session's secret, so one per page is enough).
"""

from collections.abc import Callable

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .versions import PIECE_TIMEOUT

CSRF_PLACEHOLDER = "csrf-placeholder-0d4a9e6b17c2f853"


def cached_fragment(*, key: str, template_name: str, context: Callable[[], dict]) -> str:
    """The fragment under `key`, rendered from `context()` (called only on a miss) without any request."""
    html = cache.get(key)
    if html is None:
        html = str(render_to_string(template_name, {**context(), "csrf_token": CSRF_PLACEHOLDER}))
        cache.set(key, html, PIECE_TIMEOUT)
    return html


def with_csrf_token(html: str, request) -> SafeString:
    return mark_safe(html.replace(CSRF_PLACEHOLDER, get_token(request)))  # noqa: S308 - our own template's output
