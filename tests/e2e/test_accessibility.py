"""WCAG 2.2 AA on every page state, in a real browser (issue 17).

One demo clinic is seeded per module and each role signs in once. Every page
a role can open (taken from the access matrix, so a new URL is covered the day
it is added), plus forms with errors, htmx-updated fragments, open flags and
empty states, is checked:

- reflow: no sideways scrolling at 320 px wide, at 390 px with the text at
  200%, and at 320 px with WCAG's text-spacing overrides (1.4.10, 1.4.4, 1.4.12);
- axe with every WCAG 2.0/2.1/2.2 A and AA rule, and the enhanced (7:1)
  contrast rule on the pages patients read, in the light and dark palettes;
- no data table scrolling sideways in its own region: on a narrow screen its rows stack;
- touch targets at least 44 by 44 px on every role's pages (2.5.5).

The keyboard tests do every task of issue 17 with the keyboard alone and check
that focus is visible at every stop, lands somewhere sensible after each htmx
update, that each update and each result is announced, and that a failed form
puts the focus on its error summary; after each step the page as it then is
gets all the checks above (check_step).
"""

import json
import os
import re
import time
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM_ARGS, WCAG_TAGS  # noqa: F401 - the browser fixture lives there
from tests.factories import AdminFactory, DoctorFactory, PhysiotherapistFactory
from tests.test_access_matrix import ROUTES

NARROW = {"width": 320, "height": 800}
PHONE = {"width": 390, "height": 844}
# WCAG 1.4.12: the overrides a reader's own style sheet may set.
TEXT_SPACING = (
    "* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
    " p { margin-bottom: 2em !important; }"
)
MIN_TARGET = 44
FAST_HASHER = "django.contrib.auth.hashers.MD5PasswordHasher"
# Not pages: files, feeds and machine answers.
NOT_PAGES = {"favicon", "healthz", "exercise_media_file", "service_worker", "web_manifest"}  # not HTML
# Which demo person stands in for each actor of the access matrix.
ACTOR_ROLE = {"anonymous": "anonymous", "patient_a": "patient", "linked_physio": "physio", "linked_doctor": "doctor"}


@dataclass
class DemoActors:
    """The access matrix's `clinic`, built from the demo clinic: patient A is the flagged demo patient."""

    patient_a: object
    patient_b: object
    linked_physio: object
    unlinked_physio: object
    linked_doctor: object
    unlinked_doctor: object
    admin: object
    extra: dict = field(default_factory=dict)


def _seed():
    from routines.library import install_library
    from tracker.models import User
    from tracker.services.flags import flags_evaluate

    install_library()
    call_command("seed_demo", "--force", stdout=StringIO())
    people = {user.username: user for user in User.objects.filter(username__startswith="demo-")}
    flags_evaluate(patient=people["demo-patient-flagged"])
    return DemoActors(
        patient_a=people["demo-patient-flagged"],
        patient_b=people["demo-patient-active"],
        linked_physio=people["demo-physio"],
        unlinked_physio=PhysiotherapistFactory(),
        linked_doctor=people["demo-doctor"],
        unlinked_doctor=DoctorFactory(),
        admin=AdminFactory(),
        extra={"patient_new": people["demo-patient-new"], "patient_active": people["demo-patient-active"]},
    )


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, live_server):
    """The demo clinic, seeded once for the module and cleared away after it.

    The database stays open to the live server's thread for the whole module.
    """
    # The fast hasher the other tests use (tests/conftest.py), here for the whole module.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[FAST_HASHER]):
        started = time.monotonic()
        actors = _seed()
        print(f"demo clinic seeded in {time.monotonic() - started:.1f}s")
        yield actors
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _live_server_helper(request):
    """pytest-django's helper, without the fresh database per test: this module's tests share the demo clinic."""
    live_server = request.getfixturevalue("live_server")
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


@pytest.fixture(scope="module")
def db_access(django_db_blocker):
    """Database access from the test body (the module's data is not rolled back between tests)."""
    return django_db_blocker.unblock


