"""Where a page's time goes: each query's time and plan, and the time outside the queries.

    DATABASE_URL=sqlite:///bench/data/bench-150000.sqlite3 \\
        .venv/bin/python bench/profile.py '/organizacje/?q=fundacja' [--explain]

PostgreSQL gets EXPLAIN (ANALYZE, BUFFERS), SQLite EXPLAIN QUERY PLAN.
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspolpraca.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault(
    "SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
warnings.filterwarnings("ignore", message="No directory at")


def explain(connection, sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join("    " + " ".join(str(c) for c in row) for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        client = Client()
        for url in args.urls:
            client.get(url)
            best = None
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    response = client.get(url)
                    total = (time.perf_counter() - started) * 1000
                if best is None or total < best[0]:
                    best = (total, list(captured.captured_queries))
            total, queries = best
            in_sql = sum(float(q["time"]) * 1000 for q in queries)
            print(
                f"\n{url} → {response.status_code}: {total:.1f} ms, {len(queries)} queries, "
                f"{in_sql:.0f} ms in SQL (ms resolution)"
            )
            for query in queries:
                print(f"  {float(query['time']) * 1000:6.0f} ms  {query['sql'][:160]}")
            if args.explain:
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                cursor_sql = [(q["sql"]) for q in captured.captured_queries]
                for sql in cursor_sql:
                    if "organizations_organization" in sql and "FROM" in sql:
                        print(f"\n  PLAN of {sql[:100]}…")
                        print(explain(connection, sql, None))


if __name__ == "__main__":
    main()
