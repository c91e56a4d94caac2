"""The patient's Today page data, cached per patient, data version and local day."""

from django.core.cache import cache

from tracker.daily.today import Today, today_for
from tracker.flags.selectors import PatientAlerts, patient_alerts
from tracker.models import User
from tracker.outcomes.selectors import Due, due_for

from .versions import PIECE_TIMEOUT, version


def today_page(*, patient: User) -> tuple[Today, PatientAlerts, Due]:
    """What the Today page shows: the day at a glance, the patient's open warnings, a questionnaire due.

    Built from the database (eight queries) the first time after any write about
    the patient, or on a new day where they live; then from the cache (no
    query) until the next write.
    """
    day = patient.local_today()
    key = f"today:{patient.pk}:{version(patient.pk)}:{day.isoformat()}"
    piece = cache.get(key)
    if piece is None:
        piece = (today_for(patient=patient), patient_alerts(patient=patient), due_for(patient=patient, today=day))
        cache.set(key, piece, PIECE_TIMEOUT)
    return piece
