"""Throughput benchmark: the site under gunicorn, loaded over HTTP by wrk.

    .venv/bin/python bench/load.py [--db sqlite|postgres|both] [--orgs 150000]
        [--duration 8] [--repeat 2] [--connections 8,16] [--threads 1]
        [--scenario detail,list,...] [--quick]

bench/run.py measures server time inside Django; this measures what a deployer sees: the
production server (gunicorn.conf.py, sync workers, DEBUG=0, WhiteNoise's manifest) with
2 workers, loaded by wrk over real sockets, in requests per second and latency as the
client sees it (queueing included). For each database the data is prepared as
bench/run.py prepares it (the same functions), then each scenario cycles through many
distinct URLs of its kind. Every page's throughput is reported as a fraction of `hello`
(a five-byte response through the same middleware) measured in the same run with the
same number of connections: client and server share the machine, so the ratios are the
fair comparison, not the absolute numbers. Results go to bench/results/<date>-load-<db>.md.
"""

import argparse
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from itertools import combinations
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import (  # noqa: E402
    DATA,
    DEFAULT_ORGS,
    RESULTS,
    ensure_data,
    machine_info,
    prepare_postgres,
    prepare_sqlite,
)

HELLO = "/__bench__/hello/"
SECRET_KEY = "benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# The connection count the targets are judged at.
HEADLINE = 16
# Targets (docs/benchmarks.md): req/s as a fraction of hello at HEADLINE connections.
RATIO_TARGETS = {
    "home": 0.30,
    "detail": 0.30,
    "coordinators": 0.30,
    "list": 0.15,
    "api_list": 0.15,
    "search_broad": 0.10,
}
P95_LIMIT_MS = 250
SCENARIOS = [
    "hello",
    "home",
    "detail",
    "list",
    "search_rare",
    "search_broad",
    "map",
    "api_list",
    "api_detail",
    "site_search",
    "coordinators",
]
BROAD_WORDS = ["fundacja", "krakow", "kraków", "stowarzyszenie"]
SITE_SEARCH_BROAD = [
    "fundacja",
    "stowarzyszenie",
    "kraków",
    "zdrowie",
    "seniorzy",
    "sport",
    "kultura",
    "nowa huta",
    "fundacja zdrowie",
    "przyjaciół zwierząt",
]
MIN_WORD = 4


def server_env(url):
    """The environment of every Django process here: production settings, no TLS proxy."""
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "SECRET_KEY": SECRET_KEY,
        "SECURE_SSL_REDIRECT": "0",
        "PYTHONPATH": str(ROOT),
    }
    for name in ("TESTING", "BIND", "ACCESS_LOG"):
        env.pop(name, None)
    return env


# --- in a subprocess with the database's settings: data and the URLs' ingredients --------


def main_prepare(args):
    """Make sure the data is there (bench/run.py's ensure_data) and print what the scenarios
    are built from: slugs, area codes, district numbers, legal forms, words of names."""
    import django

    django.setup()
    from django.db import connection

    from wspolpraca.city.models import Coordinator
    from wspolpraca.organizations.models import District, Organization, PublicBenefitArea

    generated = ensure_data(args.orgs)
    public = Organization.objects.public()
    rng = random.Random(11)
    ids = list(public.values_list("id", flat=True))
    sample = rng.sample(ids, min(2000, len(ids)))
    rows = list(public.filter(id__in=sample).values_list("id", "slug", "name"))
    rng.shuffle(rows)

    # Rare searches: the generator draws names from word lists, so even its least common
    # word is in ~0.6 % of names. Two words of one name that seldom go together (leaving
    # out the legal-form words, in more than 5 % of names, and fixed phrases such as
    # "jana matejki") match a few dozen organizations.
    def content(name):
        found = dict.fromkeys(re.findall(r"\w+", name.lower()))
        return [w for w in found if len(w) >= MIN_WORD and words[w] < 0.05 * len(rows)]

    words, pairs = Counter(), Counter()
    for _id, _slug, name in rows:
        words.update({w for w in re.findall(r"\w+", name.lower()) if len(w) >= MIN_WORD})
    for _id, _slug, name in rows:
        pairs.update(combinations(content(name), 2))
    rare = []
    for _id, _slug, name in rows:
        candidates = list(combinations(content(name), 2))
        if candidates:
            pair = min(candidates, key=lambda p: (pairs[p], words[p[0]] * words[p[1]]))
            if " ".join(pair) not in rare:
                rare.append(" ".join(pair))
        if len(rare) == 150:
            break
    # The coordinators page is empty without the city's departments and coordinators,
    # which the generator does not make: add the demo's (idempotent).
    added_city = False
    if not Coordinator.objects.exists():
        from wspolpraca.demo.management.commands.demo import Command as Demo

        Demo().city()
        added_city = True
    info = machine_info(connection)
    data = {
        "slugs": [slug for _id, slug, _name in rows],
        "areas": list(PublicBenefitArea.objects.current().values_list("code", flat=True)),
        "districts": list(District.objects.values_list("number", flat=True)),
        "kinds": [value for value, _label in Organization.Kind.choices],
        "rare_words": rare,
        "info": info,
        "dataset": {
            "Organizations": f"{args.orgs:,} ({len(ids):,} public)",
            "Coordinators": f"{Coordinator.objects.count():,} (the demo's departments and "
            "coordinators, which bench/load.py adds when the data has none"
            + (": added in this run)" if added_city else ")"),
            "Generation": f"{generated:.0f} s (this run)"
            if generated
            else "reused from an earlier run",
        },
    }
    print("DATA " + json.dumps(data), flush=True)


