"""Demo rooms: buildings in several districts, their rooms, bookings of the last and the
next weeks in every status, a waiting list with an offer, blocked periods, and the NGO
support places (some open in the evening).

The room managers are the demo official (urzednik@example.org) and one account made here
(sale@example.org, a room manager of the culture department). Nobody is e-mailed
(`core.mail.muted`); bookings are written directly, as if they had been made over the
past weeks, and the database still refuses any overlap.
"""

from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.city.models import Department, Official
from wspolpraca.core import mail
from wspolpraca.organizations.models import District
from wspolpraca.venues.models import (
    BlockedPeriod,
    Booking,
    Building,
    BuildingHours,
    Room,
    RoomHours,
    SupportPlace,
    SupportPlaceHours,
    WaitingListEntry,
)

MANAGER_EMAIL = "sale@example.org"

# (name, owner unit, street, postal code, district number, lat, lon, accessibility flags)
BUILDINGS = [
    (
        "Centrum Obywatelskie Rynek",
        "Wydział Polityki Społecznej",
        "ul. Reformacka 3",
        "31-012",
        1,
        50.0636,
        19.9396,
        (1, 1, 1, 1, 0),
    ),
    (
        "Dom Kultury Podgórze",
        "Centrum Kultury Podgórza",
        "ul. Sokolska 13",
        "30-510",
        13,
        50.0437,
        19.9471,
        (1, 0, 1, 0, 1),
    ),
    (
        "Szkoła Podstawowa nr 85",
        "Wydział Edukacji",
        "ul. Władysława Łokietka 197",
        "31-334",
        4,
        50.0983,
        19.9267,
        (1, 1, 1, 0, 1),
    ),
    (
        "Klub Kultury Krowodrza",
        "Centrum Kultury Dworek Białoprądnicki",
        "ul. Królewska 94",
        "30-079",
        5,
        50.0718,
        19.9112,
        (0, 0, 0, 0, 0),
    ),
    (
        "Centrum Aktywności Seniorów Nowa Huta",
        "Wydział Polityki Społecznej",
        "os. Centrum E 1",
        "31-934",
        18,
        50.0720,
        20.0379,
        (1, 1, 1, 1, 1),
    ),
    (
        "Biblioteka Kraków — filia Bronowice",
        "Biblioteka Kraków",
        "ul. Balicka 18a",
        "30-149",
        6,
        50.0834,
        19.8902,
        (1, 0, 1, 1, 0),
    ),
    (
        "Młodzieżowy Dom Kultury Dębniki",
        "Wydział Edukacji",
        "ul. Praska 64",
        "30-328",
        8,
        50.0444,
        19.9155,
        (0, 0, 1, 0, 1),
    ),
    (
        "Ośrodek Kultury Kraków-Nowa Huta, Klub Mistrzejowice",
        "Ośrodek Kultury Kraków-Nowa Huta",
        "os. Tysiąclecia 86",
        "31-609",
        15,
        50.0931,
        20.0106,
        (1, 1, 1, 0, 1),
    ),
]

# (room name, capacity, area, equipment, free, needs approval, others may book)
ROOM_KINDS = [
    (
        "Sala konferencyjna",
        60,
        90,
        ["projector", "screen", "sound", "microphone", "wifi"],
        True,
        True,
        False,
    ),
    ("Sala warsztatowa", 25, 45, ["whiteboard", "flip_chart", "tables", "wifi"], True, False, True),
    ("Salka spotkań", 12, 20, ["whiteboard", "wifi"], True, False, True),
    ("Pracownia komputerowa", 16, 50, ["computer", "projector", "wifi"], False, True, False),
]

RULES = (
    "1. Salę oddajesz w stanie, w jakim ją zastałeś: krzesła na miejsce, śmieci do kosza.\n"
    "2. Klucz odbierasz i oddajesz na portierni.\n"
    "3. Zajęcia są bezpłatne dla uczestników; nie prowadzisz sprzedaży.\n"
    "4. W budynku nie pali się i nie wnosi alkoholu."
)

PURPOSES = [
    "Spotkanie wolontariuszy",
    "Warsztaty dla seniorów: bezpieczeństwo w sieci",
    "Zebranie zarządu stowarzyszenia",
    "Szkolenie z pisania wniosków grantowych",
    "Spotkanie grupy wsparcia dla rodziców",
    "Próba chóru sąsiedzkiego",
    "Zajęcia językowe dla cudzoziemców",
    "Dzień otwarty organizacji",
]

