"""Building questionnaire history in tests."""

import uuid
from datetime import date

from tracker.outcomes.services import sitting_save


def first_answers(**overrides) -> dict:
    """A complete first questionnaire as the form posts it: three activities rated and the PEG answers."""
    data = {
        "submission_token": str(uuid.uuid4()),
        "activity_1": "Sitting through a film",
        "activity_2": "Putting on my socks",
        "activity_3": "Carrying the shopping",
        "rating_1": "3",
        "rating_2": "4",
        "rating_3": "2",
        "peg-pain": "7",
        "peg-enjoyment": "6",
        "peg-activity": "7",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def later_answers(**overrides) -> dict:
    data = {
        "submission_token": str(uuid.uuid4()),
        "rating_1": "6",
        "rating_2": "6",
        "rating_3": "4",
        "peg-pain": "4",
        "peg-enjoyment": "4",
        "peg-activity": "4",
        "pgic": "2",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def answered(patient, on: date, *, ratings=(3, 4, 2), peg=(7, 6, 7), pgic=None, names=None):
    """A stored questionnaire (the first one names the activities)."""
    baseline = not patient.questionnaires.exists()
    pain, enjoyment, activity = peg
    return sitting_save(
        patient=patient,
        local_date=on,
        activity_names=(names or ["Sitting", "Dressing", "Lifting", "Walking", "Driving"][: len(ratings)])
        if baseline
        else None,
        psfs_ratings=list(ratings),
        peg={"peg-pain": pain, "peg-enjoyment": enjoyment, "peg-activity": activity},
        pgic=pgic,
    )
