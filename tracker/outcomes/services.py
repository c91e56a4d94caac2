"""Writes: saving a questionnaire (scored, all or nothing) and a clinician's "ask now"."""

import uuid
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker.idempotency import existing_submission
from tracker.models import User

from .instruments import PEG_QUESTIONS, PSFS_MAX_ACTIVITIES, PSFS_MIN_ACTIVITIES, Instrument, psfs_link_id
from .models import Answer, PsfsActivity, QuestionnaireAsk, Response, Sitting
from .scoring import QUESTIONNAIRE_INTERVAL_DAYS, peg_score, pgic_score, psfs_score
from .selectors import due_for

NOT_DUE_MESSAGE = "There is no questionnaire for you to answer today. We will let you know when the next one is due."
ALREADY_TODAY_MESSAGE = "You have already answered a questionnaire today. Thank you."


@transaction.atomic
def sitting_save(
    *,
    patient: User,
    local_date: date,
    activity_names: list[str] | None,
    psfs_ratings: list[int],
    peg: dict[str, int],
    pgic: int | None,
    submission_token: uuid.UUID | None = None,
) -> Sitting:
    """Store one questionnaire with its scores. A repeated submission returns the first one.

    `activity_names` are given at the first questionnaire only (3 to 5); later,
    `psfs_ratings` rate the saved activities in order. Raises ValidationError
    with a message for the patient when the answers do not fit.
    """
    already = existing_submission(Sitting, submission_token, patient=patient)
    if already is not None:
        return already
    due = due_for(patient=patient, today=local_date)
    if not due.due:
        answered_today = due.next_on == local_date + timedelta(days=QUESTIONNAIRE_INTERVAL_DAYS)
        raise ValidationError(ALREADY_TODAY_MESSAGE if answered_today else NOT_DUE_MESSAGE)
    if due.baseline:
        names = [name.strip() for name in (activity_names or []) if name and name.strip()]
        if not PSFS_MIN_ACTIVITIES <= len(names) <= PSFS_MAX_ACTIVITIES:
            raise ValidationError("Name at least 3 activities, and at most 5.")
        if pgic is not None:
            raise ValidationError("The question about change is asked from the second questionnaire on.")
        activities = [PsfsActivity(patient=patient, position=i, name=name) for i, name in enumerate(names, start=1)]
    else:
        activities = list(PsfsActivity.objects.filter(patient=patient).order_by("position"))
        if pgic is None:
            raise ValidationError({"pgic": "Choose how your problem has changed since you started."})
    if len(psfs_ratings) != len(activities):
        raise ValidationError("Rate each of your activities from 0 to 10.")
    try:
        scores = {
            Instrument.PSFS: psfs_score(psfs_ratings),
            Instrument.PEG: peg_score(*(peg[question.link_id] for question in PEG_QUESTIONS)),
        }
        if pgic is not None:
            scores[Instrument.PGIC] = pgic_score(pgic)
    except (KeyError, ValueError, TypeError) as error:
        raise ValidationError(f"Some answers are missing or out of range ({error}).") from None
    try:
        with transaction.atomic():
            if due.baseline:
                activities = PsfsActivity.objects.bulk_create(activities)
            sitting = Sitting.objects.create(
                patient=patient,
                local_date=local_date,
                baseline=due.baseline,
                **({"submission_token": submission_token} if submission_token else {}),
            )
    except IntegrityError:
        # A second tab or a race got there first: the first one stands.
        already = existing_submission(Sitting, submission_token, patient=patient)
        if already is not None:
            return already
        raise ValidationError(ALREADY_TODAY_MESSAGE) from None
    responses = {
        instrument: Response(sitting=sitting, instrument=instrument, score=score, baseline=due.baseline)
        for instrument, score in scores.items()
    }
    Response.objects.bulk_create(responses.values())
    answers = [
        Answer(
            response=responses[Instrument.PSFS],
            link_id=psfs_link_id(activity.position),
            value=rating,
            activity=activity,
        )
        for activity, rating in zip(activities, psfs_ratings, strict=True)
    ]
    answers += [
        Answer(response=responses[Instrument.PEG], link_id=question.link_id, value=peg[question.link_id])
        for question in PEG_QUESTIONS
    ]
    if pgic is not None:
        answers.append(Answer(response=responses[Instrument.PGIC], link_id="pgic", value=pgic))
    Answer.objects.bulk_create(answers)
    QuestionnaireAsk.objects.filter(patient=patient, answered_by__isnull=True).update(answered_by=sitting)
    return sitting


def ask_now(*, patient: User, clinician: User) -> tuple[QuestionnaireAsk, bool]:
    """Ask the patient for a questionnaire now. While an ask is open, asking again returns it (created=False)."""
    open_ask = QuestionnaireAsk.objects.filter(patient=patient, answered_by__isnull=True).first()
    if open_ask is not None:
        return open_ask, False
    try:
        with transaction.atomic():
            return QuestionnaireAsk.objects.create(patient=patient, asked_by=clinician), True
    except IntegrityError:
        return QuestionnaireAsk.objects.get(patient=patient, answered_by__isnull=True), False
