"""Run the KRS watch for one day now, without the task queue (for staff and testing)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from wspolpraca.organizations.models import KrsWatchRun
from wspolpraca.organizations.watch import run_watch


class Command(BaseCommand):
    help = "Run (or resume) the KRS watch for a bulletin day, synchronously."

    def add_arguments(self, parser):
        parser.add_argument(
            "--day", type=date.fromisoformat, help="Bulletin day, YYYY-MM-DD (default: yesterday)."
        )

    def handle(self, *args, day=None, **options):
        run = run_watch(day)
        self.stdout.write(
            f"{run.day}: {run.get_status_display()} — {run.numbers_in_bulletin} numbers, "
            f"{run.refreshed_count} refreshed, {run.new_count} new, "
            f"last checked {run.last_checked_krs or '—'}."
        )
        if run.status == KrsWatchRun.Status.FAILED:
            raise CommandError(run.log.strip().splitlines()[-1])
