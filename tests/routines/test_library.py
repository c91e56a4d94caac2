import pytest

from routines.library import ACTIVITIES_TO_AVOID, EXERCISES, install_library
from routines.models import ActivityToAvoid, Exercise, ExerciseStep, Region

pytestmark = pytest.mark.django_db

ARTICLE_EXERCISES = {
    "glute-bridge",
    "knee-to-chest-stretch",
    "belly-to-spine",
    "pelvic-tilt",
    "side-leg-lift",
    "ear-to-shoulder-stretch",
    "chin-to-pocket",
    "chin-tuck",
}


def test_the_library_holds_the_articles_eight_exercises_plus_walking_and_gentle_stretching():
    install_library()
    slugs = set(Exercise.objects.filter(active=True).values_list("slug", flat=True))
    assert slugs >= ARTICLE_EXERCISES | {"walking", "gentle-stretching"}


def test_every_library_exercise_has_ordered_steps_and_says_how_it_helps():
    install_library()
    for exercise in Exercise.objects.filter(slug__in=[entry["slug"] for entry in EXERCISES]):
        steps = list(exercise.steps.values_list("text", flat=True))
        assert len(steps) >= 1, exercise.name
        assert exercise.purpose, exercise.name


def test_doses_follow_the_article():
    install_library()
    bridge = Exercise.objects.get(slug="glute-bridge")
    assert (bridge.default_reps, bridge.default_hold_seconds, bridge.per_side) == (10, 5, False)
    leg_lift = Exercise.objects.get(slug="side-leg-lift")
    assert (leg_lift.default_reps, leg_lift.per_side) == (5, True)
    chin_tuck = Exercise.objects.get(slug="chin-tuck")
    assert (chin_tuck.region, chin_tuck.default_reps, chin_tuck.default_hold_seconds) == (Region.NECK, 10, 5)
    walking = Exercise.objects.get(slug="walking")
    assert walking.default_reps is None
    assert walking.default_minutes is not None


def test_installing_again_adds_nothing_and_keeps_an_admins_edits():
    install_library()
    Exercise.objects.filter(slug="chin-tuck").update(purpose="Edited by the clinic.")
    counts = (Exercise.objects.count(), ExerciseStep.objects.count(), ActivityToAvoid.objects.count())
    install_library()
    assert (Exercise.objects.count(), ExerciseStep.objects.count(), ActivityToAvoid.objects.count()) == counts
    assert Exercise.objects.get(slug="chin-tuck").purpose == "Edited by the clinic."


def test_the_activities_to_avoid_cover_the_articles_list():
    install_library()
    titles = " ".join(ActivityToAvoid.objects.values_list("title", flat=True)).lower()
    for word in ("lifting", "impact", "high-intensity", "sudden", "over and over"):
        assert word in titles
    assert ActivityToAvoid.objects.count() >= len(ACTIVITIES_TO_AVOID)