def _sign_in(page, live_server, user, db_access, password=None):
    from tests.e2e.conftest import fresh_authenticator
    from tests.tracker.mfa_helpers import totp_now
    from tracker.demo import DEMO_PASSWORD
    from tracker.mfa.policy import second_factor_required

    with db_access():
        device = fresh_authenticator(user) if second_factor_required(user) else None
        code = totp_now(device) if device else None
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password or DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    if code and "/account/two-factor/" in page.url:
        page.get_by_label("Code from your authenticator app, or a recovery code").fill(code)
        page.get_by_role("button", name="Continue").click()
        page.wait_for_load_state("networkidle")


def _open(browser, viewport=NARROW, **options):
    context = browser.new_context(viewport=viewport, **options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return context, page


class RolePages(dict):
    """One signed-in tab per role, opened the first time a test asks for it."""

    def __init__(self, browser, demo, live_server, db_access):
        super().__init__()
        self.users = {"patient": demo.patient_a, "physio": demo.linked_physio, "doctor": demo.linked_doctor}
        self.browser, self.live_server, self.db_access = browser, live_server, db_access

    def __missing__(self, role):
        _context, page = _open(self.browser)
        if role in self.users:
            _sign_in(page, self.live_server, self.users[role], self.db_access)
        self[role] = page
        return page


@pytest.fixture(scope="module")
def role_pages(browser, demo, live_server, db_access):
    """The module's signed-in tabs, shared by its tests."""
    opened = RolePages(browser, demo, live_server, db_access)
    yield opened
    errors = {role: page.console_errors for role, page in opened.items() if page.console_errors}
    for page in opened.values():
        page.context.close()
    assert errors == {}, f"console errors: {errors}"


# ---- measuring -------------------------------------------------------------------------------------

PROBE = (Path(__file__).parent / "a11y_probe.js").read_text(encoding="utf-8")


def probe(page, call: str, *args):
    """Run one of a11y_probe.js's measurements in the page."""
    return page.evaluate(f"({PROBE}).{call}(...{json.dumps(list(args))})")


def measure_reflow(page) -> dict:
    """Widths of the page in the three reflow conditions, with the first elements that stick out."""
    found = {}
    for mode, viewport, scale, spacing in (
        ("320", NARROW, 1, ""),
        ("390 at 200%", PHONE, 2, ""),
        ("320 spaced", NARROW, 1, TEXT_SPACING),
    ):
        page.set_viewport_size(viewport)
        probe(page, "setText", scale, spacing)
        found[mode] = probe(page, "width")
    probe(page, "setText", 1, "")
    page.set_viewport_size(NARROW)
    return found


def axe_problems(axe, page, *, enhanced_contrast: bool, contrast_only: bool = False) -> list[str]:
    """axe's WCAG 2.0-2.2 A and AA rules (or only the contrast rules), with 7:1 contrast where asked."""
    if contrast_only:
        rules = ["color-contrast", *(["color-contrast-enhanced"] if enhanced_contrast else [])]
        options = {"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    else:
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        if enhanced_contrast:
            options["rules"] = {"color-contrast-enhanced": {"enabled": True}}
    # axe is put into the page once per page load, not once per run.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe.axe_script)
    results = page.evaluate("(options) => axe.run(document, options)", options)
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) if node["target"] else "?" for node in violation["nodes"][:3])
        for violation in results["violations"]
    ]


def small_targets(page) -> list[str]:
    return probe(page, "smallTargets", MIN_TARGET)


# ---- the page states --------------------------------------------------------------------------------


