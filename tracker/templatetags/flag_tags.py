"""Display helpers for flags: the rule's short title, the severity as a word for CSS, lists in words."""

from django import template

from ..flags.plain_words import plain_reasons
from ..flags.titles import clinician_words, title_for
from ..models import Severity

register = template.Library()

SEVERITY_NAMES = {
    Severity.EMERGENCY: "emergency",
    Severity.CONTACT_PROVIDER: "contact",
    Severity.REVIEW_EXERCISE: "review",
}


@register.filter
def flag_title(flag) -> str:
    """The short title clinicians see for the flag's rule."""
    return title_for(flag.rule_id)


@register.filter(name="clinician_words")
def clinician_words_filter(flag) -> str:
    """The flag in the care team's words, whole (tracker.flags.titles.clinician_words)."""
    return clinician_words(flag)


@register.filter
def full_stop(text: str) -> str:
    """The text as a sentence: a full stop added unless it already ends with one (or ! or ?)."""
    text = str(text).rstrip()
    return text if not text or text[-1] in ".!?" else f"{text}."


@register.filter
def severity_name(severity: int) -> str:
    """ "emergency", "contact" or "review": the suffix of the banner-, badge- and alert- CSS classes."""
    return SEVERITY_NAMES.get(severity, "review")


@register.filter
def in_words(items) -> str:
    """["A", "B", "C"] as "A, B and C"."""
    items = [str(item) for item in items]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


@register.filter
def plain_reason(flags) -> str:
    """The flags' plain reasons as one sentence: "Your pain has gone up and you told us about new weakness."."""
    sentence = in_words(plain_reasons(flag.rule_id for flag in flags))
    return f"{sentence[:1].upper()}{sentence[1:]}." if sentence else ""
