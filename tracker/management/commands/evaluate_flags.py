from django.core.management.base import BaseCommand, CommandError

from tracker.services.flags import flags_evaluate_recent


class Command(BaseCommand):
    help = (
        "Run the flag rules for every patient with recent activity or an open flag (this is what notices a "
        "patient who reported worse symptoms and then stopped checking in), and queue care-team e-mails that "
        "are due. Run it once a day, e.g. from cron, or enqueue tracker.tasks.evaluate_flags_daily. "
        "Exits with an error if any rule could not run, after evaluating everyone."
    )

    def handle(self, *args, **options):
        report = flags_evaluate_recent()
        self.stdout.write(
            f"Evaluated {report.patients} patients: {report.opened} flags opened, {report.updated} updated, "
            f"{report.no_longer_applies} no longer apply; {report.emails_queued} e-mails queued."
        )
        if report.failures:
            for patient_id, rule_id, error in report.failures:
                self.stderr.write(f"Patient {patient_id}: rule {rule_id} could not run: {error}")
            raise CommandError(f"{len(report.failures)} flag rule runs failed; see above and the server log.")
