"""Which writes give a patient's data a new version (see versions.py). Connected in TrackerConfig.ready.

Every save and delete through the ORM of a row that a cached piece shows:
check-ins, exercise sessions and their entries, flags, clearances, program
assignments, care-team links, the patient's own account and caseload summary,
questionnaires answered or asked for.
Changes to the exercise library touch every patient (a new generation).
Writes that skip the ORM's signals (QuerySet.update, bulk_create) call
versions.changed themselves (tracker.services.summaries, seed_demo).
"""

from django.db.models.signals import post_delete, post_save

from routines.media.models import ExerciseMedia
from routines.models import Assignment, Clearance, Exercise, ExerciseStep
from tracker.models import CareTeamMembership, CheckIn, Flag, PatientSummary, SessionEntry, SessionLog, User
from tracker.outcomes.models import QuestionnaireAsk, Sitting

from .versions import changed, everyone_changed

PATIENT_ROWS = (
    CheckIn,
    SessionLog,
    Flag,
    Clearance,
    Assignment,
    CareTeamMembership,
    PatientSummary,
    Sitting,  # a questionnaire answered: no longer due on Today
    QuestionnaireAsk,  # a clinician asked for one: due on Today
)
LIBRARY_ROWS = (Exercise, ExerciseStep, ExerciseMedia)
# Saving only these fields of an account changes nothing a cached piece shows (every sign-in saves last_login).
QUIET_USER_FIELDS = frozenset({"last_login", "password", "session_salt"})


def patient_row_written(sender, instance, **kwargs) -> None:
    changed(instance.patient_id)


def session_entry_written(sender, instance, **kwargs) -> None:
    if SessionEntry.session.is_cached(instance):
        changed(instance.session.patient_id)
    else:
        changed(SessionLog.objects.filter(pk=instance.session_id).values_list("patient_id", flat=True).first())


def user_written(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= QUIET_USER_FIELDS:
        return
    if instance.is_patient:
        changed(instance.pk)
    else:
        # A clinician's name shows on their patients' pages: rare enough to start everyone afresh.
        everyone_changed()


def library_written(sender, instance, **kwargs) -> None:
    everyone_changed()


def connect() -> None:
    for model in PATIENT_ROWS:
        for signal in (post_save, post_delete):
            signal.connect(patient_row_written, sender=model, dispatch_uid=f"pagecache.{model.__name__}.{signal}")
    for signal in (post_save, post_delete):
        signal.connect(session_entry_written, sender=SessionEntry, dispatch_uid=f"pagecache.SessionEntry.{signal}")
        signal.connect(user_written, sender=User, dispatch_uid=f"pagecache.User.{signal}")
        for model in LIBRARY_ROWS:
            signal.connect(library_written, sender=model, dispatch_uid=f"pagecache.{model.__name__}.{signal}")
