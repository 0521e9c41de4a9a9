"""Generate many plausible, fictional organizations for the benchmarks.

    DATABASE_URL=... .venv/bin/python bench/generate.py --orgs 150000

Rows are bulk-created in batches. The search columns are computed exactly as on save()
(`Organization.refresh_search_columns` on the unsaved instance); on SQLite the FTS5
triggers fill the index on insert, on PostgreSQL the GIN index is maintained by the
database. Areas and target groups go in through bulk-created M2M rows. Everything is
seeded, so two runs with the same N produce the same data.
"""

import argparse
import csv
import os
import random
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BATCH = 2000
# Kraków's bounding box (roughly the city limits).
LAT_RANGE = (49.97, 50.126)
LON_RANGE = (19.792, 20.217)

# Legal forms, with how often they occur and the words their names start with.
KINDS = [
    ("association", 40, ["Stowarzyszenie", "Towarzystwo", "Klub Sportowy", "Uczniowski Klub"]),
    ("foundation", 35, ["Fundacja"]),
    ("ordinary_association", 8, ["Stowarzyszenie Zwykłe"]),
    ("social_cooperative", 4, ["Spółdzielnia Socjalna"]),
    ("church_legal_person", 4, ["Parafia", "Caritas", "Zgromadzenie"]),
    ("nonprofit_company", 3, ["Centrum"]),
    ("informal_group", 4, ["Grupa Nieformalna", "Inicjatywa"]),
    ("other", 2, ["Związek", "Izba"]),
]
KINDS_OUTSIDE_KRS = {"ordinary_association", "church_legal_person", "informal_group"}