def _route_states(demo, db_access) -> list[tuple[str, str, str]]:
    """(role, label, path) for every GET page in the access matrix, for each role that may open it."""
    states = []
    seen = set()
    with db_access():
        for route in ROUTES:
            if route.method != "get" or route.htmx or route.name in NOT_PAGES:
                continue
            if "anonymous" in route.allowed:
                roles = ["anonymous"]
            else:
                roles = [ACTOR_ROLE[actor] for actor in ("patient_a", "linked_physio") if actor in route.allowed]
                if not roles and "linked_doctor" in route.allowed:
                    roles = ["doctor"]
                if not roles and "manager" in route.allowed:
                    roles = ["physio"]  # the demo physiotherapist runs the demo clinic
            if not roles:
                continue
            try:
                kwargs = route.kwargs(demo)
            except AttributeError as error:
                raise AssertionError(f"{route.id}: its URL needs {error.name!r}; add it to DemoActors") from error
            path = reverse(route.name, kwargs=kwargs) + route.query  # the query starts with its "?"
            for role in roles:
                if (role, path) not in seen:
                    seen.add((role, path))
                    states.append((role, route.name, path))
        new, active = demo.extra["patient_new"].pk, demo.extra["patient_active"].pk
        extra = [
            ("physio", "patient page, patient with no approval", reverse("patient_detail", args=[new])),
            ("physio", "patient page, active patient", reverse("patient_detail", args=[active])),
            ("doctor", "patient page (doctor)", reverse("patient_detail", args=[demo.patient_a.pk])),
            ("doctor", "clearance, patient with no approval", reverse("clearance", args=[new])),
            ("doctor", "caseload (doctor)", reverse("caseload")),
            ("physio", "caseload, nobody matches", reverse("caseload") + "?q=zzzz"),
            ("physio", "caseload, flagged only", reverse("caseload") + "?show=flagged"),
            ("patient", "progress, last 90 days", reverse("my_progress") + "?days=90"),
        ]
    return states + extra


def _check_state(page, axe, role, label, report, problems):
    """Reflow in three conditions, axe in both palettes, and (patient pages) target sizes, for the page as it is."""
    patient_page = role in ("patient", "anonymous")
    widths = measure_reflow(page)
    entry = {"role": role, "state": label, "path": "/" + page.url.split("//", 1)[-1].split("/", 1)[-1]}
    entry.update({mode: found["scroll"] for mode, found in widths.items()})
    entry["scrolling tables"] = sorted({table for found in widths.values() for table in found["tables"]})
    report.append(entry)
    for mode, found in widths.items():
        if found["scroll"] > found["view"]:
            problems.append(f"{role} {label} [{mode}]: {found['scroll']} px wide in {found['view']}: {found['wide']}")
        # A table that scrolls sideways inside its own region is still sideways scrolling: it must stack instead.
        for table in found["tables"]:
            problems.append(f"{role} {label} [{mode}]: a table scrolls sideways: {table}")
    for problem in axe_problems(axe, page, enhanced_contrast=patient_page):
        problems.append(f"{role} {label} [axe]: {problem}")
    # The dark palette (prefers-color-scheme: dark): the same contrast rules.
    page.emulate_media(color_scheme="dark")
    for problem in axe_problems(axe, page, enhanced_contrast=patient_page, contrast_only=True):
        problems.append(f"{role} {label} [axe, dark]: {problem}")
    page.emulate_media(color_scheme="light")
    # Every role's pages: clinicians use the app on a phone too.
    page.set_viewport_size(PHONE)
    for target in small_targets(page):
        problems.append(f"{role} {label} [target under {MIN_TARGET} px]: {target}")
    page.set_viewport_size(NARROW)


def _visit_all(role_pages, roles, demo, live_server, axe, db_access, report, problems):
    visited = set()
    for role, label, path in _route_states(demo, db_access):
        if role not in roles:
            continue
        page = role_pages[role]
        try:
            page.goto(f"{live_server.url}{path}")
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file (CSV, PDF): nothing to lay out
            raise
        if (role, page.url) in visited:
            continue  # a redirect to a page already checked
        visited.add((role, page.url))
        _check_state(page, axe, role, label, report, problems)


def _focused_on(page, selector: str) -> bool:
    """Whether the focus lands on `selector` within 3 s (after an htmx swap it moves once the swap settles)."""
    try:
        page.wait_for_function(
            "(selector) => document.activeElement && document.activeElement.matches(selector)",
            arg=selector,
            timeout=3000,
        )
    except PlaywrightTimeoutError:
        return False
    return True


def _finish(report, problems, name):
    destination = os.environ.get("A11Y_REPORT")
    if destination:
        with open(f"{destination}.{name}.json", "w", encoding="utf-8") as out:
            json.dump(report, out, indent=1)
    assert problems == [], f"{len(problems)} problems over {len(report)} page states:\n" + "\n".join(problems)


