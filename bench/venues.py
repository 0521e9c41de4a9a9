"""The rooms' search at scale, on a real server with concurrent clients.

    .venv/bin/python bench/venues.py [--db sqlite|postgres|both] [--rooms 500]
        [--buildings 60] [--bookings-per-room 200] [--clients N] [--seconds 15]
        [--workers N] [--alone 40] [--wait 120] [--out DIR]

For each database a fresh database (SQLite: a file in a temporary folder; PostgreSQL:
`wspolpraca_bench_venues`, dropped and created) is migrated and gets, with bulk inserts:

- `--buildings` buildings over Kraków's 18 districts, with opening hours (weekdays
  8:00–21:00, some closed for lunch, some open on Saturday), a mix of accessibility
  features and a place on the map;
- `--rooms` rooms spread over them (capacities 8–200, equipment, most free of charge,
  most needing a manager's approval, one in five with bookable hours of its own, one in
  five with a blocked period of 3–14 days);
- `--bookings-per-room` bookings per room (100,000 for 500 rooms), spread over a year
  (six months back, six ahead) within the room's bookable hours, evenings more often than
  mornings, in every status: past ones mostly confirmed, some cancelled, refused or no-show;
  future ones confirmed, waiting for approval, cancelled or refused. Bookings that hold the
  time (requested, confirmed) never overlap each other or a blocked period (the database
  refuses an overlap: an exclusion constraint on PostgreSQL, triggers on SQLite); the
  others may lie anywhere.

The data is made in two steps: first a tenth of the rooms with their bookings (the small
size), when each page's queries are counted (Django's test Client, in the subprocess that
made the data), then the rest (the full size), when they are counted again: the counts
must not change.

The production server (gunicorn with gunicorn.conf.py, DEBUG=0, the page cache off so that
every request renders; the rooms' pages are not cached anyway) is started, and `--clients`
clients (by default as many as the workers, two per core) request, each as fast as it is
answered, for `--seconds` per page:

1. the baseline (the layout with nothing in it, bench/urls.py), measured in the same run,
   at the start and again at the end;
2. the rooms' list: unfiltered, and by district + capacity + step-free entry;
3. "free at": the list of rooms free on a date from one time to another, for several
   dates (tomorrow, next Tuesday evening, a Saturday morning, a Thursday evening in three
   months), and once with the district, capacity and step-free filters too;
4. a room's page with its week of free and busy times (this week and a week in two months);
5. the API `/api/v1/rooms/`: with `from`/`to` (a week, and 31 days) giving each room's busy
   intervals, and with `free_on`/`free_from`/`free_until`.

The machine may be shared: each measurement reports the share of the cores' time that
this benchmark used and the share other processes took meanwhile (read from /proc), and
before each one the benchmark waits (at most `--wait` seconds, 120 by default) until other
processes take less than 15 % of the machine.

Each page is also timed alone: `--alone` requests one at a time with the test Client in
the subprocess that made the data (server time, no network, no concurrent client), which
tells the page's cost apart from the queueing of the concurrent run.

Target (issue 10): the "free on date X" search over 500 rooms and 100,000 bookings p95 <=
100 ms; every page's queries constant. Results go to bench/results/<date>-venues-<db>.md
(or `--out`).
"""

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.evaluation import download, hammer, row, worker_rss_mb  # noqa: E402
from bench.load import Server, ensure_static, server_env  # noqa: E402
from bench.pages import (  # noqa: E402
    analyze,
    cpu_shares,
    cpu_times,
    drop,
    fresh_url,
    percent,
    subprocess_data,
    wait_for_quiet,
)
from bench.run import RESULTS  # noqa: E402

P95_LIMIT_MS = 100
BASELINE = "/__bench__/baseline/"
BATCH = 2000
POSTGRES_NAME = "wspolpraca_bench_venues"
# The small size: this fraction of the rooms (with their bookings) is made first.
SMALL_FRACTION = 10

# --- the words --------------------------------------------------------------------------

