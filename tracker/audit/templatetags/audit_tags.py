from django import template

from tracker.audit import policy

register = template.Library()


@register.filter
def can_review_clinic_audit(user) -> bool:
    """Whether to offer the audit-trail review in the menu (the same rule as the page's own)."""
    return policy.can_review_clinic_audit(user)
