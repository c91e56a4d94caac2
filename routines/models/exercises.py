from django.db import models
from simple_history.models import HistoricalRecords

from routines.media.drawings import drawing_choices


class Region(models.TextChoices):
    NECK = "neck", "Neck"
    LOWER_BACK = "lower_back", "Lower back"
    GENERAL = "general", "General"


class Kind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    STRETCH = "stretch", "Stretch"
    MOBILITY = "mobility", "Mobility"
    AEROBIC = "aerobic", "Aerobic"


# Dose limits shared by the library's defaults and every prescription. They are
# deliberately generous upper bounds for gentle rehabilitation work; anything
# outside them is a typing mistake, not a prescription.
SETS_RANGE = (1, 10)
REPS_RANGE = (1, 50)
HOLD_SECONDS_RANGE = (0, 120)
MINUTES_RANGE = (1, 120)
TIMES_PER_WEEK_RANGE = (1, 14)


def dose_constraint(prefix: str, name: str) -> models.CheckConstraint:
    """The same dose ranges as a database constraint, for fields named <prefix>sets and so on."""
    sets, reps, hold, minutes = (f"{prefix}{field}" for field in ("sets", "reps", "hold_seconds", "minutes"))
    return models.CheckConstraint(
        condition=models.Q(**{f"{sets}__gte": SETS_RANGE[0], f"{sets}__lte": SETS_RANGE[1]})
        & (
            models.Q(**{f"{reps}__isnull": True})
            | models.Q(**{f"{reps}__gte": REPS_RANGE[0], f"{reps}__lte": REPS_RANGE[1]})
        )
        & models.Q(**{f"{hold}__gte": HOLD_SECONDS_RANGE[0], f"{hold}__lte": HOLD_SECONDS_RANGE[1]})
        & (
            models.Q(**{f"{minutes}__isnull": True})
            | models.Q(**{f"{minutes}__gte": MINUTES_RANGE[0], f"{minutes}__lte": MINUTES_RANGE[1]})
        ),
        name=name,
    )


class Exercise(models.Model):
    """An exercise in the clinic's library. Retired exercises stay readable in old logs."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    region = models.CharField(max_length=20, choices=Region.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.CharField("how this helps", max_length=300)
    cautions = models.TextField(blank=True)
    default_sets = models.PositiveSmallIntegerField(default=1)
    default_reps = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Empty for timed activities.")
    default_hold_seconds = models.PositiveSmallIntegerField(default=0)
    default_minutes = models.PositiveSmallIntegerField(null=True, blank=True, help_text="For walking and the like.")
    per_side = models.BooleanField(default=False, help_text="The dose is done on each side.")
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the library.")
    active = models.BooleanField(default=True, help_text="Untick to retire: it can no longer be prescribed.")
    drawing = models.CharField(
        max_length=100,
        blank=True,
        choices=drawing_choices,
        help_text="The line drawing of the start and end position shown with the steps.",
    )
    drawing_start_alt = models.CharField(
        "start position, in words",
        max_length=300,
        blank=True,
        help_text="What the start drawing shows, for people who cannot see it. Needed with a drawing.",
    )
    drawing_end_alt = models.CharField(
        "end position, in words",
        max_length=300,
        blank=True,
        help_text="What the end drawing shows, for people who cannot see it. Needed with a drawing.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(region__in=Region.values), name="exercise_region_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=Kind.values), name="exercise_kind_valid"),
            dose_constraint("default_", "exercise_default_dose_in_range"),
            # A picture is never shown without its text alternative.
            models.CheckConstraint(
                condition=models.Q(drawing="") | (~models.Q(drawing_start_alt="") & ~models.Q(drawing_end_alt="")),
                name="exercise_drawing_has_text_alternatives",
                violation_error_message="Describe the start and the end position in words for the drawing.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ExerciseStep(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(max_length=300)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class ActivityToAvoid(models.Model):
    """What patients are told to stay away from while the nerve settles."""

    title = models.CharField(max_length=120)
    reason = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "activities to avoid"

    def __str__(self) -> str:
        return self.title
