"""Server-side benchmark of the directory on SQLite and PostgreSQL.

    .venv/bin/python bench/run.py [--orgs 150000] [--db sqlite|postgres|both] [--requests 300]

For each database the data set is generated once (bench/generate.py) and reused while it
holds exactly N organizations. Measurements run in a subprocess per database (the settings
read DATABASE_URL at import) with Django's test Client in-process: the time is the time
spent inside the handler (middleware, view, queries, template), with no network and no
test instrumentation of templates. Results go to bench/results/<date>-<db>.md.
"""

import argparse
import gc
import json
import os
import platform
import random
import re
import sqlite3
import subprocess
import sys
import time
import warnings
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DATA = BENCH / "data"
RESULTS = BENCH / "results"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/wspolpraca_bench"
)
DEFAULT_ORGS = 150_000
TABLE = "organizations_organization"
# A list of two or more selected columns, shortened in reports.
COLUMN_LIST = re.compile(r'(?:"\w+"\."\w+"(?: AS "\w+")?, )+"\w+"\."\w+"(?: AS "\w+")?')

# Targets from docs/benchmarks.md: (scenario kind, p95 in ms).
P95_TARGET = {"search": 100, "search_broad": 50, "list": 50, "detail": 50}
MAX_QUERIES = 10

SEARCH_QUERIES = [
    "fundacja zdrowie",
    "lodz",
    "łódź",
    "krakowskie stowarzyszenie",
    "zdrowie",
    "seniorow",
    "przyjaciół zwierząt",
    "swietlica",
    "nowa huta",
    "fundacja",
    "podgorze teatr",
    "zrodlo",
]
# The broadest words: the city is in nearly every record's address.
BROAD_QUERIES = ["krakow", "kraków", "fundacja", "stowarzyszenie", "krakow fundacja"]
LIST_QUERIES = [
    "",
    "area=16&district=13",
    "kind=foundation&opp=true",
    "page=2",
    "district=5&page=3",
    "area=1&sort=-registered",
    "verified=true&kind=association&page=2",
    "sort=-created",
    "area=6&district=1&opp=true",
]
# What the map asks for: the whole filtered set first (its points, or "tiled"), then the
# tiles on screen: at zoom 12 the generated city is 6 × 4 tiles (x 2273–2278, y 1386–1389),
# and a few closer in.
CITY_TILES_Z12 = [(x, y) for x in range(2273, 2279) for y in range(1386, 1390)]
MAP_QUERIES = [
    "area=16",
    "district=3",
    "kind=foundation&district=12",
    "area=14&opp=true",
    *(f"z=12&x={x}&y={y}" for x, y in CITY_TILES_Z12),
    *(f"area=16&z=12&x={x}&y={y}" for x, y in CITY_TILES_Z12[::3]),
    *(f"kind=foundation&district=12&z=12&x={x}&y={y}" for x, y in CITY_TILES_Z12[1::3]),
    "z=14&x=9099&y=5552",
    "z=14&x=9100&y=5553",
    "area=14&opp=true&z=14&x=9098&y=5551",
    "z=16&x=36397&y=22208",
]
API_QUERIES = [
    "area=16&district=13",
    "q=fundacja+zdrowie",
    "page=3",
    "kind=social_cooperative",
]


def sqlite_path(orgs):
    return DATA / f"bench-{orgs}.sqlite3"


# --- the parent: prepares databases and starts one worker per database ------------------


def count_sqlite(path):
    if not path.exists():
        return None
    try:
        with sqlite3.connect(path) as db:
            return db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    except sqlite3.Error:
        return None


def prepare_sqlite(orgs):
    path = sqlite_path(orgs)
    if count_sqlite(path) != orgs:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        print(f"SQLite: a fresh database at {path.relative_to(ROOT)}")
    else:
        print(f"SQLite: reusing {orgs:,} organizations in {path.relative_to(ROOT)}")
    return f"sqlite:///{path}"


