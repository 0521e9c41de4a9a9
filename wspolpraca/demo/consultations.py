"""Demo consultations in every phase, and the postulate tracker with the 2018 catalogue.

The consultations are dated around today: one being prepared, one in its information
period, one open with postulates, one closed with answers in preparation, one whose
report is overdue, and one finished with its answers and report published. The 2018
catalogue is loaded by the same command a deployer uses, then given a mix of statuses
and progress notes, as a department would have recorded over the years. Nobody is
e-mailed (`core.mail.muted`).
"""

from datetime import date, datetime, time, timedelta

from django.core.management import call_command
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.city.models import Department
from wspolpraca.consultations import services
from wspolpraca.consultations.models import (
    Consultation,
    Meeting,
    Postulate,
    ProgressNote,
    ReportJob,
    Section,
    TrackedPostulate,
    TrackerLink,
)
from wspolpraca.core import mail
from wspolpraca.organizations.models import District, PublicBenefitArea

PROGRAMME_SECTIONS = [
    (
        "§ 1. Cel główny i cele szczegółowe",
        "Program ma wzmacniać organizacje i ich udział w sprawach miasta. Cele szczegółowe dotyczą zlecania zadań, dialogu i infrastruktury.",
    ),
    (
        "§ 2. Zasady współpracy",
        "Współpraca opiera się na pomocniczości, suwerenności stron, partnerstwie, efektywności, uczciwej konkurencji i jawności.",
    ),
    (
        "§ 3. Formy współpracy finansowej",
        "Miasto zleca zadania w otwartych konkursach ofert, w trybie małych grantów i na wniosek organizacji z własnej inicjatywy.",
    ),
    (
        "§ 4. Formy współpracy pozafinansowej",
        "Konsultacje, wspólne zespoły, użyczanie lokali, promocja działań organizacji i szkolenia.",
    ),
    (
        "§ 5. Priorytetowe zadania publiczne",
        "Wsparcie seniorów, edukacja młodzieży, kultura w dzielnicach, ochrona zdrowia psychicznego, przeciwdziałanie wykluczeniu.",
    ),
    (
        "§ 6. Wysokość środków i ocena realizacji",
        "Na realizację programu przeznacza się środki z budżetu miasta. Sprawozdanie z realizacji programu jest publikowane do 31 maja.",
    ),
]

SENIOR_SECTIONS = [
    (
        "Rozdział 1. Diagnoza",
        "Liczba mieszkańców po sześćdziesiątym roku życia rośnie w każdej dzielnicy. Najwięcej osób starszych mieszka w Nowej Hucie i na Podgórzu.",
    ),
    ("Rozdział 2. Cele", "Aktywność, zdrowie, bezpieczeństwo i udział seniorów w życiu miasta."),
    (
        "Rozdział 3. Działania",
        "Kluby seniora, wolontariat, teleopieka, przewozy dla osób z niepełnosprawnościami, edukacja cyfrowa.",
    ),
    (
        "Rozdział 4. Wdrażanie i monitoring",
        "Zespół monitorujący z udziałem organizacji i rady seniorów ocenia postępy co roku.",
    ),
]

PREMISES_SECTIONS = [
    (
        "1. Kto może korzystać z lokali",
        "Organizacje pozarządowe i grupy nieformalne prowadzące działalność niekomercyjną.",
    ),
    (
        "2. Zasady użyczenia",
        "Lokal użycza się bezpłatnie na czas działania; opłaty za media ponosi korzystający.",
    ),
    (
        "3. Tryb przyznawania lokali",
        "Nabór ogłasza się dwa razy w roku; wnioski ocenia komisja z udziałem organizacji.",
    ),
]

YOUTH_SECTIONS = [
    (
        "Część I. Młodzież w Krakowie",
        "Krótka diagnoza: czas wolny, aktywność, potrzeby zgłaszane przez szkoły i organizacje.",
    ),
    (
        "Część II. Kierunki działań",
        "Przestrzenie dla młodzieży w dzielnicach, budżet młodzieżowy, wsparcie rad młodzieżowych.",
    ),
]

