"""What clinicians read about a flag: its rule's title and its summary; the id of the "rule could not run" flag."""

from .rules import RULES_BY_ID

SYSTEM_RULE_FAILED = "system.rule_failed"
SYSTEM_RULE_FAILED_TITLE = "A safety check could not run"


def title_for(rule_id: str) -> str:
    """The title of a flag's rule (the id itself for a rule that no longer exists)."""
    if rule_id == SYSTEM_RULE_FAILED:
        return SYSTEM_RULE_FAILED_TITLE
    rule = RULES_BY_ID.get(rule_id)
    return rule.title if rule else rule_id


def clinician_words(flag) -> str:
    """The flag as the care team reads it, whole: the clinician's summary stored when the rule found it.

    Every clinician surface (pages, the report, e-mails, FHIR) shows this, never
    the patient's explanation. A flag stored without a summary (none should be:
    the engine writes both voices and migration 0007 filled in older flags) falls
    back to its rule's title rather than to the patient's words.
    """
    return flag.clinician_summary or f"{title_for(flag.rule_id)}."
