"""One plain reason per contact rule, for the headline of the patient's flag banner.

The full explanation of each flag (with the numbers) sits behind "Why?"; this
is the single short reason said once above it, grade 6 words. Several pain
rules share a reason, so a patient with three pain flags reads it once.
"""

PLAIN_REASONS = {
    "contact.pain_rising": "your pain has gone up",
    "contact.pain_setback": "your pain has gone up",
    "contact.pain_high_day": "your pain has gone up",
    "contact.nerve_symptoms_spreading": "your numbness or tingling has lasted more than two days",
    "contact.new_weakness": "you told us about new or worse weakness",
    "contact.general_warning_signs": "you told us about fever, weight loss or pain at night",
    "contact.not_heard_from_you": "we have not heard from you since your symptoms got worse",
}
FALLBACK = "something in your check-ins has changed"


def plain_reasons(rule_ids) -> list[str]:
    """The distinct plain reasons for these rules, in the order first met."""
    reasons: list[str] = []
    for rule_id in rule_ids:
        reason = PLAIN_REASONS.get(rule_id, FALLBACK)
        if reason not in reasons:
            reasons.append(reason)
    return reasons