def test_every_patient_and_public_page_state_reflows_and_passes_axe(role_pages, demo, live_server, axe, db_access):
    problems: list[str] = []
    report: list[dict] = []
    _visit_all(role_pages, {"anonymous", "patient"}, demo, live_server, axe, db_access, report, problems)

    # A check-in that did not go through: focus on the error summary, which links to each question.
    patient = role_pages["patient"]
    patient.goto(f"{live_server.url}{reverse('checkin_today')}")
    # Today's check-in is already there: clear its answers, as if nothing had been chosen yet.
    patient.evaluate("document.querySelectorAll('.checkin-form input[type=radio]').forEach(r => r.checked = false)")
    patient.get_by_role("button", name="Save check-in").click()
    patient.wait_for_load_state("networkidle")
    if not _focused_on(patient, "[data-error-summary]"):
        problems.append("patient check-in with errors: the focus is not on the error summary")
    _check_state(patient, axe, "patient", "check-in with errors", report, problems)

    # A failed sign-in.
    visitor = role_pages["anonymous"]
    visitor.goto(f"{live_server.url}{reverse('login')}")
    visitor.get_by_label("Username").fill("nobody")
    visitor.get_by_label("Password").fill("wrong")
    visitor.get_by_role("button", name="Sign in").click()
    visitor.wait_for_load_state("networkidle")
    if not _focused_on(visitor, "[data-error-summary]"):
        problems.append("anonymous sign-in with errors: the focus is not on the error summary")
    _check_state(visitor, axe, "anonymous", "sign-in with errors", report, problems)
    _finish(report, problems, "patients")


def test_every_clinician_page_state_reflows_and_passes_axe(role_pages, demo, live_server, axe, db_access):
    problems: list[str] = []
    report: list[dict] = []
    _visit_all(role_pages, {"physio", "doctor"}, demo, live_server, axe, db_access, report, problems)

    # The caseload after htmx swaps in filtered results.
    physio = role_pages["physio"]
    physio.goto(f"{live_server.url}{reverse('caseload')}")
    physio.get_by_label("Show").select_option("flagged")
    expect(physio.locator(".caseload-count")).to_contain_text(" of ")
    _check_state(physio, axe, "physio", "caseload after an htmx filter", report, problems)

    # A note refused by the server, swapped in by htmx: focus on the error summary.
    physio.goto(f"{live_server.url}{reverse('patient_detail', args=[demo.patient_a.pk])}")
    notes = physio.locator("form.note-form")
    notes.get_by_role("textbox").fill("   ")  # only spaces: past the browser's check, refused by the server
    notes.get_by_role("button", name="Save note").click()
    expect(physio.locator("#notes [data-error-summary]")).to_be_visible()
    if not _focused_on(physio, "[data-error-summary]"):
        problems.append("physio note form with errors (htmx): the focus is not on the error summary")
    _check_state(physio, axe, "physio", "note form with errors (htmx)", report, problems)
    _finish(report, problems, "clinicians")


# ---- keyboard only ------------------------------------------------------------------------------------


def tab_to(page, target, *, limit: int = 150) -> None:
    """Press Tab until `target` has the focus. Every stop on the way must show that it has the focus."""
    target.wait_for(state="visible")
    handle = target.element_handle()
    if page.evaluate("(element) => element === document.activeElement", handle):
        return  # already there
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = probe(page, "focus")
        assert focus["shown"], f"the focus does not show on {focus['name']} at {page.url}"
        if page.evaluate("(element) => element === document.activeElement", handle):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target} at {page.url}")


def announced(page) -> str:
    """What the polite live region says once the update has settled."""
    expect(page.locator("#announcer")).not_to_be_empty()
    return page.locator("#announcer").inner_text()


def focus_inside(page, selector: str) -> bool:
    """Whether the focus lands on or inside `selector` once the update settles, and shows there."""
    try:
        page.wait_for_function("(selector) => !!document.activeElement.closest(selector)", arg=selector, timeout=3000)
    except PlaywrightError:
        return False
    return probe(page, "focus")["shown"]


@pytest.fixture
def keyboard_page(browser, demo, live_server):
    context, page = _open(browser, PHONE)
    yield page
    errors = list(page.console_errors)
    context.close()
    assert errors == [], f"console errors: {errors}"


