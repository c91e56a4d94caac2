from django.db import models


class PasswordResetRequest(models.Model):
    """One request for a password-reset e-mail, kept for an hour or so to limit how many anyone can ask for.

    The e-mail address is stored only as a keyed hash: this table must not
    become a list of who uses the tracker.
    """

    email_hash = models.CharField(max_length=64)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["email_hash", "requested_at"], name="reset_request_email_idx"),
            models.Index(fields=["client_address", "requested_at"], name="reset_request_address_idx"),
        ]

    def __str__(self) -> str:
        return f"Password reset asked from {self.client_address} at {self.requested_at:%Y-%m-%d %H:%M}"
