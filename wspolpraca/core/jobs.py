"""Daily jobs: each app registers, in its AppConfig.ready(), a task to queue once a day;
`manage.py nightly` queues them (so the command never imports the apps whose work it
starts). A registered task must be harmless when it runs twice in a day."""

_daily = []


def register_daily(task):
    if task not in _daily:
        _daily.append(task)


def enqueue_daily():
    """Queue every registered task; returns their names."""
    for task in _daily:
        task.enqueue()
    return [task.name for task in _daily]
