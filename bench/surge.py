"""Deadline surge: many organizations submit in the call's last minute, on a real server.

    .venv/bin/python bench/surge.py [--db sqlite|postgres|both] [--offers 200]
        [--late 10] [--typists 20] [--save-every 2] [--autosave-seconds 20] [--workers N]

For each database a fresh database gets one open call and `--offers` organizations, each
with an administrator and a complete draft offer. The production server (gunicorn with
gunicorn.conf.py, DEBUG=0) is started, and then:

1. Autosave: `--typists` people type in their drafts at once, each page saving every
   `--save-every` seconds (open loop: a save goes when it is due, whether or not the
   server has answered the last one), for `--autosave-seconds`; latency as the client
   sees it, queueing included.
2. Surge (the target): `--offers` final submits arrive at random moments of the call's last
   minute, each from its own connection, while the typists keep saving.
3. Late: `--late` submits are sent 1–3 s after the deadline, from offers still in draft.
4. Burst (a stress test, no target): another `--offers` submits all released in the same
   instant, to show how the queue grows when everyone presses the button together.

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
SUBMIT_P95_LIMIT = 1.0
WARMUP_SECONDS = 5
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
    for n in range(2 * args.offers + args.late + args.typists):
        organization = Organization.objects.create(
            name=f"Fundacja obciążeniowa {n}",
            slug=f"fundacja-obciazeniowa-{n}",
            kind="foundation",
            krs=f"{900000 + n:010d}",
            city="Kraków",
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
    from datetime import UTC, datetime

    from wspolpraca.competitions.models import Call

    Call.objects.filter(pk=args.call).update(deadline=datetime.fromtimestamp(args.deadline, tz=UTC))


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


class Typists:
    """People typing in their drafts: each page saves every `every` seconds (open loop, with
    a random start), in a thread of its own, until stopped."""

    def __init__(self, base, cookie, rows, every):
        self.base, self.cookie, self.rows, self.every = base, cookie, rows, every
        self.latencies, self.statuses = [], []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = []

    def _typist(self, row, rng):
        revision = row["revision"]
        due = time.time() + rng.uniform(0, self.every)
        n = 0
        while not self.stopping.is_set():
            time.sleep(max(0.0, due - time.time()))
            if self.stopping.is_set():
                return
            body = f"revision={revision}&earlier_activity=Dzia%C5%82amy+{n}&resources=Sala+{n}"
            status, seconds, _at = post(
                self.base, row["autosave"], self.cookie, row["session"], body
            )
            with self.lock:
                self.latencies.append(seconds)
                self.statuses.append(status)
            if status == 200:
                revision += 1
            n += 1
            due += self.every

    def start(self):
        import random

        for i, row in enumerate(self.rows):
            thread = threading.Thread(target=self._typist, args=(row, random.Random(i)))
            thread.start()
            self.threads.append(thread)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def since(self, index):
        with self.lock:
            return self.latencies[index:], self.statuses[index:]


def submit_all(base, cookie, rows, moments):
    """Each row's submit at its moment (epoch seconds), each on its own connection."""
    results = [None] * len(rows)
    barrier = threading.Barrier(len(rows))

    def client(i, row):
        barrier.wait()
        time.sleep(max(0.0, moments[i] - time.time()))
        results[i] = post(base, row["submit"], cookie, row["session"])

    threads = [threading.Thread(target=client, args=(i, row)) for i, row in enumerate(rows)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def run_database(db, url, args):
    import random

    print(f"\n== {db}: preparing {2 * args.offers} organizations with draft offers", flush=True)
    prepared = json.loads(
        in_subprocess(
            url,
            "--prepare",
            "--offers",
            str(args.offers),
            "--late",
            str(args.late),
            "--typists",
            str(args.typists),
        )
    )
    rows, cookie, call = prepared["rows"], prepared["cookie"], prepared["call"]
    burst_rows = rows[: args.offers]
    surge_rows = rows[args.offers : 2 * args.offers]
    late_rows = rows[2 * args.offers : 2 * args.offers + args.late]
    typist_rows = rows[2 * args.offers + args.late :]
    report = {"db": db}
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="bench-surge-") as folder:
        server = Server(url, args.workers, Path(folder) / "gunicorn.log")
        typists = Typists(server.base, cookie, typist_rows, args.save_every)
        try:
            server.start()
            print(f"{db}: gunicorn on {server.base} with {args.workers} workers", flush=True)
            typists.start()
            # The workers' first requests load code and templates: not measured.
            time.sleep(WARMUP_SECONDS)
            warm = len(typists.latencies)
            time.sleep(args.autosave_seconds)
            report["autosave"] = typists.since(warm)
            mark = warm + len(report["autosave"][0])
            print(f"{db}: autosave alone: {summary(report['autosave'][0])}", flush=True)
            # The last minute: the deadline 65 s from now, submits at random moments of the
            # 60 s before it, the typists still saving.
            deadline = time.time() + 65
            in_subprocess(url, "--set-deadline", "--call", str(call), "--deadline", str(deadline))
            moments = sorted(rng.uniform(deadline - 60, deadline - 1) for _ in surge_rows)
            report["surge"] = submit_all(server.base, cookie, surge_rows, moments)
            report["autosave_in_surge"] = typists.since(mark)
            print(f"{db}: surge submits: {summary([s for _x, s, _y in report['surge']])}")
            time.sleep(max(0.0, deadline - time.time()) + 1)
            late = [time.time() + rng.uniform(0, 2) for _ in late_rows]
            report["late"] = submit_all(server.base, cookie, late_rows, late)
            typists.stop()
            # The burst: a new deadline, every submit in the same instant.
            burst_deadline = time.time() + 600
            in_subprocess(
                url, "--set-deadline", "--call", str(call), "--deadline", str(burst_deadline)
            )
            release = time.time() + 3
            report["burst"] = submit_all(
                server.base, cookie, burst_rows, [release] * len(burst_rows)
            )
            print(f"{db}: burst submits: {summary([s for _x, s, _y in report['burst']])}")
        except BaseException:
            typists.stop()
            print(f"gunicorn's log (last lines):\n{server.tail()}", file=sys.stderr)
            raise
        finally:
            server.stop()
    stored = json.loads(in_subprocess(url, "--verify", "--call", str(call)))
    return write_report(
        db, args, report, stored, surge_rows, late_rows, burst_rows, deadline, burst_deadline
    )


