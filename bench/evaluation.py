"""Evaluation and open data at scale, on a real server with concurrent clients.

    .venv/bin/python bench/evaluation.py [--db sqlite|postgres|both] [--years 10]
        [--calls-per-year 500] [--offers-per-call 12] [--ranking-offers 2000]
        [--scorers 5] [--clients N] [--seconds 15] [--workers N]

For each database a fresh database gets ten years of decided calls (5,000 calls,
60,000 offers, about half of them granted, each grant with its agreement) and one call
in evaluation with 2,000 formally correct offers scored by a commission of five (10,000
score sheets, one score per criterion). The production server (gunicorn with
gunicorn.conf.py, DEBUG=0, the page cache off so that every request renders) is started,
and `--clients` clients (by default as many as the workers, two per core) request, each
as fast as it is answered, for `--seconds`:

1. the baseline (the layout with nothing in it, bench/urls.py), measured in the same run;
2. the commission's ranking page, as the chair sees it (a session that passed two-factor);
3. the statistics page, unfiltered and with filters by year, department, area and mode.

Then the 360Giving package of every awarded grant is downloaded whole (JSON and CSV) while
the server's workers' memory is read before and after, and, in a separate process, the
export is consumed chunk by chunk with tracemalloc: the peak after the first tenth of
the grants and after all of them must be about the same (constant memory).

Targets (issue 8): ranking p95 <= 300 ms and statistics p95 <= 300 ms, with the queries
per page constant (read from the page's own test); export memory flat.
Results go to bench/results/<date>-evaluation-<db>.md.
"""

import argparse
import http.client
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.load import Server, server_env  # noqa: E402
from bench.run import POSTGRES_URL, RESULTS, percentile  # noqa: E402

P95_LIMIT_MS = 300
BASELINE = "/__bench__/baseline/"
BATCH = 2000


# --- in a subprocess with the database's settings -----------------------------------


def main_prepare(args):
    """Migrate, generate the data, make the chair's session; print what the parent needs."""
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    data = generate(args)
    data["generation_seconds"] = round(time.perf_counter() - started)
    print("DATA " + json.dumps(data), flush=True)


