"""Demo dialogue bodies: the Public Benefit Council and six Civic Dialogue Commissions,
so that their pages, the calendar and the API have something to show.

Each body has members with terms (the council also its previous term's members), past
meetings with agendas and minutes, upcoming meetings, opinions and resolutions. The city
has asked the council for two opinions: one answered, one still open. The demo official
(Wydział Polityki Społecznej i Zdrowia) keeps the council; a demo secretary account keeps
the seniors' commission. Nobody is e-mailed: rows are written directly.
"""

from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.city.models import (
    BodyMeeting,
    BodyMember,
    Department,
    DialogueBody,
    Opinion,
    OpinionRequest,
)
from wspolpraca.organizations.models import PublicBenefitArea

SECRETARY_EMAIL = "sekretarz.kdo@example.org"

# (kind, name, slug, department symbol, area codes, description)
BODIES = [
    (
        DialogueBody.Kind.COUNCIL,
        "Rada Działalności Pożytku Publicznego Miasta Krakowa",
        "rada-pozytku",
        "WS",
        [],
        "Rada jest organem konsultacyjnym i opiniodawczym prezydenta miasta. Opiniuje "
        "projekty programów współpracy z organizacjami, projekty uchwał i strategii "
        "dotyczących sfery pożytku publicznego oraz wyraża opinie w sprawach, z którymi "
        "zwracają się do niej organizacje i urząd.\n\n"
        "W skład Rady wchodzą przedstawiciele prezydenta, Rady Miasta i organizacji "
        "pozarządowych, wybrani na trzyletnią kadencję.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Kultury",
        "kdo-kultura",
        "KD",
        ["16", "4"],
        "Komisja zrzesza organizacje działające w kulturze i sztuce. Współtworzy "
        "kryteria konkursów kulturalnych i opiniuje plany wydarzeń miejskich.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Sportu",
        "kdo-sport",
        "WSP",
        ["17"],
        "Komisja zajmuje się sportem powszechnym, szkoleniem dzieci i młodzieży oraz "
        "dostępem klubów do miejskich obiektów.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Ekologii i Ochrony Zwierząt",
        "kdo-ekologia",
        "WKŚ",
        ["18"],
        "Komisja opiniuje miejskie działania na rzecz zieleni, czystego powietrza i "
        "opieki nad zwierzętami.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Seniorów",
        "kdo-seniorzy",
        "WSN",
        ["10"],
        "Komisja łączy organizacje pracujące z osobami starszymi: kluby seniora, "
        "uniwersytety trzeciego wieku i wolontariat opiekuńczy.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Osób z Niepełnosprawnościami",
        "kdo-niepelnosprawnosc",
        "WSN",
        ["7"],
        "Komisja dba o to, by miejskie programy i przestrzeń były dostępne dla osób "
        "z niepełnosprawnościami.",
    ),
    (
        DialogueBody.Kind.COMMISSION,
        "Komisja Dialogu Obywatelskiego ds. Rodziny i Pomocy Społecznej",
        "kdo-rodzina",
        "SS",
        ["1", "1a", "31"],
        "Komisja zajmuje się wsparciem rodzin, pieczą zastępczą i pomocą osobom w trudnej "
        "sytuacji życiowej.",
    ),
]

FIRST_NAMES = [
    "Agnieszka", "Barbara", "Dorota", "Ewa", "Joanna", "Katarzyna", "Magdalena", "Monika",
    "Aleksandra", "Zofia", "Adam", "Andrzej", "Grzegorz", "Jakub", "Krzysztof", "Marcin",
    "Michał", "Paweł", "Piotr", "Tomasz",
]  # fmt: skip
LAST_NAMES = [
    "Kowalczyk", "Wiśniewska", "Zając", "Lewandowski", "Dudek", "Mazur", "Kaczmarek",
    "Pawlak", "Sikora", "Baran", "Ostrowska", "Kubiak", "Wróbel", "Jasińska", "Nowicki",
    "Górecka", "Szymański", "Walczak", "Michalska", "Krawczyk",
]  # fmt: skip

