"""`manage.py schedule_reminders`: queue the reminders and digests that are due (tracker.reminders.scheduler).

Production runs one pass every five minutes from deploy/systemd/tracker-reminders.timer;
development (`make run`) runs it in a loop with `--every 60`. Any number may run at
once: each reminder is queued once. The background worker sends them.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from tracker.reminders.scheduler import schedule_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Queue the patients' reminders and the clinicians' digests that are due now (safe to run at once)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=None, help="Keep running, one pass every this many seconds.")
        parser.add_argument("--count", type=int, default=None, help="With --every: stop after this many passes.")

    def handle(self, *, every, count, verbosity, **options):
        if every is not None and every < 0:
            raise CommandError("--every must be 0 or more seconds.")
        passes = 0
        while True:
            try:
                report = schedule_due()
            except DatabaseError as error:
                if every is None:
                    raise CommandError(f"The database could not be reached: {error}") from error
                logger.warning("Reminder scheduler: database unavailable (%s); trying again", error)
                close_old_connections()
            else:
                if verbosity >= 1 and (every is None or report.queued or report.requeued):
                    self.stdout.write(f"Reminders: {report}")
            passes += 1
            if every is None or (count is not None and passes >= count):
                return
            time.sleep(every)
