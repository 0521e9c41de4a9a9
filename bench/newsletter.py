"""The weekly newsletter digest at scale: 50,000 subscribers across all areas.

    .venv/bin/python bench/newsletter.py [--db sqlite|postgres|both] [--subscribers 50000]
        [--items 300] [--workers 2] [--out DIR]

For each database a fresh database is migrated and gets, with bulk inserts:

- `--subscribers` confirmed subscribers: three in ten of all areas, the others of one to
  four of the 41 public benefit areas; two in five of every kind, the others of one to four
  kinds; one in ten writing in English;
- `--items` things published in the past week, spread over the newsletter's kinds and the
  areas (one in ten of no area), of which a tenth are real `News` rows and the rest come
  from a synthetic feed source registered in the process that builds the digest (the
  other apps' sources are measured by their own benchmarks; the digest reads the feed
  once per digest, whatever it holds).

Then, timed from the start of the first step to the end of the last:

1. one process builds the week's digest (`services.build_digest`): the feed read once,
   per language, and one pending delivery per subscriber;
2. `--workers` processes (two: the target is for 2 cores) send it side by side, each
   claiming batches of pending deliveries as the task worker does
   (`services.send_batch` in a loop, the body of `send_digest_batch_task`), with the
   production settings: every copy is an `OutgoingEmail` row and a queued `deliver` task
   in django-tasks' database backend;
3. `services.finish_digest` counts the deliveries.

Each process reports its peak memory (`ru_maxrss`). The SMTP delivery of the queued
e-mails is the mail relay's pace, not the digest's; a separate step measures the
`deliver` task of 1,000 of them into Django's in-memory mail backend, for its cost per
message. Target (issue 10): the whole digest <= 2 minutes on 2 cores.
Results go to bench/results/<date>-newsletter-<db>.md (or `--out`).
"""

import argparse
import json
import os
import platform
import resource
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

from bench.load import server_env  # noqa: E402
from bench.run import POSTGRES_URL, RESULTS  # noqa: E402

LIMIT_SECONDS = 120
BATCH = 5000
DELIVER_SAMPLE = 1000


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- in subprocesses with the database's settings -----------------------------------------


def synthetic_feed(seed, count):
    """Register, in this process, a source per newsletter kind (news excepted) that
    returns `count` items published in the past week."""
    import random
    from datetime import timedelta

    from django.utils import timezone

    from wspolpraca.core import feed
    from wspolpraca.newsletter.models import ALL_FEED_KINDS
    from wspolpraca.organizations.models import PublicBenefitArea

    rng = random.Random(seed)
    codes = list(PublicBenefitArea.objects.values_list("code", flat=True))
    now = timezone.now()
    items = []
    kinds = [k for k in ALL_FEED_KINDS if k != "news"]
    for n in range(count):
        kind = rng.choice(kinds)
        published = now - timedelta(minutes=rng.randint(60, 6 * 24 * 60))
        areas = () if rng.random() < 0.1 else tuple(rng.sample(codes, rng.randint(1, 2)))
        items.append(
            feed.Item(
                kind=kind,
                title=f"Pozycja {n}: {kind} dla organizacji pozarządowych w Krakowie",
                url=f"/{kind}/{n}/",
                published=published,
                starts=published + timedelta(days=rng.randint(3, 40)),
                areas=areas,
                place="ul. Długa 1" if kind in {"event", "training", "room"} else "",
            )
        )
    for kind in kinds:
        feed._sources[kind] = lambda start, end, kind=kind: [
            i for i in items if i.kind == kind and start <= i.starts < end
        ]
        feed._labels.setdefault(kind, kind)


