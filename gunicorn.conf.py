"""gunicorn's configuration for production and `make serve`, read from the environment.

    gunicorn -c gunicorn.conf.py wspolpraca.wsgi

Why sync workers and this many of them: docs/decisions/0003-gunicorn.md.

| variable | default | meaning |
| --- | --- | --- |
| PORT | 8000 | port on 127.0.0.1 (the TLS proxy in front talks to it) |
| BIND | 127.0.0.1:$PORT | the full address instead, e.g. 0.0.0.0:8000 or unix:/run/wspolpraca.sock |
| WEB_CONCURRENCY | 2 × cores | worker processes |
| GUNICORN_TIMEOUT | 30 | seconds a worker may spend on one request before it is restarted |
| GUNICORN_MAX_REQUESTS | 1000 | a worker is replaced after this many requests (± jitter) |
| ACCESS_LOG | (off) | "-" logs each request to stdout; a path logs to that file |
"""

import os

port = os.environ.get("PORT", "8000")
bind = [os.environ.get("BIND") or f"127.0.0.1:{port}"]

# Sync workers: one request at a time per process. A page here is CPU-bound Python
# (middleware, ORM, templates) plus a few short queries to a local database, so each core
# runs one worker while another waits for its query or its client's socket: two per core
# keeps the cores busy without the memory and context switches of more. Threads or
# green threads would not help CPU-bound work under the GIL, and nothing here waits long
# on the network. Set WEB_CONCURRENCY to change it (measure with bench/load.py).
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1))
worker_class = "sync"
# The sync worker closes the connection after each response (the proxy in front keeps
# the clients' connections open); keepalive matters only for another worker_class.
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Replace each worker after about a thousand requests, the moments spread by the jitter
# so that the workers do not all restart together: bounds slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = max(1, max_requests // 10) if max_requests else 0

# Load Django once in the master and fork the workers from it: faster start, shared
# memory, and an import error stops the server at once instead of in every worker.
# Database connections are not shared by the fork: Django opens them lazily, at a
# request's first query, so each worker opens its own (SQLite must never use a connection
# opened before fork). Nothing runs a query at import (the apps' ready() do not);
# pre_fork below closes any connection the master might still have opened, to be sure.
# The price: a HUP does not load new code, so a deployment restarts the service.
preload_app = True

# Errors to stderr (the service's journal); requests only when asked for, the proxy
# already logs them.
errorlog = "-"
accesslog = os.environ.get("ACCESS_LOG") or None
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The workers' heartbeat files in memory, not on a disk that may stall.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
# No control socket: it would be one fixed path per user ($HOME/.gunicorn/gunicorn.ctl)
# that two servers on one machine (a benchmark beside `make serve`) would fight over.
control_socket_disable = True


def pre_fork(server, worker):
    """Close any database connection the master opened, so no worker inherits it."""
    from django.conf import settings

    if settings.configured:
        from django.db import connections

        connections.close_all()
