"""End-to-end journeys in the system Chromium, driven by Playwright.

Never a downloaded browser: the tests use Debian's chromium package at
/usr/bin/chromium (or $CHROMIUM_PATH). Without it, local runs skip these tests
with the reason; under CI=true a missing browser fails the run.
"""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() == "true"
# The closed network here refuses Chromium's background connections; these
# flags stop it from trying.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
# Every WCAG 2.0, 2.1 and 2.2 rule at levels A and AA that axe checks (its best-practice rules are not WCAG).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser tests."
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _new_page(browser, viewport: str):
    context = browser.new_context(**VIEWPORTS[viewport])
    context.set_default_timeout(10_000)
    page = context.new_page()
    console_errors: list[str] = []
    # A Content-Security-Policy violation or a script error shows here; a page
    # that logs one is broken for real users too.
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.console_errors = console_errors
    return context, page


def _close(context, page) -> None:
    """Every journey ends with a clean console: a script error or a refused inline style is a real defect."""
    errors = list(page.console_errors)
    context.close()
    assert errors == [], f"console errors at {page.url}: {errors}"


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, live_server):
    """A fresh browser tab, once at a phone viewport and once at a desktop one."""
    context, page = _new_page(browser, request.param)
    page.viewport_name = request.param
    yield page
    _close(context, page)


@pytest.fixture
def phone_page(browser, live_server):
    context, page = _new_page(browser, "phone")
    page.viewport_name = "phone"
    yield page
    _close(context, page)


@pytest.fixture
def desktop_page(browser, live_server):
    context, page = _new_page(browser, "desktop")
    page.viewport_name = "desktop"
    yield page
    _close(context, page)


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Fail on any violation of a WCAG 2.2 A or AA rule on the page as it is now, whatever axe rates its impact."""

    def check(page):
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        )
        problems = [
            f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
            + "; ".join(node["target"][0] if node["target"] else "?" for node in violation["nodes"][:3])
            for violation in results.response["violations"]
        ]
        assert problems == [], f"accessibility problems on {page.url}:\n" + "\n".join(problems)

    return check


def fresh_authenticator(user):
    """A newly set-up authenticator app for the user (a new one each time, so no code is ever reused)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, name="Test authenticator").delete()
    return TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


@pytest.fixture
def sign_in(live_server):
    """Sign in through the real form, as a person would: password, then (clinicians, staff) a code from the app."""
    from tests.factories import TEST_PASSWORD
    from tests.tracker.mfa_helpers import totp_now
    from tracker.mfa.policy import second_factor_required

    def sign_in(page, user, password: str = TEST_PASSWORD):
        device = fresh_authenticator(user) if second_factor_required(user) else None
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("networkidle")
        if device is not None and "/account/two-factor/" in page.url:
            page.get_by_label("Code from your authenticator app, or a recovery code").fill(totp_now(device))
            page.get_by_role("button", name="Continue").click()
            page.wait_for_load_state("networkidle")
        return page

    return sign_in