def postgres_url(orgs):
    """The full-size data set lives in wspolpraca_bench; smaller ones get their own database
    (wspolpraca_bench_2000…), so that a quick run does not throw the big one away."""
    return POSTGRES_URL if orgs == DEFAULT_ORGS else f"{POSTGRES_URL}_{orgs}"


def prepare_postgres(orgs):
    """Create the database if missing; recreate it if it holds another number of rows."""
    import psycopg

    url = postgres_url(orgs)
    base, name = url.rsplit("/", 1)
    try:
        admin = psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        return None, f"PostgreSQL is not reachable at {base}: {str(error).strip()}"
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        count = None
        if exists:
            with psycopg.connect(url) as db:
                try:
                    count = db.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
                except psycopg.Error:
                    count = None
        if exists and count not in (orgs, None, 0):
            print(f"PostgreSQL: {name} holds {count:,} organizations, not {orgs:,}; recreating")
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = False
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
            print(f"PostgreSQL: created database {name}")
        elif count == orgs:
            print(f"PostgreSQL: reusing {orgs:,} organizations in {name}")
    return url, None


def run_worker(db, url, args):
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "wspolpraca.settings",
        # Production-like: no DEBUG query log, no SSL redirect (there is no proxy here).
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "SECURE_SSL_REDIRECT": "0",
        # Server time of rendering from the data: the public pages' cache is off here
        # (bench/load.py measures the site as deployed, with it).
        "PAGE_CACHE_SECONDS": "0",
        "PYTHONHASHSEED": "0",
    }
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", db]
    command += ["--orgs", str(args.orgs), "--requests", str(args.requests)]
    summary = None
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as process:
        for line in process.stdout:
            if line.startswith("SUMMARY "):
                summary = json.loads(line[len("SUMMARY ") :])
            else:
                print(line, end="", flush=True)
    if process.returncode or summary is None:
        sys.exit(f"The {db} benchmark failed (exit code {process.returncode}).")
    return summary


def print_summary(summaries, notes):
    print()
    print("Summary (server time in ms; × = multiple of the baseline's p50)")
    header = f"{'db':<10} {'scenario':<8} {'p50':>7} {'p95':>7} {'×p50':>6} {'×p95':>6} {'q/req':>6}  target"
    print(header)
    print("-" * len(header))
    for summary in summaries:
        for row in summary["rows"]:
            print(
                f"{summary['db']:<10} {row['name']:<8} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                f"{row['x50']:>6.1f} {row['x95']:>6.1f} {row['queries']:>6}  {row['verdict']}"
            )
        print(f"{'':<10} results: {summary['file']}")
    for note in notes:
        print(note)


def main_parent(args):
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    summaries, notes = [], []
    for db in databases:
        if db == "sqlite":
            url = prepare_sqlite(args.orgs)
        else:
            url, problem = prepare_postgres(args.orgs)
            if problem:
                note = f"PostgreSQL skipped: {problem}"
                print(note)
                notes.append(note)
                continue
        summaries.append(run_worker(db, url, args))
    print_summary(summaries, notes)


