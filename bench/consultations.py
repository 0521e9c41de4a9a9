"""Consultations and the postulate tracker at scale, on a real server with concurrent clients.

    .venv/bin/python bench/consultations.py [--db sqlite|postgres|both] [--postulates 2000]
        [--tracker 5000] [--clients N] [--seconds 15] [--workers N] [--out DIR]

For each database a fresh database gets, with bulk inserts in Polish words (so that the
search has real words to find):

- one consultation whose answers and report are published, with 12 sections, 3 meetings
  and `--postulates` postulates spread over the sections and the whole document (some on
  behalf of organizations, a few hidden), each with a reviewed answer (some answers shared
  by a group of 2–3 similar postulates);
- `--tracker` tracked postulates over the planes, sectors, departments and statuses, with
  a few areas each and two progress notes each.

The production server (gunicorn with gunicorn.conf.py, DEBUG=0, the page cache off so
that every request renders) is started, and `--clients` clients (by default as many as
the workers, two per core) request, each as fast as it is answered, for `--seconds`:

1. the baseline (the layout with nothing in it, bench/urls.py), measured in the same run;
2. the consultation's page: page 1, a middle page (`?page=40`), a section's second page
   (`?sekcja=3&page=2`);
3. the report page: the first part (the whole document) and a section's second page
   (50 postulates a page; a report of more than 50 is read one part at a time);
4. the tracker: unfiltered, by plane and status, by sector, two searches, by department,
   and one tracked postulate's page.

Each page's queries are counted once (Django's test Client, in the subprocess that made
the data) at the full size and again after 10 more postulates and 10 more tracked
postulates: the counts must not change. Then, in another subprocess, the report's PDF of
every postulate is made by its task (`build_report_pdf`), which records its time and peak
memory. Targets (issue 9): every page p95 <= 150 ms, queries constant.
Results go to bench/results/<date>-consultations-<db>.md (or `--out`).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.evaluation import (  # noqa: E402
    download,
    fresh_url,
    hammer,
    row,
    worker_rss_mb,
)
from bench.load import Server, ensure_static, server_env  # noqa: E402
from bench.run import RESULTS  # noqa: E402

P95_LIMIT_MS = 150
BASELINE = "/__bench__/baseline/"
BATCH = 2000
# Added after the first count of queries, which is then made again.
EXTRA = 10

# --- the words --------------------------------------------------------------------------

PROPOSALS = [
    "Proponujemy dopisać zasady dotyczące",
    "Wnosimy o zmianę zapisu dotyczącego",
    "Prosimy o rozszerzenie programu o",
    "Postulujemy zwiększenie środków na",
    "Proponujemy skreślić ograniczenie dotyczące",
    "Wnioskujemy o doprecyzowanie zasad",
    "Proponujemy, aby miasto ogłaszało co roku nabór dotyczący",
]
SUBJECTS = [
    "konkursów wieloletnich dla organizacji pozarządowych",
    "lokali miejskich dla stowarzyszeń i fundacji",
    "wsparcia wolontariuszy w dzielnicach",
    "małych grantów dla grup nieformalnych",
    "dostępności wydarzeń dla osób z niepełnosprawnościami",
    "zajęć dla seniorów w klubach osiedlowych",
    "programów profilaktyki zdrowotnej",
    "współpracy z radami dzielnic",
    "terminów rozliczania dotacji",
    "szkoleń z prawa zamówień publicznych",
    "ochrony zieleni na osiedlach Nowej Huty",
    "edukacji kulturalnej dzieci i młodzieży",
    "centrów obywatelskich w każdej dzielnicy",
    "regrantingu dla małych stowarzyszeń sportowych",
]
TAILS = [
    "w paragrafie o trybie konkursowym.",
    "tak, aby organizacje mogły planować działania na kilka lat.",
    "zgodnie z potrzebami mieszkańców zgłaszanymi na spotkaniach.",
    "z udziałem Rady Działalności Pożytku Publicznego.",
    "od przyszłego roku budżetowego.",
    "oraz o jasny harmonogram ogłaszania naborów.",
]
REASONS_WHY = [
    "Obecne zapisy utrudniają udział małym organizacjom.",
    "Mieszkańcy od lat zgłaszają tę potrzebę na spotkaniach w dzielnicach.",
    "Inne miasta wojewódzkie stosują takie rozwiązanie z dobrym skutkiem.",
    "Bez tej zmiany środki trafiają co roku do tych samych podmiotów.",
    "Rozliczanie dotacji zajmuje wolontariuszom zbyt wiele czasu.",
    "Brakuje miejsc, w których organizacje mogą się spotykać i pracować.",
]
ANSWERS = {
    "accepted": "Postulat uwzględniono: zapis zostanie zmieniony w programie współpracy.",
    "partly": "Postulat uwzględniono częściowo: zmiana obejmie konkursy wieloletnie.",
    "rejected": "Postulatu nie uwzględniono: zapis wynika z ustawy o finansach publicznych.",
    "out_of_scope": "Postulat wykracza poza zakres konsultowanego programu.",
}
TRACKER_TITLES = [
    "Udostępnienie lokali miejskich organizacjom pozarządowym",
    "Preferencyjny czynsz za lokale użytkowe dla stowarzyszeń",
    "Lokal miejski na centrum wolontariatu",
    "Mapa wolnych lokali gminnych dla organizacji",
    "Konkursy wieloletnie w obszarze kultury",
    "Mikrogranty dla inicjatyw młodzieżowych",
    "Dostępność wydarzeń miejskich dla osób z niepełnosprawnościami",
    "Kluby seniora w każdej dzielnicy",
    "Szkolenia z rozliczania dotacji",
    "Centrum Obywatelskie w Nowej Hucie",
    "Rada Działalności Pożytku Publicznego przy dzielnicach",
    "Program przeciwdziałania dyskryminacji w szkołach",
    "Profilaktyka zdrowia psychicznego młodzieży",
    "Sieć organizacji działających na rzecz innowacji społecznych",
    "Regranting dla małych klubów sportowych",
    "Ogrody społeczne na osiedlach",
]
PLACES = [
    "Stare Miasto",
    "Grzegórzki",
    "Prądnik Czerwony",
    "Krowodrza",
    "Bronowice",
    "Zwierzyniec",
    "Dębniki",
    "Łagiewniki-Borek Fałęcki",
    "Podgórze",
    "Czyżyny",
    "Mistrzejowice",
    "Bieńczyce",
    "Nowa Huta",
]
DESCRIPTIONS = [
    "Organizacje wskazały tę potrzebę w konsultacjach programu współpracy.",
    "Wydział przygotuje analizę kosztów i przedstawi ją Radzie Działalności Pożytku Publicznego.",
    "Postulat wymaga zmiany uchwały Rady Miasta i uzgodnienia z dzielnicami.",
    "Realizacja jest planowana w ramach budżetu na przyszły rok.",
    "Mieszkańcy i stowarzyszenia zgłaszali brak dostępnych miejsc spotkań.",
]
DEPARTMENTS = [
    ("Polityki Społecznej i Zdrowia", "WS"),
    ("Kultury i Dziedzictwa", "WKD"),
    ("Sportu", "WSP"),
    ("Edukacji", "WE"),
    ("Kształtowania Środowiska", "WKS"),
    ("Rozwoju Przedsiębiorczości", "WRP"),
]


# --- in a subprocess with the database's settings -----------------------------------


def main_prepare(args):
    """Migrate, generate the data, count each page's queries at two sizes; print what the
    parent needs."""
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", "--noinput", verbosity=0)
    started = time.perf_counter()
    data = generate(args)
    data["generation_seconds"] = round(time.perf_counter() - started)
    paths = [path for _name, path in data["pages"]]
    first = count_queries(paths)
    add_postulates(data["state"], EXTRA)
    add_tracked(data["state"], EXTRA)
    second = count_queries(paths)
    data["queries"] = {path: [first[path], second[path]] for path in paths}
    data["dataset"]["Then, before the second count of queries"] = (
        f"{EXTRA} more postulates and {EXTRA} more tracked postulates (the pages were "
        "measured with them)"
    )
    # Fresh statistics for the query planner, as after any bulk load; on PostgreSQL the
    # vacuum too, which autovacuum would otherwise start on the freshly loaded tables
    # while the pages are measured.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    del data["state"]
    print("DATA " + json.dumps(data), flush=True)


def _bulk(model, objects):
    """bulk_create, with the primary keys set even where the backend does not return them
    (the rows are read back in the order they were inserted; nothing else writes here)."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    model.objects.bulk_create(objects, batch_size=BATCH)
    if objects and objects[0].pk is None:
        for obj, pk in zip(
            objects,
            model.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True),
            strict=True,
        ):
            obj.pk = pk
    return objects


