"""An admin uploads a picture of an exercise; the patient sees it, and the line drawings, on a phone."""

import pytest
from playwright.sync_api import expect

from routines.library import install_library
from routines.models import Exercise, ExerciseMedia
from tests.factories import AssignmentFactory, ClearanceFactory, picture_bytes

pytestmark = pytest.mark.django_db(transaction=True)

ALT = "A person lying on their back with the hips lifted, seen from the side."


def _loaded(page, alt: str) -> str:
    """The file the browser chose and loaded for the picture, or "" if it did not load."""
    return page.get_by_role("img", name=alt).evaluate(
        "image => image.complete && image.naturalWidth > 0 ? image.currentSrc : ''"
    )


def test_an_admin_uploads_a_picture_and_the_patient_sees_it_with_the_drawings(
    desktop_page, phone_page, clinic, live_server, sign_in, assert_accessible
):
    install_library()  # transactional tests start from an empty database
    bridge = Exercise.objects.get(slug="glute-bridge")
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, exercise=bridge)

    admin_page = desktop_page
    sign_in(admin_page, clinic.admin)
    admin_page.goto(f"{live_server.url}/admin/routines/exercise/{bridge.pk}/change/")
    expect(admin_page.get_by_role("img", name=bridge.drawing_start_alt)).to_be_visible()
    admin_page.locator("input[name='media-0-upload']").set_input_files(
        files=[
            {
                "name": "IMG_0042.jpg",
                "mimeType": "image/jpeg",
                "buffer": picture_bytes(width=1600, height=1200, image_format="JPEG"),
            }
        ]
    )
    admin_page.locator("[name='media-0-alt_text']").fill(ALT)
    admin_page.get_by_role("button", name="Save and continue editing").click()
    expect(admin_page.locator(".messagelist")).to_contain_text("was changed successfully")
    media = ExerciseMedia.objects.get(exercise=bridge)
    assert (media.width, media.small_width, media.content_type) == (960, 480, "image/jpeg")
    expect(admin_page.get_by_role("img", name=ALT)).to_be_visible()
    assert _loaded(admin_page, ALT).endswith(media.small_url)
    assert admin_page.console_errors == []

    page = phone_page
    sign_in(page, clinic.patient_a)
    page.goto(f"{live_server.url}/my/exercises/")
    card = page.locator(".exercise-card", has_text="Glute bridge")
    expect(card.get_by_role("img", name=bridge.drawing_start_alt)).to_be_visible()
    expect(card.get_by_role("img", name=bridge.drawing_end_alt)).to_be_visible()
    picture = card.get_by_role("img", name=ALT)
    picture.scroll_into_view_if_needed()
    expect(picture).to_be_visible()
    # Half a phone's width: the small copy is enough.
    assert _loaded(page, ALT).endswith(media.small_url)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
    assert page.console_errors == []

    page.goto(f"{live_server.url}/my/sessions/")
    expect(page.get_by_role("img", name=bridge.drawing_end_alt)).to_be_visible()
    assert_accessible(page)
    assert page.console_errors == []
