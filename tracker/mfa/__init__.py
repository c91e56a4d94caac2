"""The second factor: an authenticator app (TOTP) with one-time recovery codes, or a passkey (WebAuthn).

Built on django-otp (TOTP and static recovery codes) and django-otp-webauthn
(passkeys); no cryptography of our own. Clinicians and staff must use one
(RequireSecondFactorMiddleware); a patient may turn it on.
"""
