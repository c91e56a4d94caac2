"""Behind the TLS proxy: the client's own address counts, and only the proxy may say where a request came from."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from tracker.signin.addresses import TrustedProxyHeadersMiddleware, client_address

pytestmark = pytest.mark.django_db

PROXY = "127.0.0.1"


def request(remote: str, forwarded: str | None = None, **meta):
    extra = {"REMOTE_ADDR": remote, **meta}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_the_client_is_the_address_the_proxy_recorded():
    assert client_address(request(PROXY, "198.51.100.7")) == "198.51.100.7"


def test_addresses_a_client_made_up_before_the_proxy_are_ignored():
    assert client_address(request(PROXY, "10.9.8.7, 198.51.100.7")) == "198.51.100.7"


def test_two_proxies_mean_the_second_entry_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_address(request(PROXY, "10.9.8.7, 198.51.100.7, 10.0.0.2")) == "198.51.100.7"


def test_a_request_straight_from_the_internet_cannot_claim_another_address():
    assert client_address(request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


def test_without_a_proxy_the_connections_own_address_counts(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_address(request(PROXY, "198.51.100.7")) == PROXY


def test_garbage_in_the_header_falls_back_to_the_connection():
    assert client_address(request(PROXY, "not-an-address")) == PROXY


def test_only_the_proxy_may_say_the_connection_was_https():
    seen = {}

    def view(req):
        seen["proto"] = req.META.get("HTTP_X_FORWARDED_PROTO")
        return None

    middleware = TrustedProxyHeadersMiddleware(view)
    middleware(request("203.0.113.9", HTTP_X_FORWARDED_PROTO="https"))
    assert seen["proto"] is None
    middleware(request(PROXY, HTTP_X_FORWARDED_PROTO="https"))
    assert seen["proto"] == "https"


def attempt(client, username, password, forwarded):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_wrong_passwords_from_elsewhere_do_not_lock_the_patient_out(client, clinic, settings):
    settings.AXES_FAILURE_LIMIT = 5
    patient = clinic.patient_a
    for number in range(6):
        # The attacker forges an address; the proxy appends the attacker's real one.
        attempt(client, patient.username, "wrong", f"198.51.100.{number}, 203.0.113.66")
    response = attempt(client, patient.username, "correct horse battery staple", "192.0.2.10")
    assert response.status_code == 302


def test_the_attacker_behind_the_proxy_is_the_one_locked_out(client, clinic, settings):
    settings.AXES_FAILURE_LIMIT = 5
    patient = clinic.patient_a
    for number in range(6):
        attempt(client, patient.username, "wrong", f"198.51.100.{number}, 203.0.113.66")
    response = attempt(client, patient.username, "correct horse battery staple", "203.0.113.66")
    assert response.status_code == 429