POSTULATES = [
    (
        1,
        "Ogłaszać konkursy na kolejny rok do końca listopada, żeby zadania mogły ruszyć w styczniu.",
        "Przerwa między styczniem a podpisaniem umowy oznacza kilka miesięcy bez zajęć dla uczestników.",
    ),
    (
        3,
        "Podnieść górną kwotę małego grantu w budżecie programu i zwiększyć pulę na ten tryb.",
        "Małe granty są najprostszą drogą dla młodych organizacji.",
    ),
    (
        3,
        "Zwiększyć pulę środków na małe granty, bo to najprostszy tryb dla młodych organizacji.",
        "Nowe organizacje rzadko wygrywają duże konkursy.",
    ),
    (
        4,
        "Udostępniać organizacjom sale w szkołach po godzinach lekcji bez opłat.",
        "Szkoły stoją puste wieczorami, a organizacje nie mają gdzie się spotykać.",
    ),
    (
        None,
        "Dopisać do programu coroczne spotkanie ewaluacyjne z organizacjami każdego obszaru.",
        "Bez rozmowy o tym, co się udało, program powtarza te same błędy.",
    ),
    (
        5,
        "Dodać do zadań priorytetowych wsparcie opiekunów osób zależnych.",
        "Opiekunowie są przeciążeni, a usług wytchnieniowych jest za mało.",
    ),
    (
        2,
        "Zapisać, że wydziały publikują wszystkie protokoły komisji konkursowych.",
        "Jawność buduje zaufanie do wyników konkursów.",
    ),
    (
        6,
        "Wskazać w programie kwotę na każdy obszar, a nie tylko kwotę łączną.",
        "Organizacje planują działania według obszarów.",
    ),
]

PREMISES_POSTULATES = [
    (
        1,
        "Objąć zasadami także grupy nieformalne działające przy radach dzielnic.",
        "Wiele inicjatyw sąsiedzkich nie ma osobowości prawnej.",
    ),
    (
        2,
        "Zwolnić z opłat za media organizacje prowadzące świetlice dla dzieci.",
        "Opłaty za media pochłaniają większość ich budżetu.",
    ),
    (
        2,
        "Zwolnić organizacje prowadzące świetlice z opłat za prąd i ogrzewanie.",
        "Koszty mediów rosną szybciej niż dotacje.",
    ),
    (
        3,
        "Ogłaszać nabór na lokale cztery razy w roku zamiast dwóch.",
        "Pół roku czekania to za długo dla nowej organizacji.",
    ),
    (
        None,
        "Opublikować mapę wszystkich lokali miejskich dostępnych dla organizacji.",
        "Dziś nikt nie wie, które lokale stoją puste.",
    ),
]

NOTES = {
    TrackedPostulate.Status.UNDER_REVIEW: "Wydział przeanalizował postulat i przygotowuje stanowisko.",
    TrackedPostulate.Status.ACCEPTED: "Postulat został przyjęty do realizacji w programie współpracy.",
    TrackedPostulate.Status.IN_PROGRESS: "Trwają prace: zespół roboczy z udziałem organizacji przygotował projekt zmian.",
    TrackedPostulate.Status.IMPLEMENTED: "Zmiana weszła w życie i jest stosowana od początku roku.",
    TrackedPostulate.Status.REJECTED: "Postulat wymaga zmiany ustawy, na którą miasto nie ma wpływu.",
}
STATUS_PATHS = [
    [],
    [TrackedPostulate.Status.UNDER_REVIEW],
    [TrackedPostulate.Status.UNDER_REVIEW, TrackedPostulate.Status.ACCEPTED],
    [
        TrackedPostulate.Status.UNDER_REVIEW,
        TrackedPostulate.Status.ACCEPTED,
        TrackedPostulate.Status.IN_PROGRESS,
    ],
    [
        TrackedPostulate.Status.UNDER_REVIEW,
        TrackedPostulate.Status.ACCEPTED,
        TrackedPostulate.Status.IN_PROGRESS,
        TrackedPostulate.Status.IMPLEMENTED,
    ],
    [TrackedPostulate.Status.UNDER_REVIEW, TrackedPostulate.Status.REJECTED],
]


def _at(day, hour):
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _consultation(
    slug,
    department,
    official,
    title,
    sections,
    areas,
    *,
    information_from,
    opens_on,
    closes_on,
    announced=True,
    districts=(),
    report_due=None,
):
    consultation, _created = Consultation.objects.update_or_create(
        slug=slug,
        defaults={
            "department": department,
            "title": title,
            "document_title": f"Projekt: {title}",
            "summary": (
                "Miasto pyta organizacje i mieszkańców o projekt, zanim go przyjmie. "
                "Najważniejsze zmiany opisuje streszczenie części dokumentu; "
                "do każdej części można zgłosić postulat."
            ),
            "forms": ["online", "meeting", "workshop", "written"],
            "information_from": information_from,
            "opens_on": opens_on,
            "closes_on": closes_on,
            "report_due": report_due or closes_on + timedelta(days=30),
            "contact_email": f"konsultacje.{department.short_name.lower()}@example.org",
            "created_by": official,
            "announced_at": _at(information_from, 8) if announced else None,
        },
    )
    consultation.areas.set(areas)
    consultation.districts.set(districts)
    consultation.sections.all().delete()
    Section.objects.bulk_create(
        Section(consultation=consultation, number=n, title=t, text=x)
        for n, (t, x) in enumerate(sections, start=1)
    )
    return consultation


