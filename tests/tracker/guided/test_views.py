"""The guided session without JavaScript: plain forms, saved through the same service as the session page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from routines.models import AssignmentStatus
from tests.factories import ExerciseStepFactory, PatientFactory, SessionEntryFactory, SessionLogFactory
from tests.tracker.daily_helpers import program
from tracker.daily.edit_window import CLOSED_DAY_MESSAGE
from tracker.models import EntryStatus, SessionEntry
from tracker.services.sessions import PAIN_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(client):
    patient = PatientFactory()
    client.force_login(patient)
    return patient


def exercise_url(patient, assignment, day=None) -> str:
    return reverse("guided_exercise", args=[(day or patient.local_today()).isoformat(), assignment.pk])


def finish_url(patient) -> str:
    return reverse("guided_finish", args=[patient.local_today().isoformat()])


def answers(assignment, status="done", **values) -> dict:
    return {f"exercise-{assignment.pk}-{name}": value for name, value in {"status": status, **values}.items()}


def test_the_start_page_lists_todays_exercises_and_starts_with_the_first(client, patient):
    first, second = program(patient, size=2)
    page = client.get(reverse("guided_start")).text
    assert first.exercise.name in page
    assert second.exercise.name in page
    assert f'href="{exercise_url(patient, first)}">Start with {first.exercise.name}</a>' in page


def test_start_carries_on_from_the_first_exercise_not_logged(client, patient):
    first, second = program(patient, size=2)
    SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=first)
    page = client.get(reverse("guided_start")).text
    assert f'href="{exercise_url(patient, second)}">Carry on with {second.exercise.name}</a>' in page


def test_the_start_page_says_when_there_is_nothing_to_do(client, patient):
    program(patient, size=1, status=AssignmentStatus.PAUSED, pause_reason="Rest the leg this week.")
    page = client.get(reverse("guided_start")).text
    assert "Your exercises are on hold for now" in page
    assert "Rest the leg this week." in page


def test_an_exercise_page_shows_its_pictures_steps_dose_and_form(client, patient):
    (assignment,) = program(patient, size=1, sets=2, reps=8, hold_seconds=5)
    exercise = assignment.exercise
    exercise.drawing, exercise.drawing_start_alt, exercise.drawing_end_alt = "chin-tuck", "Chin forward.", "Chin back."
    exercise.save()
    ExerciseStepFactory(exercise=exercise, text="Slide your chin straight back.")
    page = client.get(exercise_url(patient, assignment)).text
    assert "Exercise 1 of 1" in page
    assert "2 sets of 8, hold each for 5 seconds" in page
    assert 'aria-label="Chin forward."' in page
    assert 'aria-label="Chin back."' in page
    assert "Slide your chin straight back." in page
    assert f'name="exercise-{assignment.pk}-status" value="done">Done, finish</button>' in page
    assert f'name="exercise-{assignment.pk}-status" value="skipped">Skip this one</button>' in page
    # The timers are hidden until the script adds them, and learn the dose from data attributes.
    assert 'id="guided-timer" hidden' in page
    assert 'data-sets="2" data-reps="8" data-hold-seconds="5" data-minutes="" data-per-side="false"' in page
    assert '<script src="/static/js/guided.js" defer></script>' in page


def test_the_timer_speed_comes_from_the_setting(client, patient, settings):
    (assignment,) = program(patient, size=1)
    assert 'data-scale="1"' in client.get(exercise_url(patient, assignment)).text
    settings.GUIDED_TIMER_SCALE = 0.02
    assert 'data-scale="0.02"' in client.get(exercise_url(patient, assignment)).text


def test_done_saves_the_prescription_with_the_pain_scores_and_goes_to_the_next(client, patient):
    first, second = program(patient, size=2, sets=1, reps=10, hold_seconds=5)
    response = client.post(
        exercise_url(patient, first),
        answers(first, pain_before=4, pain_after=3, sets_done=1, reps_done=10, hold_seconds_done=5),
    )
    assert response.status_code == 302
    assert response["Location"] == exercise_url(patient, second)
    entry = SessionEntry.objects.get(assignment=first)
    assert (entry.status, entry.sets_done, entry.reps_done, entry.hold_seconds_done) == (EntryStatus.DONE, 1, 10, 5)
    assert (entry.pain_before, entry.pain_after) == (4, 3)
    assert entry.session.local_date == patient.local_today()
    assert f"Saved: {first.exercise.name}, done." in client.get(response["Location"]).text


def test_a_different_amount_is_saved_as_typed(client, patient):
    (assignment,) = program(patient, size=1, sets=1, reps=10, hold_seconds=5)
    client.post(exercise_url(patient, assignment), answers(assignment, sets_done=1, reps_done=6, hold_seconds_done=5))
    assert SessionEntry.objects.get(assignment=assignment).reps_done == 6


def test_skip_saves_a_skipped_entry_without_a_dose_and_the_last_exercise_ends_the_session(client, patient):
    first, last = program(patient, size=2)
    SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=first)
    response = client.post(exercise_url(patient, last), answers(last, status="skipped", reps_done=10, pain_before=2))
    assert response["Location"] == finish_url(patient)
    entry = SessionEntry.objects.get(assignment=last)
    assert (entry.status, entry.reps_done, entry.pain_before) == (EntryStatus.SKIPPED, None, 2)


def test_the_finish_page_sums_up_what_was_saved_and_the_week(client, patient):
    first, second = program(patient, size=2)
    session = SessionLogFactory(patient=patient)
    SessionEntryFactory(session=session, assignment=first, pain_before=5, pain_after=4)
    SessionEntryFactory(session=session, assignment=second, status=EntryStatus.SKIPPED)
    page = client.get(finish_url(patient)).text
    assert "1 of 2 exercises done." in page
    assert f"{first.exercise.name}: pain 5 before, 4 after" in page
    assert "1 of 7 days</strong> this week" in page


def test_a_double_submit_leaves_one_entry(client, patient):
    (assignment,) = program(patient, size=1)
    for _ in range(2):
        client.post(exercise_url(patient, assignment), answers(assignment, pain_after=2))
    assert SessionEntry.objects.filter(assignment=assignment).count() == 1


def test_a_bad_pain_score_is_refused_with_a_message_and_nothing_is_saved(client, patient):
    (assignment,) = program(patient, size=1)
    response = client.post(exercise_url(patient, assignment), answers(assignment, pain_after=11, note="Felt fine"))
    assert response.status_code == 400
    assert PAIN_MESSAGE in response.text
    assert "Felt fine" in response.text
    assert not SessionEntry.objects.exists()


def test_a_paused_exercise_cannot_be_opened_or_saved(client, patient):
    (paused,) = program(patient, size=1, status=AssignmentStatus.PAUSED, pause_reason="Flare-up.")
    for response in (
        client.get(exercise_url(patient, paused)),
        client.post(exercise_url(patient, paused), answers(paused)),
    ):
        assert response.status_code == 302
        assert response["Location"] == reverse("guided_start")
    assert not SessionEntry.objects.exists()


def test_a_closed_day_sends_the_patient_back_to_today(client, patient):
    (assignment,) = program(patient, size=1)
    old = patient.local_today() - timedelta(days=2)
    response = client.post(exercise_url(patient, assignment, day=old), answers(assignment))
    assert response["Location"] == reverse("guided_start")
    assert CLOSED_DAY_MESSAGE in client.get(response["Location"]).text
    assert not SessionEntry.objects.exists()


def test_yesterdays_session_started_before_midnight_still_saves_to_yesterday(client, patient):
    (assignment,) = program(patient, size=1)
    yesterday = patient.local_today() - timedelta(days=1)
    client.post(exercise_url(patient, assignment, day=yesterday), answers(assignment))
    assert SessionEntry.objects.get(assignment=assignment).session.local_date == yesterday


def test_another_patients_exercise_is_a_404_and_nothing_is_saved(client, patient):
    (theirs,) = program(PatientFactory(), size=1)
    assert client.get(exercise_url(patient, theirs)).status_code == 404
    assert client.post(exercise_url(patient, theirs), answers(theirs)).status_code == 404
    assert not SessionEntry.objects.exists()


@pytest.mark.parametrize("size", [1, 6])
def test_the_guided_pages_run_a_fixed_number_of_queries(client, patient, django_assert_max_num_queries, size):
    assignments = program(patient, size=size)
    for assignment in assignments:
        ExerciseStepFactory(exercise=assignment.exercise)
    with django_assert_max_num_queries(10):  # one is the audit trail's INSERT
        client.get(reverse("guided_start"))
    with django_assert_max_num_queries(10):  # one is the audit trail's INSERT
        client.get(exercise_url(patient, assignments[0]))
    with django_assert_max_num_queries(12):  # one is the audit trail's INSERT
        client.get(finish_url(patient))
