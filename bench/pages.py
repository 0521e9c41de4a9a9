"""What the page benchmarks share: a fresh database per engine, the data made in a
subprocess with that database's settings, each page's queries counted at two sizes, the
pages measured on gunicorn with concurrent clients while the machine's other load is
reported, and the report.

A benchmark is a `PageBench` subclass in its own script that ends with
`sys.exit(MyBench().main())`. It says how to make its data in two steps (a small part,
then the rest, so that the queries can be counted at both sizes) and which pages to
measure; `main()` does the rest:

1. a fresh database (SQLite: a file in a temporary folder; PostgreSQL: `wspolpraca_bench_<name>`,
   dropped and created), migrated;
2. in a subprocess with that database's settings (`--prepare`): the data, the queries of
   each page at both sizes (Django's test Client, after a warm-up request), and each page
   timed alone (one request at a time in one process: its cost apart from queueing);
3. gunicorn with the production settings and the page cache off, `--clients` threads on
   keep-alive connections requesting each page as fast as it is answered for `--seconds`,
   after waiting (at most `--wait` s) for other processes to take less than 15 % of the
   machine; the share of the cores this benchmark used, and that others took, per page;
4. `bench/results/<date>-<name>-<db>.md` with p50/p95, ratios to the empty layout measured
   in the same run, queries at both sizes, and the targets met or not.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspolpraca.settings")

from bench.evaluation import download, hammer, row, worker_rss_mb  # noqa: E402
from bench.load import Server, ensure_static, server_env  # noqa: E402
from bench.run import POSTGRES_URL, RESULTS  # noqa: E402

BASELINE = "/__bench__/baseline/"


class Page:
    """One page to measure: a name for the report, its path, whether the benchmark's
    target applies to it, and whose session requests it (None: a visitor)."""

    def __init__(self, name, path, target=True, as_user=None):
        self.name, self.path, self.target, self.as_user = name, path, target, as_user

    def as_json(self):
        return [self.name, self.path, self.target, self.as_user]


class PageBench:
    name = ""  # the results file's and the PostgreSQL database's name
    title = ""  # the report's heading
    target_ms = 100  # p95 of each page with target=True
    target_label = ""  # which pages the target is for, said in the table's heading

    # --- what a benchmark says ------------------------------------------------------

    def add_arguments(self, parser):
        """The data's sizes."""

    def check_arguments(self, parser, args):
        """Refuse sizes the data cannot be made with (parser.error)."""

    def setup(self, rng, args):
        """Make what both sizes share; return the state the other steps use."""
        raise NotImplementedError

    def grow(self, state, args, *, small):
        """Add the small part of the data (small=True), then the rest."""
        raise NotImplementedError

    def pages(self, state):
        """The Page objects to measure."""
        raise NotImplementedError

    def sizes(self):
        """{what: how many} counted in the database, for the report."""
        raise NotImplementedError

    def dataset(self, state, args):
        """{data: size} rows of the report's first table."""
        return {}

    def sessions(self, state):
        """{label: user} whose signed-in sessions (second factor passed) pages use."""
        return {}

    # --- the subprocess: data, queries, pages alone -----------------------------------

    def prepare(self, args):
        import random

        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        from bench.run import machine_info

        call_command("migrate", "--noinput", verbosity=0)
        rng = random.Random(2026)
        started = time.perf_counter()
        state = self.setup(rng, args)
        self.grow(state, args, small=True)
        analyze(connection)
        generation = time.perf_counter() - started
        pages = self.pages(state)
        cookies = {label: session_cookie(user) for label, user in self.sessions(state).items()}
        counts_small = count_queries(pages, cookies)
        size_small = self.sizes()
        started = time.perf_counter()
        self.grow(state, args, small=False)
        analyze(connection)
        generation += time.perf_counter() - started
        counts_full = count_queries(pages, cookies)
        data = {
            "pages": [page.as_json() for page in pages],
            "cookies": cookies,
            "queries": {p.name: [counts_small[p.name], counts_full[p.name]] for p in pages},
            "sizes": [size_small, self.sizes()],
            "alone": alone_times([Page("baseline", BASELINE), *pages], cookies, args.alone),
            "dataset": self.dataset(state, args),
            "generation_seconds": round(generation),
            "info": machine_info(connection),
        }
        print("DATA " + json.dumps(data), flush=True)

    # --- the parent: server, clients, report ------------------------------------------

    @property
    def database_name(self):
        return f"wspolpraca_bench_{self.name}"

    def script(self):
        return sys.modules[type(self).__module__].__file__

    def run_database(self, db, args):
        url = fresh_url(db, self.database_name)
        try:
            # The queries are counted with the production settings before the server
            # (which collects the static files when needed) starts: collect them first.
            ensure_static(server_env(url))
            print(f"[{db}] generating the data…", flush=True)
            data = subprocess_data(self.script(), url, "--prepare", *args.passed, marker="DATA")
            print(f"[{db}] generated in {data['generation_seconds']} s", flush=True)
            pages = [Page(*fields) for fields in data["pages"]]
            headers = {label: {"Cookie": cookie} for label, cookie in data["cookies"].items()}
            results, cpu = {}, {}
            with tempfile.TemporaryDirectory() as folder:
                server = Server(url, args.workers, Path(folder) / "gunicorn.log", page_cache=False)
                server.start()
                try:
                    measured = [
                        ("baseline", BASELINE, {}),
                        *((p.name, p.path, headers.get(p.as_user, {})) for p in pages),
                        ("baseline, again", BASELINE, {}),  # was the machine steady?
                    ]
                    # Each page once first: one that does not answer 200 is broken, not fast.
                    for _name, path, page_headers in measured:
                        status, _size, _seconds = download(server.base, path, page_headers)
                        if status != 200:
                            raise SystemExit(f"{path} answered {status}, not 200")
                    hammer(server.base, [BASELINE], {}, args.clients, 3)  # warm-up
                    for name, path, page_headers in measured:
                        print(f"[{db}] {name}…", flush=True)
                        if args.wait:
                            wait_for_quiet(server, self.database_name, db, args.wait)
                        hammer(server.base, [path], page_headers, args.clients, 2)  # warm-up
                        before = cpu_times(server, self.database_name, db)
                        results[name] = hammer(
                            server.base, [path], page_headers, args.clients, args.seconds
                        )
                        cpu[name] = cpu_shares(before, cpu_times(server, self.database_name, db))
                    rss = worker_rss_mb(server)
                finally:
                    server.stop()
        finally:
            drop(db, url, self.database_name)
        return self.write_report(db, args, data, pages, results, rss, cpu)

    def write_report(self, db, args, data, pages, results, rss, cpu):
        quieter = min(("baseline", "baseline, again"), key=lambda name: cpu[name][1])
        baseline = results[quieter]
        rows, verdicts = [], []
        for page in pages:
            result = results[page.name]
            before, after = data["queries"][page.name]
            if page.target:
                ok = result["p95"] <= self.target_ms and not result["errors"]
                verdicts.append((f"{page.name} p95 <= {self.target_ms} ms", ok))
                verdict = "met" if ok else "**not met**"
            else:
                verdict = "—"
                if result["errors"]:
                    verdicts.append((f"{page.name} answered without errors", False))
            alone = data["alone"][page.name]
            who = f", as {page.as_user}" if page.as_user else ""
            rows.append(
                f"{row(f'{page.name} (`{page.path}`{who})', result, baseline)} "
                f"{before} / {after} | {alone[0]:.0f} / {alone[1]:.0f} | "
                f"{percent(cpu[page.name])} | {verdict} |"
            )
        constant = all(before == after for before, after in data["queries"].values())
        verdicts.append(("queries per page the same at both sizes", constant))
        base_alone = data["alone"]["baseline"]
        cores = os.cpu_count()
        others = [share[1] for share in cpu.values()]
        small, full = data["sizes"]
        lines = [
            f"# {self.title} — {db}, {date.today().isoformat()}",
            "",
            f"Produced by `bench/{self.name}.py` (see docs/benchmarks.md and bench/pages.py): "
            f"gunicorn with `gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0, the "
            f"page cache off; {args.clients} clients on keep-alive connections, each "
            f"requesting as fast as it is answered, {args.seconds:g} s per page, on the same "
            f"machine ({cores} cores, Python {platform.python_version()}).",
            "",
            f"**The machine is shared** with other work on the same {cores} cores. The "
            "column “CPU” gives, for each measurement, the share of the cores' time this "
            "benchmark used (the server, the clients and, on PostgreSQL, the database's "
            "processes for its database) and the share other processes took meanwhile (from "
            f"/proc): {min(others):.0%}–{max(others):.0%} in this run. "
            + (
                f"Before each measurement the benchmark waited (at most {args.wait:g} s) "
                "until others took less than 15% of the machine over 5 s. "
                if args.wait
                else ""
            )
            + "The “alone” column and the ratios to the baseline, measured in the same run, "
            "are the fairer comparison.",
            "",
            "| data | size |",
            "|---|---|",
            *(f"| {key} | {value} |" for key, value in data["dataset"].items()),
            f"| generation (bulk inserts, both steps) | {data['generation_seconds']} s |",
            "",
            "Queries: each page rendered once (Django's test Client) at the small size ("
            + ", ".join(f"{v:,} {k}" for k, v in small.items())
            + ") and at the full size ("
            + ", ".join(f"{v:,} {k}" for k, v in full.items())
            + f"). “Alone”: the page's server time over {args.alone} requests made one at a "
            "time in one process (no network, no other client): what the page costs, apart "
            "from the queueing that concurrent clients add.",
            "",
            "| page | requests | req/s | p50 ms | p95 ms | max ms | p95 / baseline | errors | "
            "queries (small / full) | alone p50 / p95 ms | CPU: this / others | p95 <= "
            f"{self.target_ms} ms{self.target_label} |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
            *(
                row(label, results[name], baseline)
                + f" — | {base_alone[0]:.1f} / {base_alone[1]:.1f} | {percent(cpu[name])} | — |"
                for label, name in [
                    ("baseline (empty layout), at the start", "baseline"),
                    ("baseline, again at the end", "baseline, again"),
                ]
            ),
            *rows,
            "",
            "The ratios are to the baseline measured "
            + ("at the start" if quieter == "baseline" else "again at the end")
            + ", the one with less of the machine taken by others. Server memory (all "
            f"processes) after the run: {rss:.0f} MB.",
            "",
            "## Targets",
            "",
            *[f"- {label}: {'met' if ok else '**not met**'}" for label, ok in verdicts],
            "",
            "Machine: " + ", ".join(f"{k} {v}" for k, v in data["info"].items()),
            "",
        ]
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        path = out / f"{date.today().isoformat()}-{self.name}-{db}.md"
        path.write_text("\n".join(lines))
        print("\n".join(lines))
        print(f"[{db}] results: {path}")
        return all(ok for _label, ok in verdicts)

    def main(self):
        parser = argparse.ArgumentParser(description=self.title)
        self.add_arguments(parser)
        sizes = {action.dest for action in parser._actions if action.dest != "help"}
        parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
        parser.add_argument("--clients", type=int, default=2 * (os.cpu_count() or 1))
        parser.add_argument("--seconds", type=float, default=15)
        parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
        parser.add_argument(
            "--alone", type=int, default=40, help="requests per page timed one at a time"
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=120,
            help="before each page, wait at most this many seconds for other processes to "
            "take less than 15%% of the machine (0: do not wait)",
        )
        parser.add_argument("--out", default=str(RESULTS), help="folder of the results")
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
        args = parser.parse_args()
        self.check_arguments(parser, args)
        if args.prepare:
            return self.prepare(args)
        # What the subprocess that makes the data needs to know.
        args.passed = ["--alone", str(args.alone)]
        for dest in sorted(sizes):
            args.passed += [f"--{dest.replace('_', '-')}", str(getattr(args, dest))]
        met = [
            self.run_database(db, args)
            for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])
        ]
        return 0 if all(met) else 1


