"""Browser notifications (Web Push with VAPID keys), through pywebpush.

Push is on only when VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY and VAPID_SUBJECT
are all set; otherwise reminders go by e-mail and the settings page says so.
`manage.py vapid_keys` prints a fresh pair.
"""

import json
import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from .models import PushSubscription

logger = logging.getLogger(__name__)

PUSH_TTL_SECONDS = 4 * 60 * 60
PUSH_TIMEOUT_SECONDS = 10
GONE = {404, 410}


def push_enabled() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY and settings.VAPID_SUBJECT)


@dataclass
class PushOutcome:
    delivered: int = 0
    failed: int = 0
    removed: int = 0
    errors: list[str] | None = None


def send_push(*, subscriptions: list[PushSubscription], title: str, body: str, url: str, tag: str) -> PushOutcome:
    """Send one notification to each browser. Browsers the push service no longer knows are forgotten."""
    # Imported here, not at the top: pywebpush brings aiohttp and requests, which only the background
    # worker needs, and web workers would otherwise each carry them (about 15 MB).
    from pywebpush import WebPushException, webpush

    outcome = PushOutcome(errors=[])
    payload = json.dumps({"title": title, "body": body, "url": url, "tag": tag})
    for subscription in subscriptions:
        try:
            webpush(
                subscription_info={
                    "endpoint": subscription.endpoint,
                    "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
                },
                data=payload,
                vapid_private_key=settings.VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.VAPID_SUBJECT},  # a new dict each time: pywebpush adds to it
                ttl=PUSH_TTL_SECONDS,
                timeout=PUSH_TIMEOUT_SECONDS,
            )
        except WebPushException as error:
            status = getattr(error.response, "status_code", None)
            if status in GONE:
                # The browser unsubscribed or the subscription expired: it will never work again.
                subscription.delete()
                outcome.removed += 1
            else:
                outcome.failed += 1
                outcome.errors.append(f"push {status or ''}: {error}"[:300])
        except Exception as error:  # a network error or a malformed subscription; the e-mail still goes
            outcome.failed += 1
            outcome.errors.append(f"push: {type(error).__name__}: {error}"[:300])
        else:
            outcome.delivered += 1
            PushSubscription.objects.filter(pk=subscription.pk).update(last_used_at=timezone.now())
    return outcome
