from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ClinicalNote(models.Model):
    """A clinician's note about a patient. Edits are kept in history, never silent."""

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinical_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="notes_written")
    body = models.TextField(max_length=5000)
    # The form's one-time token: a repeated POST finds this note instead of adding another (tracker.idempotency).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(body=""), name="clinical_note_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Note on {self.patient} by {self.author}"