# --- the pieces -------------------------------------------------------------------------


def analyze(connection):
    """Fresh statistics for the query planner, as after any bulk load; on PostgreSQL the
    vacuum too, which autovacuum would otherwise start on the loaded tables while the pages
    are measured."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def bulk(model, objects, batch_size=2000):
    """Insert in batches; return the objects with their primary keys (PostgreSQL and SQLite
    both return them)."""
    return model.objects.bulk_create(objects, batch_size=batch_size)


def session_cookie(user):
    """A signed-in session of `user` that passed the second factor, as a Cookie header."""
    from importlib import import_module
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    record_authentication(SimpleNamespace(session=session), user, "mfa", type="totp")
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _client(cookie):
    from django.test import Client

    client = Client()
    if cookie:
        name, value = cookie.split("=", 1)
        client.cookies[name] = value
    return client


def count_queries(pages, cookies):
    """{page name: queries} of each page rendered once, after a warm-up request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page in pages:
        client = _client(cookies.get(page.as_user))
        client.get(page.path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page.path)
        if response.status_code != 200:
            raise SystemExit(f"{page.path} answered {response.status_code}, not 200")
        counts[page.name] = len(captured)
    return counts


def alone_times(pages, cookies, requests):
    """{page name: [p50, p95]} of each page's server time in ms, one request at a time."""
    from bench.run import percentile

    found = {}
    for page in pages:
        client = _client(cookies.get(page.as_user))
        client.get(page.path)  # warm-up
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(page.path)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        found[page.name] = [percentile(times, 0.50), percentile(times, 0.95)]
    return found