# Nouns with their grammatical gender, so that adjectives agree ("Krakowska Inicjatywa").
NOUNS = [
    ("Zdrowie", "n"),
    ("Łódź", "f"),
    ("Inicjatywa", "f"),
    ("Przyszłość", "f"),
    ("Nadzieja", "f"),
    ("Wspólnota", "f"),
    ("Kultura", "f"),
    ("Edukacja", "f"),
    ("Pomoc", "f"),
    ("Przystań", "f"),
    ("Szansa", "f"),
    ("Akademia", "f"),
    ("Dolina", "f"),
    ("Zieleń", "f"),
    ("Rodzina", "f"),
    ("Sztuka", "f"),
    ("Ekologia", "f"),
    ("Rozwój", "m"),
    ("Dom", "m"),
    ("Most", "m"),
    ("Ogród", "m"),
    ("Horyzont", "m"),
    ("Krąg", "m"),
    ("Teatr", "m"),
    ("Chór", "m"),
    ("Sport", "m"),
    ("Dialog", "m"),
    ("Uśmiech", "m"),
    ("Żagiel", "m"),
    ("Warsztat", "m"),
    ("Słonecznik", "m"),
    ("Las", "m"),
    ("Forum", "n"),
    ("Serce", "n"),
    ("Światło", "n"),
    ("Bractwo", "n"),
    ("Sąsiedztwo", "n"),
    ("Dziedzictwo", "n"),
    ("Źródło", "n"),
    ("Gniazdo", "n"),
]
ADJECTIVES = [
    ("Krakowski", "Krakowska", "Krakowskie"),
    ("Małopolski", "Małopolska", "Małopolskie"),
    ("Nowy", "Nowa", "Nowe"),
    ("Zielony", "Zielona", "Zielone"),
    ("Wspólny", "Wspólna", "Wspólne"),
    ("Otwarty", "Otwarta", "Otwarte"),
    ("Dobry", "Dobra", "Dobre"),
    ("Młody", "Młoda", "Młode"),
    ("Sąsiedzki", "Sąsiedzka", "Sąsiedzkie"),
    ("Społeczny", "Społeczna", "Społeczne"),
    ("Wiślany", "Wiślana", "Wiślane"),
    ("Podgórski", "Podgórska", "Podgórskie"),
    ("Nowohucki", "Nowohucka", "Nowohuckie"),
    ("Zdrowy", "Zdrowa", "Zdrowe"),
    ("Srebrny", "Srebrna", "Srebrne"),
    ("Złoty", "Złota", "Złote"),
    ("Twórczy", "Twórcza", "Twórcze"),
    ("Bezpieczny", "Bezpieczna", "Bezpieczne"),
    ("Jasny", "Jasna", "Jasne"),
    ("Żywy", "Żywa", "Żywe"),
]
GENDER_FORM = {"m": 0, "f": 1, "n": 2}
# Genitive phrases that often end a name ("… Przyjaciół Kazimierza").
COMPLEMENTS = [
    "Krakowa",
    "Podgórza",
    "Nowej Huty",
    "Kazimierza",
    "Zwierzyńca",
    "Bronowic",
    "Seniorów",
    "Dzieci i Młodzieży",
    "Osób z Niepełnosprawnościami",
    "Przyjaciół Zwierząt",
    "Rodzin Zastępczych",
    "Miłośników Historii",
    "Kobiet",
    "Sportu i Rekreacji",
    "Kultury Ludowej",
    "Ochrony Przyrody",
    "Pomocy Bezdomnym",
    "Edukacji Ekologicznej",
    "Zdrowia Psychicznego",
    "Aktywności Lokalnej",
    "Praw Człowieka",
    "Rozwoju Przedsiębiorczości",
    "Wolontariatu",
    "Łodzi Wiślanych",
]
PATRONS = [
    "im. Jana Matejki",
    "im. Heleny Modrzejewskiej",
    "im. Stanisława Wyspiańskiego",
    "im. Wisławy Szymborskiej",
    "im. św. Brata Alberta",
    "im. Janusza Korczaka",
    "im. Tadeusza Kościuszki",
]
STREETS = [
    "ul. Grodzka",
    "ul. Floriańska",
    "ul. Długa",
    "ul. Karmelicka",
    "ul. Dietla",
    "ul. Wielicka",
    "ul. Kalwaryjska",
    "ul. Lipowa",
    "ul. Józefińska",
    "ul. Starowiślna",
    "ul. Mogilska",
    "ul. Lubicz",
    "al. Mickiewicza",
    "al. Pokoju",
    "os. Centrum A",
    "os. Złotej Jesieni",
    "ul. Bronowicka",
    "ul. Zakopiańska",
    "ul. Łokietka",
    "ul. Wrocławska",
    "ul. Prądnicka",
    "ul. Kobierzyńska",
    "ul. Królewska",
    "ul. Czarnowiejska",
    "ul. Półkole",
    "ul. Źródlana",
]
ACTIVITIES = [
    "prowadzimy zajęcia dla dzieci i młodzieży",
    "wspieramy seniorów w codziennym życiu",
    "organizujemy koncerty, wystawy i spotkania sąsiedzkie",
    "pomagamy osobom w kryzysie bezdomności",
    "dbamy o zieleń i czyste powietrze w mieście",
    "uczymy pierwszej pomocy i promujemy zdrowie",
    "opiekujemy się bezdomnymi zwierzętami",
    "prowadzimy poradnictwo prawne i obywatelskie",
    "wspieramy rodziny zastępcze i domy dziecka",
    "organizujemy turnieje i treningi sportowe",
    "chronimy zabytki i dziedzictwo Krakowa",
    "wspieramy osoby z niepełnosprawnościami w znalezieniu pracy",
    "aktywizujemy mieszkańców osiedli",
    "prowadzimy świetlicę środowiskową",
    "szkolimy wolontariuszy",
    "pływamy łodziami po Wiśle i uczymy żeglarstwa",
]
GOALS = [
    "Celem fundacji jest ochrona i promocja zdrowia.",
    "Celem stowarzyszenia jest działalność na rzecz integracji społecznej.",
    "Wspieranie rozwoju kultury, sztuki i ochrony dóbr kultury.",
    "Działalność na rzecz osób w wieku emerytalnym.",
    "Ekologia i ochrona zwierząt oraz ochrona dziedzictwa przyrodniczego.",
    "Upowszechnianie kultury fizycznej i sportu.",
    "Nauka, szkolnictwo wyższe, edukacja, oświata i wychowanie.",
    "Przeciwdziałanie uzależnieniom i patologiom społecznym.",
]


def load_districts():
    """Districts 1–18 from the CSV shipped with the organizations app."""
    from wspolpraca.organizations.models import District

    path = ROOT / "wspolpraca" / "organizations" / "data" / "krakow_districts.csv"
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            District.objects.update_or_create(
                number=int(row["number"]), defaults={"roman": row["roman"], "name": row["name"]}
            )
    return list(District.objects.order_by("number"))


def _name(rng, prefix):
    noun, gender = rng.choice(NOUNS)
    adjective = rng.choice(ADJECTIVES)[GENDER_FORM[gender]]
    shape = rng.random()
    if shape < 0.3:
        core = f"{adjective} {noun}"
    elif shape < 0.5:
        core = noun
    elif shape < 0.8:
        core = f"{noun} {rng.choice(COMPLEMENTS)}"
    else:
        core = f"{adjective} {noun} {rng.choice(COMPLEMENTS)}"
    if prefix == "Stowarzyszenie" and rng.random() < 0.15:
        # "Krakowskie Stowarzyszenie …": the adjective comes first.
        return f"{rng.choice(ADJECTIVES)[2]} Stowarzyszenie {rng.choice(COMPLEMENTS)}"
    name = f"{prefix} {core}"
    if rng.random() < 0.08:
        name += f" {rng.choice(PATRONS)}"
    return name


