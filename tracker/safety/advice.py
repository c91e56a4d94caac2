"""Emergency advice from a patient's own answers.

The flag rules (tracker.flags.rules) decide what the care team sees. This
module only reads the same table of emergency warning signs
(EMERGENCY_CHECKLISTS) so that a patient who ticked one is told to get
emergency care even when the rules could not run for them, or the check-in
could not be saved at all.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from tracker.flags.rules import EMERGENCY_CHECKLISTS, join_words
from tracker.models import Flag, Severity, User


@dataclass(frozen=True)
class EmergencySign:
    field: str
    words: str  # what the patient told us, in their words ("numbness around your bottom or genitals")


def emergency_signs(*, answers: Mapping[str, object], condition: str) -> list[EmergencySign]:
    """The emergency warning signs ticked in these check-in answers, in checklist order. No queries."""
    return [
        EmergencySign(field=field, words=words)
        for checklist in EMERGENCY_CHECKLISTS
        if checklist.applies_to(condition)
        for field, words in checklist.signs.items()
        if answers.get(field) is True or answers.get(field) in ("on", "true", "True", "1")
    ]


def uncovered_emergency_signs(*, patient: User, answers: Mapping[str, object]) -> list[EmergencySign]:
    """Signs ticked in `answers` that no unresolved emergency flag of the patient names yet.

    Right after a save, an empty list means the rules ran and the emergency
    banner says it all; anything left is advice the patient must still get.
    One query, and none when nothing was ticked.
    """
    signs = emergency_signs(answers=answers, condition=patient.condition)
    if not signs:
        return []
    covered: set[str] = set()
    emergencies = Flag.objects.unresolved().filter(patient=patient, severity=Severity.EMERGENCY)
    for evidence in emergencies.values_list("evidence", flat=True):
        covered.update((evidence or {}).get("signs", []))
    return [sign for sign in signs if sign.field not in covered]


def signs_in_words(signs: list[EmergencySign]) -> str:
    """ "numbness around your bottom or genitals and a foot that drops or drags when you walk"."""
    return join_words([sign.words for sign in signs])


def emergency_advice(signs: list[EmergencySign]) -> str:
    """What the patient is told about their own ticked warning signs (empty if none)."""
    if not signs:
        return ""
    return f"You told us about {signs_in_words(signs)}. This needs a doctor today."