def load_data(url, orgs):
    command = [sys.executable, str(Path(__file__).resolve()), "--prepare", "--orgs", str(orgs)]
    data = None
    with subprocess.Popen(
        command, env=server_env(url), cwd=ROOT, stdout=subprocess.PIPE, text=True
    ) as process:
        for line in process.stdout:
            if line.startswith("DATA "):
                data = json.loads(line[len("DATA ") :])
            else:
                print(line, end="", flush=True)
    if process.returncode or data is None:
        sys.exit(f"Preparing the data failed (exit code {process.returncode}).")
    return data


# --- the scenarios ----------------------------------------------------------------------


def query(path, **params):
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{path}?{urlencode(params)}" if params else path


def build_scenarios(data, rng):
    """Each scenario's URLs (ASCII, percent-encoded), built from the data."""
    areas, districts, kinds = data["areas"], data["districts"], data["kinds"]
    slugs, rare = data["slugs"], data["rare_words"]
    directory, geojson, api = "/organizacje/", "/organizacje/mapa.geojson", "/api/v1/organizations/"

    def filters():
        """A random combination of the directory's filters (at least one)."""
        while True:
            combo = {
                "area": rng.choice(areas) if rng.random() < 0.5 else None,
                "district": rng.choice(districts) if rng.random() < 0.5 else None,
                "kind": rng.choice(kinds) if rng.random() < 0.35 else None,
                "opp": rng.choice(["true", "false"]) if rng.random() < 0.25 else None,
                "verified": "true" if rng.random() < 0.2 else None,
            }
            combo = {k: v for k, v in combo.items() if v is not None}
            if combo:
                return combo

    def distinct(make, count):
        seen = []
        for _ in range(count * 20):
            url = make()
            if url not in seen:
                seen.append(url)
            if len(seen) == count:
                break
        return seen

    # The directory: 25 a page, its count capped at 1,000 (CappedPaginator), so 40 pages.
    plain_pages = [query(directory, page=n) if n > 1 else directory for n in range(1, 41)]
    single = (
        [query(directory, area=a) for a in areas]
        + [query(directory, district=d) for d in districts]
        + [query(directory, kind=k) for k in kinds]
        + [query(directory, opp="true"), query(directory, verified="true")]
    )
    combos = distinct(lambda: query(directory, **filters()), 50)
    sorts = ["name", "-name", "-created", "-registered"]
    sorted_pages = distinct(
        lambda: query(
            directory,
            sort=rng.choice(sorts),
            page=rng.choice([None, 2, 3, 7]),
            **(filters() if rng.random() < 0.5 else {}),
        ),
        30,
    )
    deep = [query(directory, page=n, sort=s) for n in (30, 38, 40) for s in (None, *sorts)]
    list_urls = plain_pages + single + combos + sorted_pages + deep

    broad = [
        query(directory, q=w, page=p if p > 1 else None) for w in BROAD_WORDS for p in range(1, 6)
    ]

    # What the map asks for: the whole filtered set (its points, or "tiled"), then the tiles
    # on screen, each a URL of its own: at zoom 12 the generated city is 6 × 4 tiles.
    city_tiles = [(12, x, y) for x in range(2273, 2279) for y in range(1386, 1390)]
    city_tiles += [(14, x, y) for x in range(9095, 9105) for y in range(5549, 5555)]
    tiled_filters = [{}] + [filters() for _ in range(5)]
    map_urls = (
        [query(geojson, area=a) for a in areas]
        + [query(geojson, district=d) for d in districts]
        + [query(geojson, kind=k) for k in kinds]
        + distinct(lambda: query(geojson, **filters()), 40)
        + [
            query(geojson, **combo, z=z, x=x, y=y)
            for combo in tiled_filters
            for z, x, y in city_tiles
        ]
    )

    # DRF's paginator answers 404 past the last page: pages only where there are plenty.
    api_urls = (
        [query(api, page=n if n > 1 else None) for n in range(1, 31)]
        + [query(api, kind=k, page=n) for k in ("association", "foundation") for n in (2, 5, 9)]
        + [query(api, area=a) for a in areas]
        + [query(api, district=d) for d in districts]
        + distinct(lambda: query(api, **filters()), 40)
        + [query(api, q=w) for w in ["fundacja zdrowie", "kraków", "seniorzy", *rare[:10]]]
    )

    site_search = [query("/szukaj/", q=w) for w in SITE_SEARCH_BROAD + rare[:50]]
    coordinators = ["/miasto/koordynatorzy/"] + [
        query("/miasto/koordynatorzy/", area=a) for a in areas
    ]
    return {
        "hello": [HELLO],
        "home": ["/"],
        "detail": [f"{directory}{slug}/" for slug in slugs[:300]],
        "list": list_urls,
        "search_rare": [query(directory, q=w) for w in rare[:100]],
        "search_broad": broad,
        "map": map_urls,
        "api_list": api_urls,
        "api_detail": [f"{api}{slug}/" for slug in slugs[300:500]],
        "site_search": site_search,
        "coordinators": coordinators,
    }


