"""Setting up, using and resetting second factors. Every function is one transaction."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from tracker.audit.models import AuditAction
from tracker.audit.services import audit_record
from tracker.models import User

RECOVERY_CODE_COUNT = 10
RESET_AUDIT_NAME = "second_factors_reset"
AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
# Demo accounts' authenticator, made by seed_demo and usable only with debug on.
DEMO_NAME = "Demo authenticator (development only)"
CODE_MESSAGE = "That code did not work. Enter the 6 digits your app shows now, or one of your recovery codes."
THROTTLED_MESSAGE = "Too many wrong codes in a row. Wait a few seconds, then enter the code your app shows then."


@transaction.atomic
def totp_start(*, user: User) -> TOTPDevice:
    """The user's authenticator-app set-up in progress (a new secret, not yet confirmed), reusing one begun earlier."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the set-up with a code from the app; returns the device and fresh recovery codes (shown once).

    Raises ValidationError if there is no set-up in progress or the code is wrong.
    """
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise ValidationError("Start the set-up again: scan the new code with your app.")
    if not device.verify_token(_digits(token)):
        raise ValidationError({"token": "That code did not work. Enter the 6 digits your app shows now."})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    # One authenticator app at a time: a new one replaces any older one.
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device, _new_recovery_codes(user)


def _digits(token: str) -> str:
    return "".join(character for character in (token or "") if not character.isspace())[:64]


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User) -> list[str]:
    """New recovery codes replacing the old ones (the old ones stop working). Needs a confirmed factor."""
    if not any(True for _ in devices_for_user(user, confirmed=True)):
        raise ValidationError("Set up your authenticator app or a passkey first.")
    return _new_recovery_codes(user)


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_NAME).count()


@dataclass(frozen=True)
class Verified:
    device: object
    used_recovery_code: bool


def second_factor_verify(*, user: User, token: str) -> Verified:
    """Check a code from the authenticator app (digits) or a recovery code (letters and digits), used up once it works.

    A code goes only to the kind of factor it looks like, so using a recovery
    code does not count as a wrong app code. django-otp slows down guessing
    (each failure doubles the wait). Raises ValidationError (on "token") if
    nothing accepts the code.
    """
    token = _digits(token)
    if not token:
        raise ValidationError({"token": CODE_MESSAGE})
    kind = TOTPDevice if token.isdigit() else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, kind):
                continue  # passkeys answer a challenge, not a typed code
            allowed, _ = device.verify_is_allowed()
            throttled = throttled or not allowed
            if allowed and device.verify_token(token.lower() if kind is StaticDevice else token):
                return Verified(device=device, used_recovery_code=kind is StaticDevice)
    raise ValidationError({"token": THROTTLED_MESSAGE if throttled else CODE_MESSAGE})


@transaction.atomic
def passkey_remove(*, user: User, passkey_id: int) -> None:
    """Remove one of the user's own passkeys. Someone else's id is not found (WebAuthnCredential.DoesNotExist)."""
    passkey = WebAuthnCredential.objects.get(pk=passkey_id, user=user)
    if user_must_keep_a_factor(user) and not _other_factor_exists(user, except_passkey=passkey.pk):
        raise ValidationError("Keep at least one way to confirm it is you: set up your authenticator app first.")
    passkey.delete()


def user_must_keep_a_factor(user: User) -> bool:
    from .policy import second_factor_required

    return second_factor_required(user)


def _other_factor_exists(user: User, *, except_passkey: int) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=except_passkey).exists()
    )


@transaction.atomic
def second_factor_turn_off(*, user: User) -> None:
    """A patient turns their second factor off. Clinicians and staff cannot: it is required for them."""
    if user_must_keep_a_factor(user):
        raise ValidationError("A second step at sign-in is required for clinic staff, so it cannot be turned off.")
    _remove_all_factors(user)


def _remove_all_factors(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()


@transaction.atomic
def second_factors_reset(*, user: User, by: User, client_address: str | None = None) -> None:
    """Remove every factor of `user` so they set up anew at their next sign-in (a lost phone, say).

    `by` must be someone allowed to (checked by the caller's selector). The
    reset is recorded in the audit trail in the same transaction: who reset
    whose factors, when, and from where (`client_address`, when the caller
    has a request: tracker.signin.addresses.client_address).
    """
    if by.pk == user.pk:
        raise ValidationError("You cannot reset your own second step; ask another clinic manager.")
    _remove_all_factors(user)
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        view_name=RESET_AUDIT_NAME,
        patient_id=user.pk if user.is_patient else None,
        object_type="second_factors",
        object_id=user.pk,
        client_address=client_address,
    )


def is_demo_device(device) -> bool:
    return settings.DEBUG and getattr(device, "name", "") == DEMO_NAME
