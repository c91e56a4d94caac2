from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.library import install_library
from routines.models import Assignment, AssignmentStatus, Clearance, Decision, Region
from routines.services import clearance_record
from tests.factories import (
    AssignmentFactory,
    ClearanceFactory,
    ExerciseFactory,
    ExerciseStepFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _clear(clinic, **fields):
    return ClearanceFactory(patient=clinic.patient_a, doctor=clinic.linked_doctor, **fields)


def _restrict_to_lower_back(clinic):
    return _clear(
        clinic,
        decision=Decision.RESTRICTED,
        covers_neck=False,
        covers_general=False,
        restrictions="No bending forward past 45 degrees.",
    )


def _program_url(clinic):
    return reverse("program", kwargs={"patient_id": clinic.patient_a.pk})


def _row_url(name, assignment):
    return reverse(name, kwargs={"patient_id": assignment.patient_id, "assignment_id": assignment.pk})


def _exercise_with_steps(**fields):
    exercise = ExerciseFactory(**fields)
    ExerciseStepFactory(exercise=exercise, position=1, text="Lie on your back.")
    ExerciseStepFactory(exercise=exercise, position=2, text="Lift your hips slowly.")
    return exercise


# The patient's page ------------------------------------------------------------------------


def test_before_approval_the_patient_sees_why_exercises_are_locked_and_what_helps(client, clinic):
    AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Secret bridge"))
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "Your exercises are locked for now" in response.text
    assert "Rest." in response.text
    assert "Good posture." in response.text
    assert "only once your doctor says yes" in response.text
    assert "Get emergency care now" in response.text
    assert reverse("activities_to_avoid") in response.text
    assert "Secret bridge" not in response.text


def test_after_approval_the_patient_sees_each_exercise_with_steps_dose_and_purpose(client, clinic):
    _clear(clinic)
    exercise = _exercise_with_steps(name="Bridge", purpose="Builds strong buttocks.", per_side=False)
    AssignmentFactory(patient=clinic.patient_a, exercise=exercise, sets=2, reps=10, hold_seconds=5)
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "Your doctor has approved exercise" in response.text
    assert "Bridge" in response.text
    assert "2 sets of 10, hold each for 5 seconds, every day" in response.text
    assert "Builds strong buttocks." in response.text
    assert response.text.index("Lie on your back.") < response.text.index("Lift your hips slowly.")


def test_the_patient_sees_the_doctors_restrictions_beside_the_exercises(client, clinic):
    _restrict_to_lower_back(clinic)
    AssignmentFactory(patient=clinic.patient_a)
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "with some limits" in response.text
    assert response.text.count("No bending forward past 45 degrees.") >= 2


def test_a_paused_exercise_shows_only_its_name_and_reason_not_how_to_do_it(client, clinic):
    _clear(clinic)
    exercise = _exercise_with_steps(name="Knee hug")
    AssignmentFactory(
        patient=clinic.patient_a, exercise=exercise, status=AssignmentStatus.PAUSED, pause_reason="Let it settle."
    )
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "On hold for now" in response.text
    assert "Let it settle." in response.text
    assert "Lie on your back." not in response.text


def test_a_withdrawn_approval_locks_the_page_again_and_says_why(client, clinic):
    clearance = _clear(clinic)
    AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Bridge"))
    clearance.revoked_at = timezone.now()
    clearance.revoked_by = clinic.linked_doctor
    clearance.revoke_reason = "Your leg weakness needs checking first."
    clearance.save()
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "Your exercises are locked for now" in response.text
    assert "Your leg weakness needs checking first." in response.text
    assert "Bridge" not in response.text


def test_an_expired_approval_locks_the_page_and_gives_the_end_date(client, clinic):
    today = clinic.patient_a.local_today()
    _clear(clinic, decided_on=today - timedelta(days=20), valid_until=today - timedelta(days=1))
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "Your exercises are locked for now" in response.text
    assert "approval ended on" in response.text


def test_a_refusal_locks_the_page_with_its_own_explanation(client, clinic):
    _clear(clinic, decision=Decision.NOT_CLEARED, covers_neck=False, covers_lower_back=False, covers_general=False)
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "should not do exercises yet" in response.text


def test_a_patient_sees_only_their_own_program(client, clinic):
    _clear(clinic)
    ClearanceFactory(patient=clinic.patient_b)
    AssignmentFactory(patient=clinic.patient_b, exercise=ExerciseFactory(name="Bert's own exercise"))
    client.force_login(clinic.patient_a)
    response = client.get(reverse("my_exercises"))
    assert "Bert's own exercise" not in response.text


def test_the_activities_to_avoid_page_is_public(client):
    install_library()
    response = client.get(reverse("activities_to_avoid"))
    assert response.status_code == 200
    assert "Heavy lifting" in response.text
    assert "Sudden or jerky movements" in response.text


@pytest.mark.parametrize("size", [1, 12])
def test_the_patients_page_runs_a_fixed_number_of_queries(client, clinic, size, django_assert_max_num_queries):
    _restrict_to_lower_back(clinic)
    for _ in range(size):
        AssignmentFactory(patient=clinic.patient_a, exercise=_exercise_with_steps())
    AssignmentFactory(patient=clinic.patient_a, status=AssignmentStatus.PAUSED, pause_reason="Sore.")
    client.force_login(clinic.patient_a)
    with django_assert_max_num_queries(8):  # one is the audit trail's INSERT
        response = client.get(reverse("my_exercises"))
    assert response.text.count("Lift your hips slowly.") == size


# The program builder -----------------------------------------------------------------------


def test_the_physio_sees_the_builder_with_the_clearances_restrictions(client, clinic):
    _restrict_to_lower_back(clinic)
    client.force_login(clinic.linked_physio)
    response = client.get(_program_url(clinic))
    assert "Add an exercise" in response.text
    assert "No bending forward past 45 degrees." in response.text


def test_the_builder_offers_no_exercise_the_clearance_does_not_cover(client, clinic):
    _restrict_to_lower_back(clinic)
    neck = ExerciseFactory(name="Neck turn", region=Region.NECK)
    client.force_login(clinic.linked_physio)
    response = client.get(_program_url(clinic))
    assert f'<option value="{neck.pk}" disabled>' in response.text


def test_the_linked_doctor_sees_the_program_read_only(client, clinic):
    _clear(clinic)
    AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Bridge"))
    client.force_login(clinic.linked_doctor)
    response = client.get(_program_url(clinic))
    assert "Bridge" in response.text
    assert "<form" not in response.text.split('id="program"')[1]
    assert "Add an exercise" not in response.text


def test_adding_an_exercise_without_javascript_redirects_back_to_the_program(client, clinic):
    _clear(clinic)
    exercise = ExerciseFactory(name="Bridge", default_reps=12)
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": exercise.pk})
    assert response.status_code == 302
    assert response["Location"] == _program_url(clinic)
    assignment = Assignment.objects.get(patient=clinic.patient_a)
    assert (assignment.exercise, assignment.reps, assignment.prescribed_by) == (exercise, 12, clinic.linked_physio)
    page = client.get(response["Location"])
    assert "Bridge added to the program." in page.text


def test_adding_with_htmx_returns_only_the_program_fragment(client, clinic):
    _clear(clinic)
    exercise = ExerciseFactory(name="Bridge")
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": exercise.pk}, headers=HTMX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="program"')
    assert "<html" not in response.text
    assert "site-header" not in response.text
    assert "Bridge added to the program." in response.text
    assert "HX-Request" in response["Vary"]


def test_the_htmx_fragment_carries_only_this_patients_program(client, clinic):
    _clear(clinic)
    ClearanceFactory(patient=clinic.patient_b)
    AssignmentFactory(patient=clinic.patient_b, exercise=ExerciseFactory(name="Bert's own exercise"))
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": ExerciseFactory().pk}, headers=HTMX
    )
    assert "Bert's own exercise" not in response.text
    assert clinic.patient_b.last_name not in response.text