AGENDAS = [
    "Otwarcie posiedzenia i przyjęcie porządku obrad\nPrzyjęcie protokołu z poprzedniego "
    "posiedzenia\nInformacja urzędu o planowanych konkursach\nDyskusja o potrzebach "
    "organizacji\nWolne wnioski",
    "Otwarcie posiedzenia\nOmówienie wyników ubiegłorocznych konkursów\nPraca nad "
    "stanowiskiem w sprawie małych grantów\nSprawy bieżące i wolne wnioski",
    "Otwarcie posiedzenia\nOpinia o projekcie dokumentu przedstawionym przez urząd\n"
    "Ustalenie harmonogramu prac na kolejne miesiące\nWolne wnioski",
]
MINUTES = [
    "Posiedzenie otworzył przewodniczący, stwierdzając kworum. Porządek obrad przyjęto bez "
    "uwag.\n\nPrzedstawiciel urzędu omówił plan konkursów na przyszły rok. Członkowie "
    "zwrócili uwagę na zbyt krótkie terminy składania ofert w okresie wakacyjnym.\n\n"
    "Ustalenia: komisja przygotuje wspólne uwagi do harmonogramu do końca miesiąca.",
    "Posiedzenie prowadziła wiceprzewodnicząca. Przyjęto protokół z poprzedniego "
    "posiedzenia.\n\nOmówiono wyniki ubiegłorocznych konkursów; organizacje podkreśliły "
    "potrzebę wcześniejszego ogłaszania wyników.\n\nUstalenia: powołano zespół roboczy "
    "do przygotowania stanowiska.",
    "Przewodniczący przedstawił projekt dokumentu. W dyskusji zgłoszono uwagi dotyczące "
    "dostępności działań dla mieszkańców dzielnic peryferyjnych.\n\nUstalenia: komisja "
    "przyjęła opinię z uwagami jednogłośnie.",
]
DOCUMENTS = [
    (
        Opinion.Kind.OPINION,
        "Opinia w sprawie harmonogramu otwartych konkursów ofert",
        "Komisja pozytywnie opiniuje harmonogram, wnosząc o przesunięcie terminów "
        "konkursów ogłaszanych w lipcu i sierpniu na wrzesień.",
    ),
    (
        Opinion.Kind.RESOLUTION,
        "Uchwała w sprawie powołania zespołu roboczego ds. małych grantów",
        "Komisja powołuje zespół roboczy, który do końca kwartału przygotuje propozycję "
        "zmian w zasadach przyznawania małych grantów.",
    ),
    (
        Opinion.Kind.POSITION,
        "Stanowisko w sprawie wkładu własnego w konkursach",
        "Komisja postuluje, by wkład osobowy i rzeczowy był punktowany na równi z wkładem "
        "finansowym, tak aby małe organizacje nie były w gorszym położeniu.",
    ),
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _secretary_account():
    from wspolpraca.demo.management.commands.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=SECRETARY_EMAIL, defaults={"full_name": "Halina Protokolant"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=SECRETARY_EMAIL, defaults={"verified": True, "primary": True}
        )
    return user


def _name(rng, used):
    while True:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in used:
            used.add(name)
            return name


def _members(body, rng, orgs, today, used, *, size, term_start, term_end=None):
    roles = [BodyMember.Role.CHAIR, BodyMember.Role.DEPUTY, BodyMember.Role.SECRETARY]
    rows = []
    for n in range(size):
        representing = (
            BodyMember.Representing.NGOS
            if n % 3 != 1
            else (
                BodyMember.Representing.COUNCIL
                if body.kind == DialogueBody.Kind.COUNCIL and n % 2
                else BodyMember.Representing.CITY
            )
        )
        rows.append(
            BodyMember(
                body=body,
                full_name=_name(rng, used),
                role=roles[n] if n < len(roles) else BodyMember.Role.MEMBER,
                representing=representing,
                organization=(
                    rng.choice(orgs) if representing == BodyMember.Representing.NGOS else None
                ),
                term_start=term_start,
                term_end=term_end,
            )
        )
    BodyMember.objects.bulk_create(rows)


def _meetings(body, rng, today):
    for n in range(4, 0, -1):  # four past meetings, a month apart
        day = today - timedelta(days=30 * n - rng.randint(0, 5))
        cancelled = n == 3 and body.kind == DialogueBody.Kind.COMMISSION and rng.random() < 0.3
        BodyMeeting.objects.create(
            body=body,
            starts_at=_at(day, 16),
            ends_at=_at(day, 18),
            place="Urząd Miasta Krakowa, os. Zgody 2, sala 107",
            online=n % 2 == 0,
            online_link="https://spotkania.example.org/" + body.slug if n % 2 == 0 else "",
            agenda=AGENDAS[n % len(AGENDAS)],
            minutes_text="" if cancelled else MINUTES[n % len(MINUTES)],
            status=BodyMeeting.Status.CANCELLED if cancelled else BodyMeeting.Status.HELD,
        )
    for n in (1, 2):  # two to come
        day = today + timedelta(days=14 * n + rng.randint(0, 6))
        BodyMeeting.objects.create(
            body=body,
            starts_at=_at(day, 17),
            ends_at=_at(day, 19),
            place="Centrum Obywatelskie, ul. Reymonta 20, sala konferencyjna",
            agenda=AGENDAS[(n + 1) % len(AGENDAS)],
        )


def _documents(body, rng, today):
    year = today.year
    for n, (kind, title, text) in enumerate(DOCUMENTS, 1):
        if rng.random() < 0.2 and n > 1:
            continue
        Opinion.objects.create(
            body=body,
            kind=kind,
            number=f"{n}/{year}",
            adopted_on=today - timedelta(days=100 - 30 * n),
            title=title,
            text=text,
            published_at=timezone.now() - timedelta(days=95 - 30 * n),
        )
    # One of the previous year, for the year filter.
    Opinion.objects.create(
        body=body,
        kind=Opinion.Kind.RESOLUTION,
        number=f"4/{year - 1}",
        adopted_on=date(year - 1, 11, 20),
        title="Uchwała w sprawie planu pracy na kolejny rok",
        text="Komisja przyjmuje plan pracy, w którym priorytetem jest dostępność konkursów.",
        published_at=_at(date(year - 1, 11, 25), 12),
    )


def _requests(council, today):
    official = User.objects.filter(email="urzednik@example.org").first()
    department = Department.objects.filter(short_name="WS").first()
    answered = OpinionRequest.objects.create(
        body=council,
        title="Projekt rocznego programu współpracy z organizacjami pozarządowymi",
        description="Prosimy o opinię Rady do projektu programu na przyszły rok, w tym do "
        "priorytetowych zadań i wysokości środków na małe granty.",
        draft_url="https://www.bip.krakow.pl/",
        deadline=today - timedelta(days=20),
        requested_by=official,
        department=department,
    )
    OpinionRequest.objects.filter(pk=answered.pk).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    Opinion.objects.create(
        body=council,
        kind=Opinion.Kind.OPINION,
        number=f"7/{today.year}",
        adopted_on=today - timedelta(days=24),
        title="Opinia o projekcie rocznego programu współpracy",
        text="Rada pozytywnie opiniuje projekt programu.\n\nRada wnosi o:\n\n"
        "1. zwiększenie puli małych grantów,\n"
        "2. ogłaszanie konkursów na zadania wieloletnie do końca listopada,\n"
        "3. dodanie priorytetu dotyczącego wolontariatu seniorów.",
        request=answered,
        published_at=timezone.now() - timedelta(days=23),
    )
    OpinionRequest.objects.create(
        body=council,
        title="Projekt zasad użyczania sal w budynkach miejskich organizacjom",
        description="Projekt określa, które sale miasto udostępnia bezpłatnie, jak je "
        "rezerwować i kiedy można odmówić. Prosimy o opinię w szczególności o zasadach "
        "pierwszeństwa.",
        draft_url="https://www.bip.krakow.pl/",
        deadline=today + timedelta(days=12),
        requested_by=official,
        department=department,
    )


def make_bodies(rng, orgs):
    """The council and six commissions with everything their pages show; returns the
    accounts it adds."""
    if DialogueBody.objects.exists():
        return []
    today = timezone.localdate()
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    departments = {d.short_name: d for d in Department.objects.all()}
    fallback = Department.objects.order_by("position", "name").first()
    secretary = _secretary_account()
    used = set()
    council = None
    for position, (kind, name, slug, symbol, codes, description) in enumerate(BODIES):
        body = DialogueBody.objects.create(
            kind=kind,
            name=name,
            slug=slug,
            description=description,
            department=departments.get(symbol, fallback),
            contact="Sekretariat: Urząd Miasta Krakowa, os. Zgody 2, pokój 107\n"
            "tel. 12 616 00 00, w dni robocze 8:00–15:00",
            regulations_url="https://www.bip.krakow.pl/",
            position=position,
        )
        body.areas.set([areas[code] for code in codes if code in areas])
        if slug == "kdo-seniorzy":
            body.secretaries.add(secretary)
        term_start = date(today.year - 1, 3, 1)
        _members(
            body, rng, orgs, today, used, size=10 if council is None else 6, term_start=term_start
        )
        if kind == DialogueBody.Kind.COUNCIL:
            council = body
            _members(
                body,
                rng,
                orgs,
                today,
                used,
                size=8,
                term_start=date(today.year - 4, 3, 1),
                term_end=term_start - timedelta(days=1),
            )
        _meetings(body, rng, today)
        _documents(body, rng, today)
    _requests(council, today)
    return [("dialogue body secretary", SECRETARY_EMAIL)]