BUILDINGS = [
    ("Centrum Obywatelskie", "Wydział Polityki Społecznej i Zdrowia"),
    ("Dom Kultury", "Centrum Kultury"),
    ("Klub Osiedlowy", "Centrum Kultury"),
    ("Szkoła Podstawowa nr {n}", "Zarząd Budżetu Obywatelskiego i Edukacji"),
    ("Biblioteka Kraków, filia {n}", "Biblioteka Kraków"),
    ("Młodzieżowy Dom Kultury", "Wydział Edukacji"),
    ("Centrum Aktywności Seniorów", "Wydział Polityki Społecznej i Zdrowia"),
    ("Dom Kultury Podgórze, filia {n}", "Dom Kultury Podgórze"),
]
STREETS = [
    "ul. Reformacka",
    "os. Górali",
    "ul. Mogilska",
    "ul. Praska",
    "ul. Wielicka",
    "al. Pokoju",
    "ul. Bronowicka",
    "ul. Kalwaryjska",
    "os. Centrum E",
    "ul. Dobrego Pasterza",
    "ul. Lipska",
    "ul. Królewska",
    "ul. Zakopiańska",
    "ul. Bieńczycka",
    "ul. Radzikowskiego",
]
ROOM_NAMES = [
    "Sala konferencyjna",
    "Sala warsztatowa",
    "Sala widowiskowa",
    "Pracownia",
    "Sala spotkań",
    "Sala gimnastyczna",
    "Świetlica",
    "Sala komputerowa",
    "Sala prób",
    "Czytelnia",
]
CAPACITIES = [8, 10, 12, 15, 20, 20, 25, 30, 30, 40, 40, 50, 60, 80, 100, 120, 150, 200]
PURPOSES = [
    "Spotkanie zarządu stowarzyszenia",
    "Warsztaty dla seniorów z obsługi smartfona",
    "Zebranie grupy wsparcia dla rodziców",
    "Próba chóru",
    "Szkolenie wolontariuszy",
    "Spotkanie otwarte z mieszkańcami dzielnicy",
    "Zajęcia plastyczne dla dzieci",
    "Walne zgromadzenie członków",
    "Kurs pierwszej pomocy",
    "Klub dyskusyjny",
    "Próba zespołu teatralnego",
    "Spotkanie rady rodziców",
]
GROUPS = ["Grupa sąsiedzka z {street}", "Koło gospodyń", "Klub szachowy", "Grupa biegowa"]
REFUSALS = [
    "Sala jest w tym czasie potrzebna na wydarzenie placówki.",
    "Wydarzenie ma charakter komercyjny.",
    "Zbyt wiele osób na tę salę.",
]


# --- in a subprocess with the database's settings -----------------------------------


