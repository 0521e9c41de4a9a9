"""Demo posts on the exchange: organizations' offers and needs in every category, a few
companies' offers, some closed, some expired, one hidden by a moderator, and a
conversation between the two demo organizations. Every name is invented. Nobody is
e-mailed (`core.mail.muted`); the rows are written directly, since the services' limits
per person and day are for people, not for a generator.
"""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.core import mail
from wspolpraca.exchange.models import AbuseReport, Message, Post
from wspolpraca.organizations.models import District, Membership, PublicBenefitArea

BUSINESS_EMAIL = "firma@example.org"

# (side, category, title, description, area codes)
ORGANIZATION_POSTS = [
    (
        "offer",
        "space",
        "Sala na 30 osób w soboty",
        "Użyczymy sali z rzutnikiem i krzesłami na spotkania i szkolenia innych organizacji, "
        "w soboty od 9 do 16. Wejście bez schodów, toaleta dostosowana.",
        ["33", "13"],
    ),
    (
        "need",
        "volunteers",
        "Wolontariusze do festynu sąsiedzkiego",
        "Szukamy 8 osób do pomocy przy festynie w czerwcu: rozstawienie stoisk, gry dla dzieci, "
        "sprzątanie. Zapewniamy koszulki i posiłek.",
        ["13", "27"],
    ),
    (
        "offer",
        "knowledge",
        "Szkolenie z rozliczania dotacji",
        "Nasza księgowa poprowadzi dla zainteresowanych organizacji dwugodzinne szkolenie z "
        "rozliczania dotacji miejskich i sprawozdań końcowych.",
        ["33"],
    ),
    (
        "need",
        "equipment",
        "Potrzebny laptop do świetlicy",
        "Świetlica dla dzieci potrzebuje sprawnego laptopa do zajęć z programowania. "
        "Chętnie przyjmiemy używany.",
        ["15", "14"],
    ),
    (
        "offer",
        "equipment",
        "Nagłośnienie i namiot do użyczenia",
        "Mamy zestaw nagłośnieniowy i namiot 3×6 m. Użyczamy na wydarzenia plenerowe; "
        "odbiór z naszej siedziby.",
        ["16", "13"],
    ),
    (
        "need",
        "space",
        "Szukamy miejsca na próby chóru",
        "Chór seniorów szuka sali na próby we wtorki wieczorem, dla około 25 osób, najlepiej "
        "z pianinem.",
        ["10", "16"],
    ),
    (
        "offer",
        "services",
        "Projekt plakatu dla organizacji",
        "Nasi wolontariusze graficy przygotują plakat lub ulotkę dla jednej akcji organizacji "
        "pozarządowej miesięcznie.",
        ["33"],
    ),
    (
        "need",
        "knowledge",
        "Pomoc w napisaniu pierwszego wniosku",
        "Jesteśmy młodą fundacją i szukamy kogoś, kto pomoże nam przygotować pierwszą ofertę "
        "w otwartym konkursie.",
        ["33", "15"],
    ),
    (
        "offer",
        "volunteers",
        "Wolontariusze do akcji sprzątania",
        "Nasza grupa wolontariuszy chętnie pomoże przy sprzątaniu terenów zielonych w "
        "dzielnicy. Mamy rękawice i worki.",
        ["18", "27"],
    ),
    (
        "need",
        "services",
        "Transport żywności dla potrzebujących",
        "Szukamy organizacji lub osoby z busem, która raz w tygodniu przewiezie żywność z "
        "magazynu do punktu wydawania.",
        ["3", "1"],
    ),
    (
        "offer",
        "knowledge",
        "Konsultacje prawne dla stowarzyszeń",
        "Prawniczka z naszego stowarzyszenia raz w miesiącu odpowiada na pytania o statut, "
        "KRS i zmiany w zarządzie.",
        ["33", "22a"],
    ),
    (
        "need",
        "equipment",
        "Wózek inwalidzki do wypożyczalni",
        "Nasza wypożyczalnia sprzętu rehabilitacyjnego potrzebuje dwóch wózków inwalidzkich.",
        ["7", "6"],
    ),
    (
        "offer",
        "space",
        "Magazyn na dary rzeczowe",
        "Mamy wolne 20 m² w suchym magazynie; użyczymy na czas zbiórki darów.",
        ["3"],
    ),
    (
        "need",
        "volunteers",
        "Opiekunowie na spacery z psami",
        "Schronisko szuka wolontariuszy na weekendowe spacery z psami.",
        ["18", "27"],
    ),
    (
        "offer",
        "services",
        "Tłumaczenia na ukraiński",
        "Przetłumaczymy krótkie materiały informacyjne organizacji na język ukraiński.",
        ["5a", "33"],
    ),
    (
        "need",
        "knowledge",
        "Szkolenie z dostępności wydarzeń",
        "Chcemy nauczyć się organizować wydarzenia dostępne dla osób z niepełnosprawnościami. "
        "Szukamy prowadzącego.",
        ["7", "16"],
    ),
    (
        "offer",
        "equipment",
        "Krzesła i stoły na wydarzenia",
        "40 krzeseł i 10 stołów składanych do użyczenia; potrzebny własny transport.",
        ["13"],
    ),
    (
        "need",
        "services",
        "Fotograf na galę wolontariatu",
        "Szukamy fotografa, który odpłatnie lub pro bono zrobi zdjęcia podczas gali.",
        ["27"],
    ),
    (
        "offer",
        "volunteers",
        "Studenci do korepetycji",
        "Koło studentów oferuje bezpłatne korepetycje z matematyki dla dzieci ze świetlic.",
        ["14", "15"],
    ),
    (
        "need",
        "space",
        "Miejsce na kawiarenkę językową",
        "Szukamy kawiarni lub sali na cotygodniowe spotkania językowe dla cudzoziemców.",
        ["5a"],
    ),
    (
        "offer",
        "knowledge",
        "Mentoring dla nowych organizacji",
        "Doświadczeni członkowie zarządu pomogą nowym organizacjom zaplanować pierwszy rok.",
        ["33"],
    ),
    (
        "need",
        "equipment",
        "Rowery dla młodzieżowej grupy",
        "Młodzieżowa grupa rowerowa szuka pięciu używanych rowerów.",
        ["17", "15"],
    ),
    (
        "offer",
        "services",
        "Catering na spotkania seniorów",
        "Spółdzielnia socjalna przygotuje poczęstunek na spotkania klubów seniora po kosztach.",
        ["10", "34"],
    ),
    (
        "need",
        "volunteers",
        "Lektorzy do czytania dzieciom",
        "Biblioteka sąsiedzka szuka osób, które raz w tygodniu poczytają dzieciom.",
        ["14", "16"],
    ),
]