def test_adding_without_approval_shows_the_reason_and_saves_nothing(client, clinic):
    exercise = ExerciseFactory()
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": exercise.pk})
    assert response.status_code == 200
    assert "no doctor&#x27;s approval for exercise in force" in response.text
    assert not Assignment.objects.exists()


def test_a_dose_out_of_range_is_explained_on_the_form_and_what_was_typed_is_kept(client, clinic):
    _clear(clinic)
    exercise = ExerciseFactory()
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("program_add", args=[clinic.patient_a.pk]),
        {"add-exercise": exercise.pk, "add-sets": 2, "add-reps": 1000, "add-hold_seconds": -1},
        headers=HTMX,
    )
    assert "Repetitions must be between 1 and 50." in response.text
    assert "The hold must be between 0 and 120 seconds." in response.text
    assert 'value="1000"' in response.text
    assert f'<option value="{exercise.pk}" selected>' in response.text
    assert not Assignment.objects.exists()


def test_an_exercise_outside_the_clearance_is_refused_even_when_posted_directly(client, clinic):
    _restrict_to_lower_back(clinic)
    neck = ExerciseFactory(name="Neck turn", region=Region.NECK)
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": neck.pk})
    assert "does not cover neck exercises" in response.text
    assert not Assignment.objects.exists()