def main_prepare(args):
    """Migrate, make the small size and count each page's queries, make the rest and count
    them again; print what the parent needs."""
    import random
    import time

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.consultations import count_queries
    from bench.run import machine_info

    call_command("migrate", "--noinput", verbosity=0)
    rng = random.Random(2026)
    started = time.perf_counter()
    state = setup(rng, args)
    small = max(1, args.rooms // SMALL_FRACTION)
    add_rooms(state, range(small))
    analyze(connection)
    generation = time.perf_counter() - started
    pages = choose_pages(state)
    paths = [path for _name, path, _kind in pages]
    counts_small = count_queries(paths)
    size_small = sizes()
    started = time.perf_counter()
    add_rooms(state, range(small, args.rooms))
    # Fresh statistics for the query planner, as after any bulk load; on PostgreSQL the
    # vacuum too, which autovacuum would otherwise start on the freshly loaded tables
    # while the pages are measured.
    analyze(connection)
    generation += time.perf_counter() - started
    counts_full = count_queries(paths)
    size_full = sizes()
    alone = server_times([BASELINE, *paths], args.alone)
    data = {
        "pages": pages,
        "queries": {path: [counts_small[path], counts_full[path]] for path in paths},
        "sizes": [size_small, size_full],
        "alone": alone,
        "dataset": dataset(state, size_full),
        "generation_seconds": round(generation),
        "info": machine_info(connection),
    }
    print("DATA " + json.dumps(data), flush=True)


def server_times(paths, requests):
    """{path: [p50, p95]} of each page's server time in ms, one request at a time with
    Django's test Client (no network, no other client): what the page costs, apart from
    the queueing that the concurrent clients add."""
    import time

    from django.test import Client

    from bench.run import percentile

    client = Client()
    found = {}
    for path in paths:
        client.get(path)  # warm-up
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        found[path] = [percentile(times, 0.50), percentile(times, 0.95)]
    return found


def sizes():
    from wspolpraca.venues.models import Booking, Room

    return {"rooms": Room.objects.count(), "bookings": Booking.objects.count()}


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


def setup(rng, args):
    """Districts, people, organizations, buildings with their hours; the plan of the rooms
    (which building each is in), made before any room so that both sizes share it."""
    from datetime import time
    from decimal import Decimal

    from django.utils import timezone

    from bench.generate import LAT_RANGE, LON_RANGE, load_districts
    from wspolpraca.accounts.models import User
    from wspolpraca.organizations.models import Organization
    from wspolpraca.venues.models import Building, BuildingHours

    districts = load_districts()
    users = _bulk(
        User,
        [
            User(email=f"rezerwujacy{n}@example.org", full_name=f"Rezerwujący {n}", password="!")
            for n in range(300)
        ],
    )
    managers = _bulk(
        User,
        [
            User(email=f"opiekun{n}@example.org", full_name=f"Opiekun sal {n}", password="!")
            for n in range(40)
        ],
    )
    organizations = _bulk(
        Organization,
        [
            Organization(
                name=f"Stowarzyszenie Sąsiedzkie {n}",
                slug=f"stowarzyszenie-sasiedzkie-{n}",
                kind="association",
                krs=f"{900000 + n:010d}",
                city="Kraków",
                verification="verified",
            )
            for n in range(200)
        ],
    )
    buildings = []
    for n in range(args.buildings):
        name, owner = BUILDINGS[n % len(BUILDINGS)]
        # Each district gets its share; the first 18 buildings are one per district.
        district = districts[n % len(districts)]
        buildings.append(
            Building(
                name=f"{name.format(n=n + 1)} „{district.name}” {n + 1}",
                owner_unit=owner,
                street=f"{STREETS[n % len(STREETS)]} {rng.randint(1, 120)}",
                postal_code=f"3{rng.randint(0, 1)}-{rng.randint(100, 999)}",
                district=district,
                latitude=Decimal(f"{rng.uniform(*LAT_RANGE):.6f}"),
                longitude=Decimal(f"{rng.uniform(*LON_RANGE):.6f}"),
                step_free_entry=rng.random() < 0.6,
                lift=rng.random() < 0.4,
                accessible_toilet=rng.random() < 0.5,
                induction_loop=rng.random() < 0.15,
                parking=rng.random() < 0.5,
            )
        )
    _bulk(Building, buildings)
    hours = []
    opening = {}  # building pk -> {weekday: [(opens, closes)]}
    for n, building in enumerate(buildings):
        week = {}
        for weekday in range(5):
            if n % 4 == 3:  # closed for lunch
                week[weekday] = [(time(8), time(13)), (time(14), time(21))]
            else:
                week[weekday] = [(time(8), time(21))]
        if n % 2 == 0:
            week[5] = [(time(9), time(15))]
        opening[building.pk] = week
        hours += [
            BuildingHours(building=building, weekday=d, opens=o, closes=c)
            for d, stretches in week.items()
            for o, c in stretches
        ]
    BuildingHours.objects.bulk_create(hours, batch_size=BATCH)
    today = timezone.localdate()
    return {
        "rng": rng,
        "args": args,
        "districts": districts,
        "users": users,
        "managers": managers,
        "organizations": organizations,
        "buildings": buildings,
        "opening": opening,
        # Each room's building, drawn once for all the rooms: 500 rooms over 60 buildings.
        "plan": [buildings[n % len(buildings)] for n in range(args.rooms)],
        "today": today,
        "now": timezone.now(),
        "rooms": [],
        "blocked": 0,
        "statuses": {},
    }


def add_rooms(state, numbers):
    """The rooms `numbers` of the plan, with their hours, blocked periods and bookings."""
    from datetime import datetime, time, timedelta
    from decimal import Decimal

    from django.utils import timezone
    from django.utils.text import slugify

    from wspolpraca.venues.models import (
        BlockedPeriod,
        Booking,
        Equipment,
        Room,
        RoomHours,
    )

    rng, args, today, now = state["rng"], state["args"], state["today"], state["now"]
    codes = Equipment.values
    rooms, own_hours = [], {}
    for n in numbers:
        building = state["plan"][n]
        name = f"{ROOM_NAMES[n % len(ROOM_NAMES)]} {n // len(ROOM_NAMES) + 1}"
        equipment = [c for c in codes if rng.random() < 0.35]
        free = rng.random() < 0.85
        rooms.append(
            Room(
                building=building,
                name=name,
                # What save() writes, written here (bulk_create does not call save()).
                slug=slugify(f"{building.name} {name}")[:100] + f"-{n}",
                description="Sala z dostępem do światła dziennego, krzesła i stoły.",
                capacity=rng.choice(CAPACITIES),
                area=Decimal(rng.randint(15, 250)),
                equipment=equipment,
                equipment_index="|" + "|".join(equipment) + "|" if equipment else "",
                is_free=free,
                fee_text="" if free else "Opłata za sprzątanie: 50 zł.",
                for_informal_groups=rng.random() < 0.7,
                for_others=rng.random() < 0.3,
                house_rules="Sala musi zostać posprzątana po wydarzeniu.",
                needs_approval=rng.random() < 0.7,
            )
        )
        if n % 5 == 4:  # bookable in the evenings only
            own_hours[n] = {d: [(time(16), time(21))] for d in range(5)}
    _bulk(Room, rooms)
    Room.managers.through.objects.bulk_create(
        [
            Room.managers.through(room_id=room.pk, user_id=rng.choice(state["managers"]).pk)
            for room in rooms
        ],
        batch_size=BATCH,
    )
    RoomHours.objects.bulk_create(
        [
            RoomHours(room=room, weekday=d, opens=o, closes=c)
            for n, room in zip(numbers, rooms, strict=True)
            for d, stretches in own_hours.get(n, {}).items()
            for o, c in stretches
        ],
        batch_size=BATCH,
    )

    def aware(day, at):
        return timezone.make_aware(datetime.combine(day, at))

    first_day = today - timedelta(days=182)
    blocked, bookings = [], []
    for n, room in zip(numbers, rooms, strict=True):
        week = own_hours.get(n) or state["opening"][room.building_id]
        # Blocked days of this room (repairs, holidays): nothing holds them.
        closed = set()
        if n % 5 == 2:
            start = first_day + timedelta(days=rng.randint(0, 350))
            length = rng.randint(3, 14)
            closed = {start + timedelta(days=i) for i in range(length)}
            blocked.append(
                BlockedPeriod(
                    room=room,
                    starts=aware(start, time(0)),
                    ends=aware(start + timedelta(days=length), time(0)),
                    reason="Remont sali.",
                )
            )
        taken = {}  # day -> [(start hour, end hour)] of the bookings that hold the time
        for _ in range(args.bookings_per_room):
            for _attempt in range(20):
                day = first_day + timedelta(days=rng.randrange(365))
                stretches = week.get(day.weekday())
                if stretches:
                    break
            opens, closes = rng.choice(stretches)
            # Evenings more often than mornings: the start drawn twice, the later kept.
            start = max(rng.randint(opens.hour, closes.hour - 1) for _ in range(2))
            end = min(start + rng.choice([1, 2, 2, 3]), closes.hour)
            past = day < today
            status = rng.choices(
                ["confirmed", "no_show", "cancelled", "refused", "requested"],
                [75, 5, 12, 8, 0] if past else [55, 0, 15, 10, 20],
            )[0]
            holds = status in Booking.HELD
            if holds and (
                day in closed or any(s < end and start < e for s, e in taken.get(day, []))
            ):
                status, holds = "cancelled", False  # the time was taken: cancelled instead
            if holds:
                taken.setdefault(day, []).append((start, end))
            state["statuses"][status] = state["statuses"].get(status, 0) + 1
            organization = rng.choice(state["organizations"]) if rng.random() < 0.8 else None
            decided = status in ("confirmed", "refused", "no_show")
            bookings.append(
                Booking(
                    room=room,
                    organization=organization,
                    group_name=""
                    if organization
                    else rng.choice(GROUPS).format(street=rng.choice(STREETS)),
                    requester_kind="verified_organization" if organization else "informal_group",
                    requested_by=rng.choice(state["users"]),
                    purpose=rng.choice(PURPOSES),
                    starts=aware(day, time(start)),
                    ends=aware(day, time(end)),
                    expected_people=max(1, min(room.capacity, rng.randint(5, 60))),
                    non_commercial=True,
                    rules_accepted=True,
                    is_public=rng.random() < 0.4,
                    status=status,
                    refusal_reason=rng.choice(REFUSALS) if status == "refused" else "",
                    decided_at=now - timedelta(days=rng.randint(1, 30)) if decided else None,
                    cancelled_at=now - timedelta(days=rng.randint(1, 30))
                    if status == "cancelled"
                    else None,
                )
            )
    BlockedPeriod.objects.bulk_create(blocked, batch_size=BATCH)
    Booking.objects.bulk_create(bookings, batch_size=BATCH)
    state["rooms"] += rooms
    state["blocked"] += len(blocked)


def choose_pages(state):
    """[(name, path, kind)] of the pages measured, built from the small size's data (so
    that every filter finds rooms at both sizes). kind "free" pages are held to the
    target."""
    from datetime import timedelta
    from urllib.parse import urlencode

    from wspolpraca.venues.models import Room

    today = state["today"]

    def next_weekday(day, weekday):
        return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)

    # A district, capacity and step-free entry that find rooms at the small size.
    room = (
        Room.objects.filter(building__step_free_entry=True, capacity__gte=20)
        .select_related("building__district")
        .order_by("building__district__number", "pk")
        .first()
    )
    district = room.building.district.number
    filters = {"dzielnica": district, "osoby": 20, "bez_schodow": "on"}
    tomorrow = today + timedelta(days=1)
    if tomorrow.weekday() >= 5:  # the first working day after today
        tomorrow = next_weekday(today, 0)
    tuesday = next_weekday(next_weekday(today, 0), 1)  # the Tuesday of next week
    saturday = next_weekday(today, 5) + timedelta(days=28)
    thursday = next_weekday(today + timedelta(days=90), 3)
    free = [
        ("tomorrow 10:00–12:00", tomorrow, "10:00", "12:00"),
        ("next Tuesday 17:00–19:00", tuesday, "17:00", "19:00"),
        ("a Saturday in 5 weeks 10:00–13:00", saturday, "10:00", "13:00"),
        ("a Thursday in 3 months 18:00–20:00", thursday, "18:00", "20:00"),
    ]
    detail = Room.objects.order_by("pk").first()
    in_two_months = today + timedelta(days=60)
    week_start = next_weekday(today, 0)
    pages = [
        ("list, unfiltered", "/sale/", "list"),
        ("list, page 3", "/sale/?page=3", "list"),
        (
            f"list, district {district} + 20 people + step-free",
            "/sale/?" + urlencode(filters),
            "list",
        ),
    ]
    for label, day, start, end in free:
        query = {"data": day.isoformat(), "od": start, "do": end}
        pages.append((f"free at: {label}", "/sale/?" + urlencode(query), "free"))
    label, day, start, end = free[1]
    query = {**filters, "data": day.isoformat(), "od": start, "do": end}
    pages.append(
        (f"free at: {label}, district {district} + 20 people + step-free",)
        + ("/sale/?" + urlencode(query), "free")
    )
    pages += [
        ("room, this week", f"/sale/{detail.slug}/", "room"),
        (
            "room, a week in two months",
            f"/sale/{detail.slug}/?tydzien={in_two_months.isoformat()}",
            "room",
        ),
        (
            "API rooms, busy times over a week",
            "/api/v1/rooms/?"
            + urlencode(
                {"from": week_start.isoformat(), "to": (week_start + timedelta(6)).isoformat()}
            ),
            "api",
        ),
        (
            "API rooms, busy times over 31 days",
            "/api/v1/rooms/?"
            + urlencode({"from": today.isoformat(), "to": (today + timedelta(30)).isoformat()}),
            "api",
        ),
        (
            "API rooms, free next Tuesday 17:00–19:00",
            "/api/v1/rooms/?"
            + urlencode(
                {"free_on": tuesday.isoformat(), "free_from": "17:00", "free_until": "19:00"}
            ),
            "api",
        ),
    ]
    return pages


