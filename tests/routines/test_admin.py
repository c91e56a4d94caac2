import pytest
from django.urls import reverse

from routines.models import Exercise
from tests.factories import AssignmentFactory, ClearanceFactory, ExerciseFactory, ExerciseStepFactory

pytestmark = pytest.mark.django_db


def _exercise_form(exercise_fields: dict, steps: list[tuple[int, str]], existing_steps=()) -> dict:
    data = {
        "region": "lower_back",
        "kind": "stretch",
        "purpose": "Loosens the hips.",
        "cautions": "",
        "position": 5,
        "active": "on",
        "default_sets": 1,
        "default_reps": 8,
        "default_hold_seconds": 10,
        "default_minutes": "",
        "steps-TOTAL_FORMS": len(existing_steps) + len(steps),
        "steps-INITIAL_FORMS": len(existing_steps),
        "steps-MIN_NUM_FORMS": 0,
        "steps-MAX_NUM_FORMS": 1000,
        # The pictures and videos inline (routines.media), left empty here.
        "media-TOTAL_FORMS": 0,
        "media-INITIAL_FORMS": 0,
        "media-MIN_NUM_FORMS": 0,
        "media-MAX_NUM_FORMS": 1000,
        **exercise_fields,
    }
    for index, step in enumerate(existing_steps):
        data |= {
            f"steps-{index}-id": step.pk,
            f"steps-{index}-position": step.position,
            f"steps-{index}-text": step.text,
        }
    for offset, (position, text) in enumerate(steps, start=len(existing_steps)):
        data |= {f"steps-{offset}-position": position, f"steps-{offset}-text": text}
    return data


def test_staff_add_an_exercise_with_ordered_steps_and_history_is_kept(admin_client):
    response = admin_client.post(
        reverse("admin:routines_exercise_add"),
        _exercise_form(
            {"name": "Hip roll", "slug": "hip-roll"},
            [(2, "Let both knees fall gently to one side."), (1, "Lie on your back with knees bent.")],
        ),
    )
    assert response.status_code == 302, response.text
    exercise = Exercise.objects.get(slug="hip-roll")
    assert list(exercise.steps.values_list("text", flat=True)) == [
        "Lie on your back with knees bent.",
        "Let both knees fall gently to one side.",
    ]
    assert exercise.history.count() == 1
    assert exercise.history.first().history_type == "+"


def test_a_dose_out_of_range_is_refused_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:routines_exercise_add"),
        _exercise_form({"name": "Too many", "slug": "too-many", "default_reps": 1000}, []),
    )
    assert response.status_code == 200
    assert not Exercise.objects.filter(slug="too-many").exists()


def test_an_admins_edit_shows_on_the_patients_page_and_is_kept_in_history(admin_client, client, clinic):
    exercise = ExerciseFactory(name="Bridge", purpose="Old words.")
    step = ExerciseStepFactory(exercise=exercise, position=1, text="Lie down.")
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, exercise=exercise)
    response = admin_client.post(
        reverse("admin:routines_exercise_change", args=[exercise.pk]),
        _exercise_form(
            {"name": "Bridge", "slug": exercise.slug, "purpose": "Makes your buttocks stronger."},
            [(2, "Lift your hips a little.")],
            existing_steps=[step],
        ),
    )
    assert response.status_code == 302, response.text
    client.force_login(clinic.patient_a)
    page = client.get(reverse("my_exercises")).text
    assert "Makes your buttocks stronger." in page
    assert "Lift your hips a little." in page
    assert exercise.history.count() == 2
    history_page = admin_client.get(reverse("admin:routines_exercise_history", args=[exercise.pk]))
    assert history_page.status_code == 200


def test_retiring_keeps_the_exercise_in_existing_programs_but_off_the_builder(admin_client, client, clinic):
    exercise = ExerciseFactory(name="Old favourite")
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, exercise=exercise)
    response = admin_client.post(
        reverse("admin:routines_exercise_changelist"),
        {"action": "retire", "_selected_action": [exercise.pk]},
    )
    assert response.status_code == 302
    exercise.refresh_from_db()
    assert exercise.active is False
    assert exercise.history.first().active is False
    client.force_login(clinic.patient_a)
    assert "Old favourite" in client.get(reverse("my_exercises")).text
    client.force_login(clinic.linked_physio)
    builder = client.get(reverse("program", args=[clinic.patient_a.pk])).text
    assert f'<option value="{exercise.pk}"' not in builder


def test_the_library_list_is_searchable_and_filters_by_region_and_kind(admin_client):
    ExerciseFactory(name="Neck glide", region="neck", kind="mobility")
    ExerciseFactory(name="Back arch", region="lower_back", kind="stretch")
    response = admin_client.get(reverse("admin:routines_exercise_changelist"), {"region": "neck", "kind": "mobility"})
    assert "Neck glide" in response.text
    assert "Back arch" not in response.text
    response = admin_client.get(reverse("admin:routines_exercise_changelist"), {"q": "arch"})
    assert "Back arch" in response.text
    assert "Neck glide" not in response.text


def test_exercises_cannot_be_deleted_only_retired(admin_client):
    exercise = ExerciseFactory()
    response = admin_client.get(reverse("admin:routines_exercise_delete", args=[exercise.pk]))
    assert response.status_code == 403


@pytest.mark.parametrize("model", ["clearance", "assignment"])
def test_clearances_and_programs_are_read_only_in_the_admin(admin_client, model):
    row = ClearanceFactory() if model == "clearance" else AssignmentFactory()
    assert admin_client.get(reverse(f"admin:routines_{model}_add")).status_code == 403
    change_page = admin_client.get(reverse(f"admin:routines_{model}_change", args=[row.pk]))
    assert change_page.status_code == 200
    assert 'name="_save"' not in change_page.text
    assert admin_client.get(reverse(f"admin:routines_{model}_history", args=[row.pk])).status_code == 200


def test_staff_edit_the_activities_to_avoid(admin_client):
    from routines.models import ActivityToAvoid

    response = admin_client.post(
        reverse("admin:routines_activitytoavoid_add"),
        {"title": "Trampolines", "reason": "The bouncing jolts the spine.", "position": 9},
    )
    assert response.status_code == 302
    assert ActivityToAvoid.objects.get(title="Trampolines").history.count() == 1