def _unique_slug(name, used):
    from django.utils.text import slugify

    base = slugify(name)[:100] or "organizacja"
    n = used.get(base, 0) + 1
    used[base] = n
    return base if n == 1 else f"{base}-{n}"


def build(rng, i, districts, used_slugs):
    from wspolpraca.organizations.models import Organization

    kind = rng.choices(KINDS, weights=[k[1] for k in KINDS])[0]
    name = _name(rng, rng.choice(kind[2]))
    slug = _unique_slug(name, used_slugs)
    has_location = rng.random() < 0.9
    verification = rng.choices(["verified", "pending", "rejected"], weights=[62, 36, 2])[0]
    org = Organization(
        name=name,
        short_name="",
        slug=slug,
        kind=kind[0],
        krs=None if kind[0] in KINDS_OUTSIDE_KRS else f"{100000 + i:010d}",
        nip=f"{rng.randrange(10**9, 10**10)}",
        regon=f"{rng.randrange(10**8, 10**9)}",
        registration_date=date(1990, 1, 1) + timedelta(days=rng.randrange(12500)),
        street=f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
        postal_code=f"3{rng.randint(0, 1)}-{rng.randint(0, 999):03d}",
        city="Kraków",
        district=rng.choice(districts) if rng.random() < 0.85 else None,
        latitude=Decimal(f"{rng.uniform(*LAT_RANGE):.6f}") if has_location else None,
        longitude=Decimal(f"{rng.uniform(*LON_RANGE):.6f}") if has_location else None,
        description=" ".join(
            f"{activity[0].upper()}{activity[1:]}."
            for activity in rng.sample(ACTIVITIES, rng.randint(1, 3))
        ),
        statutory_goals=rng.choice(GOALS),
        website=f"https://{slug[:50]}.example.org" if rng.random() < 0.6 else "",
        email=f"biuro@{slug[:50]}.example.org" if rng.random() < 0.7 else "",
        phone=f"+48 12 {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
        is_public_benefit=rng.random() < 0.15,
        verification=verification,
        register_status="active",
        source=Organization.Source.BACK_OFFICE,
        is_hidden=rng.random() < 0.03,
    )
    org.refresh_search_columns()
    return org


def generate(n, seed=2024, batch=BATCH, log=print):
    """Create `n` organizations (plus their areas and target groups); return the time taken."""
    from django.db import connection, transaction

    from wspolpraca.organizations.models import Organization, PublicBenefitArea, TargetGroup
    from wspolpraca.organizations.services import recount_directory

    rng = random.Random(seed)
    districts = load_districts()
    areas = list(PublicBenefitArea.objects.current().values_list("id", flat=True))
    groups = list(TargetGroup.objects.values_list("id", flat=True))
    # A few areas are far more common than others, as in real registers.
    area_weights = [1 / (rank + 1) for rank in range(len(areas))]
    AreaLink = Organization.areas.through
    GroupLink = Organization.target_groups.through
    used_slugs = {}
    started = time.perf_counter()
    for start in range(0, n, batch):
        orgs = [build(rng, i, districts, used_slugs) for i in range(start, min(n, start + batch))]
        with transaction.atomic():
            Organization.objects.bulk_create(orgs)
            area_links, group_links = [], []
            for org in orgs:
                chosen = set(rng.choices(areas, weights=area_weights, k=rng.randint(1, 4)))
                area_links += [
                    AreaLink(organization_id=org.pk, publicbenefitarea_id=a) for a in chosen
                ]
                if groups:
                    group_links += [
                        GroupLink(organization_id=org.pk, targetgroup_id=g)
                        for g in rng.sample(groups, rng.randint(0, 2))
                    ]
            AreaLink.objects.bulk_create(area_links)
            GroupLink.objects.bulk_create(group_links)
        done = min(n, start + batch)
        if done % 20000 == 0 or done == n:
            log(f"  {done:,} / {n:,} organizations ({time.perf_counter() - started:.0f} s)")
    # bulk_create sends no signals: the directory's counts are made once, at the end.
    recount_directory()
    with connection.cursor() as cursor:
        # What autovacuum does on PostgreSQL (statistics, and the visibility map that lets
        # a query read an index alone) and `PRAGMA optimize` on SQLite (statistics).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wspolpraca.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from wspolpraca.organizations.models import Organization

    call_command("migrate", verbosity=0)
    existing = Organization.objects.count()
    if existing:
        sys.exit(f"The database already holds {existing} organizations; use an empty one.")
    seconds = generate(args.orgs, seed=args.seed)
    print(f"Generated {args.orgs:,} organizations in {seconds:.0f} s")


if __name__ == "__main__":
    main()