@pytest.fixture
def check_step(request, axe):
    """After each step of a keyboard journey: the page as it now is (an htmx update, a form with errors, the
    result) gets the same checks as every other page state: axe with every WCAG 2.2 A/AA rule, in both palettes,
    reflow and target sizes. A problem fails the journey at that step. The focus is left where it was."""
    report: list[dict] = []

    def check(page, role: str, label: str) -> None:
        problems: list[str] = []
        viewport = page.viewport_size
        focused = page.evaluate_handle("document.activeElement")
        _check_state(page, axe, role, label, report, problems)
        page.set_viewport_size(viewport)
        assert page.evaluate("(element) => element === document.activeElement", focused), "the checks moved the focus"
        assert problems == [], f"{role} {label}:\n" + "\n".join(problems)

    yield check
    _finish(report, [], "keyboard." + request.node.name.removeprefix("test_"))


def press_and_settle(page, key: str = "Enter") -> None:
    """Press a key on the focused control and wait until what it sent has come back and been put in place."""
    page.keyboard.press(key)
    page.wait_for_load_state("networkidle")


def error_summary_takes_the_focus(page, first_link: str | re.Pattern) -> None:
    """A form that did not go through: the focus is on its error summary, whose first link names the field."""
    summary = page.locator("[data-error-summary]")
    assert _focused_on(page, "[data-error-summary]"), probe(page, "focus")
    assert probe(page, "focus")["shown"], "the focus on the error summary does not show"
    expect(summary.get_by_role("link").first).to_contain_text(first_link)


def test_a_patient_checks_in_by_keyboard_alone_to_the_end(keyboard_page, demo, live_server, db_access, check_step):
    from tracker.models import CheckIn

    page = keyboard_page
    patient = demo.extra["patient_new"]
    _sign_in(page, live_server, patient, db_access)
    page.goto(f"{live_server.url}{reverse('checkin_today')}")

    # Saving with nothing chosen: the focus goes to the summary of what is missing.
    tab_to(page, page.get_by_role("button", name="Save check-in"))
    press_and_settle(page)
    error_summary_takes_the_focus(page, "Back pain")
    check_step(page, "patient", "check-in with errors, by keyboard")

    # Its first link takes the keyboard to the first question; each answer is chosen with the keyboard.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("group", name="Back pain").get_by_role("radio").first).to_be_focused()
    for _question in range(5):
        page.keyboard.press("ArrowRight")  # the next answer along, chosen as the focus moves to it
        page.keyboard.press("Tab")  # on to the next question

    # The last step: the safety check (a box ticked and unticked with Space) and the note.
    safety = page.get_by_role("group", name=re.compile("^Since yesterday"))
    first_box = safety.get_by_role("checkbox").first
    tab_to(page, first_box)
    page.keyboard.press("Space")
    expect(first_box).to_be_checked()
    page.keyboard.press("Space")
    expect(first_box).not_to_be_checked()
    tab_to(page, page.get_by_role("textbox", name=re.compile("^Anything else to tell your care team")))
    page.keyboard.type("Stiff in the morning, easier by lunch.")
    tab_to(page, page.get_by_role("button", name="Save check-in"))
    press_and_settle(page)

    # The result: the home page says it is saved, the live region reads it out, and the focus still shows.
    expect(page.locator(".message").first).to_contain_text("saved")
    assert "saved" in announced(page)
    page.keyboard.press("Tab")
    assert probe(page, "focus")["shown"], probe(page, "focus")
    with db_access():
        saved = CheckIn.objects.filter(patient=patient).latest("pk")
    assert saved.note == "Stiff in the morning, easier by lunch."
    check_step(page, "patient", "home after a check-in, by keyboard")


