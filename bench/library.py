"""The research library's search at scale: 20,000 published studies.

    .venv/bin/python bench/library.py [--db sqlite|postgres|both] [--studies 20000]
        [--clients N] [--seconds 15] [--workers N] [--wait 120] [--out DIR]

A fresh database per engine gets, with bulk inserts, the studies (titles and abstracts in
Polish words, so that the search finds real words; every publisher type, years 2000–2026,
1–3 areas and 0–2 districts each; 1 in 20 awaiting moderation or rejected, which the
public never sees) and 200 research topics. The pages, as a visitor sees them: the list,
a late page of it, searches typed without Polish letters, a search with filters, filters
alone, one study and the topics. Target (issue 11): the library's search and list p95 <=
100 ms. How it is measured: bench/pages.py.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pages import Page, PageBench, bulk  # noqa: E402

SMALL_FRACTION = 10

TOPICS = [
    "potrzeb seniorów w dzielnicach",
    "aktywności obywatelskiej młodzieży",
    "współpracy miasta z organizacjami pozarządowymi",
    "dostępności przestrzeni publicznej dla osób z niepełnosprawnościami",
    "wolontariatu w Krakowie",
    "jakości powietrza na osiedlach",
    "uczestnictwa w kulturze mieszkańców Nowej Huty",
    "ubóstwa energetycznego gospodarstw domowych",
    "sytuacji mieszkaniowej rodzin z dziećmi",
    "kondycji organizacji pozarządowych",
    "integracji cudzoziemców",
    "bezdomności i wykluczenia społecznego",
    "sportu amatorskiego dzieci",
    "zieleni miejskiej i ogrodów społecznych",
    "rynku pracy absolwentów",
]
KINDS = ["Badanie", "Diagnoza", "Raport z badania", "Analiza", "Ewaluacja programu", "Sondaż"]
PLACES = ["w Krakowie", "w Podgórzu", "w Nowej Hucie", "na Kazimierzu", "w Bronowicach", ""]
SENTENCES = [
    "Badanie przeprowadzono metodą ankiety internetowej i wywiadów pogłębionych.",
    "Wyniki pokazują potrzebę lepszej współpracy z organizacjami działającymi lokalnie.",
    "Raport zawiera rekomendacje dla wydziałów urzędu miasta i rad dzielnic.",
    "Próba objęła mieszkańców wszystkich dzielnic, z nadreprezentacją osób starszych.",
    "Autorzy porównują dane z lat poprzednich i wskazują najważniejsze zmiany.",
    "W analizie wykorzystano dane z rejestrów publicznych i sprawozdań organizacji.",
    "Część jakościowa opiera się na warsztatach z udziałem młodzieży i nauczycieli.",
]
AUTHORS = [
    "Anna Kowalska, Piotr Nowak",
    "Zespół Obserwatorium Społecznego",
    "Katarzyna Wiśniewska",
    "Instytut Socjologii UJ",
    "Fundacja Badań Społecznych",
    "Miejski Ośrodek Pomocy Społecznej",
]


class LibraryBench(PageBench):
    name = "library"
    title = "The research library's search at scale"
    target_ms = 100
    target_label = " (the list and its searches)"

    def add_arguments(self, parser):
        parser.add_argument("--studies", type=int, default=20_000)

    def check_arguments(self, parser, args):
        if args.studies < 20 * SMALL_FRACTION:
            parser.error(f"--studies must be at least {20 * SMALL_FRACTION}")

    def setup(self, rng, args):
        from wspolpraca.accounts.tests.factories import UserFactory
        from wspolpraca.organizations.models import District, Organization, PublicBenefitArea

        districts = [
            District.objects.get_or_create(
                number=n, defaults={"name": f"Dzielnica {n}", "roman": str(n)}
            )[0]
            for n in range(1, 19)
        ]
        organizations = bulk(
            Organization,
            [
                Organization(name=f"Stowarzyszenie Badawcze {n}", slug=f"stowarzyszenie-{n}")
                for n in range(50)
            ],
        )
        return {
            "rng": rng,
            "areas": list(PublicBenefitArea.objects.current()),
            "districts": districts,
            "organizations": organizations,
            "user": UserFactory(email="badacz@example.org"),
            "made": 0,
        }

    def grow(self, state, args, *, small):
        from wspolpraca.core.search import search_document
        from wspolpraca.library.models import ResearchTopic, Study

        rng = state["rng"]
        target = args.studies // SMALL_FRACTION if small else args.studies
        studies = []
        for n in range(state["made"], target):
            title = f"{rng.choice(KINDS)} {rng.choice(TOPICS)} {rng.choice(PLACES)}".strip()
            publisher = rng.choice(Study.PublisherType.values)
            organization = (
                rng.choice(state["organizations"]) if publisher == Study.PublisherType.NGO else None
            )
            abstract = " ".join(rng.sample(SENTENCES, 3))
            authors = rng.choice(AUTHORS)
            status = Study.Status.PUBLISHED
            if n % 20 == 7:
                status = rng.choice([Study.Status.SUBMITTED, Study.Status.REJECTED])
            studies.append(
                Study(
                    title=f"{title} ({n})",
                    authors=authors,
                    publisher_type=publisher,
                    organization=organization,
                    year=rng.randint(2000, 2026),
                    abstract=abstract,
                    link=f"https://example.org/badania/{n}.pdf",
                    licence=rng.choice(
                        [Study.Licence.CC_BY, Study.Licence.CC0, Study.Licence.ALL_RIGHTS_RESERVED]
                    ),
                    status=status,
                    search_name=search_document(title),
                    search_document=search_document(
                        title, authors, organization.name if organization else "", abstract
                    ),
                )
            )
        studies = bulk(Study, studies)
        Areas = Study.areas.through
        Districts = Study.districts.through
        bulk(
            Areas,
            [
                Areas(study_id=s.pk, publicbenefitarea_id=a.pk)
                for s in studies
                for a in rng.sample(state["areas"], rng.randint(1, 3))
            ],
        )
        bulk(
            Districts,
            [
                Districts(study_id=s.pk, district_id=d.pk)
                for s in studies
                for d in rng.sample(state["districts"], rng.randint(0, 2))
            ],
        )
        state["made"] = target
        if small:
            bulk(
                ResearchTopic,
                [
                    ResearchTopic(
                        title=f"Zbadać stan {rng.choice(TOPICS)} ({n})",
                        description=rng.choice(SENTENCES),
                        proposed_by=state["user"],
                        support_count=rng.randint(0, 40),
                    )
                    for n in range(200)
                ],
            )

    def pages(self, state):
        from wspolpraca.library.models import Study

        area = state["areas"][5]
        study = Study.objects.published().order_by("pk").first()
        return [
            Page("list", "/biblioteka/"),
            Page("list, page 40", "/biblioteka/?page=40"),
            Page("search “potrzeby seniorow”", "/biblioteka/?q=potrzeby+seniorow"),
            Page(
                "search “wspolpraca organizacji pozarzadowych”",
                "/biblioteka/?q=wspolpraca+organizacji+pozarzadowych",
            ),
            Page("search “nowa huta kultura”", "/biblioteka/?q=nowa+huta+kultura"),
            Page(
                "search “mlodziez” + area + years 2015–2026",
                f"/biblioteka/?q=mlodziez&area={area.code}&year_from=2015&year_to=2026",
            ),
            Page(
                "area + district 3 + universities",
                f"/biblioteka/?area={area.code}&district=3&publisher=university",
            ),
            Page("one study", study.get_absolute_url(), target=False),
            Page("research topics", "/biblioteka/tematy/", target=False),
        ]

    def sizes(self):
        from wspolpraca.library.models import Study

        return {"studies": Study.objects.count()}

    def dataset(self, state, args):
        from wspolpraca.library.models import ResearchTopic, Study

        published = Study.objects.published().count()
        return {
            "Studies": f"{Study.objects.count():,}, {published:,} published",
            "Research topics": f"{ResearchTopic.objects.count():,}",
            "Small size (queries counted first)": f"{args.studies // SMALL_FRACTION:,} studies",
        }


if __name__ == "__main__":
    sys.exit(LibraryBench().main())
