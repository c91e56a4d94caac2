"""Codes from an authenticator app, as a clinician's phone would show them."""

from django_otp.oath import TOTP


def totp_now(device) -> str:
    """The code the device's app shows right now."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"