def fresh_url(db, name):
    """A new, empty database: a file in a temporary folder, or `name` recreated."""
    if db == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix=f"{name}-"))
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def drop(db, url, name):
    if db == "sqlite":
        shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
        return
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def subprocess_data(script, url, *arguments, marker, env=None):
    """`script` in a subprocess with the database's settings and the page cache off; the
    JSON it prints after `marker`."""
    result = subprocess.run(
        [sys.executable, script, *arguments],
        env={**server_env(url), "PAGE_CACHE_SECONDS": "0", **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    raise RuntimeError(result.stderr[-4000:] or result.stdout[-4000:])


def cpu_times(server, database_name, db):
    """(busy ticks, all ticks) of the whole machine since boot, and {pid: ticks} of this
    benchmark's processes: this one (the clients), the server's process group, and on
    PostgreSQL the server processes of the benchmark's database."""
    with open("/proc/stat") as file:
        user, nice, system, idle, iowait, irq, softirq, steal = map(
            int, file.readline().split()[1:9]
        )
    busy = user + nice + system + irq + softirq + steal
    ours = {}
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        pid = int(pid_dir.name)
        try:
            mine = pid == os.getpid() or os.getpgid(pid) == server.process.pid
            if not mine and db == "postgres":
                mine = database_name.encode() in (pid_dir / "cmdline").read_bytes()
            if mine:
                stat = (pid_dir / "stat").read_text()
                fields = stat[stat.rindex(")") + 2 :].split()
                ours[pid] = int(fields[11]) + int(fields[12])  # utime + stime
        except (OSError, ValueError):
            continue
    return busy, busy + idle + iowait, ours


def cpu_shares(before, after):
    """(this benchmark's, other processes') share of the machine's CPU time between two
    cpu_times() snapshots."""
    busy, total = after[0] - before[0], after[1] - before[1]
    ours = sum(ticks - before[2].get(pid, 0) for pid, ticks in after[2].items())
    if not total:
        return 0.0, 0.0
    return min(ours, busy) / total, max(0, busy - ours) / total


def wait_for_quiet(server, database_name, db, seconds, limit=0.15):
    """Wait, at most `seconds`, until other processes take less than `limit` of the
    machine over 5 s (the machine is shared); the report gives what they took anyway."""
    deadline = time.monotonic() + seconds
    while True:
        before = cpu_times(server, database_name, db)
        time.sleep(5)
        others = cpu_shares(before, cpu_times(server, database_name, db))[1]
        if others < limit or time.monotonic() >= deadline:
            return others
        print(f"  others take {others:.0%} of the machine: waiting…", flush=True)


def percent(shares):
    return f"{shares[0]:.0%} / {shares[1]:.0%}"