def dataset(state, size):
    from wspolpraca.venues.models import BlockedPeriod, Booking, Building, RoomHours

    args = state["args"]
    statuses = ", ".join(
        f"{status} {count:,}" for status, count in sorted(state["statuses"].items())
    )
    held = Booking.objects.held().count()
    own = RoomHours.objects.values("room").distinct().count()
    return {
        "Buildings": f"{Building.objects.count():,} over {len(state['districts'])} districts, "
        "weekdays 8:00–21:00 (a quarter closed 13:00–14:00), half open on Saturdays 9:00–15:00",
        "Rooms": f"{size['rooms']:,} ({own:,} with bookable hours of their own, evenings "
        f"16:00–21:00; {BlockedPeriod.objects.count():,} with a blocked period of 3–14 days)",
        "Bookings": f"{size['bookings']:,}, {args.bookings_per_room} per room over 365 days "
        f"(182 back, 183 ahead), 1–3 hours; {held:,} hold the time (requested or confirmed), "
        "none overlapping",
        "Statuses": statuses,
        "Small size (queries counted first)": f"{args.rooms // SMALL_FRACTION:,} rooms, their "
        f"{args.rooms // SMALL_FRACTION * args.bookings_per_room:,} bookings",
    }


# --- the parent: server, clients, report ---------------------------------------------


