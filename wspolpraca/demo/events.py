"""Demo events: a month of them around today, so that the calendar, the event pages, the
registrations and the moderation queue all have something to show.

NGO events in several areas and districts (some past, most to come), the city's
trainings and sector meetings, registrations of the demo accounts (one training full,
with a waiting list), one event awaiting moderation and one rejected with its reason.
Nobody is e-mailed (`core.mail.muted`).
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.core import mail
from wspolpraca.events import services
from wspolpraca.events.models import Event
from wspolpraca.organizations.models import District, PublicBenefitArea

# (title, area codes, days from today, hour, hours long, place, capacity, description)
NGO_EVENTS = [
    (
        "Potańcówka dla seniorów",
        ["10"],
        -6,
        16,
        3,
        "Klub Kultury Mydlniki, ul. Balicka 289",
        None,
        "Muzyka na żywo, kawa i ciasto. Sala na parterze, wejście bez progów.",
    ),
    (
        "Sprzątanie brzegów Wisły",
        ["18", "13"],
        -2,
        10,
        4,
        "Bulwar Kurlandzki, przy kładce Bernatka",
        40,
        "Worki i rękawice zapewniamy. Zbiórka przy kładce; zabierz wygodne buty.",
    ),
    (
        "Dzień otwarty fundacji: jak zostać wolontariuszem",
        ["27", "33"],
        2,
        17,
        2,
        "ul. Mazowiecka 43, sala 2",
        None,
        "Opowiemy, czym się zajmujemy i jak można pomóc, choćby godzinę w tygodniu.",
    ),
    (
        "Warsztaty kodowania dla dzieci",
        ["15", "14"],
        4,
        15,
        2,
        "Biblioteka Kraków, filia nr 12, os. Zgody 2",
        12,
        "Dla dzieci od 9 do 12 lat. Laptopy zapewniamy; zapisy obowiązkowe.",
    ),
    (
        "Bieg rodzinny wokół Zalewu Nowohuckiego",
        ["17", "31"],
        6,
        10,
        3,
        "Zalew Nowohucki, od strony ul. Bulwarowej",
        None,
        "Trasy 1, 3 i 5 km. Dla każdego dziecka medal.",
    ),
    (
        "Koncert chóru osiedlowego",
        ["16"],
        9,
        18,
        2,
        "Kościół na os. Bieńczyce, sala parafialna",
        None,
        "Kolędy i pieśni z różnych stron Polski. Wstęp wolny.",
    ),
    (
        "Spotkanie grupy wsparcia dla opiekunów osób z demencją",
        ["6", "10"],
        11,
        17,
        2,
        "ul. Dietla 64, I piętro (winda)",
        15,
        "Rozmowa z psycholożką i wymiana doświadczeń. Można przyjść z podopiecznym.",
    ),
    (
        "Webinar: jak napisać ofertę w otwartym konkursie",
        ["33"],
        13,
        18,
        2,
        "",
        100,
        "Krok po kroku przez formularz oferty, z przykładami budżetu.",
    ),
    (
        "Festyn sąsiedzki na Kazimierzu",
        ["13", "16"],
        16,
        12,
        6,
        "Plac Nowy",
        None,
        "Stoiska organizacji, warsztaty dla dzieci, potańcówka wieczorem.",
    ),
    (
        "Porady prawne dla cudzoziemców",
        ["5a", "1b"],
        20,
        16,
        3,
        "ul. Sławkowska 12",
        20,
        "Porady po polsku, ukraińsku i angielsku. Bezpłatnie, po zapisie.",
    ),
]

# (title, kind, area codes, days from today, hour, hours long, place, capacity)
CITY_EVENTS = [
    (
        "Szkolenie: rozliczanie dotacji krok po kroku",
        Event.Kind.TRAINING,
        ["33"],
        3,
        10,
        4,
        "Urząd Miasta, al. Powstania Warszawskiego 10, sala 1",
        2,  # full: two places, four people — two wait
    ),
    (
        "Warsztaty: dostępność wydarzeń dla osób z niepełnosprawnościami",
        Event.Kind.TRAINING,
        ["7", "33"],
        8,
        13,
        3,
        "Centrum Obywatelskie, ul. Reymonta 20",
        25,
    ),
    (
        "Szkolenie online: ochrona danych osobowych w organizacji",
        Event.Kind.TRAINING,
        ["33"],
        15,
        17,
        2,
        "",
        80,
    ),
    (
        "Spotkanie sektorowe: polityka senioralna",
        Event.Kind.MEETING,
        ["10"],
        5,
        16,
        2,
        "Urząd Miasta, pl. Wszystkich Świętych 3-4, sala Portretowa",
        None,
    ),
    (
        "Spotkanie sektorowe: kultura w dzielnicach",
        Event.Kind.MEETING,
        ["16", "13"],
        18,
        16,
        2,
        "Nowohuckie Centrum Kultury, al. Jana Pawła II 232",
        None,
    ),
]


def _at(days, hour):
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime.combine(day, time(hour)))


def make_events(rng, orgs):
    """A month of events around today; returns nothing (no new accounts)."""
    if Event.objects.exists():
        return
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    districts = list(District.objects.all())
    official = User.objects.get(email="urzednik@example.org")
    department = official.official.department
    people = list(
        User.objects.filter(
            email__in=[
                "mieszkanka@example.org",
                "czlonek@example.org",
                "admin.ngo@example.org",
                "admin2.ngo@example.org",
            ]
        ).order_by("email")
    )
    now = timezone.now()
    with mail.muted():
        for n, (title, codes, days, hour, hours, place, capacity, text) in enumerate(NGO_EVENTS):
            # Every third is the demo accounts' organization, for their "my events".
            organization = orgs[0] if n % 3 == 0 else orgs[(n * 7) % len(orgs)]
            event = Event.objects.create(
                kind=Event.Kind.EVENT,
                title=title,
                description=text,
                organization=organization,
                district=rng.choice(districts) if districts and place else None,
                place=place,
                online=not place,
                online_link="" if place else "https://spotkanie.example.org/oferta",
                starts_at=_at(days, hour),
                ends_at=_at(days, hour) + timedelta(hours=hours),
                capacity=capacity,
                status=Event.Status.PUBLISHED,
                submitted_at=now - timedelta(days=20),
                moderated_by=official,
                moderated_at=now - timedelta(days=19),
                published_at=now - timedelta(days=19),
            )
            event.areas.set([areas[c] for c in codes if c in areas])
            if capacity and days > 0:
                for person in rng.sample(people, k=min(2, len(people))):
                    services.register(event, person)
        for title, kind, codes, days, hour, hours, place, capacity in CITY_EVENTS:
            event = Event.objects.create(
                kind=kind,
                title=title,
                description=(
                    "Dla członków i członkiń organizacji pozarządowych. Prowadzą pracownicy "
                    "urzędu; materiały dostaniesz e-mailem po spotkaniu."
                ),
                department=department,
                place=place,
                online=not place,
                online_link="" if place else "https://spotkanie.example.org/szkolenie",
                starts_at=_at(days, hour),
                ends_at=_at(days, hour) + timedelta(hours=hours),
                capacity=capacity,
                registration_until=_at(days - 1, 0) + timedelta(days=1) if capacity else None,
                status=Event.Status.PUBLISHED,
                submitted_by=official,
                submitted_at=now - timedelta(days=14),
                moderated_by=official,
                moderated_at=now - timedelta(days=14),
                published_at=now - timedelta(days=14),
            )
            event.areas.set([areas[c] for c in codes if c in areas])
            if capacity:
                # The first training is full: everyone registers, the last ones wait.
                for person in people if capacity == 2 else people[:2]:
                    services.register(event, person)
        # One waiting for moderation, one sent back with the reason.
        admin = User.objects.get(email="admin.ngo@example.org")
        waiting = Event.objects.create(
            kind=Event.Kind.EVENT,
            title="Gra miejska śladami krakowskich społeczników",
            description="Dla drużyn 3–5 osób. Start i meta na Rynku Podgórskim.",
            organization=orgs[0],
            place="Rynek Podgórski",
            starts_at=_at(12, 11),
            ends_at=_at(12, 15),
            capacity=60,
            status=Event.Status.SUBMITTED,
            submitted_by=admin,
            submitted_at=now - timedelta(days=1),
        )
        waiting.areas.set([areas[c] for c in ("13", "19") if c in areas])
        rejected = Event.objects.create(
            kind=Event.Kind.EVENT,
            title="Kiermasz",
            description="Sprzedaż rękodzieła.",
            organization=orgs[0],
            place="",
            starts_at=_at(10, 10),
            ends_at=_at(10, 14),
            status=Event.Status.REJECTED,
            rejection_reason=(
                "Podaj miejsce i napisz, na jaki cel pożytku publicznego przeznaczysz dochód "
                "z kiermaszu: kalendarz pokazuje wydarzenia niekomercyjne."
            ),
            submitted_by=admin,
            submitted_at=now - timedelta(days=3),
            moderated_by=official,
            moderated_at=now - timedelta(days=2),
        )
        rejected.areas.set([areas[c] for c in ("13",) if c in areas])