# --- the server -------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_static(env):
    """Under DEBUG=0 WhiteNoise serves the collected files through the manifest: collect
    them when the manifest is missing or older than a file of the apps' static folders."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if manifest.exists():
        built = manifest.stat().st_mtime
        newer = [
            path
            for folder in (ROOT / "wspolpraca").glob("**/static")
            for path in folder.rglob("*")
            if path.is_file() and path.stat().st_mtime > built
        ]
        if not newer:
            return
    print("collectstatic (the static manifest is missing or stale)…", flush=True)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
    )


class Server:
    """gunicorn with the production configuration, in its own process group."""

    def __init__(self, url, workers, log_path, page_cache=True):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **server_env(url),
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(workers),
            # No worker is recycled inside a measurement (production: every ~1,000 requests).
            "GUNICORN_MAX_REQUESTS": "0",
        }
        if not page_cache:
            # core.caching's page cache off: every request renders its page.
            self.env["PAGE_CACHE_SECONDS"] = "0"
        self.log_path = log_path
        self.process = None

    def start(self):
        ensure_static(self.env)
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wspolpraca.wsgi"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.tail()}")
            try:
                with urllib.request.urlopen(self.base + HELLO, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer {HELLO} within 90 s:\n{self.tail()}")

    def tail(self, lines=30):
        try:
            return "\n".join(Path(self.log_path).read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            self.log.close()


def check_urls(base, name, urls):
    """Each URL once, before any load: a page that does not answer 200 is a broken
    scenario, not a fast one."""
    started = time.perf_counter()
    for url in urls:
        try:
            with urllib.request.urlopen(base + url, timeout=60) as response:
                status = response.status
                response.read()
        except urllib.error.HTTPError as error:
            status = error.code
        if status != 200:
            raise SystemExit(f"{name}: {url} answered {status}, not 200")
    return time.perf_counter() - started


# --- wrk --------------------------------------------------------------------------------

LUA = """\
-- Generated by bench/load.py: cycles through the scenario's paths, one per request,
-- round-robin across the connections of a thread; threads start at different places.
local paths = {
%(paths)s
}
local n = #paths
local counter = 0
local threads = 0

function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end

function init(args)
  counter = math.floor((tonumber(first) or 0) * n / %(threads)d)
end

