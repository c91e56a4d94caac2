import time

from django.core.management.base import BaseCommand

from tracker.models import Role, User
from tracker.services.summaries import summary_refresh


class Command(BaseCommand):
    help = (
        "Recompute every patient's caseload-dashboard summary from their check-ins and sessions. "
        "Safe to run at any time; needed only after data was loaded without the app's services."
    )

    def add_arguments(self, parser):
        parser.add_argument("--patient", action="append", default=[], help="Only this username (may be repeated).")

    def handle(self, *args, patient: list[str], **options):
        started = time.perf_counter()
        patients = User.objects.filter(role=Role.PATIENT).order_by("pk")
        if patient:
            patients = patients.filter(username__in=patient)
        count = 0
        for one in patients.iterator(chunk_size=500):
            summary_refresh(patient=one)
            count += 1
        self.stdout.write(
            self.style.SUCCESS(f"Refreshed {count} patient summaries in {time.perf_counter() - started:.1f}s.")
        )
