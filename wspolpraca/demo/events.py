"""Demo events: a month of them around today, so that the calendar, the event pages, the
registrations and the moderation queue all have something to show.

NGO events in several areas and districts (some past, most to come), the city's
trainings and sector meetings, registrations of the demo accounts (one training full,
with a waiting list), one event awaiting moderation and one rejected with its reason.

The training offer: the topics of the yearly needs survey (city.TrainingTopic, made by
name with get_or_create, as the surveys' demo does), trainings tagged with most of them
(three topics are left without a training, so the survey's results show the gaps), an
organization's training, and consultations with mentors, free and booked, by a listed
mentor and by the demo coordinator. Nobody is e-mailed (`core.mail.muted`).
"""

from datetime import datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.city.models import TrainingTopic
from wspolpraca.core import mail
from wspolpraca.events import services
from wspolpraca.events.models import Event, Mentor, MentoringSlot
from wspolpraca.organizations.models import District, PublicBenefitArea

# The topics of the yearly training-needs survey, in the survey's order. The surveys'
# demo makes them by the same names: whichever runs first creates them.
TOPICS = [
    "Pisanie ofert i wniosków",
    "Rozliczanie dotacji",
    "Księgowość organizacji",
    "Pozyskiwanie funduszy",
    "Komunikacja i media społecznościowe",
    "Praca z wolontariuszami",
    "RODO w organizacji",
    "Zarządzanie projektem",
    "Ewaluacja projektów",
    "Prawo stowarzyszeń i fundacji",
]
# Left without a training on purpose: the needs nobody answers yet.
TOPICS_WITHOUT_TRAINING = {
    "Praca z wolontariuszami",
    "Ewaluacja projektów",
    "Prawo stowarzyszeń i fundacji",
}

# City trainings by title: (topics, level, trainer, about the trainer).
TRAINING_DETAILS = {
    "Szkolenie: rozliczanie dotacji krok po kroku": (
        ["Rozliczanie dotacji", "Księgowość organizacji"],
        Event.Level.BEGINNER,
        "Barbara Lis",
        "Inspektorka kontroli dotacji; od dziesięciu lat sprawdza sprawozdania organizacji.",
    ),
    "Warsztaty: dostępność wydarzeń dla osób z niepełnosprawnościami": (
        ["Zarządzanie projektem"],
        Event.Level.INTERMEDIATE,
        "Tomasz Wrona",
        "Koordynator dostępności w urzędzie, audytor budynków i wydarzeń.",
    ),
    "Szkolenie online: ochrona danych osobowych w organizacji": (
        ["RODO w organizacji"],
        Event.Level.BEGINNER,
        "Ewa Sowa",
        "Inspektorka ochrony danych w kilku krakowskich fundacjach.",
    ),
}

# More trainings: (title, topics, level, days from today, hour, hours, place, capacity,
# trainer, about the trainer, description).
MORE_TRAININGS = [
    (
        "Oferta w otwartym konkursie: warsztat z pisania",
        ["Pisanie ofert i wniosków"],
        Event.Level.BEGINNER,
        9,
        10,
        5,
        "Centrum Obywatelskie, ul. Reymonta 20, sala 3",
        16,
        "Marta Kos",
        "Członkini komisji konkursowych, od lat pomaga organizacjom w pisaniu ofert.",
        "Przejdziemy przez formularz oferty na przykładzie prawdziwego konkursu: opis "
        "zadania, rezultaty, harmonogram i kalkulacja kosztów. Przynieś laptop i pomysł "
        "na projekt.",
    ),
    (
        "Skąd wziąć pieniądze poza dotacją miasta",
        ["Pozyskiwanie funduszy"],
        Event.Level.INTERMEDIATE,
        19,
        17,
        3,
        "",
        60,
        "Jan Dudek",
        "Fundraiser, prowadził zbiórki publiczne i kampanie 1,5% podatku.",
        "Zbiórki publiczne i internetowe, 1,5% podatku, darczyńcy indywidualni i firmy: "
        "od czego zacząć i jak zaplanować rok.",
    ),
    (
        "Media społecznościowe małej organizacji",
        ["Komunikacja i media społecznościowe"],
        Event.Level.BEGINNER,
        24,
        16,
        3,
        "Nowohuckie Centrum Kultury, al. Jana Pawła II 232, sala 12",
        20,
        "Olga Maj",
        "Prowadzi komunikację stowarzyszenia sąsiedzkiego z Nowej Huty.",
        "Jak pisać posty, które ktoś przeczyta, jak planować publikacje i mierzyć zasięgi "
        "bez budżetu na reklamę.",
    ),
    (
        "Zarządzanie projektem dla zaawansowanych: ryzyka i zmiany w umowie",
        ["Zarządzanie projektem", "Rozliczanie dotacji"],
        Event.Level.ADVANCED,
        27,
        10,
        4,
        "Urząd Miasta, al. Powstania Warszawskiego 10, sala 1",
        12,
        "Piotr Góra",
        "Kierownik projektów unijnych i miejskich w dużej federacji organizacji.",
        "Co robić, gdy projekt idzie inaczej niż w ofercie: aneksy, przesunięcia w "
        "budżecie, zmiany harmonogramu, rozmowa z opiekunem umowy.",
    ),
]

MENTOR_EMAIL = "mentorka@example.org"