function request()
  counter = counter + 1
  return wrk.format(nil, paths[(counter - 1) %% n + 1])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "LOADRESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"bytes\\": %%d, " ..
    "\\"connect\\": %%d, \\"read\\": %%d, \\"write\\": %%d, \\"status\\": %%d, " ..
    "\\"timeout\\": %%d, \\"p50_us\\": %%d, \\"p95_us\\": %%d, \\"p99_us\\": %%d, " ..
    "\\"max_us\\": %%d, \\"mean_us\\": %%.1f}\\n",
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def lua_script(urls, threads, folder, name):
    for url in urls:
        if not url.isascii() or '"' in url or "\\" in url:
            raise ValueError(f"not a plain ASCII path: {url!r}")
    path = Path(folder) / f"{name}.lua"
    path.write_text(LUA % {"paths": ",\n".join(f'  "{u}"' for u in urls), "threads": threads})
    return path


def wrk(base, script, threads, connections, seconds, timeout):
    command = [
        "wrk",
        f"-t{min(threads, connections)}",
        f"-c{connections}",
        f"-d{seconds}s",
        f"--timeout={timeout}s",
        "-s",
        str(script),
        base,
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    for line in result.stdout.splitlines():
        if line.startswith("LOADRESULT "):
            run = json.loads(line[len("LOADRESULT ") :])
            run["rps"] = run["requests"] / (run["duration_us"] / 1e6)
            run["errors"] = sum(run[k] for k in ("connect", "read", "write", "status", "timeout"))
            return run
    raise RuntimeError(f"wrk gave no result (exit {result.returncode}):\n{result.stderr}")


def measure(base, script, args, connections):
    runs = [
        wrk(base, script, args.threads, connections, args.duration, args.timeout)
        for _ in range(args.repeat)
    ]
    errors = {k: sum(r[k] for r in runs) for k in ("connect", "read", "write", "status", "timeout")}
    return {
        "connections": connections,
        "rps": statistics.median(r["rps"] for r in runs),
        "rps_all": [r["rps"] for r in runs],
        "requests": sum(r["requests"] for r in runs),
        "p50": statistics.median(r["p50_us"] for r in runs) / 1000,
        "p95": max(r["p95_us"] for r in runs) / 1000,
        "p99": max(r["p99_us"] for r in runs) / 1000,
        "errors": sum(errors.values()),
        "error_kinds": {k: v for k, v in errors.items() if v},
    }


# --- reporting --------------------------------------------------------------------------


def command_version(command):
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    text = (result.stdout or result.stderr).strip().splitlines()
    return text[0] if text else "unknown"


def wrk_version():
    line = command_version(["wrk", "-v"])
    match = re.search(r"wrk (\S+)", line)
    return match.group(1) if match else line


def format_row(db, name, row):
    errors = str(row["errors"])
    if row["error_kinds"]:
        errors += " (" + ", ".join(f"{k} {v}" for k, v in row["error_kinds"].items()) + ")"
    return (
        f"{db:<9} {name:<13} {row['connections']:>4} {row['rps']:>8.1f} {row['ratio']:>6.2f}× "
        f"{row['p50']:>7.1f} {row['p95']:>7.1f} {row['p99']:>7.1f}  {errors}"
    )


TABLE_HEADER = (
    f"{'db':<9} {'scenario':<13} {'conn':>4} {'req/s':>8} {'×hello':>7} "
    f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  errors"
)


def evaluate_targets(results, headline):
    """(target, verdict) pairs judged at the headline connection count."""
    verdicts = []
    at = {name: rows[headline] for name, rows in results.items() if headline in rows}
    for name, minimum in RATIO_TARGETS.items():
        label = f"{name} ≥ {minimum:.2f}× hello at {headline} connections"
        if name not in at:
            verdicts.append((label, "not measured"))
            continue
        ratio = at[name]["ratio"]
        verdicts.append((label, f"{'met' if ratio >= minimum else 'NOT met'} ({ratio:.3f}×)"))
    slow = [f"{name} {row['p95']:.0f} ms" for name, row in at.items() if row["p95"] > P95_LIMIT_MS]
    verdicts.append(
        (
            f"no scenario's p95 > {P95_LIMIT_MS} ms at {headline} connections",
            "NOT met: " + ", ".join(slow) if slow else "met",
        )
    )
    failing = [
        f"{name} ×{c}: {row['errors']}"
        for name, rows in results.items()
        for c, row in rows.items()
        if row["errors"]
    ]
    verdicts.append(("zero errors", "NOT met: " + "; ".join(failing) if failing else "met"))
    return verdicts


def write_report(db, args, info, dataset, scenarios, results, drift, verdicts, headline):
    size = "" if args.orgs == DEFAULT_ORGS else f"-{args.orgs}"
    nocache = "" if args.page_cache else "-nocache"
    path = RESULTS / f"{info['Date']}-load-{db}{size}{nocache}.md"
    lines = [
        f"# Throughput benchmark — {db} — {info['Date']}",
        "",
        "Produced by `bench/load.py` (see docs/benchmarks.md). gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0, loaded by wrk over "
        "HTTP on 127.0.0.1. **Client and server share the machine** (wrk takes CPU "
        "from the workers), so absolute req/s are a floor; the ratios to `hello` "
        "(measured in the same run, same connections) are the fair comparison.",
        "",
        "## Machine and versions",
        "",
        *[f"- {key}: {value}" for key, value in info.items()],
        "",
        "## Data and method",
        "",
        *[f"- {key}: {value}" for key, value in dataset.items()],
        f"- Workers: {args.workers} (sync, `WEB_CONCURRENCY={args.workers}`, no recycling "
        "during the run)",
        f"- wrk: {args.threads} thread(s), connections {', '.join(map(str, args.connections))}, "
        f"{args.duration} s per measurement, {args.repeat} repeat(s) (median req/s, "
        f"median p50, worst p95/p99), a {args.warmup} s warm-up per scenario not reported, "
        f"timeout {args.timeout} s",
        "- Page cache (core.caching, per worker): "
        + (
            "as the settings have it (a page for visitors is rendered once per URL and "
            "data version, then served from the worker's cache)"
            if args.page_cache
            else "off (`--no-page-cache`, PAGE_CACHE_SECONDS=0: every page is rendered)"
        ),
        "",
        "## Results",
        "",
        "| scenario | URLs | connections | req/s | × hello | p50 ms | p95 ms | p99 ms | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, rows in results.items():
        for connections, row in rows.items():
            errors = str(row["errors"])
            if row["error_kinds"]:
                errors += " (" + ", ".join(f"{k} {v}" for k, v in row["error_kinds"].items()) + ")"
            lines.append(
                f"| {name} | {len(scenarios[name])} | {connections} | {row['rps']:.1f} | "
                f"{row['ratio']:.2f} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} "
                f"| {errors} |"
            )
    if drift:
        moved = ", ".join(
            f"{c} connections {row['rps']:.0f} req/s ({row['ratio']:.2f}× the first)"
            for c, row in drift.items()
        )
        lines += [
            "",
            f"`hello` measured again at the end: {moved}. Far from 1.00× means the machine's "
            "speed moved during the run (other processes), and the ratios are less exact.",
        ]
    lines += [
        "",
        f"## Targets (at {headline} connections)",
        "",
        "| target | result |",
        "| --- | --- |",
        *[f"| {label} | {verdict} |" for label, verdict in verdicts],
        "",
        "## URLs (first three of each scenario)",
        "",
    ]
    for name in results:
        urls = scenarios[name]
        shown = ", ".join(f"`{u}`" for u in urls[:3])
        lines.append(f"- {name} ({len(urls)}): {shown}{' …' if len(urls) > 3 else ''}")
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


# --- the parent -------------------------------------------------------------------------


def run_database(db, url, args, selected):
    print(f"\n== {db}: preparing the data", flush=True)
    data = load_data(url, args.orgs)
    scenarios = build_scenarios(data, random.Random(5))
    scenarios = {name: scenarios[name] for name in SCENARIOS if name in selected}
    import django
    import gunicorn

    info = {
        **data["info"],
        "Django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": wrk_version(),
        "Load": "wrk and gunicorn on the same machine",
        "Load average before the run": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    info["Python"] = platform.python_version()
    headline = HEADLINE if HEADLINE in args.connections else max(args.connections)
    results, drift = {}, {}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        server = Server(url, args.workers, Path(folder) / "gunicorn.log", args.page_cache)
        try:
            server.start()
            print(f"{db}: gunicorn on {server.base} with {args.workers} workers", flush=True)
            for name, urls in scenarios.items():
                seconds = check_urls(server.base, name, urls)
                print(f"{db}: {name}: {len(urls)} URLs answer 200 ({seconds:.1f} s)", flush=True)
            print(TABLE_HEADER, flush=True)
            for name, urls in scenarios.items():
                script = lua_script(urls, args.threads, folder, name)
                wrk(server.base, script, args.threads, max(args.connections), args.warmup, 10)
                results[name] = {}
                for connections in args.connections:
                    row = measure(server.base, script, args, connections)
                    results[name][connections] = row
                    row["ratio"] = row["rps"] / results["hello"][connections]["rps"]
                    print(format_row(db, name, row), flush=True)
            # hello again: how much the machine's speed moved during the run (the ratios
            # assume it did not; others' processes on a shared machine make it move).
            script = lua_script(scenarios["hello"], args.threads, folder, "hello")
            for connections in args.connections:
                row = measure(server.base, script, args, connections)
                row["ratio"] = row["rps"] / results["hello"][connections]["rps"]
                drift[connections] = row
                print(format_row(db, "hello (end)", row), flush=True)
        except BaseException:
            print(f"gunicorn's log (last lines):\n{server.tail()}", file=sys.stderr)
            raise
        finally:
            server.stop()
    info["Load average after the run"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    verdicts = evaluate_targets(results, headline)
    for label, verdict in verdicts:
        print(f"{db}: target {label}: {verdict}")
    path = write_report(
        db, args, info, data["dataset"], scenarios, results, drift, verdicts, headline
    )
    print(f"{db}: results in {path.relative_to(ROOT)}", flush=True)
    return results, path


def main_parent(args):
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: run `bash bench/setup.sh` (or apt-get install wrk).")
    DATA.mkdir(exist_ok=True)
    RESULTS.mkdir(exist_ok=True)
    selected = {"hello"}
    if args.scenario:
        for name in args.scenario.split(","):
            if name.strip() not in SCENARIOS:
                sys.exit(f"Unknown scenario {name!r}; choose from {', '.join(SCENARIOS)}")
            selected.add(name.strip())
    else:
        selected.update(SCENARIOS)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    summary = []
    for db in databases:
        if db == "sqlite":
            url = prepare_sqlite(args.orgs)
        else:
            url, problem = prepare_postgres(args.orgs)
            if problem:
                print(f"PostgreSQL skipped: {problem}")
                continue
        results, path = run_database(db, url, args, selected)
        summary.append((db, results, path))
    print("\nSummary")
    print(TABLE_HEADER)
    for db, results, path in summary:
        for name, rows in results.items():
            for row in rows.values():
                print(format_row(db, name, row))
        print(f"results: {path.relative_to(ROOT)}")


def main():
    parser = argparse.ArgumentParser(description="Throughput of the site under gunicorn (wrk).")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--orgs", type=int, default=None, help=f"default {DEFAULT_ORGS}")
    parser.add_argument("--duration", type=int, default=None, help="seconds per run (8)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement (2)")
    parser.add_argument("--warmup", type=int, default=None, help="warm-up seconds (2)")
    parser.add_argument("--connections", default="8,16", help="comma-separated (8,16)")
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2)")
    parser.add_argument("--timeout", type=int, default=10, help="wrk's request timeout, s")
    parser.add_argument(
        "--no-page-cache",
        dest="page_cache",
        action="store_false",
        help="PAGE_CACHE_SECONDS=0: render every page (default: the settings' page cache)",
    )
    parser.add_argument("--scenario", help=f"comma-separated subset of: {', '.join(SCENARIOS)}")
    parser.add_argument(
        "--quick", action="store_true", help="smoke run: --orgs 2000 --duration 2 --repeat 1"
    )
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    quick = {"orgs": 2000, "duration": 2, "repeat": 1, "warmup": 1}
    normal = {"orgs": DEFAULT_ORGS, "duration": 8, "repeat": 2, "warmup": 2}
    for key, value in (quick if args.quick else normal).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.connections = sorted({int(c) for c in args.connections.split(",") if c.strip()})
    if args.orgs < 600 or args.duration < 1 or args.repeat < 1 or not args.connections:
        parser.error("--orgs ≥ 600, --duration ≥ 1, --repeat ≥ 1 and some --connections")
    if args.prepare:
        main_prepare(args)
    else:
        main_parent(args)


if __name__ == "__main__":
    main()