def test_a_second_current_assignment_of_the_same_exercise_is_refused(client, clinic):
    _clear(clinic)
    existing = AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Bridge"))
    client.force_login(clinic.linked_physio)
    response = client.post(reverse("program_add", args=[clinic.patient_a.pk]), {"add-exercise": existing.exercise.pk})
    assert "Bridge is already in this patient&#x27;s program." in response.text
    assert Assignment.objects.count() == 1


def test_changing_the_dose_with_htmx_shows_the_new_dose(client, clinic):
    _clear(clinic)
    assignment = AssignmentFactory(patient=clinic.patient_a)
    prefix = f"a{assignment.pk}-change"
    client.force_login(clinic.linked_physio)
    response = client.post(
        _row_url("assignment_change", assignment),
        {f"{prefix}-version": 1, f"{prefix}-sets": 3, f"{prefix}-reps": 6, f"{prefix}-times_per_week": 3},
        headers=HTMX,
    )
    assert "3 sets of 6, 3 times a week" in response.text
    assignment.refresh_from_db()
    assert (assignment.sets, assignment.reps, assignment.version) == (3, 6, 2)


def test_a_stale_form_is_refused_with_a_message_to_reload(client, clinic):
    _clear(clinic)
    assignment = AssignmentFactory(patient=clinic.patient_a, version=2)
    prefix = f"a{assignment.pk}-change"
    client.force_login(clinic.linked_physio)
    response = client.post(
        _row_url("assignment_change", assignment),
        {f"{prefix}-version": 1, f"{prefix}-sets": 3, f"{prefix}-reps": 6, f"{prefix}-times_per_week": 3},
        headers=HTMX,
    )
    assert "changed by someone else" in response.text
    assignment.refresh_from_db()
    assert assignment.sets == 2


def test_editing_an_exercise_someone_removed_says_so_and_does_not_bring_it_back(client, clinic):
    _clear(clinic)
    assignment = AssignmentFactory(
        patient=clinic.patient_a, status=AssignmentStatus.REMOVED, removed_at=timezone.now(), version=2
    )
    prefix = f"a{assignment.pk}-pause"
    client.force_login(clinic.linked_physio)
    response = client.post(
        _row_url("assignment_pause", assignment), {f"{prefix}-version": 1, f"{prefix}-reason": "Sore."}
    )
    assert "removed from the program by someone else" in response.text
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED


def test_pausing_without_a_reason_keeps_the_pause_form_open_with_the_message(client, clinic):
    _clear(clinic)
    assignment = AssignmentFactory(patient=clinic.patient_a)
    prefix = f"a{assignment.pk}-pause"
    client.force_login(clinic.linked_physio)
    response = client.post(
        _row_url("assignment_pause", assignment), {f"{prefix}-version": 1, f"{prefix}-reason": " "}, headers=HTMX
    )
    assert "Say why the exercise is paused" in response.text
    assert "<details open>" in response.text
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_pause_resume_and_remove_work_without_javascript(client, clinic):
    _clear(clinic)
    assignment = AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Bridge"))
    client.force_login(clinic.linked_physio)
    prefix = f"a{assignment.pk}-pause"
    response = client.post(
        _row_url("assignment_pause", assignment), {f"{prefix}-version": 1, f"{prefix}-reason": "Flare-up."}
    )
    assert response.status_code == 302
    assert "Paused by the physiotherapist: Flare-up." in client.get(_program_url(clinic)).text
    assert client.post(_row_url("assignment_resume", assignment), {"version": 2}).status_code == 302
    assert client.post(_row_url("assignment_remove", assignment), {"version": 3}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert "Bridge" not in client.get(_program_url(clinic)).text.split('id="program"')[1].split("Add an exercise")[0]


def test_another_patients_assignment_cannot_be_reached_through_this_patients_url(client, clinic):
    other = AssignmentFactory(patient=clinic.patient_b)
    client.force_login(clinic.linked_physio)
    url = reverse("assignment_remove", kwargs={"patient_id": clinic.patient_a.pk, "assignment_id": other.pk})
    assert client.post(url, {"version": 1}).status_code == 404
    other.refresh_from_db()
    assert other.status == AssignmentStatus.ACTIVE


@pytest.mark.parametrize("size", [1, 12])
def test_the_builder_runs_a_fixed_number_of_queries(client, clinic, size, django_assert_max_num_queries):
    _clear(clinic)
    for _ in range(size):
        AssignmentFactory(patient=clinic.patient_a)
    client.force_login(clinic.linked_physio)
    with django_assert_max_num_queries(10):
        response = client.get(_program_url(clinic))
    assert response.text.count('class="card program-row"') == size


@pytest.mark.parametrize("size", [1, 12])
def test_an_htmx_action_runs_a_fixed_number_of_queries(client, clinic, size, django_assert_max_num_queries):
    _clear(clinic)
    assignments = [AssignmentFactory(patient=clinic.patient_a) for _ in range(size)]
    client.force_login(clinic.linked_physio)
    with django_assert_max_num_queries(24):
        client.post(_row_url("assignment_remove", assignments[0]), {"version": 1}, headers=HTMX)


# Clearances ------------------------------------------------------------------------------------


def _clearance_url(clinic):
    return reverse("clearance", kwargs={"patient_id": clinic.patient_a.pk})


def test_the_doctor_records_a_restricted_clearance_and_it_shows_in_force(client, clinic):
    client.force_login(clinic.linked_doctor)
    response = client.post(
        reverse("clearance_record", args=[clinic.patient_a.pk]),
        {
            "record-decision": "restricted",
            "record-regions": ["lower_back", "general"],
            "record-restrictions": "Nothing above shoulder height.",
        },
    )
    assert response.status_code == 302
    page = client.get(_clearance_url(clinic))
    assert "Cleared with restrictions" in page.text
    assert "Regions covered: Lower back, General." in page.text
    assert "In force" in page.text


def test_a_restricted_clearance_without_its_restrictions_keeps_the_form_and_saves_nothing(client, clinic):
    client.force_login(clinic.linked_doctor)
    response = client.post(
        reverse("clearance_record", args=[clinic.patient_a.pk]),
        {"record-decision": "restricted", "record-regions": ["neck"], "record-valid_until": "2099-01-31"},
    )
    assert response.status_code == 200
    assert "Say what the restrictions are" in response.text
    assert 'value="2099-01-31"' in response.text
    assert not Clearance.objects.exists()


def test_the_physio_records_an_outside_approval_shown_as_recorded_by_them(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("clearance_record_external", args=[clinic.patient_a.pk]),
        {
            "external-doctor_name": "Dr Rivera",
            "external-decided_on": (clinic.patient_a.local_today() - timedelta(days=2)).isoformat(),
            "external-decision": "cleared",
        },
        follow=True,
    )
    assert "Dr Rivera" in response.text
    assert f"recorded by {clinic.linked_physio.display_name}" in response.text.replace("Recorded", "recorded")


def test_the_doctor_sees_only_the_in_app_form_and_the_physio_only_the_outside_one(client, clinic):
    client.force_login(clinic.linked_doctor)
    doctor_page = client.get(_clearance_url(clinic)).text
    client.force_login(clinic.linked_physio)
    physio_page = client.get(_clearance_url(clinic)).text
    assert "Record your decision" in doctor_page
    assert "given outside the app" not in doctor_page
    assert "Record your decision" not in physio_page
    assert "Record a decision given outside the app" in physio_page


def test_the_doctor_withdraws_an_approval_with_a_reason_and_the_history_keeps_both(client, clinic):
    clearance = clearance_record(doctor=clinic.linked_doctor, patient=clinic.patient_a, decision=Decision.CLEARED)
    client.force_login(clinic.linked_doctor)
    url = reverse("clearance_revoke", args=[clinic.patient_a.pk, clearance.pk])
    empty = client.post(url, {"revoke-reason": ""})
    assert "Say why the approval is withdrawn" in empty.text
    response = client.post(url, {"revoke-reason": "Numbness is spreading."}, follow=True)
    assert "Approval withdrawn" in response.text
    assert "Numbness is spreading." in response.text
    clearance.refresh_from_db()
    assert clearance.revoked_by == clinic.linked_doctor
    assert clearance.history.count() == 2


def test_a_physio_cannot_withdraw_a_doctors_in_app_approval(client, clinic):
    clearance = _clear(clinic)
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("clearance_revoke", args=[clinic.patient_a.pk, clearance.pk]), {"revoke-reason": "Worse."}
    )
    assert response.status_code == 404
    assert "Withdraw this approval" not in client.get(_clearance_url(clinic)).text


