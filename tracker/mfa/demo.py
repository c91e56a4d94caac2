"""The demo clinicians' authenticator: one shared, published key, for the README's demo only.

`seed_demo` (which refuses to run with debug off) gives each demo clinician and
the demo admin a confirmed authenticator-app device with DEMO_TOTP_KEY. Add
the key to any authenticator app, or print the current code with
`manage.py demo_code <username>` (also refused with debug off). The sign-in
page for these accounts says so, and only with debug on.
"""

import base64

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.models import User

from .services import DEMO_NAME

# Base32, as authenticator apps take it.
DEMO_TOTP_KEY = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


def demo_key_hex() -> str:
    return base64.b32decode(DEMO_TOTP_KEY).hex()


@transaction.atomic
def give_demo_authenticators(users: list[User]) -> None:
    for user in users:
        TOTPDevice.objects.get_or_create(user=user, name=DEMO_NAME, defaults={"key": demo_key_hex(), "confirmed": True})
