"""django-otp-webauthn told the site's own origin and domain from the (validated) request.

Django has already checked the Host header against ALLOWED_HOSTS, so the
origin built from it is one this deployment answers to, and passkeys are
bound to that domain. (A fixed list in settings could not follow a clinic's
own host name, nor the test server's port.)
"""

from django.http import HttpRequest
from django_otp_webauthn.helpers import WebAuthnHelper


def relying_party_domain(request: HttpRequest) -> str:
    """The host the patient or clinician is on, without a port: passkeys belong to it."""
    host = request.get_host()
    if host.startswith("["):  # an IPv6 literal such as [::1]:8000
        return host[1 : host.index("]")]
    return host.rsplit(":", 1)[0]


class SiteWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]
