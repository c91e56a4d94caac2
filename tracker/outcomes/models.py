"""Questionnaire answers: a sitting (one day's questionnaire), its scored responses and their answers.

The database keeps the ranges (every rating 0-10, every score within its
instrument's range, PGIC never at baseline, one sitting per patient per day,
one open clinician ask per patient), behind the form's own checks.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from .instruments import PSFS_MAX_ACTIVITIES, Instrument


class PsfsActivity(models.Model):
    """An activity the patient named at their first questionnaire; rated again each time after."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="psfs_activities")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)

    class Meta:
        ordering = ["patient", "position"]
        verbose_name_plural = "PSFS activities"
        constraints = [
            models.UniqueConstraint(fields=["patient", "position"], name="psfs_activity_one_per_position"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=PSFS_MAX_ACTIVITIES), name="psfs_activity_position_1_to_5"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="psfs_activity_named"),
        ]

    def __str__(self) -> str:
        return self.name


class Sitting(models.Model):
    """One questionnaire as the patient answered it on one day."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaires")
    local_date = models.DateField(help_text="The day in the patient's own time zone.")
    baseline = models.BooleanField(help_text="The patient's first questionnaire.")
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["patient", "local_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "local_date"],
                name="questionnaire_one_per_patient_per_day",
                violation_error_message="You have already answered a questionnaire today.",
            ),
            models.UniqueConstraint(
                fields=["patient"], condition=Q(baseline=True), name="questionnaire_one_baseline_per_patient"
            ),
        ]
        indexes = [models.Index(fields=["patient", "-local_date"], name="questionnaire_patient_day_idx")]

    def __str__(self) -> str:
        return f"Questionnaire of {self.patient} on {self.local_date}"


SCORE_IN_RANGE = (Q(instrument__in=[Instrument.PSFS, Instrument.PEG]) & Q(score__gte=0, score__lte=10)) | (
    Q(instrument=Instrument.PGIC) & Q(score__gte=1, score__lte=7)
)


class Response(models.Model):
    """One instrument's answers in a sitting, with its score (scoring.py)."""

    sitting = models.ForeignKey(Sitting, on_delete=models.CASCADE, related_name="responses")
    instrument = models.CharField(max_length=8, choices=Instrument.choices)
    score = models.DecimalField(max_digits=4, decimal_places=2)
    # Copied from the sitting so the database itself can refuse a PGIC at baseline.
    baseline = models.BooleanField()

    class Meta:
        ordering = ["sitting", "instrument"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "instrument"], name="response_one_per_instrument"),
            models.CheckConstraint(condition=Q(instrument__in=Instrument.values), name="response_instrument_valid"),
            models.CheckConstraint(condition=SCORE_IN_RANGE, name="response_score_in_range"),
            models.CheckConstraint(
                condition=~(Q(instrument=Instrument.PGIC) & Q(baseline=True)), name="response_no_pgic_at_baseline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_instrument_display()}: {self.score}"


class Answer(models.Model):
    """One rating (0-10) or choice (1-7) in a response. PSFS answers point to their activity."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    link_id = models.CharField(max_length=40)
    value = models.PositiveSmallIntegerField()
    activity = models.ForeignKey(PsfsActivity, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["response", "link_id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "link_id"], name="answer_one_per_question"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=10), name="answer_value_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.link_id}: {self.value}"


class QuestionnaireAsk(models.Model):
    """A clinician asked for a questionnaire now. Open until the patient answers one."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questionnaire_asks")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(Sitting, on_delete=models.SET_NULL, null=True, blank=True, related_name="asks")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient"], condition=Q(answered_by__isnull=True), name="questionnaire_one_open_ask"
            )
        ]

    def __str__(self) -> str:
        return f"Questionnaire asked for {self.patient} by {self.asked_by}"