def test_a_patient_logs_exercise_and_follows_a_guided_session_by_keyboard_alone(
    keyboard_page, demo, live_server, db_access, check_step
):
    page = keyboard_page
    _sign_in(page, live_server, demo.extra["patient_active"], db_access)

    # One exercise logged as done: the card is updated in place, the focus stays in it, and it is announced.
    page.goto(f"{live_server.url}{reverse('session_today')}")
    done = page.get_by_role("button", name=re.compile("^Done as prescribed")).first
    card = page.locator(".exercise-card").filter(has=done).first
    card_id = card.get_attribute("id")
    tab_to(page, done)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{card_id}")).to_contain_text(re.compile("done", re.I))
    assert re.search("done|saved", announced(page), re.I)
    assert focus_inside(page, f"#{card_id}"), probe(page, "focus")
    check_step(page, "patient", "session card after logging, by keyboard")

    # Details saved with an amount out of range: the card comes back with its error summary, focused.
    still_to_do = page.get_by_role("button", name=re.compile("^Done as prescribed"))
    other = page.locator(".exercise-card").filter(has=still_to_do).first
    other_id = other.get_attribute("id")
    tab_to(page, other.locator("summary"))
    page.keyboard.press("Enter")
    amount = other.locator(".dose-fields input").first
    tab_to(page, amount)
    page.keyboard.press("Control+A")
    page.keyboard.type("999")  # far more than anyone does
    tab_to(page, other.get_by_role("button", name=re.compile("^Save")))
    page.keyboard.press("Enter")
    expect(page.locator(f"#{other_id} [data-error-summary]")).to_be_visible()
    error_summary_takes_the_focus(page, amount.evaluate("(input) => input.labels[0].textContent.trim()"))
    check_step(page, "patient", "session card with errors (htmx), by keyboard")

    # The guided session: start, run the timer, and mark the first exercise done, all from the keyboard.
    page.goto(f"{live_server.url}{reverse('guided_start')}")
    tab_to(page, page.locator("a.button.primary.big"))
    press_and_settle(page)
    first = page.get_by_role("heading", level=1).inner_text()
    timer = page.locator("#guided-timer")
    tab_to(page, timer.get_by_role("button", name="Start"))
    page.keyboard.press("Enter")
    expect(timer.get_by_role("button", name="Pause")).to_be_visible()
    check_step(page, "patient", "guided exercise with the timer running, by keyboard")
    tab_to(page, page.get_by_role("button", name=re.compile("^Done, ")))
    press_and_settle(page)
    expect(page.get_by_role("heading", level=1)).not_to_have_text(first)
    page.keyboard.press("Tab")
    assert probe(page, "focus")["shown"], probe(page, "focus")


