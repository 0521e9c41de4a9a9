"""Background tasks of the organizations app (django-tasks)."""

from datetime import date

from django_tasks import task


@task()
def krs_watch_task(day_iso=None):
    """Run (or resume) the KRS watch for a day given as YYYY-MM-DD (default: yesterday)."""
    from .watch import run_watch

    run = run_watch(date.fromisoformat(day_iso) if day_iso else None)
    return {
        "day": run.day.isoformat(),
        "status": run.status,
        "numbers_in_bulletin": run.numbers_in_bulletin,
        "refreshed": run.refreshed_count,
        "new": run.new_count,
        "last_checked_krs": run.last_checked_krs,
    }
