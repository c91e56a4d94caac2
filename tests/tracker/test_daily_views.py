"""The patient's daily pages through the test client: check-in, session log, history, progress, Today."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from routines.models import AssignmentStatus
from tests.factories import CheckInFactory, PatientFactory, SessionEntryFactory, SessionLogFactory
from tests.tracker.daily_helpers import checkin_post, program
from tracker.daily.edit_window import CLOSED_DAY_MESSAGE, FUTURE_DAY_MESSAGE
from tracker.models import CheckIn, Condition, EntryStatus, Flag, SessionEntry
from tracker.services.checkins import PAIN_MESSAGE

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def patient(client):
    patient = PatientFactory()
    client.force_login(patient)
    return patient


def checkin_url(day) -> str:
    return reverse("checkin", args=[day.isoformat()])


def session_url(day) -> str:
    return reverse("session_log", args=[day.isoformat()])


def done_url(day, assignment) -> str:
    return reverse("session_done", args=[day.isoformat(), assignment.pk])


def entry_url(day, assignment) -> str:
    return reverse("session_entry", args=[day.isoformat(), assignment.pk])


def entry_post(assignment, **values) -> dict:
    return {f"exercise-{assignment.pk}-{name}": value for name, value in {"status": "done", **values}.items()}


def build_history(patient, *, days: int, exercises: int = 3) -> list:
    """`days` of check-ins and sessions ending yesterday, every exercise done."""
    assignments = program(patient, size=exercises)
    today = patient.local_today()
    for offset in range(1, days + 1):
        CheckInFactory(patient=patient, local_date=today - timedelta(days=offset))
        session = SessionLogFactory(patient=patient, local_date=today - timedelta(days=offset))
        for assignment in assignments:
            SessionEntryFactory(session=session, assignment=assignment)
    return assignments


# Check-in


def test_the_check_in_form_posts_to_the_day_it_was_opened_for_with_a_fresh_token(client, patient):
    response = client.get(reverse("checkin_today"))
    assert response.status_code == 200
    assert f'action="{checkin_url(patient.local_today())}"' in response.text
    assert uuid.UUID(response.context["form"].initial["submission_token"].hex)


def test_a_check_in_is_saved_and_the_patient_returns_to_today(client, patient):
    today = patient.local_today()
    response = client.post(checkin_url(today), checkin_post(uuid.uuid4(), neck_back_pain=6))
    assert response.status_code == 302
    assert response["Location"] == reverse("patient_home")
    assert CheckIn.objects.get(patient=patient, local_date=today).neck_back_pain == 6


def test_a_double_submission_of_the_form_leaves_one_check_in(client, patient):
    url, data = checkin_url(patient.local_today()), checkin_post(uuid.uuid4())
    first, second = client.post(url, data), client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert CheckIn.objects.get(patient=patient).history.count() == 1


@pytest.mark.parametrize("bad", ["11", "-1", "seven", ""])
def test_a_bad_pain_score_is_refused_with_a_clear_message_and_what_was_typed_is_kept(client, patient, bad):
    data = checkin_post(uuid.uuid4(), limb_pain=bad, note="Stiff after the drive", fever="on")
    response = client.post(checkin_url(patient.local_today()), data)
    assert response.status_code == 200
    assert PAIN_MESSAGE in response.text
    assert "Stiff after the drive" in response.text
    assert response.context["form"]["fever"].value() is True
    assert not CheckIn.objects.exists()


def test_a_future_day_is_refused_with_a_clear_message(client, patient):
    response = client.post(checkin_url(patient.local_today() + timedelta(days=1)), checkin_post(uuid.uuid4()))
    assert FUTURE_DAY_MESSAGE in response.text
    assert not CheckIn.objects.exists()


def test_a_day_before_yesterday_is_refused_with_a_clear_message(client, patient):
    response = client.post(checkin_url(patient.local_today() - timedelta(days=2)), checkin_post(uuid.uuid4()))
    assert CLOSED_DAY_MESSAGE in response.text
    assert not CheckIn.objects.exists()


def test_a_date_that_does_not_exist_is_a_404(client, patient):
    assert client.get(reverse("checkin", args=["2025-02-30"])).status_code == 404


def test_the_safety_checklist_is_never_ticked_from_yesterday(client, patient):
    CheckInFactory(patient=patient, local_date=patient.local_today() - timedelta(days=1), fever=True, limb_pain=7)
    response = client.get(reverse("checkin_today"))
    form = response.context["form"]
    assert not form["fever"].value()
    assert 'name="fever" id="id_fever" checked' not in response.text
    assert form["limb_pain"].value() == 7  # pain starts from yesterday, and the page says so
    assert "start from your answers for yesterday" in response.text


def test_editing_today_shows_todays_answers_including_the_checklist(client, patient):
    CheckInFactory(patient=patient, fever=True)
    response = client.get(reverse("checkin_today"))
    assert response.context["form"]["fever"].value() is True
    assert 'name="fever" id="id_fever" checked' in response.text
    assert "already checked in" in response.text


def test_the_hand_and_falls_question_is_asked_only_of_neck_patients(client, patient):
    assert "Clumsy hands" not in client.get(reverse("checkin_today")).text
    neck = PatientFactory(condition=Condition.NECK)
    client.force_login(neck)
    assert "Clumsy hands" in client.get(reverse("checkin_today")).text


def test_an_old_check_in_is_shown_read_only(client, patient):
    old = CheckInFactory(patient=patient, local_date=patient.local_today() - timedelta(days=5), neck_back_pain=8)
    response = client.get(checkin_url(old.local_date))
    assert response.context["form"] is None
    assert CLOSED_DAY_MESSAGE in response.text
    assert "8 out of 10" in response.text


@pytest.mark.parametrize("days", [0, 40])
def test_the_check_in_page_runs_a_fixed_number_of_queries(client, patient, django_assert_max_num_queries, days):
    build_history(patient, days=days)
    with django_assert_max_num_queries(5):
        client.get(reverse("checkin_today"))


@pytest.mark.parametrize("days", [3, 60])
def test_saving_a_check_in_that_changes_its_flags_runs_a_fixed_number_of_queries(
    client, patient, django_assert_num_queries, days
):
    """The write path (check-in, summary, every flag rule, the flags it changes) does not grow with the history."""
    build_history(patient, days=days)
    today = patient.local_today()
    client.post(checkin_url(today), checkin_post(uuid.uuid4(), neck_back_pain=9, limb_pain=9))
    flags_before = set(Flag.objects.filter(patient=patient).values_list("pk", "explanation"))
    # The test's session (a database session here, Redis in production), the account; the check-in read,
    # updated and its history row; the three reads of the history; the summary; the flags' savepoint, lock,
    # open flags, one UPDATE and one history INSERT for all the changed flags, the savepoint's release; the
    # audit INSERT. (+2: the view's transaction is a savepoint inside the test's own.)
    with django_assert_num_queries(16 + 2):
        response = client.post(checkin_url(today), checkin_post(uuid.uuid4(), neck_back_pain=10, limb_pain=10))
    assert response.status_code == 302
    assert set(Flag.objects.filter(patient=patient).values_list("pk", "explanation")) != flags_before


# Session log


def test_the_session_page_offers_one_tap_done_for_each_available_exercise(client, patient):
    first, second = program(patient, size=2)
    response = client.get(reverse("session_today"))
    today = patient.local_today()
    assert done_url(today, first) in response.text
    assert done_url(today, second) in response.text


def test_a_paused_exercise_is_shown_on_hold_without_a_button(client, patient):
    (assignment,) = program(patient, size=1, status=AssignmentStatus.PAUSED, pause_reason="Let it settle")
    response = client.get(reverse("session_today"))
    assert "Let it settle" in response.text
    assert done_url(patient.local_today(), assignment) not in response.text


def test_one_tap_without_javascript_saves_and_returns_to_the_exercise(client, patient):
    (assignment,) = program(patient, size=1)
    today = patient.local_today()
    response = client.post(done_url(today, assignment))
    assert response.status_code == 302
    assert response["Location"] == f"{session_url(today)}#exercise-{assignment.pk}"
    assert SessionEntry.objects.get().status == EntryStatus.DONE


def test_one_tap_with_htmx_answers_with_the_exercise_card_only(client, patient):
    first, second = program(patient, size=2)
    response = client.post(done_url(patient.local_today(), first), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert f'id="exercise-{first.pk}"' in response.text
    assert f'id="exercise-{second.pk}"' not in response.text
    assert "1 of 2 exercises done" in response.text  # the count at the top, swapped out of band
    assert response["Vary"] == "HX-Request" or "HX-Request" in response["Vary"]


def test_a_double_tap_on_done_leaves_one_entry(client, patient):
    (assignment,) = program(patient, size=1)
    url = done_url(patient.local_today(), assignment)
    client.post(url, headers=HTMX)
    client.post(url, headers=HTMX)
    assert SessionEntry.objects.count() == 1


def test_the_detailed_entry_saves_pain_and_a_note(client, patient):
    (assignment,) = program(patient, size=1)
    data = entry_post(assignment, sets_done="1", reps_done="6", hold_seconds_done="5", pain_before="2", pain_after="3")
    data[f"exercise-{assignment.pk}-note"] = "Easier today"
    response = client.post(entry_url(patient.local_today(), assignment), data, headers=HTMX)
    assert response.status_code == 200
    entry = SessionEntry.objects.get()
    assert (entry.reps_done, entry.pain_before, entry.pain_after, entry.note) == (6, 2, 3, "Easier today")


@pytest.mark.parametrize(("field", "value"), [("pain_after", "11"), ("pain_before", "-1"), ("reps_done", "lots")])
def test_a_bad_value_in_the_entry_form_is_refused_and_the_form_keeps_what_was_typed(client, patient, field, value):
    (assignment,) = program(patient, size=1)
    data = entry_post(assignment, **{field: value, "note": "Felt a twinge"})
    response = client.post(entry_url(patient.local_today(), assignment), data, headers=HTMX)
    assert response.status_code == 200
    assert "Felt a twinge" in response.text
    assert "field-error" in response.text
    assert not SessionEntry.objects.exists()


def test_without_javascript_a_bad_entry_shows_the_whole_page_with_the_details_open(client, patient):
    (assignment,) = program(patient, size=1)
    response = client.post(entry_url(patient.local_today(), assignment), entry_post(assignment, pain_after="11"))
    assert response.status_code == 200
    assert "<html" in response.text
    assert '<details class="entry-details" open>' in response.text
    assert not SessionEntry.objects.exists()


def test_a_skipped_exercise_is_recorded(client, patient):
    (assignment,) = program(patient, size=1)
    client.post(entry_url(patient.local_today(), assignment), entry_post(assignment, status="skipped"))
    assert SessionEntry.objects.get().status == EntryStatus.SKIPPED


def test_yesterdays_session_can_be_filled_in_late(client, patient):
    (assignment,) = program(patient, size=1)
    yesterday = patient.local_today() - timedelta(days=1)
    client.post(done_url(yesterday, assignment))
    assert SessionEntry.objects.get().session.local_date == yesterday


def test_a_paused_exercise_posted_anyway_is_refused_and_nothing_is_saved(client, patient):
    (assignment,) = program(patient, size=1, status=AssignmentStatus.PAUSED, pause_reason="Let it settle")
    response = client.post(done_url(patient.local_today(), assignment), headers=HTMX)
    assert "cannot be logged" in response.text
    assert not SessionEntry.objects.exists()


def test_a_closed_day_is_refused_and_nothing_is_saved(client, patient):
    (assignment,) = program(patient, size=1)
    response = client.post(done_url(patient.local_today() - timedelta(days=2), assignment), follow=True)
    assert CLOSED_DAY_MESSAGE in response.text
    assert not SessionEntry.objects.exists()


def test_another_patients_exercise_is_a_404_and_nothing_is_saved(client, patient):
    (others,) = program(PatientFactory(), size=1)
    today = patient.local_today()
    assert client.post(done_url(today, others), headers=HTMX).status_code == 404
    assert client.post(entry_url(today, others), entry_post(others)).status_code == 404
    assert not SessionEntry.objects.exists()


def done_line(page: str) -> str:
    return page.split('id="session-count">')[1].split("</p>")[0]


@pytest.mark.parametrize(("days", "exercises"), [(0, 1), (40, 6)])
def test_the_session_page_runs_a_fixed_number_of_queries(
    client, patient, django_assert_max_num_queries, days, exercises
):
    build_history(patient, days=days, exercises=exercises)
    with django_assert_max_num_queries(8):  # one is the audit trail's INSERT
        first = client.get(reverse("session_today"))
    # Again, with nothing written in between: session, account and the audit INSERT (the day is cached).
    with django_assert_max_num_queries(3):
        again = client.get(reverse("session_today"))
    assert again.status_code == 200
    assert again.text.count('class="card exercise-card') == first.text.count('class="card exercise-card') == exercises
    assert done_line(again.text) == done_line(first.text)
    # Each form on the cached page carries a real CSRF token, not the cache's placeholder.
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]*)"', again.text)
    assert len(tokens) == 1 + 2 * exercises  # signing out, then Done and the details form of each exercise
    assert all(re.fullmatch(r"[A-Za-z0-9]{64}", token) for token in tokens)


def test_the_session_page_shows_an_exercise_logged_after_it_was_cached(client, patient):
    first, _ = program(patient, size=2)
    assert done_line(client.get(reverse("session_today")).text) == "0 of 2 exercises done."
    client.post(done_url(patient.local_today(), first))
    assert done_line(client.get(reverse("session_today")).text) == "1 of 2 exercises done."


def test_a_session_page_served_from_the_cache_takes_a_done_tap_from_another_signed_in_phone(client, patient):
    """The cached cards were rendered for the first session; the second one's CSRF check must still pass."""
    from django.test import Client

    first, _ = program(patient, size=2)
    client.get(reverse("session_today"))  # rendered and cached here
    phone = Client(enforce_csrf_checks=True)
    phone.force_login(patient)
    page = phone.get(reverse("session_today")).text
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = phone.post(done_url(patient.local_today(), first), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert done_line(phone.get(reverse("session_today")).text) == "1 of 2 exercises done."


# History, progress and Today


def test_history_lists_logged_days_with_change_links_only_for_open_days(client, patient):
    (assignment,) = program(patient, size=1)
    today = patient.local_today()
    CheckInFactory(patient=patient, local_date=today - timedelta(days=1))
    CheckInFactory(patient=patient, local_date=today - timedelta(days=3))
    response = client.get(reverse("my_history"))
    assert f'href="{checkin_url(today - timedelta(days=1))}">Change check-in' in response.text
    assert f'href="{checkin_url(today - timedelta(days=3))}">View check-in' in response.text
    assert [row.day for row in response.context["days"]] == [today - timedelta(days=1), today - timedelta(days=3)]
    assert assignment  # a program exists, so exercise links are possible


def test_history_pages_back_four_weeks_at_a_time(client, patient):
    today = patient.local_today()
    CheckInFactory(patient=patient, local_date=today - timedelta(days=40))
    first = client.get(reverse("my_history"))
    assert first.context["days"] == []
    assert first.context["older_page"] == 2
    second = client.get(reverse("my_history"), {"page": "2"})
    assert [row.day for row in second.context["days"]] == [today - timedelta(days=40)]
    assert second.context["older_page"] is None


def test_a_nonsense_history_page_falls_back_to_the_first(client, patient):
    assert client.get(reverse("my_history"), {"page": "drop table"}).context["page"] == 1


@pytest.mark.parametrize("days", [0, 60])
def test_the_history_page_runs_a_fixed_number_of_queries(client, patient, django_assert_max_num_queries, days):
    build_history(patient, days=days)
    with django_assert_max_num_queries(7):  # one is the audit trail's INSERT
        client.get(reverse("my_history"))


def test_progress_shows_the_scores_in_a_table(client, patient):
    CheckInFactory(patient=patient, local_date=patient.local_today() - timedelta(days=1), neck_back_pain=7)
    response = client.get(reverse("my_progress"))
    assert '<td class="num">7</td>' in response.text
    assert "<svg" in response.text


@pytest.mark.parametrize(("asked", "shown"), [("12", 12), ("13", 4), ("abc", 4), ("", 4)])
def test_progress_range_accepts_only_the_offered_choices(client, patient, asked, shown):
    assert client.get(reverse("my_progress"), {"weeks": asked}).context["weeks"] == shown


@pytest.mark.parametrize("days", [0, 120])
def test_the_progress_page_runs_a_fixed_number_of_queries(client, patient, django_assert_max_num_queries, days):
    build_history(patient, days=days)
    # +1: the questionnaire trends (tracker/outcomes).
    # +1: the audit trail's INSERT (tracker/audit).
    with django_assert_max_num_queries(7):
        client.get(reverse("my_progress"), {"weeks": "52"})


def test_today_offers_the_check_in_until_it_is_done(client, patient):
    assert "Check in for today" in client.get(reverse("patient_home")).text
    CheckInFactory(patient=patient)
    response = client.get(reverse("patient_home"))
    assert "Check in for today" not in response.text
    assert "Change today's check-in" in response.text


def test_today_counts_the_exercises_done(client, patient):
    first, _ = program(patient, size=2)
    SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=first)
    assert "1 of 2 done" in client.get(reverse("patient_home")).text


@pytest.mark.parametrize("days", [0, 40])
def test_today_runs_a_fixed_number_of_queries(client, patient, django_assert_max_num_queries, days):
    build_history(patient, days=days)
    # +1: whether a questionnaire is due (tracker/outcomes).
    # +1: the audit trail's INSERT (tracker/audit).
    with django_assert_max_num_queries(10):
        client.get(reverse("patient_home"))
    with django_assert_max_num_queries(3):  # session, account and the audit INSERT; the page is cached
        client.get(reverse("patient_home"))


def test_the_session_page_words_the_prescription_as_the_exercises_page_does(client, patient):
    program(patient, size=1, sets=2, reps=10, hold_seconds=5)
    client.force_login(patient)
    dose = "2 sets of 10, hold each for 5 seconds"
    assert dose in client.get(reverse("my_exercises")).content.decode()
    assert dose in client.get(reverse("session_log", args=[patient.local_today().isoformat()])).content.decode()