def generate(args):
    import random
    from datetime import datetime, timedelta
    from decimal import Decimal
    from types import SimpleNamespace

    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from bench.run import machine_info
    from wspolpraca.accounts.models import User
    from wspolpraca.agreements.models import Agreement
    from wspolpraca.city.models import Department
    from wspolpraca.competitions.models import Call, Criterion
    from wspolpraca.competitions.services import add_statutory_criteria
    from wspolpraca.evaluations.commission import summarize_scores
    from wspolpraca.evaluations.models import (
        Commission,
        CommissionMember,
        Decision,
        FormalCheck,
        Score,
        ScoreSheet,
    )
    from wspolpraca.offers.models import Offer
    from wspolpraca.organizations.models import Organization, PublicBenefitArea

    rng = random.Random(2026)
    tz = timezone.get_current_timezone()
    official = User.objects.create(email="bench-official@example.org", full_name="Urzędniczka")
    departments = [
        Department.objects.create(name=f"Wydział {name}", short_name=short, position=i)
        for i, (name, short) in enumerate(
            [
                ("Polityki Społecznej i Zdrowia", "WS"),
                ("Kultury i Dziedzictwa", "WKD"),
                ("Sportu", "WSP"),
                ("Edukacji", "WE"),
                ("Kształtowania Środowiska", "WKS"),
                ("Rozwoju Przedsiębiorczości", "WRP"),
            ]
        )
    ]
    areas = list(PublicBenefitArea.objects.all()[:20])
    organizations = Organization.objects.bulk_create(
        [
            Organization(
                name=f"Fundacja Oceniana {n}",
                slug=f"fundacja-oceniana-{n}",
                kind="foundation",
                krs=f"{700000 + n:010d}",
                city="Kraków",
                verification="verified",
            )
            for n in range(args.organizations)
        ],
        batch_size=BATCH,
    )
    if connection.vendor == "sqlite":  # bulk_create returns no keys on old SQLite
        organizations = list(Organization.objects.filter(slug__startswith="fundacja-oceniana-"))
    organization_ids = [o.pk for o in organizations]

    def make_call(year, n, department, decided):
        deadline = datetime(year, 3 + n % 8, 1 + n % 27, 12, 0, tzinfo=tz)
        return Call(
            department=department,
            reference=f"K/{year}/{n:04d}",
            title=f"Konkurs {n} na rok {year}",
            description="Zadanie publiczne.",
            funding_mode="support" if n % 3 else "entrustment",
            budget=Decimal(rng.randrange(100_000, 800_000, 1000)),
            eligible_kinds=["foundation", "association"],
            task_starts=deadline.date() + timedelta(days=60),
            task_ends=deadline.date() + timedelta(days=240),
            offers_from=deadline - timedelta(days=30),
            deadline=deadline,
            award_rules="Zasady.",
            task_conditions="Warunki.",
            selection_procedure="Tryb.",
            selection_date=deadline.date() + timedelta(days=30),
            previous_funding="Brak.",
            status=Call.Status.DECIDED if decided else Call.Status.PUBLISHED,
            published_bip_on=(deadline - timedelta(days=30)).date(),
            published_board_on=(deadline - timedelta(days=30)).date(),
            published_at=deadline - timedelta(days=30),
            decided_at=deadline + timedelta(days=rng.randint(20, 90)) if decided else None,
        )

    this_year = timezone.localdate().year
    calls = []
    for year in range(this_year - args.years, this_year):
        for n in range(args.calls_per_year):
            calls.append(make_call(year, n, departments[n % len(departments)], True))
    Call.objects.bulk_create(calls, batch_size=BATCH)
    calls = list(Call.objects.filter(status=Call.Status.DECIDED).order_by("pk"))
    through = Call.areas.through
    through.objects.bulk_create(
        [
            through(call_id=c.pk, publicbenefitarea_id=areas[i % len(areas)].pk)
            for i, c in enumerate(calls)
        ],
        batch_size=BATCH,
    )

    def make_offer(call, n, organization_id):
        requested = Decimal(rng.randrange(5_000, 60_000, 100))
        return Offer(
            kind=Offer.Kind.COMPETITION,
            call=call,
            department_id=call.department_id,
            organization_id=organization_id,
            status=Offer.Status.SUBMITTED,
            number=f"OF/{call.deadline.year}/B{call.pk:05d}{n:04d}",
            title=f"Zadanie {n} w konkursie {call.reference}",
            starts=call.task_starts,
            ends=call.task_ends,
            summary="Opis zadania.",
            requested_grant=requested,
            own_financial=requested / 10,
            submitted_at=call.deadline - timedelta(hours=rng.randint(1, 400)),
        )

    offers = []
    for call in calls:
        for n, organization_id in enumerate(rng.sample(organization_ids, args.offers_per_call)):
            offers.append(make_offer(call, n, organization_id))
    Offer.objects.bulk_create(offers, batch_size=BATCH)
    offers = list(
        Offer.objects.filter(call__status=Call.Status.DECIDED)
        .select_related("call")
        .only(
            "pk",
            "requested_grant",
            "call__decided_at",
            "call__department_id",
            "call__task_starts",
            "call__task_ends",
            "organization_id",
            "department_id",
        )
        .order_by("pk")
    )
    FormalCheck.objects.bulk_create(
        [
            FormalCheck(offer_id=o.pk, call_id=o.call_id, status=FormalCheck.Status.PASSED)
            for o in offers
        ],
        batch_size=BATCH,
    )
    decisions, agreements = [], []
    for i, offer in enumerate(offers):
        granted = i % 2 == 0
        amount = (offer.requested_grant * Decimal(rng.choice(["1", "1", "0.95", "0.85"]))).quantize(
            Decimal("0.01")
        )
        decisions.append(
            Decision(
                offer_id=offer.pk,
                outcome=Decision.Outcome.GRANTED if granted else Decision.Outcome.REJECTED,
                amount=amount if granted else None,
                score=Decimal(rng.randint(300, 600)) / 10,
                reason="" if granted else "Za mało punktów.",
                decided_by=official,
                decided_at=offer.call.decided_at,
            )
        )
        if granted:
            agreements.append(
                Agreement(
                    offer_id=offer.pk,
                    organization_id=offer.organization_id,
                    department_id=offer.department_id,
                    number=f"UM/B/{offer.pk:07d}",
                    status=Agreement.Status.SETTLED,
                    amount=amount,
                    starts=offer.call.task_starts,
                    ends=offer.call.task_ends,
                    signed_on=offer.call.decided_at.date() + timedelta(days=14),
                    created_by=official,
                    created_at=offer.call.decided_at,
                )
            )
    Decision.objects.bulk_create(decisions, batch_size=BATCH)
    Agreement.objects.bulk_create(agreements, batch_size=BATCH)

    # The call in evaluation, its offers, commission and sheets.
    ranking_call = make_call(this_year, 9999, departments[0], False)
    ranking_call.save()
    add_statutory_criteria(ranking_call)
    criteria = list(Criterion.objects.filter(call=ranking_call))
    ranking_offers = [
        make_offer(ranking_call, n, organization_ids[n % len(organization_ids)])
        for n in range(args.ranking_offers)
    ]
    Offer.objects.bulk_create(ranking_offers, batch_size=BATCH)
    ranking_offers = list(Offer.objects.filter(call=ranking_call).order_by("pk"))
    FormalCheck.objects.bulk_create(
        [
            FormalCheck(offer_id=o.pk, call_id=ranking_call.pk, status=FormalCheck.Status.PASSED)
            for o in ranking_offers
        ],
        batch_size=BATCH,
    )
    commission = Commission.objects.create(
        call=ranking_call,
        appointment_reference="Zarządzenie nr 1/2026",
        status=Commission.Status.WORKING,
        started_at=timezone.now(),
    )
    members = []
    for n in range(args.scorers):
        user = User.objects.create(
            email=f"bench-member{n}@example.org", full_name=f"Członek {n}", requires_mfa=True
        )
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
        members.append(
            CommissionMember.objects.create(
                commission=commission,
                user=user,
                role=CommissionMember.Role.CHAIR if n == 0 else CommissionMember.Role.CITY,
                declaration_signed_at=timezone.now(),
                declaration_text="Oświadczenie.",
                added_by=official,
            )
        )
    now = timezone.now()
    sheets = []
    for member in members:
        for offer in ranking_offers:
            sheets.append(ScoreSheet(member=member, offer=offer, submitted_at=now))
    points = {}
    for sheet in sheets:
        values = [Decimal(rng.randint(0, c.max_points * 2)) / 2 for c in criteria]
        points[(sheet.member.pk, sheet.offer.pk)] = values
        sheet.total = sum(v * c.weight for v, c in zip(values, criteria, strict=True))
    ScoreSheet.objects.bulk_create(sheets, batch_size=BATCH)
    stored = ScoreSheet.objects.filter(member__commission=commission).values_list(
        "pk", "member_id", "offer_id"
    )
    Score.objects.bulk_create(
        [
            Score(sheet_id=pk, criterion=c, points=v, justification="Uzasadnienie oceny.")
            for pk, member_id, offer_id in stored
            for c, v in zip(criteria, points[(member_id, offer_id)], strict=True)
        ],
        batch_size=BATCH,
    )
    # What submitting each sheet through the service leaves behind.
    for offer in ranking_offers:
        summarize_scores(offer)
    # Fresh statistics for the query planner, as after any bulk load (without them
    # PostgreSQL plans the grouped queries over 60,000 offers as if the tables were empty).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    chair = members[0].user
    session = SessionStore()
    session[SESSION_KEY] = str(chair.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = chair.get_session_auth_hash()
    record_authentication(SimpleNamespace(session=session), chair, "mfa", type="totp")
    session.create()

    statistics = reverse("agreements:statistics")
    years = [this_year - 1, this_year - 4, this_year - 9]
    return {
        "cookie": settings.SESSION_COOKIE_NAME,
        "session": session.session_key,
        "ranking": reverse("evaluations:ranking", args=[commission.pk]),
        "statistics": [
            statistics,
            *(f"{statistics}?year={y}" for y in years),
            f"{statistics}?department={departments[1].pk}",
            f"{statistics}?area={areas[3].code}",
            f"{statistics}?mode=entrustment",
            f"{statistics}?year={years[0]}&department={departments[2].pk}",
        ],
        "export_json": reverse("api:grants-360giving-json"),
        "export_csv": reverse("api:grants-360giving-csv"),
        "dataset": {
            "Calls (decided, over years)": f"{len(calls):,} ({args.years} years)",
            "Offers in decided calls": f"{len(offers):,}",
            "Grants (agreements)": f"{len(agreements):,}",
            "Call in evaluation": f"{len(ranking_offers):,} offers, {len(members)} scorers, "
            f"{len(sheets):,} sheets, {len(sheets) * len(criteria):,} scores",
        },
        "info": machine_info(connection),
    }


def main_export_memory(args):
    """Consume the 360Giving JSON export chunk by chunk: tracemalloc's peak after a tenth
    of the grants and after all of them."""
    import django

    django.setup()
    import tracemalloc

    from django.test import Client

    from wspolpraca.agreements.models import Agreement

    total = Agreement.objects.count()
    client = Client()
    tracemalloc.start()
    response = client.get(args.path)
    peaks, seen, size = [], 0, 0
    for chunk in response.streaming_content:
        size += len(chunk)
        seen += chunk.count(b'"amountAwarded"')
        if not peaks and seen >= total // 10:
            peaks.append((seen, tracemalloc.get_traced_memory()[1]))
    peaks.append((seen, tracemalloc.get_traced_memory()[1]))
    print("MEMORY " + json.dumps({"peaks": peaks, "bytes": size, "grants": total}), flush=True)


# --- the parent: server, clients, report ---------------------------------------------


def subprocess_data(url, *arguments, marker):
    result = subprocess.run(
        [sys.executable, __file__, *arguments],
        env=server_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    raise RuntimeError(result.stderr[-4000:] or result.stdout[-4000:])


def hammer(base, paths, headers, clients, seconds):
    """`clients` threads, each on a keep-alive connection, request the paths in turn as
    fast as they are answered; latencies in ms and the statuses that were not 200."""
    host, port = base.removeprefix("http://").split(":")
    latencies, errors, lock = [], [], threading.Lock()
    stop_at = time.perf_counter() + seconds

    def client(index):
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        n = index
        while time.perf_counter() < stop_at:
            path = paths[n % len(paths)]
            n += 1
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                status = response.status
            except OSError:
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=120)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                if status != 200:
                    errors.append(status)
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": percentile(latencies, 0.50),
        "p95": percentile(latencies, 0.95),
        "max": latencies[-1] if latencies else 0.0,
        "errors": errors,
    }


