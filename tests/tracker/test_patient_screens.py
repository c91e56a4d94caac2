"""The patient's screens say one thing clearly (issue 11): banners, order, emergency after a save, menu, pain."""

import uuid

import pytest
from django.urls import reverse

from tests.factories import FlagFactory, SessionEntryFactory, SessionLogFactory
from tests.tracker.daily_helpers import checkin_post, program
from tracker.models import CheckIn, EntryStatus, Severity

pytestmark = pytest.mark.django_db

EXPLANATION = "Your average back pain over the last 7 days is 6.1, up from 3.4 when you started."


def home(client, patient):
    client.force_login(patient)
    return client.get(reverse("patient_home")).content.decode()


def test_a_contact_banner_says_its_headline_once_a_plain_reason_and_keeps_the_numbers_behind_why(client, clinic):
    patient = clinic.patient_a
    FlagFactory(patient=patient, rule_id="contact.pain_rising", explanation=EXPLANATION)
    FlagFactory(patient=patient, rule_id="contact.pain_high_day", explanation="Yesterday your pain was 8 out of 10.")

    html = home(client, patient)

    assert html.count("Please contact your physiotherapist or doctor in the next day or two") == 1
    assert html.count("Your pain has gone up.") == 1  # two pain rules, one plain reason
    why = html.split('<details class="why">')[1].split("</details>")[0]
    assert EXPLANATION in why
    assert html.count("6.1") == 1  # the number once, behind "Why?"


def test_the_check_in_card_comes_before_the_banners_until_today_is_done(client, clinic):
    patient = clinic.patient_a
    FlagFactory(patient=patient)

    before = home(client, patient)
    CheckIn.objects.create(patient=patient, local_date=patient.local_today(), neck_back_pain=3, limb_pain=2)
    after = home(client, patient)

    assert before.index('id="checkin-heading"') < before.index('id="flag-contact-heading"')
    assert after.index('id="flag-contact-heading"') < after.index('id="checkin-heading"')


def test_an_emergency_still_comes_before_the_check_in_card(client, clinic):
    patient = clinic.patient_a
    FlagFactory(patient=patient, rule_id="emergency.cauda_equina", severity=Severity.EMERGENCY)

    html = home(client, patient)

    assert html.index("Get emergency care now") < html.index('id="checkin-heading"')
    assert html.count("Get emergency care now") == 1


def test_after_saving_an_emergency_sign_the_emergency_comes_first_with_a_call_button_and_no_green_box(
    client, clinic, settings
):
    patient = clinic.patient_a
    client.force_login(patient)
    url = reverse("checkin", args=[patient.local_today().isoformat()])

    response = client.post(url, checkin_post(uuid.uuid4(), bladder_bowel_change="on"), follow=True)

    html = response.content.decode()
    main = html.split('<main id="main"')[1]
    assert "Get emergency care now" in main
    assert 'href="tel:' in main.split("Get emergency care now")[1]
    assert "message-success" not in main
    assert main.index("Get emergency care now") < main.index("is saved.")


def test_a_plain_check_in_still_gets_the_green_saved_message(client, clinic):
    patient = clinic.patient_a
    client.force_login(patient)
    url = reverse("checkin", args=[patient.local_today().isoformat()])

    html = client.post(url, checkin_post(uuid.uuid4()), follow=True).content.decode()

    assert "message-success" in html
    assert "is saved." in html


@pytest.mark.parametrize(
    ("url_name", "label"), [("patient_home", "Today"), ("my_exercises", "Exercises"), ("my_progress", "Progress")]
)
def test_the_patient_menu_has_progress_and_marks_the_current_page(client, clinic, url_name, label):
    client.force_login(clinic.patient_a)

    html = client.get(reverse(url_name)).content.decode()
    menu = html.split('aria-label="Main"')[1].split("</nav>")[0]

    assert f'href="{reverse("my_progress")}"' in menu
    assert menu.count('aria-current="page"') == 1
    assert f'aria-current="page">{label}</a>' in menu


# Quick pain after "Done".


def done_today(patient):
    [assignment] = program(patient, size=1)
    SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=assignment)
    return assignment


def pain_url(patient, assignment):
    return reverse("session_pain_after", args=[patient.local_today().isoformat(), assignment.pk])


def test_a_done_card_offers_the_optional_pain_tiles_and_one_tap_saves_pain_after(client, clinic):
    patient = clinic.patient_a
    assignment = done_today(patient)
    client.force_login(patient)

    page = client.get(reverse("session_today")).content.decode()
    card = client.post(pain_url(patient, assignment), {"pain_after": "4"}, headers={"HX-Request": "true"})

    assert "Pain now?" in page
    assert page.count('name="pain_after" value=') >= 11
    entry = assignment.entries.get()
    assert (entry.status, entry.pain_after) == (EntryStatus.DONE, 4)
    html = card.content.decode()
    assert "<html" not in html
    assert "Pain now?" not in html  # answered: the tiles go
    assert "4 after" in html


def test_pain_tiles_are_not_offered_before_done(client, clinic):
    patient = clinic.patient_a
    program(patient, size=1)
    client.force_login(patient)

    assert "Pain now?" not in client.get(reverse("session_today")).content.decode()


@pytest.mark.parametrize("value", ["11", "-1", "four", "", "3.5"])
def test_a_pain_score_out_of_range_is_refused_with_a_message(client, clinic, value):
    patient = clinic.patient_a
    assignment = done_today(patient)
    client.force_login(patient)

    response = client.post(pain_url(patient, assignment), {"pain_after": value}, headers={"HX-Request": "true"})

    assert "Choose a number from 0 to 10." in response.content.decode()
    assert assignment.entries.get().pain_after is None


def test_a_pain_score_before_done_is_refused_and_nothing_is_saved(client, clinic):
    patient = clinic.patient_a
    [assignment] = program(patient, size=1)
    client.force_login(patient)

    response = client.post(pain_url(patient, assignment), {"pain_after": "3"}, follow=True)

    assert "Tap Done first" in response.content.decode()
    assert not assignment.entries.exists()
