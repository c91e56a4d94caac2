"""The three questionnaires, written for this app in plain words.

Each is a free-to-use outcome measure; the wording here is our own (patients:
reading grade 8 or below). No licensed instrument (Oswestry, Neck Disability
Index) is reproduced. `link_id`s are stable: the stored answers and the FHIR
Questionnaire resources use them.
"""

from dataclasses import dataclass

from django.db import models


class Instrument(models.TextChoices):
    PSFS = "psfs", "Patient-Specific Functional Scale (PSFS)"
    PEG = "peg", "PEG-3: pain, enjoyment of life, general activity (PEG)"
    PGIC = "pgic", "Patient Global Impression of Change (PGIC)"


SHORT_NAMES = {Instrument.PSFS: "PSFS", Instrument.PEG: "PEG", Instrument.PGIC: "PGIC"}

PSFS_MIN_ACTIVITIES = 3
PSFS_MAX_ACTIVITIES = 5


@dataclass(frozen=True)
class Question:
    link_id: str
    text: str  # what the patient reads
    low: str  # what 0 (or the first choice) means
    high: str  # what 10 (or the last choice) means


PSFS_INTRO = (
    "Think of 3 to 5 everyday things that are hard for you now because of your neck or back. "
    "For example: carrying shopping, sitting through a film, getting dressed or playing with your children."
)
PSFS_RATING_QUESTION = "How well can you do this now?"
PSFS_LOW = "0 = I cannot do it at all"
PSFS_HIGH = "10 = I can do it as well as before my problem started"

PEG_QUESTIONS = (
    Question(
        "peg-pain",
        "Over the last 7 days, how bad was your pain on average?",
        "0 = no pain",
        "10 = the worst pain you can imagine",
    ),
    Question(
        "peg-enjoyment",
        "Over the last 7 days, how much did pain get in the way of enjoying your life?",
        "0 = not at all",
        "10 = it took all the joy away",
    ),
    Question(
        "peg-activity",
        "Over the last 7 days, how much did pain get in the way of your usual daily tasks?",
        "0 = not at all",
        "10 = I could not do them at all",
    ),
)

PGIC_QUESTION = "Since you started with us, how has your neck or back problem changed overall?"
# 1 best ... 7 worst, as on the published 7-point scale. Patient words first, then the clinician's.
PGIC_CHOICES = (
    (1, "A great deal better", "Very much improved"),
    (2, "Much better", "Much improved"),
    (3, "A little better", "Minimally improved"),
    (4, "No change", "No change"),
    (5, "A little worse", "Minimally worse"),
    (6, "Much worse", "Much worse"),
    (7, "A great deal worse", "Very much worse"),
)
PGIC_PATIENT_WORDS = {value: patient for value, patient, _ in PGIC_CHOICES}
PGIC_CLINICIAN_WORDS = {value: clinician for value, _, clinician in PGIC_CHOICES}


def psfs_link_id(position: int) -> str:
    return f"psfs-activity-{position}"