def summary(seconds):
    if not seconds:
        return "no requests"
    return (
        f"{len(seconds)} requests, p50 {statistics.median(seconds) * 1000:.0f} ms, "
        f"p95 {percentile(seconds, 0.95) * 1000:.0f} ms, max {max(seconds) * 1000:.0f} ms"
    )


def write_report(
    db, args, report, stored, surge_rows, late_rows, burst_rows, deadline, burst_deadline
):
    by_pk = {o["pk"]: o for o in stored}

    def accepted_in_time(rows, results, limit):
        return [
            row["offer"]
            for row, (status, _s, at) in zip(rows, results, strict=True)
            if status == 302 and at <= limit
        ]

    lost = [
        pk
        for pk in accepted_in_time(surge_rows, report["surge"], deadline)
        + accepted_in_time(burst_rows, report["burst"], burst_deadline)
        if by_pk[pk]["status"] != "submitted"
    ]
    after_deadline = [
        o["pk"] for o in stored if o["submitted_at"] and o["submitted_at"] > o["deadline"]
    ]
    late_accepted = [r["offer"] for r in late_rows if by_pk[r["offer"]]["status"] == "submitted"]
    surge_seconds = [s for _status, s, _at in report["surge"]]
    burst_seconds = [s for _status, s, _at in report["burst"]]
    errors = [s for s, _x, _y in report["surge"] + report["burst"] if s != 302]
    autosave, autosave_statuses = report["autosave"]
    in_surge, in_surge_statuses = report["autosave_in_surge"]
    autosave_errors = [s for s in autosave_statuses + in_surge_statuses if s != 200]
    verdicts = [
        ("no submit lost, no error", not lost and not errors),
        ("none accepted late", not after_deadline and not late_accepted),
        (
            f"submit p95 < {SUBMIT_P95_LIMIT:.0f} s (last minute)",
            percentile(surge_seconds, 0.95) < SUBMIT_P95_LIMIT,
        ),
        (
            f"autosave p95 <= {AUTOSAVE_P95_LIMIT * 1000:.0f} ms (alone and in the last minute)",
            max(percentile(autosave, 0.95), percentile(in_surge, 0.95)) <= AUTOSAVE_P95_LIMIT
            and not autosave_errors,
        ),
    ]
    rate = args.typists / args.save_every
    lines = [
        f"# Deadline surge — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/surge.py` (see docs/benchmarks.md): gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0; the clients run on the "
        f"same machine ({os.cpu_count()} cores, Python {platform.python_version()}). "
        f"{args.typists} people type in their drafts throughout (a save every "
        f"{args.save_every:g} s each, {rate:.0f} saves/s).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| autosave alone ({args.autosave_seconds:g} s) | {summary(autosave)} |",
        f"| final submits in the last minute | {summary(surge_seconds)} |",
        f"| autosave during the last minute | {summary(in_surge)} |",
        f"| submits 1–3 s after the deadline / accepted | {len(late_rows)} / "
        f"{len(late_accepted)} |",
        f"| burst: all submits in one instant (no target) | {summary(burst_seconds)} |",
        f"| errors (submits not answered 302) | {len(errors)} {sorted(set(errors)) or ''} |",
        f"| autosave errors | {len(autosave_errors)} {sorted(set(autosave_errors)) or ''} |",
        f"| answered as accepted but not stored as submitted (lost) | {len(lost)} |",
        f"| stored with a time after the deadline | {len(after_deadline)} |",
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
    parser.add_argument("--typists", type=int, default=20)
    parser.add_argument("--save-every", type=float, default=2.0)
    parser.add_argument("--autosave-seconds", type=float, default=20.0)
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