# (name, operator, street, postal code, district, lat, lon, services, phone, [(weekday, opens, closes)])
SUPPORT_PLACES = [
    (
        "Centrum Obywatelskie — Miejski Ośrodek Wspierania Inicjatyw Społecznych",
        "Wydział Polityki Społecznej UMK",
        "ul. Reformacka 3",
        "31-012",
        1,
        50.0636,
        19.9396,
        "Doradztwo prawne i księgowe\nPomoc w zakładaniu organizacji\nSale na spotkania\nSzkolenia",
        "+48 12 616 78 00",
        [(d, time(9), time(19)) for d in range(4)] + [(4, time(9), time(16))],
    ),
    (
        "Punkt Wsparcia NGO Nowa Huta",
        "Fundacja Wspierania Inicjatyw Lokalnych",
        "os. Centrum C 10",
        "31-931",
        18,
        50.0712,
        20.0365,
        "Doradztwo w pisaniu projektów\nPomoc w sprawozdaniach\nDyżury księgowe",
        "+48 12 644 20 10",
        [(1, time(10), time(20)), (3, time(10), time(20)), (5, time(10), time(14))],
    ),
    (
        "Punkt Wsparcia NGO Podgórze",
        "Stowarzyszenie Aktywne Podgórze",
        "ul. Kalwaryjska 40",
        "30-509",
        13,
        50.0432,
        19.9497,
        "Doradztwo prawne\nUdostępnianie sprzętu nagłośnieniowego",
        "+48 12 656 11 22",
        [(0, time(9), time(17)), (2, time(12), time(20))],
    ),
    (
        "Inkubator Organizacji Pozarządowych Krowodrza",
        "Fundacja Rozwoju Społeczeństwa Obywatelskiego",
        "ul. Kazimierza Wielkiego 53",
        "30-074",
        5,
        50.0745,
        19.9189,
        "Inkubacja nowych organizacji\nMentoring\nBiuro do wspólnego korzystania",
        "+48 12 633 90 01",
        [(d, time(8), time(16)) for d in range(5)],
    ),
    (
        "Punkt Wsparcia Seniorów i NGO Prądnik Biały",
        "Centrum Aktywności Seniorów",
        "ul. Kazimierza Wyki 3",
        "31-416",
        4,
        50.0890,
        19.9450,
        "Informacja o programach dla seniorów\nPomoc w założeniu klubu seniora",
        "+48 12 412 55 55",
        [(1, time(15), time(19)), (4, time(9), time(13))],
    ),
    (
        "Dzielnicowe Centrum Wolontariatu Bronowice",
        "Regionalne Centrum Wolontariatu",
        "ul. Balicka 18a",
        "30-149",
        6,
        50.0834,
        19.8902,
        "Pośrednictwo wolontariatu\nSzkolenia dla koordynatorów wolontariuszy",
        "+48 12 430 21 41",
        [(0, time(10), time(18)), (2, time(10), time(18)), (4, time(10), time(18))],
    ),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _manager():
    from wspolpraca.demo.management.commands.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=MANAGER_EMAIL,
        defaults={"role": User.Role.OFFICIAL, "is_staff": True, "full_name": "Joanna Wrona"},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        try:
            from wspolpraca.accounts.roles import apply_role

            apply_role(user)
        except Exception:  # noqa: BLE001 - a demo without role groups still works
            pass
        EmailAddress.objects.get_or_create(
            user=user, email=MANAGER_EMAIL, defaults={"verified": True, "primary": True}
        )
    department = Department.objects.filter(short_name="KD").first() or Department.objects.first()
    if department is not None:
        Official.objects.get_or_create(user=user, defaults={"department": department})
    return user


def _person(email, name):
    user, _created = User.objects.get_or_create(email=email, defaults={"full_name": name})
    return user


def make_venues(rng, orgs):
    """Buildings, rooms, bookings, a waiting list and support places; returns the demo
    accounts it made, as (what for, e-mail)."""
    today = timezone.localdate()
    districts = {d.number: d for d in District.objects.all()}
    if not districts:
        return []
    fallback = next(iter(districts.values()))
    manager = _manager()
    official = User.objects.filter(email="urzednik@example.org").first() or manager
    people = [
        _person("admin.ngo@example.org", "Magdalena Wójcik"),
        _person("czlonek@example.org", "Piotr Zieliński"),
        _person("mieszkanka@example.org", "Katarzyna Nowicka"),
    ]
    with mail.muted():
        rooms = []
        for n, (name, unit, street, code, number, lat, lon, access) in enumerate(BUILDINGS):
            building = Building.objects.create(
                name=name,
                owner_unit=unit,
                street=street,
                postal_code=code,
                district=districts.get(number, fallback),
                latitude=lat,
                longitude=lon,
                directions="Wejście od ulicy, sala na parterze." if access[0] else "",
                step_free_entry=bool(access[0]),
                lift=bool(access[1]),
                accessible_toilet=bool(access[2]),
                induction_loop=bool(access[3]),
                parking=bool(access[4]),
            )
            closes = time(21) if n % 2 == 0 else time(20)
            BuildingHours.objects.bulk_create(
                BuildingHours(building=building, weekday=d, opens=time(8), closes=closes)
                for d in range(5)
            )
            if n % 3 == 0:
                BuildingHours.objects.create(
                    building=building, weekday=5, opens=time(9), closes=time(15)
                )
            kinds = ROOM_KINDS[: 3 + (n % 2)] if n != 3 else ROOM_KINDS[1:3]
            for room_name, capacity, area, equipment, free, approval, others in kinds:
                room = Room.objects.create(
                    building=building,
                    name=room_name,
                    description=f"{room_name} w budynku {name}.",
                    capacity=capacity,
                    area=area,
                    equipment=equipment,
                    is_free=free,
                    fee_text="" if free else "Opłata za sprzątanie: 50 zł za każde zajęcia.",
                    for_others=others,
                    needs_approval=approval,
                    house_rules=RULES,
                )
                room.managers.add(official if n % 2 == 0 else manager)
                if room_name == "Pracownia komputerowa":
                    RoomHours.objects.bulk_create(
                        RoomHours(room=room, weekday=d, opens=time(15), closes=time(20))
                        for d in range(5)
                    )
                rooms.append(room)
        _bookings(rng, rooms, orgs, people, official, manager, today)
        _support_places(districts, fallback)
    return [("room manager", MANAGER_EMAIL)]


def _bookings(rng, rooms, orgs, people, official, manager, today):
    statuses = [
        Booking.Status.CONFIRMED,
        Booking.Status.CONFIRMED,
        Booking.Status.REQUESTED,
        Booking.Status.REFUSED,
        Booking.Status.CANCELLED,
    ]
    now = timezone.now()
    for index, room in enumerate(rooms):
        hours = room.bookable_hours()
        for offset in range(-10, 15):
            day = today + timedelta(days=offset)
            open_hours = [h for h in hours if h.weekday == day.weekday()]
            if not open_hours or rng.random() < 0.55:
                continue
            stretch = open_hours[0]
            start = max(stretch.opens.hour, 9 + rng.randrange(0, 6))
            if start + 2 > stretch.closes.hour:
                continue
            starts, ends = _at(day, start), _at(day, start + 2)
            status = rng.choice(statuses)
            if offset < 0 and status == Booking.Status.REQUESTED:
                status = Booking.Status.CONFIRMED
            if offset < -2 and status == Booking.Status.CONFIRMED and rng.random() < 0.2:
                status = Booking.Status.NO_SHOW
            organization = (
                orgs[(index + offset) % len(orgs)] if orgs and rng.random() < 0.8 else None
            )
            requester = people[(index + offset) % len(people)]
            decider = official if index % 2 == 0 else manager
            Booking.objects.create(
                room=room,
                organization=organization,
                group_name="" if organization else "Grupa sąsiedzka z ul. Długiej",
                requester_kind=Booking.Requester.VERIFIED_ORGANIZATION
                if organization
                else Booking.Requester.INFORMAL_GROUP,
                requested_by=requester,
                purpose=rng.choice(PURPOSES),
                starts=starts,
                ends=ends,
                expected_people=max(1, min(room.capacity, rng.randrange(5, 40))),
                non_commercial=True,
                rules_accepted=True,
                is_public=rng.random() < 0.6,
                status=status,
                refusal_reason="Sala zajęta przez wydarzenie dyrekcji; proponujemy czwartek."
                if status == Booking.Status.REFUSED
                else "",
                decided_by=None if status == Booking.Status.REQUESTED else decider,
                decided_at=None if status == Booking.Status.REQUESTED else now - timedelta(days=1),
                cancelled_by=requester if status == Booking.Status.CANCELLED else None,
                cancelled_at=now - timedelta(hours=5)
                if status == Booking.Status.CANCELLED
                else None,
            )
    # A taken slot with a waiting list: one waiting, and one offered the freed time.
    taken = (
        Booking.objects.filter(status=Booking.Status.CONFIRMED, starts__gt=now + timedelta(days=2))
        .order_by("starts")
        .first()
    )
    if taken:
        WaitingListEntry.objects.create(
            room=taken.room, starts=taken.starts, ends=taken.ends, user=people[2]
        )
    freed = (
        Booking.objects.filter(status=Booking.Status.CANCELLED, starts__gt=now + timedelta(days=2))
        .order_by("starts")
        .first()
    )
    if (
        freed
        and not Booking.objects.held().overlapping(freed.room, freed.starts, freed.ends).exists()
    ):
        WaitingListEntry.objects.create(
            room=freed.room,
            starts=freed.starts,
            ends=freed.ends,
            user=people[1],
            status=WaitingListEntry.Status.OFFERED,
            offered_at=now - timedelta(hours=5),
            offer_expires_at=now + timedelta(hours=19),
        )
    if rooms:
        room = rooms[-1]
        BlockedPeriod.objects.create(
            room=room,
            starts=_at(today + timedelta(days=20), 8),
            ends=_at(today + timedelta(days=24), 21),
            reason="Malowanie sali",
            created_by=manager,
        )


def _support_places(districts, fallback):
    for name, operator, street, code, number, lat, lon, services, phone, hours in SUPPORT_PLACES:
        place = SupportPlace.objects.create(
            name=name,
            operator=operator,
            street=street,
            postal_code=code,
            district=districts.get(number, fallback),
            latitude=lat,
            longitude=lon,
            services=services,
            phone=phone,
            email=f"kontakt{number}@example.org",
            website="https://www.krakow.pl/",
            description="Bezpłatne wsparcie dla organizacji pozarządowych i grup nieformalnych.",
        )
        SupportPlaceHours.objects.bulk_create(
            SupportPlaceHours(place=place, weekday=d, opens=o, closes=c) for d, o, c in hours
        )
