"""No input makes a server error: odd values in every query parameter and form field of every URL.

For each kind of visitor, every URL they are entitled to (tests/test_access_matrix.py) is tried with
valid data in which one parameter at a time is replaced by something odd: NUL bytes, huge or empty
text, far dates, unicode, negative or enormous numbers, the wrong type, several values at once. The
parameters are the ones the route's test data uses, the fields of every form on the pages this visitor
can see that post to it, the inputs of forms that search with GET, and the query parameters views read.
Whatever the answer (a message, a 404, a redirect), it is never a 500.

The examples are fixed in CI (derandomized) so a run is repeatable; locally they vary.
"""

import os
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.access import ACTORS
from tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.django_db

EXAMPLES_PER_URL = 12
# Query parameters the views read directly (not through a form on the page).
KNOWN_QUERY_PARAMETERS = ["q", "show", "region", "sort", "dir", "page", "weeks", "start", "end", "next"]

ODD_TEXT = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "a\x00b",
            "\u202e\u2066",
            "🙂" * 40,
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "%00",
            "../../etc/passwd",
            "-1",
            "0",
            "-99999999999999999999",
            "99999999999999999999999999999999",
            "1e309",
            "NaN",
            "3.5",
            "0x10",
            "١٢",
            "0001-01-01",
            "9999-12-31",
            "2026-02-30",
            "1900-01-01",
            "2026-13-01",
            "yesterday",
            "true",
            "on",
            "[]",
            "{}",
            "null",
        ]
    ),
    st.text(max_size=60),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.dates().map(str),
    st.just("x" * 20_000),
)
ODD_VALUE = st.one_of(ODD_TEXT, st.lists(ODD_TEXT, min_size=2, max_size=3))


class FormFields(HTMLParser):
    """Every form on a page: its method, where it posts, and the names of its fields."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "method": (attributes.get("method") or "get").lower(),
                    "action": attributes.get("action"),
                    "names": set(),
                }
            )
        elif tag in ("input", "select", "textarea", "button") and self.forms and attributes.get("name"):
            self.forms[-1]["names"].add(attributes["name"])


def forms_on(html: str, page_path: str) -> list[dict]:
    parser = FormFields()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = (form["action"] or page_path).split("?")[0].split("#")[0]
    return parser.forms


def entitled(route, actor: str) -> bool:
    return actor in route.allowed


def sign_in(client: Client, user) -> None:
    if user is not None:
        client.force_login(user)


def fields_by_action(client: Client, pages: list[str]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = {}
    for path in pages:
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(response.content.decode(), response.request["PATH_INFO"]):
            found.setdefault((form["method"], form["action"]), set()).update(form["names"])
    return found


def never_a_server_error(client: Client, user, route, path: str, valid: dict, names: list[str]):
    """A Hypothesis test: `route` answered with one of `names` replaced by an odd value never gives a 500."""
    headers = {"HX-Request": "true"} if route.htmx else {}

    @settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        derandomize=os.environ.get("CI", "").lower() == "true",
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(choice=st.data())
    def answer_is_never_a_server_error(choice):
        sign_in(client, user)
        data = dict(valid)
        name = choice.draw(st.sampled_from(names), label="parameter")
        data[name] = choice.draw(ODD_VALUE, label="value")
        response = getattr(client, route.method)(path, data=data, headers=headers)
        assert response.status_code < 500, f"{route.id} with {name}={data[name]!r}: {response.status_code}"

    return answer_is_never_a_server_error


@pytest.mark.parametrize("actor", ACTORS)
def test_no_odd_value_in_any_parameter_makes_a_server_error(clinic, actor):
    user = clinic.actor(actor)
    client = Client()
    routes = [route for route in ROUTES if entitled(route, actor) and route.name != "logout"]
    # Build every URL first (their objects now exist), then read the forms the pages offer.
    built = []
    for route in routes:
        path = reverse(route.name, kwargs=route.kwargs(clinic))
        built.append((route, path, route.data(clinic)))
    sign_in(client, user)
    pages = [path + route.query for route, path, _ in built if route.method == "get" and not route.htmx]
    discovered = fields_by_action(client, pages)

    for route, path, valid in built:
        names = set(valid) | discovered.get((route.method, path), set())
        if route.method == "get":
            names |= discovered.get(("get", path), set()) | set(KNOWN_QUERY_PARAMETERS)
        names.discard("csrfmiddlewaretoken")
        names = sorted(names | {"unexpected"})  # a parameter nobody asked for must do no harm either

        never_a_server_error(client, user, route, path, valid, names)()


def test_the_parser_finds_the_fields_of_a_form():
    html = (
        '<form method="post" action="/x/?a=1"><input name="one"><select name="two"></select>'
        '<textarea name="three"></textarea></form>'
    )
    assert forms_on(html, "/page/") == [{"method": "post", "action": "/x/", "names": {"one", "two", "three"}}]
