"""Questionnaire history for the demo patients (seed_demo). Safe to run again: it adds nothing the second time.

demo-patient-active answered at the start and two weeks later and improved
meaningfully on both PSFS (+2.3 points) and PEG (-40%); demo-patient-flagged
got a little worse, below the meaningful thresholds; demo-patient-new has none,
so their Today page says a questionnaire is due.
"""

import uuid
from datetime import timedelta

from django.db import transaction
from django.db.models import Min

from tracker.models import CheckIn, User

from .models import Sitting
from .services import sitting_save

# (activities, [(PSFS ratings, PEG pain/enjoyment/activity, PGIC or None)] at the start and two weeks later)
COURSES = {
    "demo-patient-active": (
        ["Sitting through a film", "Putting on my socks", "Carrying the shopping"],
        [([3, 4, 2], (7, 6, 7), None), ([6, 6, 4], (4, 4, 4), 2)],
    ),
    "demo-patient-flagged": (
        ["Looking over my shoulder when driving", "Working at my laptop", "Sleeping through the night"],
        [([4, 4, 4], (5, 5, 5), None), ([4, 3, 4], (6, 6, 6), 5)],
    ),
}
_TOKEN_NAMESPACE = uuid.UUID("0b5f7a52-36c2-4b8f-9a55-d4b4e6c0a313")


def _answers(ratings, peg, pgic) -> dict:
    pain, enjoyment, activity = peg
    return {
        "psfs_ratings": ratings,
        "peg": {"peg-pain": pain, "peg-enjoyment": enjoyment, "peg-activity": activity},
        "pgic": pgic,
    }


@transaction.atomic
def seed_questionnaires(*, patients: list[User]) -> None:
    for patient in patients:
        course = COURSES.get(patient.username)
        if course is None or Sitting.objects.filter(patient=patient).exists():
            continue
        first_day = CheckIn.objects.filter(patient=patient).aggregate(first=Min("local_date"))["first"]
        if first_day is None:
            continue
        names, sittings = course
        for index, (ratings, peg, pgic) in enumerate(sittings):
            local_date = first_day + timedelta(days=14 * index)
            if local_date > patient.local_today():
                break
            sitting_save(
                patient=patient,
                local_date=local_date,
                activity_names=names if index == 0 else None,
                submission_token=uuid.uuid5(_TOKEN_NAMESPACE, f"{patient.username}-{index}"),
                **_answers(ratings, peg, pgic),
            )