def test_a_physiotherapist_acts_on_a_flag_writes_a_note_and_pauses_an_exercise_by_keyboard_alone(
    keyboard_page, demo, live_server, db_access, check_step
):
    page = keyboard_page
    _sign_in(page, live_server, demo.linked_physio, db_access)
    page.goto(f"{live_server.url}{reverse('patient_detail', args=[demo.patient_a.pk])}")

    # Mark the flag as seen: the row is replaced, the focus stays on it, and "Seen by ..." is read out.
    row = page.locator(".alert-row").filter(has=page.get_by_role("button", name="Mark as seen")).first
    row_id = row.get_attribute("id")
    tab_to(page, row.get_by_role("button", name="Mark as seen"))
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id}")).to_contain_text("Seen by")
    assert focus_inside(page, f"#{row_id}"), probe(page, "focus")
    assert "Seen by" in announced(page)
    check_step(page, "physio", "flag marked as seen (htmx), by keyboard")

    # Resolve it: first with a note of only spaces (refused by the server), then with a real note.
    row = page.locator(f"#{row_id}")
    tab_to(page, row.locator("summary"))
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("   ")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id} [data-error-summary]")).to_be_visible()
    error_summary_takes_the_focus(page, "What did you do or decide?")
    check_step(page, "physio", "flag resolve with errors (htmx), by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link: on to the note itself
    expect(page.locator(f"#{row_id} textarea")).to_be_focused()
    page.keyboard.type("Called the patient; the stretch is paused.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id}")).to_contain_text("Resolved")
    assert focus_inside(page, f"#{row_id}"), probe(page, "focus")
    assert "Resolved" in announced(page)
    check_step(page, "physio", "flag resolved (htmx), by keyboard")

    # A clinical note.
    tab_to(page, page.locator("form.note-form").get_by_role("textbox"))
    page.keyboard.type("Reviewed the flag by phone.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#notes")).to_contain_text("Reviewed the flag by phone.")
    assert focus_inside(page, "#notes"), probe(page, "focus")
    assert announced(page) == "Note saved."
    check_step(page, "physio", "note added (htmx), by keyboard")

    # Pause an exercise from the program page: without a reason it is refused and the focus goes to the
    # error summary; with one, the focus comes back to that exercise's row.
    page.goto(f"{live_server.url}{reverse('program', args=[demo.patient_a.pk])}")
    program_row = page.locator(".program-row").filter(has=page.locator("summary", has_text="Pause")).first
    row_id = program_row.get_attribute("id")
    summary = program_row.locator("summary", has_text="Pause")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    tab_to(page, program_row.get_by_role("button", name=re.compile("^Pause ")))
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id} [data-error-summary]")).to_be_visible()
    error_summary_takes_the_focus(page, "Why pause it?")
    check_step(page, "physio", "pause with errors (htmx), by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the summary's link: on to the reason
    page.keyboard.type("Flare-up this week.")
    tab_to(page, page.locator(f"#{row_id}").get_by_role("button", name=re.compile("^Pause ")))
    page.keyboard.press("Enter")
    expect(page.locator(f"#{row_id}")).to_contain_text("Resume")
    assert focus_inside(page, f"#{row_id}"), probe(page, "focus")
    assert "paused" in announced(page).lower(), announced(page)
    check_step(page, "physio", "exercise paused (htmx), by keyboard")


def test_a_doctor_records_an_approval_by_keyboard_alone(keyboard_page, demo, live_server, db_access, check_step):
    page = keyboard_page
    _sign_in(page, live_server, demo.linked_doctor, db_access)
    page.goto(f"{live_server.url}{reverse('clearance', args=[demo.extra['patient_new'].pk])}")

    # Recorded with no decision chosen: the focus goes to the error summary, which links to the choices.
    tab_to(page, page.get_by_role("button", name="Record decision"))
    press_and_settle(page)
    error_summary_takes_the_focus(page, "Decision")
    check_step(page, "doctor", "approval with errors, by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    decision = page.get_by_role("group", name="Decision")
    expect(decision.get_by_role("radio").first).to_be_focused()
    page.keyboard.press("Space")
    expect(decision.get_by_role("radio").first).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Record decision"))
    press_and_settle(page)
    expect(page.locator(".message").first).to_be_visible()
    assert page.locator(".message").first.inner_text() in announced(page)
    check_step(page, "doctor", "approval recorded, by keyboard")


def test_a_physiotherapist_invites_a_patient_by_keyboard_alone(keyboard_page, demo, live_server, db_access, check_step):
    from tracker.clinics.models import Invitation

    page = keyboard_page
    _sign_in(page, live_server, demo.linked_physio, db_access)
    page.goto(f"{live_server.url}{reverse('invitation_list')}")
    tab_to(page, page.get_by_role("link", name="Invite a patient"))
    press_and_settle(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a patient")

    # Sent with nothing filled in: the focus goes to the error summary, whose first link is the first name.
    tab_to(page, page.get_by_role("button", name="Send the invitation"))
    press_and_settle(page)
    error_summary_takes_the_focus(page, "First name")
    check_step(page, "physio", "invitation with errors, by keyboard")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("First name")).to_be_focused()

    # Each field in turn from the keyboard: names, e-mail, the condition (Space on the first choice), birthday.
    page.keyboard.type("Kim")
    page.keyboard.press("Tab")
    page.keyboard.type("Keyes")
    page.keyboard.press("Tab")
    page.keyboard.type("kim.keyes@example.org")
    condition = page.get_by_role("group", name="Where is the pinched nerve?").get_by_role("radio").first
    tab_to(page, condition)
    page.keyboard.press("Space")
    expect(condition).to_be_checked()
    tab_to(page, page.get_by_label("Date of birth"))
    page.keyboard.type("04051980")  # the date field's own order, month first in this browser's locale
    tab_to(page, page.get_by_role("button", name="Send the invitation"))
    press_and_settle(page)

    # The result: the list says who was invited, the live region reads it out, and the focus shows.
    expect(page.get_by_text("Invitation sent to kim.keyes@example.org")).to_be_visible()
    assert "kim.keyes@example.org" in announced(page)
    page.keyboard.press("Tab")
    assert probe(page, "focus")["shown"], probe(page, "focus")
    with db_access():
        invitation = Invitation.objects.get(email="kim.keyes@example.org")
    assert (invitation.first_name, str(invitation.date_of_birth)) == ("Kim", "1980-04-05")
    check_step(page, "physio", "invitation sent, by keyboard")