def generate(args):
    import random
    from datetime import datetime, time, timedelta

    from django.db import connection
    from django.urls import reverse
    from django.utils import timezone

    from bench.run import machine_info
    from wspolpraca.accounts.models import User
    from wspolpraca.city.models import Department
    from wspolpraca.consultations.models import (
        Catalogue,
        Consultation,
        Meeting,
        Postulate,
        Section,
    )
    from wspolpraca.organizations.models import Organization, PublicBenefitArea

    rng = random.Random(2026)
    today = timezone.localdate()
    now = timezone.now()
    departments = [
        Department.objects.create(name=f"Wydział {name}", short_name=short, position=i)
        for i, (name, short) in enumerate(DEPARTMENTS)
    ]
    areas = list(PublicBenefitArea.objects.current().order_by("pk"))
    organizations = _bulk(
        Organization,
        [
            Organization(
                name=f"Stowarzyszenie Konsultujące {n}",
                slug=f"stowarzyszenie-konsultujace-{n}",
                kind="association",
                krs=f"{800000 + n:010d}",
                city="Kraków",
                verification="verified",
            )
            for n in range(60)
        ],
    )
    residents = _bulk(
        User,
        [
            User(email=f"mieszkaniec{n}@example.org", full_name=f"Mieszkaniec {n}", password="!")
            for n in range(300)
        ],
    )

    consultation = Consultation.objects.create(
        department=departments[0],
        slug="program-wspolpracy-z-organizacjami",
        title="Program współpracy Miasta Krakowa z organizacjami pozarządowymi",
        summary="Najważniejsze zmiany programu współpracy: konkursy wieloletnie, lokale "
        "miejskie dla organizacji, małe granty i Centra Obywatelskie w dzielnicach.",
        document_title="Projekt programu współpracy na kolejny rok",
        forms=["online", "meeting", "workshop", "written"],
        information_from=today - timedelta(days=80),
        opens_on=today - timedelta(days=70),
        closes_on=today - timedelta(days=49),
        report_due=today - timedelta(days=19),
        contact_email="konsultacje@example.org",
        announced_at=now - timedelta(days=82),
        answers_published_at=now - timedelta(days=30),
        report_published_at=now - timedelta(days=20),
        report_summary="Konsultacje trwały trzy tygodnie. Odbyły się dwa spotkania otwarte "
        "i warsztat; uwagi przyjmowano także pocztą elektroniczną i na papierze.",
    )
    consultation.areas.set(areas[:3])
    sections = _bulk(
        Section,
        [
            Section(
                consultation=consultation,
                number=n,
                title=f"§ {n}. {SUBJECTS[n % len(SUBJECTS)].capitalize()}",
                text=" ".join(rng.choice(REASONS_WHY) for _ in range(6)),
            )
            for n in range(1, 13)
        ],
    )
    Meeting.objects.bulk_create(
        [
            Meeting(
                consultation=consultation,
                kind="workshop" if n == 2 else "meeting",
                title=["Spotkanie otwarte", "Spotkanie w Nowej Hucie", "Warsztat"][n],
                starts_at=timezone.make_aware(
                    datetime.combine(consultation.opens_on + timedelta(days=5 + 6 * n), time(17))
                ),
                ends_at=timezone.make_aware(
                    datetime.combine(consultation.opens_on + timedelta(days=5 + 6 * n), time(19))
                ),
                place="Centrum Obywatelskie, ul. Reformacka 3",
                capacity=60,
                attendance=30 + 7 * n,
            )
            for n in range(3)
        ]
    )
    state = {
        "rng": rng,
        "consultation": consultation,
        "sections": sections,
        "organizations": organizations,
        "residents": residents,
        "departments": departments,
        "areas": areas,
        "catalogue": Catalogue.objects.create(code="program-2026", title="Program współpracy"),
        "postulates": 0,
        "tracked": 0,
    }
    add_postulates(state, args.postulates)
    add_tracked(state, args.tracker)

    detail = reverse("consultations:detail", args=[consultation.slug])
    report = reverse("consultations:report", args=[consultation.slug])
    tracker = reverse("consultations:tracker")
    tracked_code = f"PW-{args.tracker // 2:05d}"
    symbol = departments[1].short_name

    def query(path, **params):
        return f"{path}?{urlencode(params)}"

    pages = [
        ("consultation, page 1", detail),
        ("consultation, page 40 (of 80)", query(detail, page=40)),
        ("consultation, section 3, page 2", query(detail, sekcja=3, page=2)),
        ("report, first part (the whole document)", report),
        ("report, section 5, page 2", query(report, sekcja=5, page=2)),
        ("tracker", tracker),
        ("tracker, plane II, in progress", query(tracker, plane="II", status="in_progress")),
        ("tracker, sector culture", query(tracker, sector="culture")),
        ("tracker, search “lokale”", query(tracker, q="lokale")),
        ("tracker, search “lokal miejski”", query(tracker, q="lokal miejski")),
        (f"tracker, department {symbol}", query(tracker, department=symbol)),
        ("tracked postulate", reverse("consultations:tracked", args=[tracked_code])),
    ]
    shared = (
        Postulate.objects.filter(consultation=consultation).values("response").distinct().count()
    )
    return {
        "pages": pages,
        "state": state,
        "dataset": {
            "Consultation": "1, answers and report published; 12 sections, 3 meetings",
            "Postulates": f"{args.postulates:,} ({args.postulates // 100:,} hidden, "
            f"{shared:,} answers, some shared by 2–3 postulates)",
            "Tracked postulates": f"{args.tracker:,} (6 departments, 1–3 areas and 2 "
            "progress notes each)",
        },
        "info": machine_info(connection),
    }