def worker_rss_mb(server):
    """Resident memory of the server's processes (master and workers), in MB."""
    total = 0
    for pid_dir in Path("/proc").iterdir():
        if not pid_dir.name.isdigit():
            continue
        try:
            if os.getpgid(int(pid_dir.name)) != server.process.pid:
                continue
            for line in (pid_dir / "status").read_text().splitlines():
                if line.startswith("VmRSS"):
                    total += int(line.split()[1])
        except (OSError, ProcessLookupError):
            continue
    return total / 1024


def download(base, path, headers=None):
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    started = time.perf_counter()
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    size = 0
    while chunk := response.read(65536):
        size += len(chunk)
    connection.close()
    return response.status, size, time.perf_counter() - started


def fresh_url(db):
    if db == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="evaluation-"))
        return f"sqlite:///{folder / 'evaluation.sqlite3'}"
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    name = "wspolpraca_evaluation_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def run_database(db, args):
    url = fresh_url(db)
    print(f"[{db}] generating the data…", flush=True)
    prepare = [
        "--prepare",
        *("--years", str(args.years), "--calls-per-year", str(args.calls_per_year)),
        *("--offers-per-call", str(args.offers_per_call)),
        *("--ranking-offers", str(args.ranking_offers), "--scorers", str(args.scorers)),
        *("--organizations", str(args.organizations)),
    ]
    data = subprocess_data(url, *prepare, marker="DATA")
    print(f"[{db}] generated in {data['generation_seconds']} s", flush=True)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        server = Server(url, args.workers, Path(folder) / "gunicorn.log", page_cache=False)
        server.start()
        try:
            chair = {"Cookie": f"{data['cookie']}={data['session']}"}
            # Each page once first: one that does not answer 200 is broken, not fast. The
            # statistics' first requests compute them (their cache is cold): timed apart.
            cold = []
            for path, headers in [(BASELINE, {}), (data["ranking"], chair)] + [
                (path, {}) for path in data["statistics"]
            ]:
                status, _size, seconds = download(server.base, path, headers)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}, not 200")
                if path in data["statistics"]:
                    cold.append(seconds * 1000)
            results["statistics_cold"] = cold
            hammer(server.base, [BASELINE], {}, args.clients, 3)  # warm-up
            results["baseline"] = hammer(server.base, [BASELINE], {}, args.clients, args.seconds)
            results["ranking"] = hammer(
                server.base, [data["ranking"]], chair, args.clients, args.seconds
            )
            results["statistics"] = hammer(
                server.base, data["statistics"], {}, args.clients, args.seconds
            )
            before = worker_rss_mb(server)
            exports = {}
            for name in ("export_json", "export_csv"):
                exports[name] = download(server.base, data[name])
            after = worker_rss_mb(server)
        finally:
            server.stop()
    memory = subprocess_data(url, "--export-memory", "--path", data["export_json"], marker="MEMORY")
    return write_report(db, args, data, results, exports, (before, after), memory)