# --- the worker: runs inside one database's settings ------------------------------------


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of already sorted values."""
    if not sorted_values:
        return 0.0
    rank = max(1, round(fraction * len(sorted_values) + 0.5))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def machine_info(connection):
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    import django

    info = {
        "Date": date.today().isoformat(),
        "CPU": cpu,
        "Cores": str(os.cpu_count()),
        "RAM": ram,
        "OS": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
        "SQLite": sqlite3.sqlite_version,
        "PostgreSQL": "not used",
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["PostgreSQL"] = cursor.fetchone()[0]
    else:
        try:
            out = subprocess.run(
                ["psql", "--version"], capture_output=True, text=True, timeout=5
            ).stdout
            info["PostgreSQL"] = f"not used (client: {out.strip()})" if out else "not used"
        except (OSError, subprocess.SubprocessError):
            pass
    return info


class TimedClient:
    """Django's test Client, timing only the handler's get_response (server time)."""

    def __init__(self):
        from django.test import Client

        self.client = Client()
        handler = self.client.handler
        original = handler.get_response
        self.last = 0.0

        def timed(request):
            started = time.perf_counter()
            response = original(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            self.last = time.perf_counter() - started
            return response

        handler.get_response = timed

    def get(self, url):
        response = self.client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return self.last


def measure(client, name, kind, urls, requests, warmup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm-up pass: every URL once with the queries captured, then more unrecorded calls.
    queries, slowest = {}, (0.0, "", "")
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[url] = len(captured)
        for query in captured.captured_queries:
            if float(query["time"]) > slowest[0]:
                slowest = (float(query["time"]), url, query["sql"])
    for i in range(warmup):
        client.get(urls[i % len(urls)])
    gc.collect()
    times, per_url = [], {url: [] for url in urls}
    for i in range(requests):
        url = urls[i % len(urls)]
        seconds = client.get(url)
        times.append(seconds * 1000)
        per_url[url].append(seconds * 1000)
    times.sort()
    slow_urls = sorted(
        ((sorted(v)[len(v) // 2], url) for url, v in per_url.items() if v), reverse=True
    )
    return {
        "name": name,
        "kind": kind,
        "requests": requests,
        "urls": len(urls),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "max": times[-1],
        "mean": sum(times) / len(times),
        "queries": max(queries.values()),
        "slowest_urls": slow_urls[:3],
        "slowest_sql": {"ms": slowest[0] * 1000, "url": slowest[1], "sql": slowest[2]},
    }


def ensure_data(orgs):
    from django.core.management import call_command

    from wspolpraca.organizations.models import Organization

    call_command("migrate", verbosity=0)
    existing = Organization.objects.count()
    if existing == orgs:
        return None
    if existing:
        raise SystemExit(f"The benchmark database holds {existing} organizations, not {orgs}.")
    sys.path.insert(0, str(BENCH))
    from generate import generate

    print(f"Generating {orgs:,} organizations…", flush=True)
    seconds = generate(orgs, log=lambda line: print(line, flush=True))
    print(f"Generated in {seconds:.0f} s", flush=True)
    return seconds


def scenarios(orgs_public_slugs):
    quote = __import__("urllib.parse", fromlist=["quote_plus"]).quote_plus
    return [
        ("baseline", "baseline", ["/__bench__/baseline/"]),
        ("home", "detail", ["/"]),
        ("search", "search", [f"/organizacje/?q={quote(q)}" for q in SEARCH_QUERIES]),
        ("broad", "search_broad", [f"/organizacje/?q={quote(q)}" for q in BROAD_QUERIES]),
        ("list", "list", [f"/organizacje/?{q}" if q else "/organizacje/" for q in LIST_QUERIES]),
        ("map", "list", [f"/organizacje/mapa.geojson?{q}" for q in MAP_QUERIES]),
        ("detail", "detail", [f"/organizacje/{slug}/" for slug in orgs_public_slugs]),
        ("api", "list", [f"/api/v1/organizations/?{q}" for q in API_QUERIES]),
        ("coord", "detail", ["/miasto/koordynatorzy/", "/miasto/wydzialy/"]),
    ]


def verdict(row):
    parts = []
    target = P95_TARGET.get(row["kind"])
    if target:
        parts.append(f"p95 ≤ {target} ms: {'met' if row['p95'] <= target else 'NOT met'}")
    if row["kind"] != "baseline":
        ok = row["queries"] <= MAX_QUERIES
        parts.append(f"≤ {MAX_QUERIES} queries: {'met' if ok else 'NOT met'}")
    return "; ".join(parts)


def write_report(db, info, dataset, rows, requests, orgs):
    # The full-size run is <date>-<db>.md; a smaller one must not overwrite it.
    size = "" if orgs == DEFAULT_ORGS else f"-{orgs}"
    path = RESULTS / f"{info['Date']}-{db}{size}.md"
    lines = [
        f"# Benchmark — {db} — {info['Date']}",
        "",
        "Server time inside Django's handler (test Client, in-process, no network), "
        f"{requests} requests per scenario after a warm-up. × = multiple of the baseline's "
        "p50 (the base template with nothing in it). Produced by `bench/run.py`; see "
        "docs/benchmarks.md.",
        "",
        "## Machine",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Data",
        "",
        *[f"- {key}: {value}" for key, value in dataset.items()],
        "",
        "## Results",
        "",
        "| scenario | URLs | p50 ms | p95 ms | max ms | × p50 | × p95 | queries/request | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {row['name']} | {row['urls']} | {row['p50']:.1f} | {row['p95']:.1f} | "
            f"{row['max']:.1f} | {row['x50']:.1f} | {row['x95']:.1f} | {row['queries']} | "
            f"{row['verdict'] or '—'} |"
        )
    lines += ["", "## Slowest URLs and queries per scenario", ""]
    for row in rows:
        if row["name"] == "baseline":
            continue
        lines.append(f"### {row['name']}")
        lines.append("")
        for ms, url in row["slowest_urls"]:
            lines.append(f"- p50 {ms:.1f} ms: `{url}`")
        sql = row["slowest_sql"]
        if sql["sql"]:
            text = " ".join(sql["sql"].split())
            # The column list says nothing; the FROM, WHERE and ORDER BY say everything.
            text = COLUMN_LIST.sub("…", text)
            if len(text) > 1500:
                text = text[:1500] + " …"
            lines += [
                "",
                f"Slowest query ({sql['ms']:.1f} ms, on `{sql['url']}`):",
                "",
                "```sql",
                text,
                "```",
            ]
        lines.append("")
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def main_worker(args):
    sys.path.insert(0, str(ROOT))
    # WhiteNoise warns that STATIC_ROOT is not collected; the pages do not need it here.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import override_settings

    from wspolpraca.organizations.models import Organization

    db = args.worker
    generated = ensure_data(args.orgs)
    public = Organization.objects.public()
    dataset = {
        "Organizations": f"{args.orgs:,} ({public.count():,} public)",
        "Area links": f"{Organization.areas.through.objects.count():,}",
        "Generation": f"{generated:.0f} s (this run)"
        if generated
        else "reused from an earlier run",
    }
    rng = random.Random(7)
    ids = list(public.values_list("id", flat=True))
    slugs = list(
        public.filter(id__in=rng.sample(ids, min(200, len(ids)))).values_list("slug", flat=True)
    )
    info = machine_info(connection)
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    rows = []
    with override_settings(ROOT_URLCONF="bench.urls", STORAGES=storages):
        client = TimedClient()
        for name, kind, urls in scenarios(slugs):
            print(f"{db}: {name} ({len(urls)} URLs, {args.requests} requests)…", flush=True)
            rows.append(measure(client, name, kind, urls, args.requests, warmup=max(20, len(urls))))
    base = rows[0]["p50"] or 1e-9
    for row in rows:
        row["x50"] = row["p50"] / base
        row["x95"] = row["p95"] / base
        row["verdict"] = verdict(row)
    path = write_report(db, info, dataset, rows, args.requests, args.orgs)
    summary = {
        "db": db,
        "file": str(path.relative_to(ROOT)),
        "rows": [{k: v for k, v in row.items() if k not in ("slowest_sql",)} for row in rows],
    }
    print("SUMMARY " + json.dumps(summary), flush=True)


def main():
    parser = argparse.ArgumentParser(description="Benchmark the directory on SQLite/PostgreSQL.")
    parser.add_argument("--orgs", type=int, default=DEFAULT_ORGS, help="organizations to generate")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--requests", type=int, default=300, help="timed requests per scenario")
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.requests < 1 or args.orgs < 300:
        parser.error("--orgs must be at least 300 and --requests at least 1")
    if args.worker:
        main_worker(args)
    else:
        main_parent(args)


if __name__ == "__main__":
    main()
