"""A clinician is warned before the idle sign-out and can stay signed in (static/js/idle.js)."""

import pytest
from playwright.sync_api import expect

from tests.factories import CareTeamMembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_warning_comes_before_the_idle_sign_out_and_stay_signed_in_keeps_the_session(
    desktop_page, live_server, sign_in, settings, assert_accessible
):
    settings.CLINICIAN_IDLE_MINUTES = 1
    settings.IDLE_WARNING_SECONDS = 50  # the warning shows about ten seconds after the page loads
    link = CareTeamMembershipFactory()
    page = desktop_page
    sign_in(page, link.clinician)
    warning = page.get_by_role("alertdialog", name="Are you still there?")
    expect(warning).to_be_hidden()
    expect(warning).to_be_visible(timeout=20_000)
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    assert_accessible(page)
    page.get_by_role("button", name="Stay signed in").click()
    expect(warning).to_be_hidden(timeout=15_000)  # after the keep-alive request, slow on a loaded CI machine
    page.reload()
    expect(page.get_by_role("heading", name="Your caseload")).to_be_visible()
    assert page.console_errors == []
