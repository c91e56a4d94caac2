"""Small display helpers for the clinician review pages."""

from django import template

from ..models import Severity

register = template.Library()

SEVERITY_BADGES = {
    Severity.EMERGENCY: "badge-emergency",
    Severity.CONTACT_PROVIDER: "badge-contact",
    Severity.REVIEW_EXERCISE: "badge-review",
}


@register.filter
def severity_badge(severity: int | None) -> str:
    """The badge class for a flag severity; a muted badge when there is none."""
    return SEVERITY_BADGES.get(severity, "badge-muted")


@register.filter
def signed(value: float | None, digits: int = 1) -> str:
    """A change as +1.5, 0.0 or minus 0.5 (or +2 and 0 with 0 digits), with a real minus sign; empty when unknown."""
    if value is None:
        return ""
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return f"+{text}" if value > 0 else f"\u2212{text}"
