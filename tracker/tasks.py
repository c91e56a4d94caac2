"""Background tasks under the names earlier versions queued them by.

Each task now lives beside the code it runs (tracker.flags.notify,
tracker.services.flags, tracker.services.summaries); tasks waiting in the
queue under these older names still run.
"""

from tracker.flags.notify import send_flag_notification
from tracker.services.flags import evaluate_flags_daily, evaluate_patient_flags
from tracker.services.summaries import refresh_patient_summary

__all__ = ["evaluate_flags_daily", "evaluate_patient_flags", "refresh_patient_summary", "send_flag_notification"]
