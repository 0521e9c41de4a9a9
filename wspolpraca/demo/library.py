"""Demo research library: about forty studies of the city by the city, its units,
universities and organizations, and a handful of research topics with supports and the
city's answers.

Most studies are published (a few with a small PDF made by core.pdf, the rest with a
link); three organizations' studies wait in the moderation queue and one was sent back
with its reason. One topic is taken up and links the study that answered it. The titles
and abstracts are invented for the demo. Nobody is e-mailed (`core.mail.muted`).
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.core import mail
from wspolpraca.core.pdf import render_pdf
from wspolpraca.library import services
from wspolpraca.library.models import ResearchTopic, Study, TopicSupport
from wspolpraca.organizations.models import District, PublicBenefitArea

CITY = Study.PublisherType.CITY
UNIT = Study.PublisherType.CITY_UNIT
UNIVERSITY = Study.PublisherType.UNIVERSITY
NGO = Study.PublisherType.NGO

# (title, publisher type, publisher's name, authors, year, area codes, district numbers,
#  abstract)
STUDIES = [
    (
        "Diagnoza kondycji krakowskich organizacji pozarządowych",
        CITY,
        "Wydział Polityki Społecznej i Zdrowia",
        "Zespół ds. współpracy z organizacjami",
        2024,
        ["33"],
        [],
        "Ankieta wśród 412 organizacji: budżety, zatrudnienie, lokale, współpraca z miastem "
        "i największe bariery. Połowa organizacji nie ma stałej siedziby.",
    ),
    (
        "Potrzeby szkoleniowe organizacji pozarządowych w Krakowie",
        CITY,
        "Wydział Polityki Społecznej i Zdrowia",
        "Katarzyna Zielińska, Piotr Mazur",
        2025,
        ["33", "14"],
        [],
        "Coroczne badanie potrzeb szkoleniowych: najczęściej wskazywano rozliczanie dotacji, "
        "pozyskiwanie darczyńców i komunikację w mediach społecznościowych.",
    ),
    (
        "Jakość współpracy miasta z organizacjami — ocena organizacji",
        CITY,
        "Biuro ds. Dialogu Obywatelskiego",
        "Anna Wróbel",
        2023,
        ["33"],
        [],
        "Jak organizacje oceniają konkursy ofert, kontakt z urzędnikami i informację zwrotną. "
        "Najniżej oceniono czas od złożenia oferty do decyzji.",
    ),
    (
        "Samotność osób starszych w Nowej Hucie",
        UNIT,
        "Miejski Ośrodek Pomocy Społecznej",
        "Dział Analiz MOPS",
        2025,
        ["10"],
        [14, 15, 16, 17, 18],
        "Wywiady z seniorami i pracownikami socjalnymi wschodnich dzielnic. Co piąta osoba po "
        "75. roku życia nie rozmawia z nikim przez większość tygodnia.",
    ),
    (
        "Bezdomność w Krakowie: wyniki liczenia osób w kryzysie bezdomności",
        UNIT,
        "Miejski Ośrodek Pomocy Społecznej",
        "Zespół Interwencji Kryzysowej",
        2024,
        ["1", "2"],
        [],
        "Wyniki zimowego liczenia osób bezdomnych, z podziałem na miejsca pobytu, wiek i "
        "przyczyny; porównanie z poprzednimi edycjami.",
    ),
    (
        "Dostępność placówek kultury dla osób z niepełnosprawnościami",
        UNIT,
        "Krakowskie Forum Kultury",
        "Marta Lis, Tomasz Nowicki",
        2023,
        ["16", "7"],
        [],
        "Audyt 46 placówek: wejścia, toalety, pętle indukcyjne, audiodeskrypcja. Lista "
        "zmian, które kosztują najmniej, a pomagają najbardziej.",
    ),
    (
        "Aktywność fizyczna dzieci w wieku szkolnym",
        UNIT,
        "Zarząd Infrastruktury Sportowej",
        "Jan Malinowski",
        2022,
        ["17", "15"],
        [],
        "Pomiar sprawności i ankieta wśród uczniów klas 4–8; jak dzieci spędzają czas po "
        "lekcjach i z jakich boisk korzystają.",
    ),
    (
        "Zieleń osiedlowa a zdrowie mieszkańców",
        UNIT,
        "Zarząd Zieleni Miejskiej",
        "Ewa Kaczmarek",
        2024,
        ["18", "6"],
        [10, 11, 12],
        "Mapa dostępu do zieleni w odległości 300 m od domu i zestawienie z danymi o "
        "zdrowiu; rekomendacje dla nowych parków kieszonkowych.",
    ),
    (
        "Młodzież w Krakowie: czas wolny, zaufanie, uczestnictwo",
        UNIVERSITY,
        "Uniwersytet Jagielloński, Instytut Socjologii",
        "dr hab. Agnieszka Kowal, mgr Michał Zając",
        2024,
        ["15", "13"],
        [],
        "Badanie 1200 uczniów szkół ponadpodstawowych. Współpraca młodzieży z organizacjami "
        "zaczyna się najczęściej od wolontariatu szkolnego.",
    ),
    (
        "Ekonomia społeczna w Małopolsce: spółdzielnie socjalne po dziesięciu latach",
        UNIVERSITY,
        "Uniwersytet Ekonomiczny w Krakowie",
        "prof. Jerzy Wójcik",
        2022,
        ["34", "8"],
        [],
        "Losy spółdzielni socjalnych założonych w latach 2010–2014: które przetrwały, z czego "
        "żyją i ilu osobom dały stałą pracę.",
    ),
    (
        "Migranci z Ukrainy na krakowskim rynku pracy",
        UNIVERSITY,
        "Uniwersytet Pedagogiczny, Katedra Socjologii",
        "dr Olena Kravets, dr Paweł Sikora",
        2023,
        ["5a", "8"],
        [],
        "Wywiady z 300 osobami: zawody, bariery językowe, uznawanie kwalifikacji i rola "
        "organizacji pomocowych.",
    ),
    (
        "Smog a aktywność seniorów zimą",
        UNIVERSITY,
        "Akademia Górniczo-Hutnicza, Wydział Geologii",
        "dr inż. Tomasz Kruk",
        2021,
        ["10", "18"],
        [],
        "Czujniki jakości powietrza i dzienniczki aktywności: w dni smogowe seniorzy "
        "wychodzą z domu o połowę rzadziej.",
    ),
    (
        "Partycypacja w budżecie obywatelskim — kto głosuje, kto zgłasza",
        UNIVERSITY,
        "Uniwersytet Jagielloński, Instytut Nauk Politycznych",
        "dr Karolina Bąk",
        2025,
        ["13", "22"],
        [],
        "Analiza głosowań z sześciu edycji: udział dzielnic, wieku i płci; projekty "
        "organizacji wygrywają częściej niż projekty osób prywatnych.",
    ),
    (
        "Wolontariat pracowniczy w krakowskich firmach",
        NGO,
        "",
        "Zespół fundacji",
        2024,
        ["27"],
        [],
        "Ankieta wśród 80 firm: ile godzin wolontariatu, na rzecz kogo i co przeszkadza "
        "współpracy z organizacjami.",
    ),
    (
        "Potrzeby rodzin zastępczych w Krakowie",
        NGO,
        "",
        "Magdalena Ostrowska",
        2023,
        ["1a", "31"],
        [],
        "Wywiady z 40 rodzinami zastępczymi: wsparcie psychologiczne, wytchnienie, "
        "przygotowanie do usamodzielnienia wychowanków.",
    ),
    (
        "Sąsiedzkie ogrody społeczne — raport z pięciu sezonów",
        NGO,
        "",
        "Zespół projektu",
        2025,
        ["18", "13"],
        [2, 13],
        "Jak powstały i jak działają ogrody na Grzegórzkach i w Podgórzu; kto w nich "
        "uprawia, ile to kosztuje i czego potrzebują nowe grupy.",
    ),
    (
        "Przemoc rówieśnicza w internecie — głos uczniów",
        NGO,
        "",
        "Aleksandra Nowak, Jakub Dudek",
        2024,
        ["15", "32"],
        [],
        "Ankieta i warsztaty w 12 szkołach. Uczniowie rzadko mówią dorosłym o przemocy w "
        "sieci; wolą zgłaszać ją anonimowo.",
    ),
    (
        "Dostępność transportu dla osób na wózkach",
        NGO,
        "",
        "Stowarzyszenie — zespół audytorów",
        2022,
        ["7"],
        [],
        "Przejazdy testowe 60 linii i 120 przystanków; najwięcej barier na przesiadkach "
        "między tramwajem a autobusem.",
    ),
]
# Studies generated around these themes, to make the library about forty long.
THEMES = [
    ("Raport z działalności punktów nieodpłatnej pomocy prawnej", UNIT, "1b"),
    ("Sport w dzielnicach: frekwencja na orlikach", UNIT, "17"),
    ("Mieszkańcy o bezpieczeństwie na osiedlach", CITY, "20"),
    ("Turystyka a mieszkańcy Starego Miasta", UNIVERSITY, "19"),
    ("Seniorzy w klubach seniora: kto przychodzi, kto nie", NGO, "10"),
    ("Edukacja ekologiczna w przedszkolach", NGO, "18"),
    ("Kultura w dzielnicach: oferta domów kultury", UNIT, "16"),
    ("Poradnictwo obywatelskie: z czym przychodzą mieszkańcy", NGO, "22a"),
]
UNIVERSITY_NAMES = [
    "Uniwersytet Jagielloński",
    "Uniwersytet Ekonomiczny w Krakowie",
    "Akademia Górniczo-Hutnicza",
    "Uniwersytet Pedagogiczny",
]
UNIT_NAMES = [
    "Miejski Ośrodek Pomocy Społecznej",
    "Krakowskie Biuro Festiwalowe",
    "Zarząd Infrastruktury Sportowej",
    "Nowohuckie Centrum Kultury",
]
LICENCES = [
    Study.Licence.CC_BY,
    Study.Licence.CC_BY,
    Study.Licence.CC_BY_SA,
    Study.Licence.CC0,
    Study.Licence.ALL_RIGHTS_RESERVED,
]

# (title, area codes, description, supports, answer (status, reason) or None)
TOPICS = [
    (
        "Ile organizacji działa w każdej dzielnicy i czego im brakuje",
        ["33", "13"],
        "Dane o organizacjach są zbierane dla całego miasta. Dzielnice potrzebują własnego "
        "obrazu: kto działa, w jakich lokalach, z jakim budżetem.",
        9,
        (
            ResearchTopic.Status.TAKEN_UP,
            "Temat włączono do diagnozy kondycji organizacji; wyniki podano także dla dzielnic.",
        ),
    ),
    (
        "Samotność seniorów mieszkających bez rodziny",
        ["10"],
        "Kluby seniora widzą tylko tych, którzy przychodzą. Kim są osoby, które nie wychodzą "
        "z domu, i jak do nich dotrzeć?",
        14,
        (
            ResearchTopic.Status.TAKEN_UP,
            "MOPS przeprowadził badanie we wschodnich dzielnicach; wnioski trafiły do programu "
            "senioralnego.",
        ),
    ),
    (
        "Koszty lokali dla organizacji w centrum i na obrzeżach",
        ["33"],
        "Ile organizacje płacą za lokale i ile z nich korzysta z lokali miejskich na "
        "preferencyjnych warunkach?",
        6,
        (
            ResearchTopic.Status.UNDER_CONSIDERATION,
            "Sprawdzamy, czy dane zarządcy lokali miejskich wystarczą; odpowiemy do końca "
            "kwartału.",
        ),
    ),
    (
        "Czy młodzi chcą działać w radach dzielnic",
        ["15", "13"],
        "Młodzieżowe rady powstają, ale nie wiadomo, ilu młodych chciałoby w nich działać i "
        "co ich zniechęca.",
        4,
        None,
    ),
    (
        "Wpływ festiwali na mieszkańców Kazimierza",
        ["16", "19"],
        "Hałas, ruch i zarobki lokalnych firm: bilans festiwali dla ludzi, którzy tam mieszkają.",
        3,
        (
            ResearchTopic.Status.DECLINED,
            "Podobne badanie prowadzi w tym roku uczelnia; gdy je opublikuje, dodamy je do "
            "biblioteki.",
        ),
    ),
    (
        "Jak rodzice dzieci z niepełnosprawnościami godzą pracę i opiekę",
        ["7", "31"],
        "Brakuje danych o tym, ile godzin opieki spada na rodziców i jakie formy wsparcia "
        "wytchnieniowego są potrzebne.",
        11,
        None,
    ),
    (
        "Wolontariusze 60+: gdzie ich szukać",
        ["27", "10"],
        "Organizacje chętnie przyjęłyby seniorów jako wolontariuszy, ale nie wiedzą, jak do "
        "nich dotrzeć.",
        5,
        None,
    ),
    (
        "Dostęp do wody pitnej w przestrzeni publicznej",
        ["18", "6"],
        "Gdzie brakuje poidełek i czy mieszkańcy z nich korzystają latem.",
        2,
        (
            ResearchTopic.Status.UNDER_CONSIDERATION,
            "Wodociągi przygotowują mapę punktów; rozważamy ankietę wśród mieszkańców.",
        ),
    ),
]


def _pdf(title, publisher, abstract):
    return render_pdf("core/pdf/sample.html", {"title": title, "text": f"{publisher}. {abstract}"})


def make_library(rng, orgs):
    """The demo library; returns nothing (no new accounts)."""
    if Study.objects.exists():
        return
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    districts = {d.number: d for d in District.objects.all()}
    official = User.objects.get(email="urzednik@example.org")
    member = User.objects.get(email="admin.ngo@example.org")
    people = list(User.objects.filter(is_active=True).order_by("id")[:30])
    now = timezone.now()
    rows = list(STUDIES)
    for n, (theme, kind, code) in enumerate((THEMES * 3)[:20]):
        year = 2019 + (n % 7)
        name = {
            UNIT: UNIT_NAMES[n % len(UNIT_NAMES)],
            UNIVERSITY: UNIVERSITY_NAMES[n % len(UNIVERSITY_NAMES)],
            CITY: "Wydział Polityki Społecznej i Zdrowia",
            NGO: "",
        }[kind]
        rows.append(
            (
                f"{theme} ({year})",
                kind,
                name,
                "Zespół badawczy",
                year,
                [code],
                [],
                f"{theme}: wyniki badania z roku {year}, z tabelami i wnioskami dla miasta "
                "i organizacji.",
            )
        )
    studies = []
    with mail.muted():
        for n, (title, kind, name, authors, year, codes, numbers, abstract) in enumerate(rows):
            organization = orgs[n % len(orgs)] if kind == NGO else None
            publisher = name or (organization.name if organization else "")
            with_file = n < 6  # a few real PDFs; the rest link to where they are published
            study = Study(
                title=title,
                authors=authors,
                publisher_type=kind,
                publisher_name=name,
                organization=organization,
                year=year,
                abstract=abstract,
                link="" if with_file else f"https://badania.example.org/{n + 1}",
                licence=LICENCES[n % len(LICENCES)],
                status=Study.Status.PUBLISHED,
                added_by_city=kind != NGO or n % 2 == 0,
                submitted_by=official if kind != NGO else member,
                submitted_at=now - timedelta(days=200 - n),
                moderated_by=official,
                moderated_at=now - timedelta(days=199 - n),
                published_at=now - timedelta(days=199 - n),
            )
            if with_file:
                content = _pdf(title, publisher, abstract)
                study.file.save("badanie.pdf", ContentFile(content), save=False)
                study.file_type, study.file_size = "pdf", len(content)
            study.save()
            study.areas.set([areas[c] for c in codes if c in areas])
            study.districts.set([districts[d] for d in numbers if d in districts])
            studies.append(study)

        # The demo organization's studies: three awaiting moderation, one sent back.
        first = orgs[0]
        waiting = [
            ("Wolontariat w hospicjach: motywacje i wypalenie", ["27", "6"]),
            ("Mapa świetlic środowiskowych w Krakowie", ["15", "13"]),
            ("Kto korzysta z jadłodzielni", ["3", "1"]),
            ("Dostępność stron internetowych organizacji", ["7", "33"]),
        ]
        for n, (title, codes) in enumerate(waiting):
            study = services.create_study(
                member,
                {
                    "title": title,
                    "authors": "Zespół badawczy organizacji",
                    "publisher_type": NGO,
                    "publisher_name": "",
                    "year": timezone.localdate().year,
                    "abstract": (
                        "Badanie własne organizacji: ankieta i wywiady. Raport zawiera "
                        "wnioski dla miasta i innych organizacji."
                    ),
                    "link": f"https://organizacja.example.org/raporty/{n + 1}",
                    "licence": Study.Licence.CC_BY,
                    "licence_other": "",
                    "areas": [areas[c] for c in codes if c in areas],
                },
                organization=first,
            )
            services.submit_study(study, member)
            if n == 3:
                services.reject_study(
                    study,
                    official,
                    "Link prowadzi do strony głównej, nie do raportu. Podaj bezpośredni link "
                    "do pliku albo załącz plik PDF.",
                )

        # Research topics with their supports and answers.
        for n, (title, codes, description, supports, answer) in enumerate(TOPICS):
            author = people[(n * 3) % len(people)] if people else member
            topic = services.propose_topic(
                author,
                title=title,
                description=description,
                areas=[areas[c] for c in codes if c in areas],
            )
            for person in rng.sample(people, k=min(supports, len(people))):
                TopicSupport.objects.get_or_create(topic=topic, user=person)
            topic.support_count = topic.supports.count()
            topic.save(update_fields=["support_count"])
            if answer:
                status, reason = answer
                linked = None
                if status == ResearchTopic.Status.TAKEN_UP:
                    linked = studies[0] if n == 0 else studies[3]
                services.answer_topic(topic, official, status=status, answer=reason, study=linked)