def _meetings(consultation, entries):
    consultation.meetings.all().delete()
    for day, title, kind, capacity, attendance in entries:
        Meeting.objects.create(
            consultation=consultation,
            kind=kind,
            title=title,
            starts_at=_at(day, 17),
            ends_at=_at(day, 19),
            place="Centrum Obywatelskie, ul. Reformacka 3, sala 2.12",
            capacity=capacity,
            attendance=attendance,
        )


def _postulates(consultation, entries, authors, organizations, rng, day):
    sections = {s.number: s for s in consultation.sections.all()}
    for number, (section, proposal, justification) in enumerate(entries, start=1):
        author = authors[number % len(authors)]
        organization = organizations[number % len(organizations)] if number % 3 else None
        Postulate.objects.create(
            consultation=consultation,
            number=number,
            section=sections.get(section),
            proposal=proposal,
            justification=justification,
            author=author,
            organization=organization,
            support_count=rng.randint(0, 12),
        )
    Postulate.objects.filter(consultation=consultation).update(created_at=_at(day, 12))
    services.recount(consultation)


def _answer_all(consultation, official, *, review=True):
    consultation.refresh_from_db()
    postulates = list(consultation.postulates.order_by("number"))
    for group in services.suggest_groups(postulates):
        services.answer(
            group,
            official,
            outcome="partly",
            reason="Przyjmujemy kierunek; zakres zmiany zależy od budżetu na przyszły rok.",
        )
    outcomes = ["accepted", "rejected", "out_of_scope", "partly"]
    for n, postulate in enumerate(
        consultation.postulates.filter(response__isnull=True).order_by("number")
    ):
        outcome = outcomes[n % len(outcomes)]
        reason = {
            "accepted": "",
            "rejected": "Zmiana wykracza poza kompetencje gminy określone w ustawie.",
            "out_of_scope": "Postulat dotyczy innego dokumentu; przekazaliśmy go właściwemu wydziałowi.",
            "partly": "Uwzględniamy część postulatu w zakresie możliwym w tym roku budżetowym.",
        }[outcome]
        services.answer([postulate], official, outcome=outcome, reason=reason)
    if review:
        for response in consultation.responses.all():
            services.review(response, official)


def make_consultations(rng, orgs):
    """Consultations in every phase and the tracker; returns nothing (no new accounts)."""
    today = timezone.localdate()
    official = User.objects.get(email="urzednik@example.org")
    department = official.official.department
    culture = Department.objects.get(short_name="KD")
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    residents = list(
        User.objects.filter(
            email__in=[
                "mieszkanka@example.org",
                "czlonek@example.org",
                "admin.ngo@example.org",
                "admin2.ngo@example.org",
            ]
        )
    )
    nowa_huta = District.objects.filter(number=18)
    with mail.muted():
        _consultation(
            "zasady-mikrograntow-dzielnicowych",
            department,
            official,
            "Zasady mikrograntów dzielnicowych",
            YOUTH_SECTIONS,
            [areas["13"]],
            information_from=today + timedelta(days=5),
            opens_on=today + timedelta(days=12),
            closes_on=today + timedelta(days=40),
            announced=False,
        )
        senior = _consultation(
            "strategia-polityki-senioralnej",
            department,
            official,
            "Strategia polityki senioralnej na lata 2027–2030",
            SENIOR_SECTIONS,
            [areas["10"], areas["6"]],
            information_from=today - timedelta(days=3),
            opens_on=today + timedelta(days=4),
            closes_on=today + timedelta(days=34),
        )
        _meetings(
            senior,
            [
                (
                    today + timedelta(days=10),
                    "Warsztat: aktywność i zdrowie seniorów",
                    "workshop",
                    25,
                    None,
                )
            ],
        )
        programme = _consultation(
            "program-wspolpracy-2027",
            department,
            official,
            "Roczny program współpracy z organizacjami pozarządowymi na 2027 rok",
            PROGRAMME_SECTIONS,
            [areas["33"], areas["1"], areas["15"]],
            information_from=today - timedelta(days=14),
            opens_on=today - timedelta(days=6),
            closes_on=today + timedelta(days=15),
        )
        _meetings(
            programme,
            [
                (
                    today - timedelta(days=2),
                    "Spotkanie otwarte o projekcie programu",
                    "meeting",
                    60,
                    34,
                ),
                (
                    today + timedelta(days=8),
                    "Warsztat o priorytetach zadań publicznych",
                    "workshop",
                    20,
                    None,
                ),
            ],
        )
        _postulates(programme, POSTULATES, residents, orgs[:6], rng, today - timedelta(days=3))
        premises = _consultation(
            "zasady-uzyczania-lokali",
            department,
            official,
            "Zasady użyczania lokali miejskich organizacjom pozarządowym",
            PREMISES_SECTIONS,
            [areas["33"]],
            districts=nowa_huta,
            information_from=today - timedelta(days=45),
            opens_on=today - timedelta(days=38),
            closes_on=today - timedelta(days=5),
        )
        _meetings(
            premises,
            [(today - timedelta(days=20), "Spotkanie w Nowej Hucie o lokalach", "meeting", 40, 27)],
        )
        _postulates(
            premises, PREMISES_POSTULATES, residents, orgs[2:8], rng, today - timedelta(days=25)
        )
        _answer_all(premises, official, review=False)
        youth = _consultation(
            "polityka-mlodziezowa",
            culture,
            official,
            "Kierunki polityki młodzieżowej miasta",
            YOUTH_SECTIONS,
            [areas["15"], areas["16"]],
            information_from=today - timedelta(days=120),
            opens_on=today - timedelta(days=110),
            closes_on=today - timedelta(days=85),
            report_due=today - timedelta(days=55),
        )
        _meetings(
            youth,
            [(today - timedelta(days=100), "Warsztat z radami młodzieżowymi", "workshop", 30, 22)],
        )
        _postulates(youth, POSTULATES[:4], residents, orgs[4:9], rng, today - timedelta(days=95))
        last_year = programme_year_before(department, official, areas)
        _postulates(
            last_year,
            POSTULATES,
            residents,
            orgs[6:12],
            rng,
            last_year.opens_on + timedelta(days=15),
        )
        _finish(last_year, official)
    _tracker(rng)