def add_postulates(state, count):
    """`count` more postulates of the consultation, each with a reviewed answer."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from wspolpraca.consultations.models import Postulate, Response
    from wspolpraca.consultations.services import count_report_numbers, recount
    from wspolpraca.core.search import search_document

    rng, consultation = state["rng"], state["consultation"]
    sections, first = state["sections"], state["postulates"] + 1
    numbers = list(range(first, first + count))
    hidden = {n for n in numbers if n % 100 == 37}
    # Groups of similar postulates answered together: 2–3 consecutive ones, in one section.
    groups, n = [], first
    while n < first + count:
        size = rng.choice([1, 1, 1, 1, 1, 1, 2, 2, 3])
        groups.append([m for m in range(n, min(n + size, first + count)) if m not in hidden])
        n += size
    groups = [g for g in groups if g]
    reviewed_at = timezone.now() - timedelta(days=35)
    responses = []
    for _group in groups:
        outcome = rng.choice(list(ANSWERS))
        responses.append(
            Response(
                consultation=consultation,
                outcome=outcome,
                reason=ANSWERS[outcome] if outcome != "accepted" else "",
                status=Response.Status.REVIEWED,
                reviewed_at=reviewed_at,
            )
        )
    _bulk(Response, responses)
    answer_of = {n: r.pk for group, r in zip(groups, responses, strict=True) for n in group}
    section_of = {}
    for group in groups:  # one section per group, a thirteenth of them the whole document
        pick = rng.randrange(len(sections) + 1)
        for n in group:
            section_of[n] = sections[pick] if pick < len(sections) else None
    rows = []
    for n in numbers:
        subject = rng.choice(SUBJECTS)
        proposal = f"{rng.choice(PROPOSALS)} {subject} {rng.choice(TAILS)}"
        justification = " ".join(rng.sample(REASONS_WHY, rng.randint(1, 3)))
        source = rng.choice(["online"] * 7 + ["email", "paper", "meeting"])
        online = source == "online"
        rows.append(
            Postulate(
                consultation=consultation,
                number=n,
                section=section_of.get(n, rng.choice(sections)),
                proposal=proposal,
                justification=justification,
                author=rng.choice(state["residents"]) if online else None,
                organization=rng.choice(state["organizations"]) if n % 4 == 0 else None,
                author_name="" if online else f"Jan Kowalski {n}",
                source=source,
                received_on=None if online else consultation.opens_on + timedelta(days=n % 20),
                support_count=rng.randint(0, 12),
                is_hidden=n in hidden,
                hidden_reason="Treść obraźliwa." if n in hidden else "",
                response_id=answer_of.get(n),
                terms=search_document(proposal, justification),
            )
        )
    Postulate.objects.bulk_create(rows, batch_size=BATCH)
    # created_at is set to now on insert; the postulates came while the consultation was open.
    submitted = datetime.combine(consultation.opens_on + timedelta(days=3), time(12))
    Postulate.objects.filter(consultation=consultation, number__gte=first).update(
        created_at=timezone.make_aware(submitted)
    )
    # The counts the services keep, as after any bulk load, and the published report's
    # numbers, as publishing it records them.
    recount(consultation)
    consultation.refresh_from_db()
    consultation.report_numbers = count_report_numbers(consultation)
    consultation.save(update_fields=["report_numbers"])
    state["postulates"] += count


def add_tracked(state, count):
    """`count` more tracked postulates, each with 1–3 areas and two progress notes."""
    from datetime import timedelta

    from django.utils import timezone

    from wspolpraca.consultations.models import ProgressNote, TrackedPostulate
    from wspolpraca.core.search import fold, search_document

    rng, first = state["rng"], state["tracked"]
    statuses = [value for value, _label in TrackedPostulate.Status.choices]
    planes = [value for value, _label in TrackedPostulate.Plane.choices]
    sectors = [value for value, _label in TrackedPostulate.Sector.choices]
    today = timezone.localdate()
    rows = []
    for n in range(first, first + count):
        title = f"{TRACKER_TITLES[n % len(TRACKER_TITLES)]} — {rng.choice(PLACES)}"
        description = " ".join(rng.sample(DESCRIPTIONS, 2))
        code = f"PW-{n:05d}"
        by_plane = n % 5 < 3
        status = rng.choice(statuses)
        rows.append(
            TrackedPostulate(
                code=code,
                title=title,
                description=description,
                plane=rng.choice(planes) if by_plane else "",
                sector="" if by_plane else rng.choice(sectors),
                department=state["departments"][n % len(state["departments"])],
                status=status,
                status_reason="Brak podstawy prawnej." if status == "rejected" else "",
                catalogue=state["catalogue"] if n % 3 == 0 else None,
                consultation=state["consultation"] if n % 10 == 0 else None,
                # What save() computes, computed here with the same functions.
                sort_name=fold(code),
                search_name=search_document(title),
                search_document=search_document(title, description, code),
            )
        )
    _bulk(TrackedPostulate, rows)
    through = TrackedPostulate.areas.through
    through.objects.bulk_create(
        [
            through(trackedpostulate_id=tracked.pk, publicbenefitarea_id=area.pk)
            for tracked in rows
            for area in rng.sample(state["areas"], rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )
    notes = []
    for tracked in rows:
        started = today - timedelta(days=rng.randint(60, 700))
        notes.append(
            ProgressNote(
                postulate_id=tracked.pk,
                date=started,
                text=f"Przekazano do wydziału {tracked.department.short_name}.",
                status="submitted",
            )
        )
        notes.append(
            ProgressNote(
                postulate_id=tracked.pk,
                date=started + timedelta(days=rng.randint(10, 50)),
                text=rng.choice(DESCRIPTIONS),
                status=tracked.status,
            )
        )
    ProgressNote.objects.bulk_create(notes, batch_size=BATCH)
    state["tracked"] += count


def count_queries(paths):
    """{path: queries} of each page rendered once for a visitor (test Client), after a
    first request that warms the layout's caches."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    counts = {}
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"{path} answered {response.status_code}, not 200")
        counts[path] = len(captured)
    return counts


