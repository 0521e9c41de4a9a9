from django.core.management import call_command

from wspolpraca.core import jobs


def test_the_overdue_request_reminder_is_a_daily_job():
    assert "wspolpraca.competitions.city_requests.remind_overdue_task" in [
        f"{task.func.__module__}.{task.func.__name__}" for task in jobs._daily
    ]


def test_nightly_queues_the_daily_jobs(db, capsys, monkeypatch):
    from wspolpraca.organizations.models import KrsWatchRun
    from wspolpraca.organizations.watch import default_day

    # The day's KRS watch is done, so only the daily jobs are queued.
    KrsWatchRun.objects.create(day=default_day(), status=KrsWatchRun.Status.DONE)
    queued = []
    monkeypatch.setattr(
        jobs, "_daily", [type("T", (), {"name": "job", "enqueue": lambda: queued.append(1)})]
    )
    call_command("nightly")
    assert queued == [1]
    assert "job queued." in capsys.readouterr().out
