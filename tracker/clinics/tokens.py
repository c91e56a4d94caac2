"""Signed links for invitations and e-mail changes, built on django.core.signing (timestamped, salted).

A link carries the row's id and the moment it was last sent (or the addresses
involved), signed with SECRET_KEY and a purpose-specific salt. Django checks
the signature and the age; this module then checks the row is still the one
the link was made for, so a resent, used or cancelled invitation's old link
stops working.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core import signing

from .models import INVITATION_DAYS

INVITATION_SALT = "tracker.clinics.invitation"
EMAIL_CHANGE_SALT = "tracker.clinics.email-change"
EMAIL_CHANGE_MAX_AGE = timedelta(days=2)


class LinkProblem(Exception):
    """Why a link cannot be used, as a short code the page explains (see LINK_PROBLEMS)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def invitation_token(invitation) -> str:
    return signing.dumps({"i": invitation.pk, "s": int(invitation.sent_at.timestamp())}, salt=INVITATION_SALT)


@dataclass(frozen=True)
class InvitationClaim:
    invitation_id: int
    sent_at: int


def read_invitation_token(token: str) -> InvitationClaim:
    """The claim in a genuine, unexpired link; LinkProblem("expired") or ("forged") otherwise."""
    try:
        value = signing.loads(token, salt=INVITATION_SALT, max_age=timedelta(days=INVITATION_DAYS))
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("forged") from None
    if not isinstance(value, dict) or not isinstance(value.get("i"), int) or not isinstance(value.get("s"), int):
        raise LinkProblem("forged")
    return InvitationClaim(invitation_id=value["i"], sent_at=value["s"])


def email_change_token(*, user, new_email: str) -> str:
    return signing.dumps({"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


def read_email_change_token(token: str) -> dict:
    try:
        value = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise LinkProblem("expired") from None
    except signing.BadSignature:
        raise LinkProblem("forged") from None
    if not isinstance(value, dict) or not {"u", "old", "new"} <= set(value):
        raise LinkProblem("forged")
    return value