def run_database(db, args):
    url = fresh_url(db, POSTGRES_NAME)
    try:
        # The pages' queries are counted with the production settings, before the server
        # (which collects the static files when needed) starts: collect them first.
        ensure_static(server_env(url))
        print(f"[{db}] generating the data…", flush=True)
        prepare = ["--prepare", "--rooms", str(args.rooms), "--buildings", str(args.buildings)]
        prepare += ["--bookings-per-room", str(args.bookings_per_room)]
        prepare += ["--alone", str(args.alone)]
        data = subprocess_data(__file__, url, *prepare, marker="DATA")
        print(f"[{db}] generated in {data['generation_seconds']} s", flush=True)
        results, cpu = {}, {}
        with tempfile.TemporaryDirectory() as folder:
            server = Server(url, args.workers, Path(folder) / "gunicorn.log", page_cache=False)
            server.start()
            try:
                # Each page once first: one that does not answer 200 is broken, not fast.
                for _name, path, _kind in [("baseline", BASELINE, ""), *data["pages"]]:
                    status, _size, _seconds = download(server.base, path)
                    if status != 200:
                        raise SystemExit(f"{path} answered {status}, not 200")
                hammer(server.base, [BASELINE], {}, args.clients, 3)  # warm-up
                # Each measurement with the CPU time it used and what other processes of
                # the (shared) machine took meanwhile.
                measured = [("baseline", BASELINE), *((n, p) for n, p, _k in data["pages"])]
                measured.append(("baseline, again", BASELINE))  # was the machine steady?
                for name, path in measured:
                    if path != BASELINE:
                        print(f"[{db}] {name}…", flush=True)
                    if args.wait:
                        wait_for_quiet(server, POSTGRES_NAME, db, args.wait, args.quiet)
                    hammer(server.base, [path], {}, args.clients, 2)  # warm-up
                    before = cpu_times(server, POSTGRES_NAME, db)
                    results[name] = hammer(server.base, [path], {}, args.clients, args.seconds)
                    cpu[name] = cpu_shares(before, cpu_times(server, POSTGRES_NAME, db))
                rss = worker_rss_mb(server)
            finally:
                server.stop()
    finally:
        drop(db, url, POSTGRES_NAME)
    return write_report(db, args, data, results, rss, cpu)


