"""Fill an empty database with realistic, fictional demo data for Kraków.

Used by `make run`. Every name, address and description here is invented for the demo.
"""

import csv
import random
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.accounts.roles import apply_role, sync_role_groups
from wspolpraca.city.models import Coordinator, Department, Official
from wspolpraca.competitions.models import CallSchedule, PlannedCall
from wspolpraca.organizations.models import (
    District,
    Membership,
    Organization,
    PublicBenefitArea,
    TargetGroup,
)

DATA = Path(apps.get_app_config("organizations").path) / "data"
DEMO_PASSWORD = "Wspolpraca-demo-2026"

# Rough centres of Kraków's districts (lat, lon), so that pins land where they belong.
DISTRICT_CENTRES = {
    1: (50.0614, 19.9372),
    2: (50.0590, 19.9610),
    3: (50.0890, 19.9650),
    4: (50.0950, 19.9200),
    5: (50.0750, 19.9150),
    6: (50.0820, 19.8800),
    7: (50.0530, 19.8700),
    8: (50.0300, 19.9000),
    9: (50.0200, 19.9300),
    10: (49.9950, 19.9400),
    11: (50.0150, 19.9650),
    12: (50.0200, 20.0100),
    13: (50.0400, 19.9700),
    14: (50.0700, 20.0100),
    15: (50.0950, 20.0100),
    16: (50.0850, 20.0250),
    17: (50.0950, 20.0650),
    18: (50.0700, 20.0900),
}
STREETS = [
    "ul. Długa",
    "ul. Krótka",
    "ul. Lipowa",
    "ul. Zielona",
    "ul. Słoneczna",
    "ul. Ogrodowa",
    "ul. Polna",
    "ul. Szkolna",
    "os. Centrum",
    "ul. Wiślana",
    "ul. Kwiatowa",
    "ul. Parkowa",
    "ul. Łąkowa",
    "ul. Źródlana",
    "ul. Żeglarska",
    "al. Lipowa",
    "ul. Cicha",
    "ul. Jasna",
]
# (legal form, name prefix, weight)
KINDS = [
    ("association", "Stowarzyszenie", 40),
    ("foundation", "Fundacja", 35),
    ("ordinary_association", "Stowarzyszenie zwykłe", 6),
    ("social_cooperative", "Spółdzielnia Socjalna", 4),
    ("informal_group", "Grupa", 6),
    ("church_legal_person", "Parafialny Zespół", 2),
    ("nonprofit_company", "Spółka non-profit", 2),
    ("association", "Klub Sportowy", 5),
]
# (theme words, area codes, target groups, a sentence about the work)
THEMES = [
    (
        ["Zdrowie", "Zdrowego Życia", "Profilaktyki"],
        ["6"],
        ["ogół mieszkańców"],
        "Prowadzimy badania przesiewowe i warsztaty zdrowego odżywiania.",
    ),
    (
        ["Seniorów", "Złotego Wieku", "Aktywnych Seniorów"],
        ["10", "13"],
        ["seniorzy"],
        "Organizujemy spotkania, wycieczki i kursy komputerowe dla osób starszych.",
    ),
    (
        ["Dzieciom", "Młodych Talentów", "Uśmiech Dziecka"],
        ["15", "14"],
        ["dzieci", "młodzież"],
        "Prowadzimy świetlicę, korepetycje i półkolonie.",
    ),
    (
        ["Kultury", "Teatru Ulicznego", "Sztuki Współczesnej"],
        ["16"],
        ["ogół mieszkańców"],
        "Przygotowujemy spektakle, koncerty i warsztaty artystyczne.",
    ),
    (
        ["Sportu", "Biegaczy", "Piłki Ręcznej"],
        ["17"],
        ["młodzież", "dzieci"],
        "Trenujemy dzieci i dorosłych, organizujemy zawody dzielnicowe.",
    ),
    (
        ["Przyjaciół Zwierząt", "Psiej Łapy", "Kociego Azylu"],
        ["18"],
        ["zwierzęta"],
        "Prowadzimy adopcje, sterylizacje i edukację o odpowiedzialnej opiece.",
    ),
    (
        ["Zielonego Krakowa", "Ekologii", "Czystej Wisły"],
        ["18", "13"],
        ["ogół mieszkańców"],
        "Sadzimy drzewa, sprzątamy brzegi rzek i uczymy segregacji.",
    ),
    (
        ["Równych Szans", "Pomocy Sąsiedzkiej", "Dobrego Startu"],
        ["1", "2"],
        ["rodziny", "osoby bezrobotne"],
        "Pomagamy rodzinom w kryzysie: doradztwo, paczki, wsparcie psychologiczne.",
    ),
    (
        ["Osób Niewidomych", "Bez Barier", "Integracji"],
        ["7"],
        ["osoby z niepełnosprawnościami"],
        "Wspieramy osoby z niepełnosprawnościami w codziennym życiu i pracy.",
    ),
    (
        ["Historii Miasta", "Pamięci Podgórza", "Dziedzictwa"],
        ["4", "16"],
        ["ogół mieszkańców"],
        "Zbieramy wspomnienia mieszkańców i oprowadzamy po dzielnicy.",
    ),
    (
        ["Wolontariatu", "Aktywnych Obywateli", "Dialogu"],
        ["27", "22", "33"],
        ["organizacje pozarządowe"],
        "Wspieramy inne organizacje: szkolenia, doradztwo i wolontariat.",
    ),
    (
        ["Cudzoziemców", "Wielu Kultur", "Nowych Sąsiadów"],
        ["5a", "26"],
        ["cudzoziemcy i migranci"],
        "Uczymy polskiego i pomagamy nowym mieszkańcom w urzędach.",
    ),
    (
        ["Trzeźwości", "Nowej Drogi", "Wyjścia z Uzależnień"],
        ["32"],
        ["osoby uzależnione"],
        "Prowadzimy grupy wsparcia i poradnictwo dla osób uzależnionych i ich bliskich.",
    ),
    (
        ["Rodziny", "Mam i Tatów", "Rodzicielstwa"],
        ["31", "1a"],
        ["rodziny"],
        "Organizujemy klub rodzica, warsztaty i pomoc dla rodzin zastępczych.",
    ),
]
PLACES = [
    "Krakowa",
    "Nowej Huty",
    "Podgórza",
    "Kazimierza",
    "Bronowic",
    "Łagiewnik",
    "Prokocimia",
    "Zwierzyńca",
    "Krowodrzy",
    "Czyżyn",
]