def main_prepare(args):
    import random
    from datetime import timedelta

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from wspolpraca.newsletter.models import Kind, News, Subscriber
    from wspolpraca.organizations.models import PublicBenefitArea

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    rng = random.Random(10)
    areas = list(PublicBenefitArea.objects.values_list("pk", flat=True))
    kinds = list(Kind.values)
    now = timezone.now()
    subscribers = []
    for n in range(args.subscribers):
        subscribers.append(
            Subscriber(
                email=f"czytelnik{n}@example.org",
                kinds=kinds if rng.random() < 0.4 else rng.sample(kinds, rng.randint(1, 4)),
                language="en" if rng.random() < 0.1 else "pl",
                confirmed_at=now - timedelta(days=30),
                last_digest_at=now - timedelta(days=7),
            )
        )
    Subscriber.objects.bulk_create(subscribers, batch_size=BATCH)
    through = Subscriber.areas.through
    links = []
    for pk in Subscriber.objects.order_by("pk").values_list("pk", flat=True):
        if rng.random() < 0.3:
            continue  # all areas
        for area in rng.sample(areas, rng.randint(1, 4)):
            links.append(through(subscriber_id=pk, publicbenefitarea_id=area))
    through.objects.bulk_create(links, batch_size=BATCH)
    news = []
    for n in range(args.items // 10):
        news.append(
            News(
                title=f"Wiadomość {n} dla organizacji",
                slug=f"wiadomosc-{n}",
                lead="Krótko o tym, co się zmienia.",
                published_at=now - timedelta(hours=rng.randint(2, 140)),
            )
        )
    News.objects.bulk_create(news)
    news_through = News.areas.through
    news_through.objects.bulk_create(
        [
            news_through(news_id=pk, publicbenefitarea_id=rng.choice(areas))
            for pk in News.objects.values_list("pk", flat=True)
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    print(
        "DATA "
        + json.dumps(
            {
                "seconds": round(time.perf_counter() - started, 1),
                "subscribers": args.subscribers,
                "area_links": len(links),
                "news": len(news),
            }
        ),
        flush=True,
    )


def main_build(args):
    import django

    django.setup()
    from django.utils import timezone

    from wspolpraca.newsletter import services

    synthetic_feed(20, args.items - args.items // 10)
    started = time.perf_counter()
    digest = services.build_digest(timezone.localdate())
    seconds = time.perf_counter() - started
    result = {
        "digest": digest.pk,
        "seconds": round(seconds, 2),
        "items": digest.item_count,
        "deliveries": digest.deliveries.count(),
        "peak_mb": round(peak_mb()),
    }
    print("BUILD " + json.dumps(result), flush=True)


def main_worker(args):
    import django

    django.setup()
    from wspolpraca.newsletter import services
    from wspolpraca.newsletter.models import Digest

    digest = Digest.objects.get(pk=args.digest)
    started = time.perf_counter()
    claimed = batches = 0
    while True:
        n = services.send_batch(digest)
        if not n:
            break
        claimed += n
        batches += 1
    result = {
        "claimed": claimed,
        "batches": batches,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mb": round(peak_mb()),
    }
    print("WORKER " + json.dumps(result), flush=True)


def main_finish(args):
    import django

    django.setup()
    from collections import Counter

    from django.db.models import Count

    from wspolpraca.core.models import OutgoingEmail
    from wspolpraca.newsletter import services
    from wspolpraca.newsletter.models import Digest

    digest = Digest.objects.get(pk=args.digest)
    services.finish_digest(digest)
    digest.refresh_from_db()
    per_address = Counter(
        dict(OutgoingEmail.objects.values_list("to").annotate(n=Count("id")).order_by()).values()
    )
    one_click = OutgoingEmail.objects.filter(headers__has_key="List-Unsubscribe-Post").count()
    print(
        "FINISH "
        + json.dumps(
            {
                "status": digest.status,
                "sent": digest.sent_count,
                "skipped": digest.skipped_count,
                "failed": digest.failed_count,
                "emails": OutgoingEmail.objects.count(),
                "copies_per_address": {str(k): v for k, v in per_address.items()},
                "with_one_click_header": one_click,
            }
        ),
        flush=True,
    )


def main_deliver(args):
    """The `deliver` task of DELIVER_SAMPLE queued e-mails, into the in-memory backend."""
    import django

    django.setup()
    from django.conf import settings

    from wspolpraca.core import mail
    from wspolpraca.core.models import OutgoingEmail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    pks = list(OutgoingEmail.objects.order_by("pk").values_list("pk", flat=True)[:DELIVER_SAMPLE])
    started = time.perf_counter()
    for pk in pks:
        mail.deliver.call(pk)
    seconds = time.perf_counter() - started
    print("DELIVER " + json.dumps({"count": len(pks), "seconds": round(seconds, 2)}), flush=True)


# --- the parent ------------------------------------------------------------------------------


def fresh_url(db):
    if db == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="newsletter-"))
        return f"sqlite:///{folder / 'newsletter.sqlite3'}"
    import psycopg

    base = POSTGRES_URL.rsplit("/", 1)[0]
    name = "wspolpraca_newsletter_bench"
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def _env(url):
    # The production settings with the database task backend, as on a real site.
    env = server_env(url)
    env.pop("TASKS_BACKEND", None)
    return env


def _parse(output, marker):
    for line in output.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    return None


def run(url, marker, *arguments):
    result = subprocess.run(
        [sys.executable, __file__, *arguments],
        env=_env(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    data = _parse(result.stdout, marker)
    if data is None:
        raise RuntimeError(result.stderr[-4000:] or result.stdout[-4000:])
    return data


def run_database(db, args):
    url = fresh_url(db)
    try:
        print(f"[{db}] generating {args.subscribers:,} subscribers…", flush=True)
        common = ["--subscribers", str(args.subscribers), "--items", str(args.items)]
        data = run(url, "DATA", "--prepare", *common)
        print(f"[{db}] generated in {data['seconds']} s; building and sending…", flush=True)
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        build = run(url, "BUILD", "--build", *common)
        workers = [
            subprocess.Popen(
                [sys.executable, __file__, "--worker", "--digest", str(build["digest"])],
                env=_env(url),
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _n in range(args.workers)
        ]
        results = []
        for process in workers:
            out, err = process.communicate()
            result = _parse(out, "WORKER")
            if result is None:
                raise RuntimeError(err[-4000:])
            results.append(result)
        finish = run(url, "FINISH", "--finish", "--digest", str(build["digest"]))
        total = time.perf_counter() - started
        data["load"] = (load_before, os.getloadavg()[0])
        print(f"[{db}] digest in {total:.1f} s; delivering a sample…", flush=True)
        deliver = run(url, "DELIVER", "--deliver")
    finally:
        if db == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    return write_report(db, args, data, build, results, finish, total, deliver)


def write_report(db, args, data, build, workers, finish, total, deliver):
    ok_time = total <= LIMIT_SECONDS
    ok_once = set(finish["copies_per_address"]) == {"1"}
    ok_all = finish["sent"] + finish["skipped"] == args.subscribers and finish["failed"] == 0
    lines = [
        f"# The weekly newsletter digest at scale — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/newsletter.py` (see its docstring): production settings "
        "(DEBUG=0, django-tasks' database backend), a digest built by one process and sent "
        f"by {args.workers} worker processes side by side, on the same machine "
        f"({os.cpu_count()} cores, Python {platform.python_version()}); the machine's load "
        f"average (1 min) was {data['load'][0]:.1f} before the digest and "
        f"{data['load'][1]:.1f} after it (above 2, other work shared the cores).",
        "",
        "| data | size |",
        "|---|---|",
        f"| confirmed subscribers | {args.subscribers:,} (3 in 10 of all areas; the rest "
        f"{data['area_links']:,} choices of area) |",
        f"| items published in the week | {args.items} ({data['news']} of them news rows) |",
        f"| generation | {data['seconds']} s |",
        "",
        "| step | seconds | peak memory (MB) |",
        "|---|---|---|",
        f"| build: the feed read once, {build['deliveries']:,} pending deliveries | "
        f"{build['seconds']} | {build['peak_mb']} |",
        *(
            f"| worker {n + 1}: {w['claimed']:,} deliveries in {w['batches']} batches | "
            f"{w['seconds']} | {w['peak_mb']} |"
            for n, w in enumerate(workers)
        ),
        f"| **whole digest (processes started, built, sent, counted)** | **{total:.1f}** | "
        f"max {max([build['peak_mb'], *[w['peak_mb'] for w in workers]])} per process |",
        "",
        f"Outcome: {finish['sent']:,} e-mails queued (each an `OutgoingEmail` with its "
        f"`deliver` task), {finish['skipped']:,} subscribers with nothing matching (no "
        f"e-mail), {finish['failed']} failed; copies per address: "
        f"{finish['copies_per_address']}; messages with the one-click unsubscribe header: "
        f"{finish['with_one_click_header']:,}.",
        "",
        f"Delivery (the `deliver` task, after the digest, at the mail relay's pace): "
        f"{deliver['count']:,} messages into the in-memory mail backend took "
        f"{deliver['seconds']} s in one process "
        f"({deliver['seconds'] / max(deliver['count'], 1) * 1000:.1f} ms a message).",
        "",
        "## Targets",
        "",
        f"- the digest for {args.subscribers:,} subscribers <= {LIMIT_SECONDS} s on "
        f"{args.workers} cores: {'met' if ok_time else '**not met**'} ({total:.1f} s)",
        f"- nobody got two copies: {'met' if ok_once else '**not met**'}",
        f"- every subscriber sent or skipped, none failed: {'met' if ok_all else '**not met**'}",
        "",
    ]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{date.today().isoformat()}-newsletter-{db}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines))
    print(f"[{db}] results: {path}")
    return ok_time and ok_once and ok_all


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--subscribers", type=int, default=50_000)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(RESULTS), help="folder of the results")
    parser.add_argument("--digest", type=int, help=argparse.SUPPRESS)
    for step in ("prepare", "build", "worker", "finish", "deliver"):
        parser.add_argument(f"--{step}", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    for step in ("prepare", "build", "worker", "finish", "deliver"):
        if getattr(args, step):
            return globals()[f"main_{step}"](args)
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = [run_database(db, args) for db in databases]  # every database, even after a miss
    ok = all(results)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
