"""Every role signs in and lands on its own home page, on a phone and a desktop."""

import re

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

HOME_HEADINGS = {
    "patient_a": re.compile(r"^Hello, Alice"),
    "linked_physio": re.compile(r"^Your caseload"),
    "linked_doctor": re.compile(r"^Your patients"),
    "admin": re.compile(r"Site administration"),
}
HOME_PATHS = {"patient_a": "/my/", "linked_physio": "/caseload/", "linked_doctor": "/caseload/", "admin": "/admin/"}


@pytest.mark.parametrize("actor", list(HOME_HEADINGS))
def test_each_role_signs_in_and_lands_on_its_home_page(page, clinic, live_server, sign_in, assert_accessible, actor):
    sign_in(page, clinic.actor(actor))
    assert page.url == f"{live_server.url}{HOME_PATHS[actor]}"
    heading = page.get_by_role("heading", level=1)
    assert HOME_HEADINGS[actor].search(heading.first.inner_text())
    if actor != "admin":  # Django's own admin pages are outside the product's design
        assert_accessible(page)
    assert page.console_errors == []


def test_wrong_password_gets_one_message_that_reveals_nothing(page, clinic, live_server, assert_accessible):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    messages = []
    for username in (clinic.patient_a.username, "no-such-person"):
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
        messages.append(page.get_by_role("alert").inner_text())
        assert page.get_by_label("Username").input_value() == username  # what was typed is kept
    assert messages[0] == messages[1]
    assert "correct username and password" in messages[0]
    assert_accessible(page)


def test_an_unknown_page_is_a_friendly_404(page, clinic, live_server, sign_in, assert_accessible):
    sign_in(page, clinic.patient_a)
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "We could not find that page"
    assert "Traceback" not in page.content()
    assert_accessible(page)
    # The browser reports the 404 itself on the console; that one is the point of this test.
    assert [error for error in page.console_errors if "404" not in error] == []
    page.console_errors.clear()
