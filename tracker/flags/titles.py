"""The short titles clinicians see for a flag's rule, and the id of the flag that says a rule could not run."""

from .rules import RULES_BY_ID

SYSTEM_RULE_FAILED = "system.rule_failed"
SYSTEM_RULE_FAILED_TITLE = "A safety check could not run"


def title_for(rule_id: str) -> str:
    """The title of a flag's rule (the id itself for a rule that no longer exists)."""
    if rule_id == SYSTEM_RULE_FAILED:
        return SYSTEM_RULE_FAILED_TITLE
    rule = RULES_BY_ID.get(rule_id)
    return rule.title if rule else rule_id