@pytest.mark.parametrize("size", [1, 12])
def test_the_clearance_page_runs_a_fixed_number_of_queries(client, clinic, size, django_assert_max_num_queries):
    for _ in range(size):
        _clear(clinic)
        ClearanceFactory(
            patient=clinic.patient_a, doctor=None, external_doctor_name="Dr Rivera", recorded_by=clinic.linked_physio
        )
    client.force_login(clinic.linked_doctor)
    with django_assert_max_num_queries(9):
        response = client.get(_clearance_url(clinic))
    assert response.text.count("Replaced by a later decision") == 2 * size - 1


def test_the_activities_to_avoid_page_runs_one_query(client, django_assert_max_num_queries):
    install_library()
    with django_assert_max_num_queries(1):
        response = client.get(reverse("activities_to_avoid"))
    assert response.text.count('<li class="card">') >= 5


def test_the_patient_reads_the_withdrawal_time_in_their_own_time_zone(client, clinic):
    clinic.patient_a.time_zone = "Pacific/Auckland"
    clinic.patient_a.save()
    _clear(
        clinic,
        revoked_at=datetime(2026, 3, 10, 11, 30, tzinfo=UTC),  # already 11 March in Auckland
        revoked_by=clinic.linked_doctor,
        revoke_reason="New weakness.",
    )
    client.force_login(clinic.patient_a)
    assert "withdrawn on 11 March 2026" in client.get(reverse("my_exercises")).text
