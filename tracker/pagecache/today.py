"""The patient's Today page, its data and most of its HTML cached per patient, data version and local day."""

from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from tracker.daily.today import Today, today_for
from tracker.flags.selectors import PatientAlerts, patient_alerts
from tracker.models import User
from tracker.outcomes.selectors import due_for

from .versions import PIECE_TIMEOUT, version

BODY_TEMPLATE = "patient/home.html#today-body"


@dataclass(frozen=True)
class TodayPage:
    today: Today
    alerts: PatientAlerts  # the greeting's emergency advice is drawn live from these
    # The page below the greeting and any emergency advice: check-in, banners, exercises, week, links.
    # It carries no form and nothing of the request, so one rendering serves until the next write.
    body_html: str

    @property
    def body(self) -> SafeString:
        return mark_safe(self.body_html)  # noqa: S308 - rendered by our own template, with its autoescaping


def today_page(*, patient: User) -> TodayPage:
    """What the Today page shows: the day at a glance, the patient's open warnings, a questionnaire due.

    Built from the database (eight queries) and rendered the first time after
    any write about the patient, or on a new day where they live; then from the
    cache (no query, no template) until the next write.
    """
    day = patient.local_today()
    # "today-page:v2": the pieces cached under older keys had another shape; never read those back.
    key = f"today-page:v2:{patient.pk}:{version(patient.pk)}:{day.isoformat()}"
    page = cache.get(key)
    if page is None:
        today = today_for(patient=patient)
        alerts = patient_alerts(patient=patient)
        due = due_for(patient=patient, today=day)
        body = render_to_string(BODY_TEMPLATE, {"today": today, "alerts": alerts, "questionnaire_due": due})
        page = TodayPage(today=today, alerts=alerts, body_html=str(body))
        cache.set(key, page, PIECE_TIMEOUT)
    return page