# (company, NIP, category, title, description, area codes)
BUSINESS_POSTS = [
    (
        "Kancelaria Prawna Lex Cracovia",
        "5213003700",
        "pro_bono",
        "Porady prawne pro bono dla organizacji",
        "Dwa razy w miesiącu nasi prawnicy bezpłatnie doradzą organizacjom w sprawach umów, "
        "RODO i prawa pracy.",
        ["33", "1b"],
    ),
    (
        "Kancelaria Prawna Lex Cracovia",
        "5213003700",
        "volunteering",
        "Wolontariat pracowniczy: pomoc przy remoncie",
        "Zespół 10 pracowników może jeden dzień pomóc przy remoncie świetlicy lub siedziby "
        "organizacji.",
        ["13", "27"],
    ),
    (
        "Drukarnia Wisła sp. z o.o.",
        "",
        "pro_bono",
        "Druk ulotek dla organizacji pożytku publicznego",
        "Wydrukujemy bezpłatnie do 1000 ulotek miesięcznie dla jednej organizacji.",
        ["33"],
    ),
    (
        "IT Kraków Solutions S.A.",
        "",
        "disability_jobs",
        "Praca dla osób z niepełnosprawnościami w dziale testów",
        "Zatrudnimy dwie osoby z niepełnosprawnościami; współpracujemy z organizacjami, które "
        "wspierają kandydatów.",
        ["7", "8"],
    ),
    (
        "Biuro Rachunkowe Saldo",
        "",
        "equipment",
        "Komputery po wymianie sprzętu",
        "Przekażemy organizacjom 6 sprawnych komputerów stacjonarnych po wymianie sprzętu.",
        ["33", "14"],
    ),
]


def _user(email):
    return User.objects.filter(email=email).first()


