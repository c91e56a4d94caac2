"""Password-reset e-mails that reveal nothing about who has an account, and cannot be used to flood anyone.

The reset page answers the same way, doing the same work, whether or not the
address belongs to someone: it records the request and queues one background
task (tracker.signin.tasks.send_password_reset), which looks the address up
and sends the e-mail, if any, from the worker. So the answer takes the same
time either way (sending mail at once took ~300 ms and gave accounts away).

Requests are limited per address asked about (PASSWORD_RESET_PER_EMAIL_PER_HOUR)
and per client (PASSWORD_RESET_PER_CLIENT_PER_HOUR); over a limit, the page
still says the same thing and nothing is sent.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tracker.jobs.queue import enqueue_durably

from .addresses import client_address
from .models import PasswordResetRequest

logger = logging.getLogger(__name__)

WINDOW = timedelta(hours=1)


def email_hash(email: str) -> str:
    return salted_hmac("tracker.signin.password_reset", email.strip().casefold()).hexdigest()


@transaction.atomic
def password_reset_request(*, email: str, address: str | None, domain: str, use_https: bool) -> bool:
    """Record the request and, within the limits, queue the e-mail. True if queued. Same work whoever asks."""
    from .tasks import send_password_reset

    now = timezone.now()
    hashed = email_hash(email)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=now - WINDOW)
    for_email = recent.filter(email_hash=hashed).count()
    from_client = recent.filter(client_address=address).count() if address else 0
    PasswordResetRequest.objects.create(email_hash=hashed, client_address=address or None)
    # Old requests go as new ones come in; nothing else needs them.
    PasswordResetRequest.objects.filter(requested_at__lt=now - 2 * WINDOW).delete()
    if (
        for_email >= settings.PASSWORD_RESET_PER_EMAIL_PER_HOUR
        or from_client >= settings.PASSWORD_RESET_PER_CLIENT_PER_HOUR
    ):
        logger.warning("Password-reset e-mail not sent: too many requests (client %s)", address)
        return False
    enqueue_durably(send_password_reset, email, domain, use_https)
    return True


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, but the e-mail is sent by the background worker (see the module docstring)."""

    def save(self, *, request=None, use_https=False, domain_override=None, **kwargs) -> None:
        password_reset_request(
            email=self.cleaned_data["email"],
            address=client_address(request) if request is not None else None,
            domain=domain_override or (request.get_host() if request is not None else "localhost"),
            use_https=use_https,
        )