def row(name, result, baseline):
    ratio = result["p95"] / baseline["p95"] if baseline["p95"] else 0
    errors = len(result["errors"])
    return (
        f"| {name} | {result['requests']:,} | {result['rps']:.0f} | {result['p50']:.0f} | "
        f"{result['p95']:.0f} | {result['max']:.0f} | {ratio:.1f}× | {errors} |"
    )


def write_report(db, args, data, results, exports, rss, memory):
    baseline = results["baseline"]
    (first_grants, first_peak), (all_grants, all_peak) = memory["peaks"][0], memory["peaks"][-1]
    memory_ratio = all_peak / first_peak if first_peak else 0
    verdicts = [
        (
            f"ranking of {args.ranking_offers:,} offers p95 <= {P95_LIMIT_MS} ms",
            results["ranking"]["p95"] <= P95_LIMIT_MS and not results["ranking"]["errors"],
        ),
        (
            f"statistics over {args.years} years p95 <= {P95_LIMIT_MS} ms",
            results["statistics"]["p95"] <= P95_LIMIT_MS and not results["statistics"]["errors"],
        ),
        (
            "360Giving export in constant memory (peak after all grants <= 1.5 × after a tenth)",
            memory_ratio <= 1.5 and all(status == 200 for status, _s, _t in exports.values()),
        ),
    ]
    lines = [
        f"# Evaluation and open data at scale — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/evaluation.py` (see docs/benchmarks.md): gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0, the page cache off; "
        f"{args.clients} clients on keep-alive connections, each requesting as fast as it "
        f"is answered, {args.seconds:g} s per scenario, on the same machine "
        f"({os.cpu_count()} cores, Python {platform.python_version()}).",
        "",
        "| data | size |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in data["dataset"].items()),
        f"| generation | {data['generation_seconds']} s |",
        "",
        "| scenario | requests | req/s | p50 ms | p95 ms | max ms | p95 / baseline | errors |",
        "|---|---|---|---|---|---|---|---|",
        row("baseline (empty layout)", baseline, baseline),
        row(f"ranking, {args.ranking_offers:,} offers (chair)", results["ranking"], baseline),
        row(f"statistics, {len(data['statistics'])} filter sets", results["statistics"], baseline),
        "",
        "The statistics are kept in a cache renewed when calls, decisions or agreements "
        "change (`STATISTICS_CACHE_SECONDS`); the page itself is rendered on every request. "
        "The first request of each filter set, which computes them, took "
        + ", ".join(f"{ms:.0f}" for ms in results["statistics_cold"])
        + " ms (one at a time, no other load).",
        "",
        "| 360Giving export | status | size | seconds |",
        "|---|---|---|---|",
        *(
            f"| {name.removeprefix('export_').upper()} | {status} | {size / 1e6:.1f} MB | "
            f"{seconds:.1f} |"
            for name, (status, size, seconds) in exports.items()
        ),
        "",
        f"Server memory (all processes) before the downloads {rss[0]:.0f} MB, after "
        f"{rss[1]:.0f} MB. In one process with tracemalloc, the export's peak was "
        f"{first_peak / 1e6:.1f} MB after {first_grants:,} grants and {all_peak / 1e6:.1f} MB "
        f"after all {all_grants:,} ({memory_ratio:.2f}×).",
        "",
        "## Targets",
        "",
        *[f"- {label}: {'met' if ok else '**not met**'}" for label, ok in verdicts],
        "",
        "Machine: " + ", ".join(f"{k} {v}" for k, v in data["info"].items()),
        "",
    ]
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{date.today().isoformat()}-evaluation-{db}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines))
    return all(ok for _label, ok in verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--calls-per-year", type=int, default=500)
    parser.add_argument("--offers-per-call", type=int, default=12)
    parser.add_argument("--organizations", type=int, default=6000)
    parser.add_argument("--ranking-offers", type=int, default=2000)
    parser.add_argument("--scorers", type=int, default=5)
    parser.add_argument("--clients", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--export-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare:
        return main_prepare(args)
    if args.export_memory:
        return main_export_memory(args)
    met = [
        run_database(db, args)
        for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])
    ]
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
