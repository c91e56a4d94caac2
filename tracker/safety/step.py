"""The safety step: what every write of a patient's symptoms carries with it, in the same transaction.

A check-in or a session entry is only worth saving with its consequences: the
flag rules run (so a warning sign becomes a flag, the patient's banner and the
care team's e-mail) and the caseload summary is brought up to date. Both
happen inside the write's own transaction, so the write and its safety step
are stored together or not at all: a connection dropped or a process killed
after the commit can no longer leave a saved emergency without its flag.

If one of them cannot run now for a reason other than the database (a bug in
a rule, say), it is queued as a background task in the same transaction
(tracker.jobs.queue) and the write still goes ahead: the patient's answers are
kept, the care team already has a "safety check could not run" flag, and the
worker tries again within seconds. If even queueing fails, the whole write
fails and the patient is asked to try again (tracker.safety.outage).
"""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, transaction
from django.db.transaction import TransactionManagementError

from tracker.flags.engine import EvaluationResult, load_snapshot
from tracker.jobs.queue import enqueue_durably
from tracker.models import User
from tracker.services.flags import evaluate_patient_flags, flags_evaluate
from tracker.services.summaries import summary_refresh_or_queue

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SafetyOutcome:
    evaluation: EvaluationResult
    evaluation_queued: bool
    summary_queued: bool

    @property
    def rules_ran(self) -> bool:
        return self.evaluation.ok


def safety_step(*, patient: User) -> SafetyOutcome:
    """Refresh the patient's summary and run the flag rules, inside the caller's transaction.

    Raises TransactionManagementError outside a transaction: a safety step on
    its own could be committed apart from the write it belongs to.
    """
    if not transaction.get_connection().in_atomic_block:
        raise TransactionManagementError("The safety step must run inside the transaction of the write it follows.")
    # One reading of the history serves both (the flag engine reads it again itself if this fails).
    try:
        snapshot = load_snapshot(patient=patient, today=patient.local_today())
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Could not read the history of patient %s for the safety step", patient.pk)
        snapshot = None
    summary_queued = not summary_refresh_or_queue(patient=patient, snapshot=snapshot)
    evaluation = flags_evaluate(patient=patient, snapshot=snapshot)
    if not evaluation.ok:
        logger.warning("Flag rules could not all run for patient %s; queued to run again", patient.pk)
        enqueue_durably(evaluate_patient_flags, patient.pk)
    return SafetyOutcome(evaluation=evaluation, evaluation_queued=not evaluation.ok, summary_queued=summary_queued)