# Consultations: (days from today, hour, topic or None, own words, online, booked).
SLOTS = [
    (2, 10, "Pisanie ofert i wniosków", "", False, True),
    (2, 11, "Pisanie ofert i wniosków", "", False, False),
    (4, 16, None, "pomoc w pisaniu oferty na mały grant", True, False),
    (6, 12, "Rozliczanie dotacji", "", False, True),
    (9, 9, "Księgowość organizacji", "", True, False),
    (13, 15, None, "pierwsze kroki: statut i rejestracja stowarzyszenia", False, False),
    (-3, 10, "Pisanie ofert i wniosków", "", False, True),
]

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
    """A month of events around today, the training offer and mentoring; returns the
    accounts it adds (the listed mentor)."""
    if Event.objects.exists():
        return []
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
        make_trainings(rng, orgs, official, department, people, areas)
        mentor = _mentor_account()
        make_mentoring(rng, orgs, mentor)
    return [("mentor", MENTOR_EMAIL)]


def _topics():
    topics = {}
    for position, name in enumerate(TOPICS, start=1):
        topics[name], _created = TrainingTopic.objects.get_or_create(
            name=name, defaults={"position": position}
        )
    return topics


def make_trainings(rng, orgs, official, department, people, areas):
    """Topics on the city's trainings, more trainings on most topics (three are left
    without one) and an organization's training."""
    topics = _topics()
    now = timezone.now()
    for title, (names, level, trainer, note) in TRAINING_DETAILS.items():
        training = Event.objects.filter(title=title).first()
        if training is None:
            continue
        training.level, training.trainer_name, training.trainer_note = level, trainer, note
        training.save(update_fields=["level", "trainer_name", "trainer_note"])
        training.topics.set([topics[n] for n in names])
    for n, row in enumerate(MORE_TRAININGS):
        title, names, level, days, hour, hours, place, capacity, trainer, note, text = row
        training = Event.objects.create(
            kind=Event.Kind.TRAINING,
            title=title,
            description=text,
            department=department,
            place=place,
            online=not place,
            online_link="" if place else "https://spotkanie.example.org/szkolenie",
            starts_at=_at(days, hour),
            ends_at=_at(days, hour) + timedelta(hours=hours),
            capacity=capacity,
            level=level,
            trainer_name=trainer,
            trainer_note=note,
            status=Event.Status.PUBLISHED,
            submitted_by=official,
            submitted_at=now - timedelta(days=10),
            moderated_by=official,
            moderated_at=now - timedelta(days=10),
            published_at=now - timedelta(days=10),
        )
        training.areas.set([areas[c] for c in ("33",) if c in areas])
        training.topics.set([topics[name] for name in names])
        for person in people[: n % 3 + 1]:
            services.register(training, person)
    # An organization's own training, published after moderation.
    ngo_training = Event.objects.create(
        kind=Event.Kind.TRAINING,
        title="Księgowość małego stowarzyszenia bez tajemnic",
        description=(
            "Dla skarbników i zarządów: ewidencja, sprawozdanie finansowe, terminy. "
            "Prowadzi nasza księgowa; pytania można przysłać wcześniej."
        ),
        organization=orgs[1 % len(orgs)],
        place="ul. Mazowiecka 43, sala 2",
        starts_at=_at(11, 17),
        ends_at=_at(11, 20),
        capacity=15,
        level=Event.Level.BEGINNER,
        trainer_name="Halina Rzepka",
        trainer_note="Biegła rewidentka, od lat prowadzi księgi organizacji.",
        status=Event.Status.PUBLISHED,
        submitted_at=now - timedelta(days=6),
        moderated_by=official,
        moderated_at=now - timedelta(days=5),
        published_at=now - timedelta(days=5),
    )
    ngo_training.areas.set([areas[c] for c in ("33",) if c in areas])
    ngo_training.topics.set([topics["Księgowość organizacji"]])


def _mentor_account():
    """A person the city listed as a mentor (returned to the command, which lists it)."""
    from wspolpraca.demo.management.commands.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=MENTOR_EMAIL, defaults={"full_name": "Joanna Wierzbicka"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=MENTOR_EMAIL, defaults={"verified": True, "primary": True}
        )
    Mentor.objects.get_or_create(
        user=user,
        defaults={
            "note": (
                "Od piętnastu lat pisze i rozlicza projekty organizacji; "
                "była członkinią komisji konkursowych."
            )
        },
    )
    return user


def make_mentoring(rng, orgs, mentor):
    """Consultations of the listed mentor and of the demo coordinator: most free, some
    booked by the demo organizations (one in the past)."""
    topics = _topics()
    coordinator = User.objects.get(email="koordynator@example.org")
    bookers = [
        (orgs[0], User.objects.get(email="admin.ngo@example.org")),
        (orgs[1 % len(orgs)], User.objects.get(email="admin2.ngo@example.org")),
    ]
    needs = [
        "Piszemy pierwszą ofertę w konkursie dla seniorów; nie wiemy, jak opisać "
        "rezultaty i policzyć wkład osobowy.",
        "Dostaliśmy uwagi do sprawozdania częściowego: prosimy o pomoc w poprawieniu "
        "zestawienia faktur.",
        "Chcemy złożyć ofertę wspólną z drugim stowarzyszeniem; jak podzielić budżet?",
    ]
    for n, (days, hour, topic, words, online, booked) in enumerate(SLOTS):
        slot = MentoringSlot.objects.create(
            mentor=mentor if n % 3 else coordinator,
            starts_at=_at(days, hour),
            ends_at=_at(days, hour) + timedelta(hours=1),
            topic=topics[topic] if topic else None,
            topic_text=words,
            place="" if online else "Centrum Obywatelskie, ul. Reymonta 20, pokój 5",
            online=online,
            online_link="https://spotkanie.example.org/mentoring" if online else "",
            note="Przynieś ogłoszenie konkursu i to, co już masz napisane." if n % 2 else "",
        )
        if booked:
            organization, person = bookers[n % len(bookers)]
            slot.bookings.create(
                organization=organization, booked_by=person, need=needs[n % len(needs)]
            )