def programme_year_before(department, official, areas):
    """Last year's programme: closed, answered and reported."""
    year = timezone.localdate().year
    consultation = _consultation(
        f"program-wspolpracy-{year}",
        department,
        official,
        f"Roczny program współpracy z organizacjami pozarządowymi na {year} rok",
        PROGRAMME_SECTIONS,
        [areas["33"]],
        information_from=date(year - 1, 9, 1),
        opens_on=date(year - 1, 9, 10),
        closes_on=date(year - 1, 10, 10),
    )
    _meetings(
        consultation, [(date(year - 1, 9, 20), "Spotkanie otwarte o programie", "meeting", 80, 41)]
    )
    return consultation


def _finish(consultation, official):
    """Answers published and the report with its PDF, for the finished consultation."""
    # The services refuse answers once the consultation is not in its closing phase; a
    # past consultation is replayed here, so its moments are set as they were.
    _answer_all(consultation, official)
    services.publish_answers(consultation, official)
    consultation.refresh_from_db()
    consultation.report_summary = (
        "Konsultacje ogłoszono na platformie i w Biuletynie Informacji Publicznej; zaproszenia "
        "trafiły do organizacji działających w obszarach programu. Odbyło się spotkanie otwarte. "
        "Wszystkie postulaty otrzymały odpowiedź z uzasadnieniem."
    )
    consultation.report_published_at = timezone.now()
    consultation.report_numbers = services.count_report_numbers(consultation)
    consultation.save(update_fields=["report_summary", "report_published_at", "report_numbers"])
    job = ReportJob.objects.create(consultation=consultation)
    services.build_report_pdf.call(job.pk)


def _tracker(rng):
    """The 2018 catalogue, with a mix of statuses and notes recorded over the years."""
    call_command("load_catalogue", skip_unknown_departments=True, verbosity=0)
    entries = list(TrackedPostulate.objects.filter(catalogue__code="2018").order_by("code"))
    start = date(2019, 1, 15)
    ProgressNote.objects.filter(postulate__in=entries).delete()
    TrackerLink.objects.filter(postulate__in=entries).delete()
    notes, links = [], []
    for entry in entries:
        path = rng.choices(STATUS_PATHS, weights=[10, 25, 20, 20, 15, 10])[0]
        day = start + timedelta(days=rng.randrange(0, 200))
        for status in path:
            notes.append(ProgressNote(postulate=entry, date=day, status=status, text=NOTES[status]))
            day += timedelta(days=rng.randrange(60, 400))
        entry.status = path[-1] if path else TrackedPostulate.Status.SUBMITTED
        entry.status_reason = NOTES[entry.status] if entry.status == "rejected" else ""
        if entry.status in ("in_progress", "implemented") and rng.random() < 0.5:
            links.append(
                TrackerLink(
                    postulate=entry, kind="call", title="Otwarte konkursy ofert", url="/konkursy/"
                )
            )
    ProgressNote.objects.bulk_create(notes)
    TrackerLink.objects.bulk_create(links)
    TrackedPostulate.objects.bulk_update(entries, ["status", "status_reason"])
