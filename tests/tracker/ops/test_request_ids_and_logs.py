"""Every response carries a request id; production logs are one JSON object per line carrying it."""

import io
import json
import logging

import pytest
from django.urls import reverse

from tracker.ops.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_a_request_gets_a_new_id_sent_back_on_the_response(client):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_the_proxy_id_is_kept_and_an_odd_one_replaced(client):
    assert client.get(reverse("login"), headers={"X-Request-ID": "edge-1234abcd"})["X-Request-ID"] == "edge-1234abcd"
    replaced = client.get(reverse("login"), headers={"X-Request-ID": "a b\n<script>"})["X-Request-ID"]
    assert replaced != "a b\n<script>"
    assert len(replaced) == 32


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    loggers = [logging.getLogger(name) for name in ("tracker.requests", "tracker.test")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    yield stream
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_each_request_logs_one_json_line_with_its_id(client, json_log):
    response = client.get(reverse("login"), headers={"X-Request-ID": "req-00000001"})
    [line] = json_log.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["request_id"] == response["X-Request-ID"] == "req-00000001"
    assert entry["logger"] == "tracker.requests"
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/accounts/login/", 200)
    assert entry["duration_ms"] >= 0


def test_an_error_with_its_traceback_stays_one_line(json_log):
    try:
        raise ValueError("multi\nline")
    except ValueError:
        logging.getLogger("tracker.test").exception("It failed")
    [line] = json_log.getvalue().splitlines()
    entry = json.loads(line)
    assert entry["message"] == "It failed"
    assert "ValueError: multi\nline" in entry["exception"]
    assert "request_id" not in entry  # outside a request
