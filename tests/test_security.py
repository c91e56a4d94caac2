"""Headers and markup rules that hold on every page of the product."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db

# Executable inline script; a JSON data block (type="application/json", read by a
# script from this site) is data, which the Content-Security-Policy does not run.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.I)
HTML_PAGES = [
    route
    for route in ROUTES
    if route.method == "get"
    and route.name not in {"favicon", "exercise_media_file"}
    and not route.name.endswith("export")
]


def first_allowed(route):
    order = ["patient_a", "linked_physio", "linked_doctor", "anonymous", "admin", "patient_b", "manager"]
    return next(actor for actor in order if actor in route.allowed)


def test_csp_allows_only_this_site_and_no_inline_script(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy
    assert "http" not in policy  # no third-party origins


@pytest.mark.parametrize("route", HTML_PAGES, ids=lambda route: route.id)
def test_no_page_carries_inline_script_handlers_or_styles(client, clinic, route):
    user = clinic.actor(first_allowed(route))
    if user is not None:
        client.force_login(user)
    response = client.get(
        reverse(route.name, kwargs=route.kwargs(clinic)) + route.query,
        headers={"HX-Request": "true"} if route.htmx else {},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert INLINE_HANDLER.findall(html) == []
    assert INLINE_STYLE.findall(html) == []


def test_htmx_comes_from_this_site(client):
    html = client.get(reverse("login")).text
    assert re.search(r'<script src="/static/django_htmx/htmx[^"]*\.js"', html)


def test_every_form_needs_the_csrf_token(clinic):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(clinic.patient_a)
    response = strict.post(reverse("logout"))
    assert response.status_code == 403


def test_htmx_requests_carry_the_csrf_token_from_the_body(client, clinic):
    client.force_login(clinic.patient_a)
    html = client.get(reverse("patient_home")).text
    assert re.search(r"<body hx-headers='\{\"X-CSRFToken\": \"[A-Za-z0-9]{64}\"\}'", html)


def test_pages_cannot_be_framed(client):
    assert client.get(reverse("login"))["X-Frame-Options"] == "DENY"