DEPARTMENTS = [
    ("Wydział Polityki Społecznej i Zdrowia", "WS", ["1", "6", "10", "32"]),
    ("Wydział Kultury i Dziedzictwa Narodowego", "KD", ["16", "4"]),
    ("Wydział Edukacji", "WE", ["14", "15"]),
    ("Wydział Sportu", "WSP", ["17"]),
    ("Wydział Kształtowania Środowiska", "WKŚ", ["18"]),
    ("Wydział Spraw Społecznych", "SS", ["1a", "31", "7"]),
    ("Wydział Rozwoju Miasta", "WRM", ["11", "12", "32a"]),
    ("Wydział Komunikacji Społecznej", "WKS", ["22", "27", "33"]),
    ("Wydział Bezpieczeństwa i Zarządzania Kryzysowego", "WBZK", ["20", "23"]),
    ("Wydział Promocji i Turystyki", "WPT", ["19", "30"]),
    ("Wydział Przedsiębiorczości i Innowacji", "WPI", ["11", "8"]),
    ("Wydział ds. Integracji Cudzoziemców", "WIC", ["5a", "26", "5"]),
    ("Wydział ds. Seniorów i Osób z Niepełnosprawnościami", "WSN", ["10", "7"]),
    ("Miejskie Centrum Wsparcia Organizacji", "MCW", ["33", "34", "27"]),
    ("Kancelaria Rady Miasta", "KRM", ["22", "13"]),
]
# What each department plans to fund, by its symbol: (task, funding mode, amount in zł).
PLANNED_TASKS = {
    "WS": [
        ("Profilaktyka uzależnień wśród młodzieży", "support", 240_000),
        ("Wsparcie opiekunów osób przewlekle chorych", "entrustment", 180_000),
    ],
    "KD": [
        ("Letnie wydarzenia kulturalne w dzielnicach", "support", 320_000),
        ("Ochrona i popularyzacja dziedzictwa niematerialnego", "support", 90_000),
    ],
    "WE": [("Zajęcia pozalekcyjne rozwijające zainteresowania", "support", 150_000)],
    "WSP": [
        ("Szkolenie sportowe dzieci i młodzieży", "support", 600_000),
        ("Imprezy sportowe dla mieszkańców", "support", 120_000),
    ],
    "WKŚ": [("Edukacja ekologiczna i zielone podwórka", "support", 75_000)],
    "SS": [("Pomoc osobom w kryzysie bezdomności", "entrustment", 410_000)],
    "WSN": [
        ("Aktywizacja seniorów w klubach dzielnicowych", "support", 200_000),
        ("Asystencja osobista dla osób z niepełnosprawnościami", "entrustment", 350_000),
    ],
    "WIC": [("Nauka języka polskiego dla cudzoziemców", "support", 80_000)],
    "MCW": [("Prowadzenie centrum wsparcia organizacji pozarządowych", "entrustment", 260_000)],
}
# (first name, surname) pairs, so that each person's name agrees in gender.
PEOPLE = [
    ("Anna", "Nowak"),
    ("Piotr", "Kowalski"),
    ("Katarzyna", "Wiśniewska"),
    ("Marek", "Wójcik"),
    ("Agnieszka", "Kamińska"),
    ("Tomasz", "Lewandowski"),
    ("Magdalena", "Zielińska"),
    ("Paweł", "Szymański"),
    ("Ewa", "Woźniak"),
    ("Michał", "Dąbrowski"),
    ("Joanna", "Kozłowska"),
    ("Krzysztof", "Jankowski"),
    ("Zofia", "Mazur"),
    ("Łukasz", "Krawczyk"),
    ("Małgorzata", "Piotrowska"),
]


