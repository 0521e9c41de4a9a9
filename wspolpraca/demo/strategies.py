"""Demo strategies and programmes: the multi-year cooperation programmes 2019–2022 (expired)
and 2023–2026, the yearly cooperation programmes 2024–2027 (the reports for 2024 and 2025
published, 2026's due by 31 May 2027), and four city strategies with indicators measured
over several years, monitoring and evaluation reports, and monitoring teams with people
of NGOs. The content is invented for the demo."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from wspolpraca.city.models import Department
from wspolpraca.library.strategy_models import (
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    MonitoringTeamMember,
    Strategy,
    StrategyReport,
)
from wspolpraca.library.strategy_services import unique_slug
from wspolpraca.organizations.models import PublicBenefitArea

BIP = "https://www.bip.krakow.pl/?dok_id=demo-"

# (kind, title, from, to, department symbol, area codes, resolution, summary)
STRATEGIES = [
    (
        Strategy.Kind.MULTIYEAR_COOPERATION,
        "Wieloletni program współpracy Miasta z organizacjami pozarządowymi",
        2019,
        2022,
        "MCW",
        ["33", "34"],
        "uchwała nr XXXVIII/911/18",
        "Cztery lata wspólnych priorytetów miasta i organizacji: mniej formalności w "
        "konkursach, więcej małych grantów i stałe miejsce organizacji w konsultacjach.",
    ),
    (
        Strategy.Kind.MULTIYEAR_COOPERATION,
        "Wieloletni program współpracy Miasta z organizacjami pozarządowymi",
        2023,
        2026,
        "MCW",
        ["33", "34", "27"],
        "uchwała nr XCVI/2571/22",
        "Program na lata 2023–2026 stawia na lokalne centra wsparcia w dzielnicach, "
        "roczne transze dla zadań wieloletnich i udział organizacji w ocenie ofert.",
    ),
    (
        Strategy.Kind.STRATEGY,
        "Strategia rozwiązywania problemów społecznych",
        2021,
        2030,
        "WS",
        ["1", "6", "10"],
        "uchwała nr LIX/1712/21",
        "Jak miasto zapobiega wykluczeniu: wsparcie rodzin, usługi opiekuńcze w domu, "
        "mieszkania wspomagane i praca socjalna w dzielnicach.",
    ),
    (
        Strategy.Kind.STRATEGY,
        "Strategia rozwoju kultury",
        2020,
        2030,
        "KD",
        ["16", "4"],
        "uchwała nr XXXI/822/19",
        "Kultura blisko domu: domy kultury i biblioteki jako miejsca spotkań, granty "
        "dla inicjatyw sąsiedzkich i dostępność wydarzeń dla osób z niepełnosprawnościami.",
    ),
    (
        Strategy.Kind.PROGRAMME,
        "Program ochrony klimatu i adaptacji do jego zmian",
        2024,
        2035,
        "WKŚ",
        ["18", "13"],
        "uchwała nr CXII/3011/23",
        "Mniej emisji i więcej zieleni: termomodernizacja budynków, nowe nasadzenia "
        "drzew, retencja wody deszczowej i edukacja klimatyczna z organizacjami.",
    ),
    (
        Strategy.Kind.PROGRAMME,
        "Program „Aktywny senior”",
        2022,
        2026,
        "WSN",
        ["10"],
        "uchwała nr LXXX/2190/22",
        "Kluby seniora w każdej dzielnicy, wolontariat osób starszych, teleopieka i "
        "zajęcia ruchowe prowadzone przez organizacje.",
    ),
]

# By strategy title: (name, unit, direction, baseline year, baseline, yearly step, targets)
INDICATORS = {
    "Strategia rozwiązywania problemów społecznych": [
        (
            "Osoby objęte usługami opiekuńczymi w domu",
            "osoby",
            "up",
            2020,
            2450,
            110,
            {2025: 3000, 2030: 3500},
        ),
        (
            "Miejsca w mieszkaniach wspomaganych",
            "miejsca",
            "up",
            2020,
            64,
            9,
            {2025: 110, 2030: 160},
        ),
        (
            "Rodziny długotrwale korzystające z pomocy społecznej",
            "rodziny",
            "down",
            2020,
            5200,
            -180,
            {2025: 4500, 2030: 3800},
        ),
    ],
    "Strategia rozwoju kultury": [
        (
            "Uczestnicy wydarzeń w domach kultury",
            "tys. osób",
            "up",
            2019,
            410,
            22,
            {2025: 500, 2030: 560},
        ),
        (
            "Inicjatywy sąsiedzkie z grantem miasta",
            "inicjatywy",
            "up",
            2019,
            38,
            6,
            {2025: 70, 2030: 90},
        ),
    ],
    "Program ochrony klimatu i adaptacji do jego zmian": [
        (
            "Emisja CO2 z budynków miejskich",
            "tys. t",
            "down",
            2023,
            182,
            -7,
            {2026: 160, 2030: 130, 2035: 90},
        ),
        ("Nowo posadzone drzewa", "drzewa", "up", 2023, 0, 4200, {2025: 8000, 2030: 30000}),
    ],
    "Program „Aktywny senior”": [
        (
            "Kluby seniora prowadzone przez organizacje",
            "kluby",
            "up",
            2021,
            41,
            5,
            {2024: 55, 2026: 65},
        ),
        ("Seniorzy korzystający z teleopieki", "osoby", "up", 2021, 900, 260, {2026: 2200}),
    ],
}

SOURCES = [
    "sprawozdanie MOPS",
    "dane wydziału",
    "GUS, Bank Danych Lokalnych",
    "sprawozdania organizacji",
]
TEAM = [
    ("Agnieszka Wrona", "przewodnicząca"),
    ("Tomasz Lis", "członek"),
    ("Marta Zięba", "członkini"),
    ("Piotr Kulesza", "sekretarz"),
]


def _department(symbol):
    return (
        Department.objects.filter(short_name=symbol).first()
        or Department.objects.order_by("position").first()
    )


def _create(kind, title, year_from, year_to, department, codes, resolution, summary, **fields):
    slug = unique_slug(title, year_from, year_to)
    strategy = Strategy.objects.create(
        kind=kind,
        title=title,
        slug=slug,
        year_from=year_from,
        year_to=year_to,
        department=department,
        summary=summary,
        resolution=resolution,
        document_url=f"{BIP}{slug}",
        **fields,
    )
    strategy.areas.set(PublicBenefitArea.objects.filter(code__in=codes))
    public = strategy.consultations.model.objects.public().filter(department=department)
    strategy.consultations.set(public[:1])
    return strategy


def _indicators(rng, strategy, specs, this_year):
    for position, (name, unit, direction, base_year, base, step, targets) in enumerate(specs, 1):
        indicator = Indicator.objects.create(
            strategy=strategy,
            name=name,
            unit=unit,
            direction=direction,
            baseline_year=base_year,
            baseline_value=Decimal(base),
            position=position,
        )
        for year, value in targets.items():
            IndicatorTarget.objects.create(indicator=indicator, year=year, value=Decimal(value))
        value = base
        for year in range(base_year + 1, min(this_year - 1, strategy.year_to) + 1):
            value = max(0, value + step + rng.randint(-abs(step) // 3, abs(step) // 3))
            IndicatorValue.objects.create(
                indicator=indicator,
                year=year,
                value=Decimal(value),
                source=rng.choice(SOURCES),
                note="dane wstępne" if year == this_year - 1 else "",
            )


def _team(rng, strategy, orgs):
    for position, (name, role) in enumerate(TEAM, 1):
        MonitoringTeamMember.objects.create(
            strategy=strategy,
            full_name=name,
            role=role,
            organization=rng.choice(orgs) if orgs and position > 1 else None,
            position=position,
        )


def make_strategies(rng, orgs):
    """Strategies and programmes with their monitoring; returns nothing (no accounts)."""
    if Strategy.objects.exists() or not Department.objects.exists():
        return
    this_year = timezone.localdate().year
    for kind, title, year_from, year_to, symbol, codes, resolution, summary in STRATEGIES:
        strategy = _create(
            kind,
            title,
            year_from,
            year_to,
            _department(symbol),
            codes,
            resolution,
            summary,
            adopted_on=date(year_from - 1, rng.randint(9, 11), rng.randint(1, 28)),
        )
        _indicators(rng, strategy, INDICATORS.get(title, []), this_year)
        if kind != Strategy.Kind.MULTIYEAR_COOPERATION or year_to >= this_year:
            _team(rng, strategy, orgs)
        for year in range(max(year_from, this_year - 3), min(this_year, year_to + 1)):
            StrategyReport.objects.create(
                strategy=strategy,
                kind=StrategyReport.Kind.MONITORING,
                title=f"Raport z monitoringu za {year} r.",
                year=year,
                summary="Większość wskaźników zmierza do celu; opóźnienia opisano w rozdziale 3.",
                url=f"{BIP}raport-{strategy.pk}-{year}",
                published_on=date(year + 1, 6, rng.randint(10, 28)),
            )
        if year_to < this_year:
            StrategyReport.objects.create(
                strategy=strategy,
                kind=StrategyReport.Kind.EVALUATION,
                title=f"Ocena końcowa: {title.lower()} {year_from}–{year_to}",
                year=year_to,
                summary="Zewnętrzna ewaluacja z udziałem organizacji: co się udało, "
                "czego zabrakło i wnioski na kolejny program.",
                url=f"{BIP}ewaluacja-{strategy.pk}",
                published_on=date(year_to + 1, 9, 15),
            )
    # The yearly cooperation programmes, each adopted by 30 November of the year before
    # (art. 5a sec. 1) and reported on by 31 May of the year after (art. 5a sec. 3).
    coordination = _department("MCW")
    for year in range(2024, 2028):
        programme = _create(
            Strategy.Kind.YEARLY_COOPERATION,
            f"Roczny program współpracy Miasta z organizacjami pozarządowymi na {year} r.",
            year,
            year,
            coordination,
            ["33", "34"],
            f"uchwała nr {['CXX', 'XII', 'XXX', 'L'][year - 2024]}/{2900 + year}/{str(year - 1)[2:]}",
            "Priorytety współpracy na rok, tryby zlecania zadań, wysokość środków na "
            "konkursy i małe granty oraz sposób oceny realizacji programu.",
            adopted_on=date(year - 1, 11, rng.randint(12, 27)),
        )
        _team(rng, programme, orgs)
        if year <= 2025:
            StrategyReport.objects.create(
                strategy=programme,
                kind=StrategyReport.Kind.EXECUTION,
                title=f"Sprawozdanie z realizacji programu współpracy za {year} r.",
                year=year,
                summary="Liczba konkursów i ofert, kwoty dotacji w podziale na sfery, "
                "małe granty oraz formy współpracy pozafinansowej.",
                url=f"{BIP}sprawozdanie-{year}",
                published_on=date(year + 1, 5, rng.randint(18, 29)),
            )
