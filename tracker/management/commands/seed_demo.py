import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from routines import demo as routines_demo
from tracker import demo, demo_history
from tracker.audit.demo import seed_audit
from tracker.mfa.demo import give_demo_authenticators
from tracker.models import PatientSummary
from tracker.outcomes.demo import seed_questionnaires
from tracker.reminders import demo as reminders_demo
from tracker.services.flags import flags_evaluate
from tracker.services.summaries import summary_refresh


class Command(BaseCommand):
    help = (
        "Build the demo clinic: an admin, a physiotherapist, a doctor and three patients, "
        "linked in care teams. Safe to run again: it changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--patients", type=int, default=0, help="Extra patients to add for measuring.")
        parser.add_argument("--days", type=int, default=0, help="Days of history for each extra patient.")
        parser.add_argument(
            "--caseload",
            type=int,
            default=None,
            help="How many of the extra patients demo-physio and demo-doctor look after (default: up to "
            f"{demo.BENCH_CASELOAD}); the others are shared between other physiotherapists of the clinic.",
        )
        parser.add_argument("--force", action="store_true", help="Run even with debug off (never on a live clinic).")

    def handle(self, *args, patients: int, days: int, caseload: int | None, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a known password, so it refuses to run with DJANGO_DEBUG off. "
                "Use --force only on a throwaway database."
            )
        caseload = min(patients, demo.BENCH_CASELOAD) if caseload is None else caseload
        if patients < 0 or days < 0 or caseload < 0:
            raise CommandError("--patients, --days and --caseload must be zero or more.")
        if patients > 20000 or days > 3650:
            raise CommandError("--patients is limited to 20000 and --days to 3650.")
        password = os.environ.get("DEMO_PASSWORD") or demo.DEMO_PASSWORD
        started = time.perf_counter()
        timings: dict[str, float] = {}
        step_started = started

        def step(name: str) -> None:
            nonlocal step_started
            now = time.perf_counter()
            timings[name] = timings.get(name, 0.0) + now - step_started
            step_started = now

        clinic = demo.build_clinic(password=password)
        # Clinicians and the admin sign in with a second step; the demo ones share a published key.
        give_demo_authenticators([clinic.physio, clinic.doctor, clinic.admin, clinic.other_physio])
        step("demo clinic")
        if patients:
            demo.add_extra_patients(clinic=clinic, count=patients, password=password, caseload=caseload)
            step("extra patients and care teams")
        # Later steps add, in this order: programs and clearances, then daily
        # history, then the flags that history raises.
        # Programs and clearances (routines).
        routines_demo.seed_programs(clinic=clinic)
        if clinic.extra_patients:
            routines_demo.seed_programs_bulk(
                patients=clinic.extra_patients,
                physio=clinic.physio,
                doctor=clinic.doctor,
                physio_of=clinic.physio_of,
            )
        step("programs and clearances")
        # Daily history: check-ins and exercise sessions.
        demo_history.seed_history(clinic=clinic)
        step("demo history")
        if clinic.extra_patients and days:
            # Also the summaries and flags of the patients it seeds, worked out from the rows it writes.
            demo_history.seed_bulk_history(patients=clinic.extra_patients, days=days, timings=timings)
            step_started = time.perf_counter()
        # Questionnaires (PSFS, PEG, PGIC) at the start and two weeks later.
        seed_questionnaires(patients=clinic.demo_patients)
        # Flags: the rules run over the history just seeded, as they would after each check-in
        # (so demo-patient-flagged's rising pain opens its contact-provider flag). Idempotent:
        # a second run updates the same open flags.
        for patient in clinic.demo_patients:
            flags_evaluate(patient=patient)
        # The audit trail: a few past visits by the demo clinicians, for "Who has looked at my record".
        seed_audit(clinic=clinic)
        step("questionnaires, demo flags and audit")
        if clinic.extra_patients:
            # Fresh planner statistics after the bulk load, so the reads below (and the pages) use the indexes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            step("analyze")
        # Clinician review: the caseload dashboard's summaries, last, after everything they summarise.
        # The bulk history wrote its patients' summaries; an extra patient without one (no --days) gets one here.
        summarised = set(
            PatientSummary.objects.filter(patient__in=clinic.extra_patients).values_list("patient_id", flat=True)
        )
        for patient in [*clinic.demo_patients, *clinic.extra_patients]:
            if patient.pk not in summarised:
                summary_refresh(patient=patient)
        step("remaining summaries")
        # Reminders: the demo people's reminder times and a week of past reminders.
        reminders_demo.seed_reminders(patients=clinic.demo_patients, clinicians=[clinic.physio, clinic.doctor])
        step("reminders")
        if options["verbosity"] >= 2:
            for name, seconds in timings.items():
                self.stdout.write(f"  {name}: {seconds:.1f}s")

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic ready in {time.perf_counter() - started:.1f}s: "
                f"{len(clinic.demo_patients) + len(clinic.extra_patients)} patients. "
                "Sign in as demo-patient-active, demo-physio (also the clinic manager), demo-doctor or demo-admin; "
                "demo-hillview-physio and demo-hillview-patient belong to a second clinic."
            )
        )