class Command(BaseCommand):
    help = "Load realistic fictional demo data (districts, organizations, city, accounts)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if organizations exist."
        )
        parser.add_argument("--organizations", type=int, default=300)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, if_empty=False, organizations=300, seed=2026, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write("The database already holds data: demo data not loaded.")
            return
        rng = random.Random(seed)
        with transaction.atomic():
            districts = self.districts()
            self.city()
            self.schedules(rng)
            orgs = self.organizations(rng, districts, organizations)
            accounts = self.accounts(orgs)
            accounts += self.public_tasks(rng, orgs)
            self.consultations(rng, orgs)
            accounts += self.infrastructure(rng, orgs)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data: {len(orgs)} organizations, {len(districts)} districts.")
        )
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for role, email in accounts:
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write(
            "City staff accounts are asked to set up two-factor sign-in (TOTP) on first login."
        )

    def districts(self):
        with open(DATA / "krakow_districts.csv", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                District.objects.update_or_create(
                    number=int(row["number"]), defaults={"roman": row["roman"], "name": row["name"]}
                )
        return list(District.objects.all())

    def city(self):
        """Departments, each with its NGO coordinator and the areas they cover."""
        areas = {a.code: a for a in PublicBenefitArea.objects.all()}
        for position, (name, symbol, codes) in enumerate(DEPARTMENTS):
            slug = symbol.lower().replace("ś", "s")
            department, _ = Department.objects.update_or_create(
                name=name,
                defaults={
                    "short_name": symbol,
                    "email": f"{slug}@example.org",
                    "phone": f"+48 12 616 {10 + position:02d} 00",
                    "position": position,
                    "address": f"pl. Wszystkich Świętych {position % 4 + 1}, 31-004 Kraków",
                },
            )
            first, last = PEOPLE[position % len(PEOPLE)]
            coordinator, _ = Coordinator.objects.update_or_create(
                department=department,
                email=f"koordynator.{slug}@example.org",
                defaults={
                    "full_name": f"{first} {last}",
                    "role": "koordynator ds. współpracy z NGO",
                    "phone": f"+48 12 616 {10 + position:02d} 1{position % 10}",
                    "is_active": True,
                    "position": position,
                },
            )
            coordinator.areas.set([areas[c] for c in codes if c in areas])

    def schedules(self, rng):
        """This year's schedule of calls and next year's, both published; some of next
        year's calls are announced before the year starts."""
        areas = {a.code: a for a in PublicBenefitArea.objects.all()}
        this_year = timezone.localdate().year
        for year in (this_year, this_year + 1):
            schedule, _ = CallSchedule.objects.get_or_create(
                year=year, defaults={"published_at": timezone.now()}
            )
            for name, symbol, codes in DEPARTMENTS:
                department = Department.objects.get(name=name)
                for n, (title, mode, amount) in enumerate(PLANNED_TASKS.get(symbol, [])):
                    # Spread over the year; the first calls of next year come in December.
                    month = 1 + (n * 5 + len(symbol) * 2) % 11
                    announced = date(year, month, rng.randint(1, 20))
                    if year > this_year and n == 0 and rng.random() < 0.6:
                        announced = date(year - 1, 12, rng.randint(1, 15))
                    planned, created = PlannedCall.objects.get_or_create(
                        schedule=schedule,
                        department=department,
                        title=f"{title} w {year} r.",
                        defaults={
                            "funding_mode": mode,
                            "planned_announcement": announced,
                            "planned_deadline": announced + timedelta(days=rng.randint(24, 35)),
                            "planned_amount": Decimal(amount),
                            "description": "Zadanie z rocznego programu współpracy z organizacjami.",
                        },
                    )
                    if created:
                        planned.areas.set([areas[c] for c in codes[:2] if c in areas])

    def organizations(self, rng, districts, count):
        areas = {a.code: a for a in PublicBenefitArea.objects.all()}
        groups = {g.name_pl: g for g in TargetGroup.objects.all()}
        weights = [k[2] for k in KINDS]
        created, used_names = [], set()
        now = timezone.now()
        for n in range(count):
            kind, prefix, _w = rng.choices(KINDS, weights=weights)[0]
            words, codes, target, sentence = rng.choice(THEMES)
            name = f"{prefix} {rng.choice(words)}"
            if rng.random() < 0.6:
                name += f" {rng.choice(PLACES)}"
            if name in used_names:
                name += f" {n}"
            used_names.add(name)
            district = rng.choice(districts)
            lat, lon = DISTRICT_CENTRES[district.number]
            in_krs = kind not in Organization.KINDS_OUTSIDE_KRS
            registered = date(1990, 1, 1) + timedelta(days=rng.randrange(0, 12500))
            verified = rng.random() < 0.8
            org = Organization.objects.create(
                name=name,
                kind=kind,
                krs=f"{100000 + n * 37:010d}" if in_krs else None,
                other_register="Rejestr stowarzyszeń zwykłych Prezydenta Miasta Krakowa"
                if kind == "ordinary_association"
                else "",
                registration_date=registered if kind != "informal_group" else None,
                street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                postal_code=f"3{rng.randint(0, 1)}-{rng.randint(100, 999)}",
                city="Kraków",
                district=district,
                latitude=Decimal(f"{lat + rng.uniform(-0.008, 0.008):.6f}"),
                longitude=Decimal(f"{lon + rng.uniform(-0.012, 0.012):.6f}"),
                description=f"{sentence} Działamy w dzielnicy {district.name} od {registered.year} roku.",
                website=f"https://org{n}.example.org" if rng.random() < 0.7 else "",
                email=f"kontakt@org{n}.example.org",
                phone=f"+48 600 {n:03d} {rng.randint(100, 999)}",
                is_public_benefit=in_krs and rng.random() < 0.3,
                verification=Organization.Verification.VERIFIED
                if verified
                else Organization.Verification.PENDING,
                verified_at=now if verified else None,
                data_confirmed_at=now - timedelta(days=rng.randrange(0, 700))
                if rng.random() < 0.7
                else None,
                source=Organization.Source.DEMO,
            )
            org.areas.set([areas[c] for c in codes if c in areas])
            org.target_groups.set([groups[g] for g in target if g in groups])
            created.append(org)
        return created

    def accounts(self, orgs):
        # (what the account is for, e-mail, role, back office, the person's name)
        roles = [
            ("resident", "mieszkanka@example.org", User.Role.RESIDENT, False, "Katarzyna Nowicka"),
            ("NGO member", "czlonek@example.org", User.Role.RESIDENT, False, "Piotr Zieliński"),
            ("NGO admin", "admin.ngo@example.org", User.Role.RESIDENT, False, "Magdalena Wójcik"),
            (
                "second NGO's admin",
                "admin2.ngo@example.org",
                User.Role.RESIDENT,
                False,
                "Paweł Dąbrowski",
            ),
            (
                "city official",
                "urzednik@example.org",
                User.Role.OFFICIAL,
                True,
                "Tomasz Lewandowski",
            ),
            (
                "department coordinator",
                "koordynator@example.org",
                User.Role.COORDINATOR,
                True,
                "Ewa Kamińska",
            ),
            (
                "platform admin",
                "admin@example.org",
                User.Role.PLATFORM_ADMIN,
                True,
                "Marek Szymański",
            ),
        ]
        sync_role_groups()
        result = []
        for label, email, role, staff, full_name in roles:
            user, created = User.objects.get_or_create(
                email=email, defaults={"role": role, "is_staff": staff, "full_name": full_name}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                apply_role(user)
                EmailAddress.objects.get_or_create(
                    user=user, email=email, defaults={"verified": True, "primary": True}
                )
            result.append((label, email))
        # The demo official and coordinator act for the department of social policy.
        social = Department.objects.get(name=DEPARTMENTS[0][0])
        for email in ("urzednik@example.org", "koordynator@example.org"):
            Official.objects.get_or_create(
                user=User.objects.get(email=email), defaults={"department": social}
            )
        first = orgs[0]
        Membership.objects.get_or_create(
            organization=first,
            user=User.objects.get(email="admin.ngo@example.org"),
            defaults={"role": "admin"},
        )
        Membership.objects.get_or_create(
            organization=first,
            user=User.objects.get(email="czlonek@example.org"),
            defaults={"role": "member"},
        )
        Membership.objects.get_or_create(
            organization=orgs[1],
            user=User.objects.get(email="admin2.ngo@example.org"),
            defaults={"role": "admin"},
        )
        return result

    def consultations(self, rng, orgs):
        """Consultations in every phase, the tracker with the 2018 catalogue, the research
        library with its topics, the city's strategies and programmes with their monitoring
        (linked to the consultations), and the yearly surveys with their answers."""
        from wspolpraca.demo.consultations import make_consultations
        from wspolpraca.demo.library import make_library
        from wspolpraca.demo.strategies import make_strategies
        from wspolpraca.demo.surveys import make_surveys

        make_consultations(rng, orgs)
        make_library(rng, orgs)
        make_strategies(rng, orgs)
        make_surveys(rng, orgs)

    def infrastructure(self, rng, orgs):
        """Rooms with their bookings, support places, the exchange between organizations,
        the dialogue bodies with their meetings and opinions, a month of events and the
        newsletter's subscribers and news (returns the accounts that adds)."""
        from wspolpraca.demo.bodies import make_bodies
        from wspolpraca.demo.events import make_events
        from wspolpraca.demo.exchange import make_exchange
        from wspolpraca.demo.newsletter import make_newsletter
        from wspolpraca.demo.venues import make_venues

        accounts = make_venues(rng, orgs) + make_exchange(rng, orgs) + make_bodies(rng, orgs)
        accounts += make_events(rng, orgs)
        make_newsletter(rng)
        return accounts

    def public_tasks(self, rng, orgs):
        """This year's calls in every state, offers, small grants and requests; then last
        year's calls carried to the end and this year's evaluated (returns the accounts
        that adds)."""
        from wspolpraca.demo import evaluation, public_tasks

        official = User.objects.get(email="urzednik@example.org")
        planned = PlannedCall.objects.filter(
            schedule__year=timezone.localdate().year, call__isnull=True
        ).order_by("planned_announcement", "pk")
        calls = public_tasks.make_calls(list(planned), official)
        verified = [o for o in orgs if o.verification == Organization.Verification.VERIFIED]
        bidders = [orgs[0], orgs[1], *[o for o in verified if o not in orgs[:2]]]
        public_tasks.make_offers(
            calls,
            bidders,
            User.objects.get(email="admin.ngo@example.org"),
            User.objects.get(email="admin2.ngo@example.org"),
            rng,
        )
        departments = list(Department.objects.order_by("position")[:3])
        public_tasks.make_small_grants(bidders, departments, rng)
        public_tasks.make_requests(
            bidders, departments, User.objects.get(email="admin.ngo@example.org")
        )
        return evaluation.make_evaluation(calls, bidders, rng)