def main_pdf(args):
    """The report's PDF of every postulate, made by its task; what the task recorded."""
    import django

    django.setup()
    from io import BytesIO

    from pypdf import PdfReader

    from wspolpraca.consultations import services
    from wspolpraca.consultations.models import Consultation, ReportJob

    consultation = Consultation.objects.get()
    job = ReportJob.objects.create(consultation=consultation)
    services.build_report_pdf.call(job.pk)
    job.refresh_from_db()
    consultation.refresh_from_db()
    with consultation.report_pdf.open("rb") as file:
        content = file.read()
    result = {
        "seconds": job.seconds,
        "peak_memory_mb": job.peak_memory_mb,
        "error": job.error,
        "bytes": len(content),
        "pages": len(PdfReader(BytesIO(content)).pages),
        "postulates": consultation.postulates.count(),
    }
    print("PDF " + json.dumps(result), flush=True)


# --- the parent: server, clients, report ---------------------------------------------


def subprocess_data(url, *arguments, marker, env=None):
    """This script in a subprocess with the database's settings; the JSON it prints after
    `marker`. (bench/evaluation.py's function of the same name runs evaluation.py.)"""
    result = subprocess.run(
        [sys.executable, __file__, *arguments],
        env={**server_env(url), **(env or {})},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    for line in result.stdout.splitlines():
        if line.startswith(marker + " "):
            return json.loads(line[len(marker) + 1 :])
    raise RuntimeError(result.stderr[-4000:] or result.stdout[-4000:])


def run_database(db, args):
    url = fresh_url(db)
    media = tempfile.mkdtemp(prefix="consultations-media-")
    try:
        # The pages' queries are counted with the production settings, before the server
        # (which collects the static files when needed) starts: collect them first.
        ensure_static(server_env(url))
        print(f"[{db}] generating the data…", flush=True)
        prepare = ["--prepare", "--postulates", str(args.postulates)]
        prepare += ["--tracker", str(args.tracker)]
        data = subprocess_data(url, *prepare, marker="DATA", env={"PAGE_CACHE_SECONDS": "0"})
        print(f"[{db}] generated in {data['generation_seconds']} s", flush=True)
        results = {}
        with tempfile.TemporaryDirectory() as folder:
            server = Server(url, args.workers, Path(folder) / "gunicorn.log", page_cache=False)
            server.start()
            try:
                # Each page once first: one that does not answer 200 is broken, not fast.
                for _name, path in [("baseline", BASELINE), *data["pages"]]:
                    status, _size, _seconds = download(server.base, path)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}, not 200")
                hammer(server.base, [BASELINE], {}, args.clients, 3)  # warm-up
                results["baseline"] = hammer(
                    server.base, [BASELINE], {}, args.clients, args.seconds
                )
                for name, path in data["pages"]:
                    print(f"[{db}] {name}…", flush=True)
                    hammer(server.base, [path], {}, args.clients, 2)  # warm-up, not counted
                    results[name] = hammer(server.base, [path], {}, args.clients, args.seconds)
                # Again at the end: was the machine steady through the run?
                results["baseline, again"] = hammer(
                    server.base, [BASELINE], {}, args.clients, args.seconds
                )
                rss = worker_rss_mb(server)
            finally:
                server.stop()
        print(f"[{db}] the report's PDF…", flush=True)
        pdf = subprocess_data(url, "--pdf", marker="PDF", env={"MEDIA_ROOT": media})
    finally:
        shutil.rmtree(media, ignore_errors=True)
        if db == "sqlite":
            shutil.rmtree(Path(url.removeprefix("sqlite:///")).parent, ignore_errors=True)
    return write_report(db, args, data, results, rss, pdf)


