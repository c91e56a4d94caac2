from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.mfa.services import DEMO_NAME


class Command(BaseCommand):
    help = "Print the current sign-in code of a demo account's authenticator (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_code works only with DJANGO_DEBUG on: demo accounts never belong on a clinic.")
        device = TOTPDevice.objects.filter(user__username=username, name=DEMO_NAME, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no demo authenticator. Run manage.py seed_demo first.")
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        self.stdout.write(f"{totp.token():0{device.digits}d}")