def _business_account():
    """The demo company's person (returned to the command, which lists the accounts)."""
    from wspolpraca.demo.management.commands.demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(
        email=BUSINESS_EMAIL, defaults={"full_name": "Anna Firmowska"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=BUSINESS_EMAIL, defaults={"verified": True, "primary": True}
        )
    return user


def _poster(organization):
    """Somebody of the organization (the demo admins for the first two), else nobody."""
    membership = Membership.objects.filter(organization=organization).select_related("user").first()
    return membership.user if membership else None


def make_exchange(rng, orgs):
    """About thirty posts of both sides, and a conversation; returns the accounts it adds."""
    if Post.objects.exists():
        return []
    today = timezone.localdate()
    now = timezone.now()
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    districts = list(District.objects.all())
    business = _business_account()
    # The first two organizations are the demo accounts' (the second post, a need, is the
    # first organization's: the second writes about it); the rest are picked at random.
    authors = [orgs[1], orgs[0], *rng.sample(orgs[2:], min(len(orgs) - 2, 14))]
    posts = []
    with mail.muted():
        for n, (side, category, title, description, codes) in enumerate(ORGANIZATION_POSTS):
            organization = authors[n % len(authors)]
            posts.append(
                _post(
                    rng,
                    today,
                    n,
                    author_kind=Post.AuthorKind.ORGANIZATION,
                    organization=organization,
                    created_by=_poster(organization),
                    side=side,
                    category=category,
                    title=title,
                    description=description,
                    district=organization.district if rng.random() < 0.6 else None,
                    areas=[areas[c] for c in codes if c in areas],
                )
            )
        for n, (company, nip, category, title, description, codes) in enumerate(BUSINESS_POSTS):
            posts.append(
                _post(
                    rng,
                    today,
                    n,
                    author_kind=Post.AuthorKind.BUSINESS,
                    company_name=company,
                    company_nip=nip,
                    created_by=business if company == BUSINESS_POSTS[0][0] else None,
                    side=Post.Side.OFFER,
                    category=category,
                    title=title,
                    description=description,
                    district=rng.choice(districts) if districts and rng.random() < 0.3 else None,
                    areas=[areas[c] for c in codes if c in areas],
                )
            )
        # Some ended: closed by their authors, or past their date.
        for post, outcome in zip(posts[17:20], Post.Outcome.values, strict=True):
            post.status = Post.Status.CLOSED
            post.outcome = outcome
            post.closed_at = now - timedelta(days=rng.randint(1, 20))
            post.save()
        for post in (posts[20], posts[21], posts[23]):
            post.status = Post.Status.EXPIRED
            post.expires_on = today - timedelta(days=rng.randint(1, 30))
            post.save()
        # One post expires within the week: its author will be reminded.
        posts[2].expires_on = today + timedelta(days=5)
        posts[2].save()
        _moderated(posts[22])
        _conversation(posts[1], orgs[1], now)
    return [("company (exchange)", BUSINESS_EMAIL)]


def _post(rng, today, n, *, areas, **values):
    created = timezone.now() - timedelta(days=rng.randint(0, 40), hours=n)
    post = Post.objects.create(expires_on=today + timedelta(days=rng.randint(10, 60)), **values)
    post.areas.set(areas)
    # Published over the last weeks, not all this second.
    Post.objects.filter(pk=post.pk).update(created_at=created)
    post.created_at = created
    return post


def _moderated(post):
    """A post a resident reported and a platform admin hid, with the reason."""
    moderator = _user("admin@example.org")
    reporter = _user("mieszkanka@example.org")
    if reporter is not None:
        AbuseReport.objects.get_or_create(
            post=post,
            reporter=reporter,
            defaults={"reason": "To ogłoszenie wygląda na reklamę płatnej usługi."},
        )
    post.is_hidden = True
    post.hidden_reason = "Ogłoszenie komercyjne: giełda służy wzajemnej pomocy bez zysku."
    post.hidden_by = moderator
    post.hidden_at = timezone.now()
    post.save()


def _conversation(post, other, now):
    """The second demo organization's admin writes about the first's need; they agree."""
    writer = _user("admin2.ngo@example.org")
    answering = post.created_by or _user("admin.ngo@example.org")
    if writer is None or answering is None:
        return
    lines = [
        (False, "Dzień dobry! Możemy wysłać czterech wolontariuszy na festyn. Jakie godziny?"),
        (True, "Dziękujemy! Potrzebujemy pomocy od 10 do 18, można się podzielić na zmiany."),
        (False, "Świetnie, dwie osoby przyjdą rano, dwie po południu. Do zobaczenia!"),
    ]
    for n, (from_author, body) in enumerate(lines):
        message = Message.objects.create(
            post=post,
            correspondent=writer,
            sender=answering if from_author else writer,
            sender_organization=post.organization if from_author else other,
            from_author=from_author,
            body=body,
        )
        Message.objects.filter(pk=message.pk).update(
            created_at=now - timedelta(days=3 - n, hours=2)
        )
