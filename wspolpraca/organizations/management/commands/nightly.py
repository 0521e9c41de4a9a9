"""Queue the nightly work: the KRS watch for yesterday's bulletin, and the daily jobs apps
register in core.jobs (reminders of overdue requests).

`manage.py nightly` queues it once (nothing happens when that day's run is already done);
`manage.py nightly --loop` keeps running next to `manage.py db_worker` and queues it once a
day after settings.KRS_WATCH_HOUR, Warsaw time, checking every five minutes.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from wspolpraca.core import jobs
from wspolpraca.organizations.models import KrsWatchRun
from wspolpraca.organizations.tasks import krs_watch_task
from wspolpraca.organizations.watch import WARSAW, default_day

logger = logging.getLogger(__name__)

CHECK_EVERY = 300  # seconds


def due_day(now, last_enqueued=None):
    """The bulletin day to queue at `now`, or None: after KRS_WATCH_HOUR (Warsaw time) the
    day before today, unless it was already queued by this process."""
    local = timezone.localtime(now, WARSAW)
    if local.hour < settings.KRS_WATCH_HOUR:
        return None
    day = local.date() - timedelta(days=1)
    return None if day == last_enqueued else day


def enqueue_watch(day):
    """Queue the watch for `day`; returns False (and queues nothing) when it is done."""
    if KrsWatchRun.objects.filter(day=day, status=KrsWatchRun.Status.DONE).exists():
        return False
    krs_watch_task.enqueue(day.isoformat())
    return True


class Command(BaseCommand):
    help = "Queue the nightly KRS watch (once, or every day with --loop)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", action="store_true", help="Keep running and queue the work once a day."
        )
        parser.add_argument(
            "--every",
            type=int,
            default=CHECK_EVERY,
            help="With --loop: seconds between checks (default 300).",
        )

    def handle(self, *args, loop=False, every=CHECK_EVERY, **options):
        if not loop:
            self._enqueue(default_day())
            return
        self.stdout.write(
            f"Nightly scheduler: the KRS watch runs after {settings.KRS_WATCH_HOUR}:00 "
            "Warsaw time. Stop with Ctrl+C."
        )
        last_enqueued = None
        try:
            while True:
                try:
                    day = due_day(timezone.now(), last_enqueued)
                    if day is not None:
                        self._enqueue(day)
                        last_enqueued = day
                except Exception:
                    logger.exception("nightly: could not queue the work; will try again")
                time.sleep(max(every, 1))
        except KeyboardInterrupt:
            self.stdout.write("Nightly scheduler stopped.")

    def _enqueue(self, day):
        if enqueue_watch(day):
            self.stdout.write(f"KRS watch for {day} queued.")
        else:
            self.stdout.write(f"KRS watch for {day} is already done; nothing queued.")
        for name in jobs.enqueue_daily():
            self.stdout.write(f"{name} queued.")
