from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    """The audit trail is never changed or deleted, only added to."""


class AuditAction(models.TextChoices):
    READ = "read", "Looked"
    CHANGE = "change", "Changed"


class AuditOutcome(models.TextChoices):
    ALLOWED = "allowed", "Allowed"
    REFUSED = "refused", "Refused (not theirs to see)"
    FAILED = "failed", "Did not go through"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    update.queryset_only = True
    delete.queryset_only = True


class AuditEvent(models.Model):
    """One look at, or change to, a patient's record: who, as what, which patient, what, when, from where.

    Append-only: `save` refuses to change a stored row, `delete` refuses, the
    queryset's `update`/`delete` refuse, the admin is read-only and on
    PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002). The people
    are kept as plain ids (no database constraint, nothing cascades), so
    deleting an account can never remove what it did or what was done to it.
    """

    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    # The role at the time, so a later change of role does not rewrite the past.
    actor_role = models.CharField(max_length=20)
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        help_text="The patient whose record it was (the id asked for, for a refused attempt).",
    )
    action = models.CharField(max_length=10, choices=AuditAction.choices)
    outcome = models.CharField(max_length=10, choices=AuditOutcome.choices, default=AuditOutcome.ALLOWED)
    view_name = models.CharField(max_length=120, help_text="The page or action, by its URL name.")
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    method = models.CharField(max_length=8, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    fragment = models.BooleanField(default=False, help_text="An htmx part of a page.")
    client_address = models.GenericIPAddressField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["patient", "at"], name="audit_patient_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=AuditAction.values), name="audit_action_valid"),
            models.CheckConstraint(condition=models.Q(outcome__in=AuditOutcome.values), name="audit_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_role} #{self.actor_id} {self.action} {self.view_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