def write_report(db, args, data, results, rss, cpu):
    # The ratios are to the baseline measured with less of the machine taken by others.
    quieter = min(("baseline", "baseline, again"), key=lambda name: cpu[name][1])
    baseline = results[quieter]
    small, full = data["sizes"]
    rows, verdicts = [], []
    for name, path, kind in data["pages"]:
        result = results[name]
        before, after = data["queries"][path]
        if kind == "free":
            ok = result["p95"] <= P95_LIMIT_MS and not result["errors"]
            verdicts.append((f"{name} p95 <= {P95_LIMIT_MS} ms", ok))
            verdict = "met" if ok else "**not met**"
        else:
            verdict = "—"
            if result["errors"]:
                verdicts.append((f"{name} answered without errors", False))
        alone = data["alone"][path]
        rows.append(
            f"{row(f'{name} (`{path}`)', result, baseline)} {before} / {after} | "
            f"{alone[0]:.0f} / {alone[1]:.0f} | {percent(cpu[name])} | {verdict} |"
        )
    constant = all(before == after for before, after in data["queries"].values())
    verdicts.append(("queries per page the same at both sizes", constant))
    base_alone = data["alone"][BASELINE]
    cores = os.cpu_count()
    others = [cpu[name][1] for name in cpu]
    lines = [
        f"# Rooms: the search “free at a time” at scale — {db}, {date.today().isoformat()}",
        "",
        "Produced by `bench/venues.py` (see docs/benchmarks.md): gunicorn with "
        f"`gunicorn.conf.py`, {args.workers} sync workers, DEBUG=0, the page cache off; "
        f"{args.clients} clients on keep-alive connections, each requesting as fast as it "
        f"is answered, {args.seconds:g} s per page, on the same machine "
        f"({cores} cores, Python {platform.python_version()}).",
        "",
        f"**The machine is shared**: other sessions run their tests on the same {cores} "
        "cores. The column “CPU” gives, for each measurement, the share of the cores' time "
        "that this benchmark used (the server's processes, the clients and, on PostgreSQL, "
        "the database's processes for its database) and the share that other processes "
        f"took meanwhile (from /proc): others took {min(others):.0%}–{max(others):.0%} of "
        "the machine during this run. What others take, the pages do not get: a p95 "
        "measured while others took much of the machine is not the page's own. "
        + (
            f"Before each measurement the benchmark waited (at most {args.wait:g} s) until "
            f"others took less than {args.quiet:.0%} of the machine over 5 s. "
            if args.wait
            else ""
        )
        + "The “alone” column and the ratios to the baseline, measured in the same run, are "
        "the fairer comparison.",
        "",
        "| data | size |",
        "|---|---|",
        *(f"| {key} | {value} |" for key, value in data["dataset"].items()),
        f"| generation (bulk inserts, both steps) | {data['generation_seconds']} s |",
        "",
        f"Queries: each page rendered once for a visitor (Django's test Client) at the small "
        f"size ({small['rooms']:,} rooms, {small['bookings']:,} bookings) and at the full "
        f"size ({full['rooms']:,} rooms, {full['bookings']:,} bookings). “Alone”: the "
        f"page's server time over {args.alone} requests made one at a time in one process "
        "(Django's test Client, no network, no other client of this benchmark), after the "
        "data was made: what the page costs on this machine, apart from the queueing that "
        "the concurrent clients add.",
        "",
        "| page | requests | req/s | p50 ms | p95 ms | max ms | p95 / baseline | errors | "
        "queries (small / full) | alone p50 / p95 ms | CPU: this / others | p95 <= "
        f"{P95_LIMIT_MS} ms (“free at” pages) |",
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
        + f", the one with less of the machine taken by others. Server memory (all "
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
    path = out / f"{date.today().isoformat()}-venues-{db}.md"
    path.write_text("\n".join(lines))
    print("\n".join(lines))
    print(f"[{db}] results: {path}")
    return all(ok for _label, ok in verdicts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--rooms", type=int, default=500)
    parser.add_argument("--buildings", type=int, default=60)
    parser.add_argument("--bookings-per-room", type=int, default=200)
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
        "take less than --quiet of the machine (0: do not wait)",
    )
    parser.add_argument("--quiet", type=float, default=0.15, help=argparse.SUPPRESS)
    parser.add_argument("--out", default=str(RESULTS), help="folder of the results")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rooms < 10 * SMALL_FRACTION or args.buildings < 18:
        parser.error(f"--rooms must be at least {10 * SMALL_FRACTION}, --buildings at least 18")
    if args.prepare:
        return main_prepare(args)
    met = [
        run_database(db, args)
        for db in (["sqlite", "postgres"] if args.db == "both" else [args.db])
    ]
    return 0 if all(met) else 1


if __name__ == "__main__":
    sys.exit(main())
