"""Deadline surge: many organizations submit in the call's last minute, on a real server.

    .venv/bin/python bench/surge.py [--db sqlite|postgres|both] [--offers 200]
        [--late 10] [--autosaves 600] [--connections 16] [--workers N]

For each database a fresh database gets one open call and `--offers` organizations, each
with an administrator and a complete draft offer. The production server (gunicorn with
gunicorn.conf.py, DEBUG=0) is started, and then:

1. Autosave: `--connections` clients keep saving offer steps (each its own offer) until
   `--autosaves` saves are done; latency as the client sees it, queueing included.
2. Surge: all `--offers` final submits are released at once, in the call's last minute
   (the deadline is set 45 s after the release), each from its own connection.
3. Late: `--late` submits are sent 1–3 s after the deadline, from offers still in draft.

Then the database is read back: every submit answered before the deadline must be stored
as submitted with a time not after the deadline (none lost), and every late one refused
(none accepted late). Targets (issue 7): submit p95 < 1 s, autosave p95 <= 100 ms.
Results go to bench/results/<date>-surge-<db>.md.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import Server, server_env  # noqa: E402
from bench.run import POSTGRES_URL, RESULTS  # noqa: E402

CSRF = "s" * 32  # the form's token, sent as cookie and header (a 32-character secret)
SURGE_LEAD_SECONDS = 45
SUBMIT_P95_LIMIT = 1.0
AUTOSAVE_P95_LIMIT = 0.100


# --- in a subprocess with the database's settings -----------------------------------


def main_prepare(args):
    """Migrate, make the call, organizations, admins, drafts and sessions; print them."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    from datetime import timedelta
    from decimal import Decimal

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django.utils import timezone

    from wspolpraca.accounts.models import User
    from wspolpraca.city.models import Department
    from wspolpraca.competitions.models import Call
    from wspolpraca.offers.tests.factories import complete_offer
    from wspolpraca.organizations.models import Membership, Organization

    department = Department.objects.create(name="Wydział testów obciążenia", position=0)
    now = timezone.now()
    call = Call.objects.create(
        department=department,
        title="Konkurs pod obciążeniem",
        description="Opis.",
        budget=Decimal("10000000"),
        min_grant=Decimal("1000"),
        max_grant=Decimal("20000"),
        min_own_contribution_percent=Decimal("10"),
        admin_cost_cap_percent=Decimal("15"),
        eligible_kinds=["foundation", "association"],
        task_starts=timezone.localdate() + timedelta(days=30),
        task_ends=timezone.localdate() + timedelta(days=200),
        offers_from=now - timedelta(days=20),
        deadline=now + timedelta(days=1),  # moved to the surge's minute by the parent
        award_rules="Zasady.",
        task_conditions="Warunki.",
        selection_procedure="Tryb.",
        selection_date=timezone.localdate() + timedelta(days=20),
        previous_funding="Brak.",
        status=Call.Status.PUBLISHED,
        published_bip_on=timezone.localdate() - timedelta(days=21),
        published_board_on=timezone.localdate() - timedelta(days=21),
        published_at=now - timedelta(days=21),
    )
    rows = []
    for n in range(args.offers + args.late + args.connections):
        organization = Organization.objects.create(
            name=f"Fundacja obciążeniowa {n}", slug=f"fundacja-obciazeniowa-{n}",
            kind="foundation", krs=f"{900000 + n:010d}", city="Kraków",
            verification="verified",
        )
        user = User.objects.create(email=f"surge{n}@example.org", full_name=f"Osoba {n}")
        Membership.objects.create(organization=organization, user=user, role="admin")
        offer = complete_offer(call, organization=organization, created_by=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        rows.append(
            {
                "offer": offer.pk,
                "session": session.session_key,
                "submit": reverse("offers:submit", args=[offer.pk]),
                "autosave": reverse("offers:autosave", args=[offer.pk, "zasoby"]),
                "revision": offer.step_revisions.get("resources", 0),
            }
        )
    print(json.dumps({"call": call.pk, "rows": rows, "cookie": settings.SESSION_COOKIE_NAME}))


def main_set_deadline(args):
    import django

    django.setup()
    from datetime import datetime
    from datetime import timezone as tz

    from wspolpraca.competitions.models import Call

    Call.objects.filter(pk=args.call).update(
        deadline=datetime.fromtimestamp(args.deadline, tz=tz.utc)
    )


def main_verify(args):
    """Read back what the database holds after the surge."""
    import django

    django.setup()
    from wspolpraca.offers.models import Offer

    offers = Offer.objects.filter(call_id=args.call).values(
        "pk", "status", "submitted_at", "call__deadline"
    )
    print(
        json.dumps(
            [
                {
                    "pk": o["pk"],
                    "status": o["status"],
                    "submitted_at": o["submitted_at"].timestamp() if o["submitted_at"] else None,
                    "deadline": o["call__deadline"].timestamp(),
                }
                for o in offers
            ]
        )
    )


# --- the parent: server, clients, report ---------------------------------------------


def in_subprocess(url, *arguments):
    result = subprocess.run(
        [sys.executable, __file__, *arguments],
        env=server_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise RuntimeError(result.stderr[-4000:])
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def post(base, path, cookie_name, session, body="", content_type=None):
    """One POST on its own connection; (status, seconds, time the answer came)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {
        "Cookie": f"{cookie_name}={session}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "Content-Type": content_type or "application/x-www-form-urlencoded",
        "HX-Request": "true",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        status = 0
    finally:
        connection.close()
    return status, time.perf_counter() - started, time.time()


def percentile(values, fraction):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(fraction * (len(values) - 1))))]


def autosave_phase(base, cookie, rows, total, connections):
    """`connections` clients save the task step of their own offer, one save after another."""
    latencies, statuses = [], []
    lock = threading.Lock()
    counter = iter(range(total))

    def client(row):
        revision = row["revision"]
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            body = f"revision={revision}&earlier_activity=Dzia%C5%82amy+od+{n}+lat&resources=Sala+{n}"
            status, seconds, _at = post(base, row["autosave"], cookie, row["session"], body)
            with lock:
                latencies.append(seconds)
                statuses.append(status)
            revision += 1

    threads = [threading.Thread(target=client, args=(row,)) for row in rows[:connections]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, statuses


def surge_phase(base, cookie, rows, release_at):
    """Every row's submit, released together at `release_at` (epoch seconds)."""
    results = [None] * len(rows)
    barrier = threading.Barrier(len(rows))

    def client(i, row):
        barrier.wait()
        time.sleep(max(0.0, release_at - time.time()))
        results[i] = post(base, row["submit"], cookie, row["session"])

    threads = [threading.Thread(target=client, args=(i, row)) for i, row in enumerate(rows)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_database(db, url, args):
    print(f"\n== {db}: preparing {args.offers} organizations with draft offers", flush=True)
    prepared = json.loads(in_subprocess(url, "--prepare", "--offers", str(args.offers),
                                        "--late", str(args.late),
                                        "--connections", str(args.connections)))
    rows, cookie, call = prepared["rows"], prepared["cookie"], prepared["call"]
    surge_rows = rows[: args.offers]
    late_rows = rows[args.offers : args.offers + args.late]
    autosave_rows = rows[args.offers + args.late :]
    report = {"db": db}
    with tempfile.TemporaryDirectory(prefix="bench-surge-") as folder:
        server = Server(url, args.workers, Path(folder) / "gunicorn.log")
        try:
            server.start()
            print(f"{db}: gunicorn on {server.base} with {args.workers} workers", flush=True)
            latencies, statuses = autosave_phase(
                server.base, cookie, autosave_rows, args.autosaves, args.connections
            )
            report["autosave"] = (latencies, statuses)
            print(
                f"{db}: autosave p50 {statistics.median(latencies) * 1000:.0f} ms, "
                f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms, "
                f"statuses {sorted(set(statuses))}",
                flush=True,
            )
            release_at = time.time() + 5
            deadline = release_at + SURGE_LEAD_SECONDS
            in_subprocess(url, "--set-deadline", "--call", str(call), "--deadline",
                          str(deadline))
            report["surge"] = surge_phase(server.base, cookie, surge_rows, release_at)
            time.sleep(max(0.0, deadline - time.time()) + 1)
            report["late"] = surge_phase(server.base, cookie, late_rows, time.time() + 1)
        except BaseException:
            print(f"gunicorn's log (last lines):\n{server.tail()}", file=sys.stderr)
            raise
        finally:
            server.stop()
    stored = json.loads(in_subprocess(url, "--verify", "--call", str(call)))
    return write_report(db, args, report, stored, surge_rows, late_rows, deadline)


def write_report(db, args, report, stored, surge_rows, late_rows, deadline):
    by_pk = {o["pk"]: o for o in stored}
    surge = report["surge"]
    answered_in_time = [
        row for row, (status, _s, at) in zip(surge_rows, surge, strict=True)
        if status == 302 and at <= deadline
    ]
    lost = [r["offer"] for r in answered_in_time if by_pk[r["offer"]]["status"] != "submitted"]
    after_deadline = [
        o["pk"] for o in stored if o["submitted_at"] and o["submitted_at"] > o["deadline"]
    ]
    late_accepted = [r["offer"] for r in late_rows if by_pk[r["offer"]]["status"] == "submitted"]
    submit_seconds = [s for _status, s, _at in surge]
    errors = [status for status, _s, _at in surge if status != 302]
    autosave_seconds, autosave_statuses = report["autosave"]
    autosave_errors = [s for s in autosave_statuses if s != 200]
    submit_p95 = percentile(submit_seconds, 0.95)
    autosave_p95 = percentile(autosave_seconds, 0.95)
    verdicts = [
        ("no submit lost", not lost and not errors),
        ("none accepted late", not after_deadline and not late_accepted),
        (f"submit p95 < {SUBMIT_P95_LIMIT:.0f} s", submit_p95 < SUBMIT_P95_LIMIT),
        (f"autosave p95 <= {AUTOSAVE_P95_LIMIT * 1000:.0f} ms", autosave_p95 <= AUTOSAVE_P95_LIMIT
         and not autosave_errors),
    ]
    lines = [
        f"# Deadline surge — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/surge.py` (see docs/benchmarks.md): gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0; clients on the same "
        f"machine ({os.cpu_count()} cores, Python {platform.python_version()}).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| final submits released at once | {len(surge)} |",
        f"| answered 302 (accepted) | {sum(1 for s, _x, _y in surge if s == 302)} |",
        f"| errors (status not 302) | {len(errors)} {sorted(set(errors)) if errors else ''} |",
        f"| submit p50 / p95 / max | {statistics.median(submit_seconds) * 1000:.0f} / "
        f"{submit_p95 * 1000:.0f} / {max(submit_seconds) * 1000:.0f} ms |",
        f"| accepted but not stored as submitted (lost) | {len(lost)} |",
        f"| stored with a time after the deadline | {len(after_deadline)} |",
        f"| submits 1–3 s after the deadline / accepted | {len(late_rows)} / "
        f"{len(late_accepted)} |",
        f"| autosaves ({args.connections} clients) | {len(autosave_seconds)} |",
        f"| autosave p50 / p95 / max | {statistics.median(autosave_seconds) * 1000:.0f} / "
        f"{autosave_p95 * 1000:.0f} / {max(autosave_seconds) * 1000:.0f} ms |",
        f"| autosave errors | {len(autosave_errors)} |",
        "",
        "## Targets",
        "",
        *[f"- {label}: {'met' if ok else '**not met**'}" for label, ok in verdicts],
        "",
    ]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{date.today().isoformat()}-surge-{db}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines))
    return path


def fresh_url(db):
    if db == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="surge-"))
        return f"sqlite:///{folder / 'surge.sqlite3'}"
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    name = "wspolpraca_surge"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--offers", type=int, default=200)
    parser.add_argument("--late", type=int, default=10)
    parser.add_argument("--autosaves", type=int, default=600)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--set-deadline", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--verify", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--call", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--deadline", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return main_prepare(args)
    if args.set_deadline:
        return main_set_deadline(args)
    if args.verify:
        return main_verify(args)
    for db in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
        run_database(db, fresh_url(db), args)
    return None


if __name__ == "__main__":
    main()