def write_report(db, args, data, results, rss, pdf):
    baseline = results["baseline"]
    rows, verdicts = [], []
    for name, path in data["pages"]:
        result = results[name]
        before, after = data["queries"][path]
        ok = result["p95"] <= P95_LIMIT_MS and not result["errors"]
        verdicts.append((f"{name} p95 <= {P95_LIMIT_MS} ms", ok))
        rows.append(
            f"{row(f'{name} (`{path}`)', result, baseline)} {before} / {after} | "
            f"{'met' if ok else '**not met**'} |"
        )
    constant = all(before == after for before, after in data["queries"].values())
    verdicts.append(("queries per page the same at both sizes", constant))
    again = results["baseline, again"]
    lines = [
        f"# Consultations and the postulate tracker at scale — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/consultations.py` (see docs/benchmarks.md): gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0, the page cache off; "
        f"{args.clients} clients on keep-alive connections, each requesting as fast as it "
        f"is answered, {args.seconds:g} s per page, on the same machine "
        f"({os.cpu_count()} cores, Python {platform.python_version()}).",
        "",
        "| data | size |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in data["dataset"].items()),
        f"| generation | {data['generation_seconds']} s |",
        "",
        "Queries: each page rendered once for a visitor (Django's test Client) at the full "
        f"size and after {EXTRA} more postulates and {EXTRA} more tracked postulates.",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | max ms | p95 / baseline | errors | "
        f"queries (full / +{EXTRA}) | p95 <= {P95_LIMIT_MS} ms |",
        "|---|---|---|---|---|---|---|---|---|---|",
        row("baseline (empty layout)", baseline, baseline) + " — | — |",
        *rows,
        "",
        f"The baseline measured again at the end: p50 {again['p50']:.0f} ms, p95 "
        f"{again['p95']:.0f} ms ({again['p95'] / baseline['p95']:.2f}× the first). Server "
        f"memory (all processes) after the run: {rss:.0f} MB.",
        "",
        f"| report PDF ({pdf['postulates']:,} postulates) | value |",
        "|---|---|",
        f"| task's time (`ReportJob.seconds`) | {pdf['seconds']:.1f} s |",
        f"| task process's peak memory (`ReportJob.peak_memory_mb`) | "
        f"{pdf['peak_memory_mb']:.0f} MB |",
        f"| size | {pdf['bytes'] / 1e6:.2f} MB |",
        f"| pages | {pdf['pages']:,} |",
        "",
        "The peak memory is the task process's resident maximum (`ru_maxrss`), Django "
        "included, as the task records it.",
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
    path = out / f"{date.today().isoformat()}-consultations-{db}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines))
    print(f"[{db}] results: {path}")
    return all(ok for _label, ok in verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postulates", type=int, default=2000)
    parser.add_argument("--tracker", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1))
    parser.add_argument("--out", default=str(RESULTS), help="folder of the results")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--pdf", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.postulates < 100 or args.tracker < 100:
        parser.error("--postulates and --tracker must be at least 100")
    if args.prepare:
        return main_prepare(args)
    if args.pdf:
        return main_pdf(args)
    met = [
        run_database(db, args)
        for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])
    ]
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
