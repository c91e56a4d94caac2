from django.conf import settings
from django.db import models


class PatientSummary(models.Model):
    """A patient's figures for the caseload dashboard, kept so the dashboard never reads years of history.

    Nothing here is the record: every value is recomputed from the patient's
    check-ins, sessions and flags by tracker.services.summaries.summary_refresh
    after each write that can change it, and `manage.py refresh_summaries`
    rebuilds all of them (after a bulk load, say). A summary written by an
    older version of that code is refreshed the first time the caseload reads
    it (SUMMARY_VERSION), so upgrades need no manual step. Values that depend on what
    day it is (averages over the last 7 or 14 days) are worked out when the
    page is read, from `recent_days`.
    """

    patient = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="summary"
    )
    last_check_in_on = models.DateField(null=True, blank=True)
    # The starting level the flag rules compare against (mean of the worse of
    # the two pain scores over the baseline week); empty until there is one.
    baseline_pain = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    baseline_from = models.DateField(null=True, blank=True)
    # Over the RECENT_DAYS days ending on `recent_until` (the patient's local
    # day when last refreshed), oldest first: [the worse pain score of each
    # day's check-in (null: none that day), the number of exercises done each
    # day, {assignment id: 1 on each day it was done}, SUMMARY_VERSION].
    # Plain positions rather than dated entries keep the dashboard's reading
    # of hundreds of rows cheap.
    recent_days = models.JSONField(default=list, blank=True)
    recent_until = models.DateField(null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "patient summaries"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(baseline_pain__isnull=True) | models.Q(baseline_pain__gte=0, baseline_pain__lte=10),
                name="patient_summary_baseline_0_to_10",
            ),
        ]

    def __str__(self) -> str:
        return f"Summary for {self.patient}"
