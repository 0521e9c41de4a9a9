"""Demo newsletter: news from the city, a few hundred confirmed subscribers with various
areas and kinds, and last week's digest with its deliveries (the send log has something
to show). Nobody is e-mailed (`core.mail.muted`): the deliveries are recorded as sent
without an e-mail behind them.

The demo member (czlonek@example.org) is subscribed from their account, so "Mój
newsletter" shows a subscription.
"""

from datetime import timedelta

from django.utils import timezone

from wspolpraca.accounts.models import User
from wspolpraca.core import mail
from wspolpraca.newsletter import services
from wspolpraca.newsletter.models import Kind, News, Subscriber
from wspolpraca.organizations.models import PublicBenefitArea

NEWS = [
    (
        "Nowy regulamin korzystania z sal w budynkach miejskich",
        "Od przyszłego miesiąca organizacje rezerwują sale przez platformę; regulamin "
        "wyjaśnia, kto może korzystać bezpłatnie.",
        "Regulamin obejmuje sale w **centrach obywatelskich** i domach kultury.\n\n"
        "- rezerwacja do 60 dni naprzód,\n- potwierdzenie w ciągu 3 dni roboczych,\n"
        "- bezpłatnie dla organizacji działających na rzecz mieszkańców.",
        [],
    ),
    (
        "Dyżury doradców dla organizacji w dzielnicach",
        "Doradcy centrum wsparcia organizacji przyjmują w każdy wtorek po południu.",
        "Dyżury dotyczą zakładania organizacji, sprawozdawczości i rozliczania dotacji. "
        "Nie trzeba się zapisywać.",
        ["33"],
    ),
    (
        "Rusza nabór do Rady Działalności Pożytku Publicznego",
        "Organizacje mogą zgłaszać kandydatów do rady do końca miesiąca.",
        "Kandydata zgłasza zarząd organizacji. Głosowanie odbędzie się na platformie.",
        ["33", "22"],
    ),
    (
        "Wyniki konsultacji programu senioralnego",
        "Miasto odpowiedziało na wszystkie postulaty; raport jest dostępny na stronie konsultacji.",
        "Najwięcej postulatów dotyczyło **opieki wytchnieniowej** i transportu.",
        ["7", "1"],
    ),
    (
        "Szkolenie z nowego wzoru oferty",
        "Zapraszamy na bezpłatne szkolenie z wypełniania oferty w otwartym konkursie.",
        "Szkolenie poprowadzą pracownicy wydziału. Zapisy przez kalendarz wydarzeń.",
        [],
    ),
    (
        "Mikrogranty dla inicjatyw sportowych w dzielnicach",
        "Dzielnice przeznaczają w tym roku więcej środków na sport dla dzieci i młodzieży.",
        "Szczegóły w ogłoszeniach konkursów na platformie.",
        ["17", "14"],
    ),
]


def make_newsletter(rng, subscribers=300):
    """News, `subscribers` confirmed subscribers and last week's digest (sent, muted)."""
    now = timezone.now()
    areas = {a.code: a for a in PublicBenefitArea.objects.all()}
    author = User.objects.filter(email="koordynator@example.org").first()
    for n, (title, lead, body, codes) in enumerate(NEWS):
        news = News.objects.create(
            title=title,
            lead=lead,
            body=body,
            author=author,
            # Spread over the last two weeks, so that some fall into last week's digest
            # and some into the next one.
            published_at=now - timedelta(days=2 + 2 * n, hours=rng.randint(0, 8)),
        )
        news.areas.set([areas[c] for c in codes if c in areas])

    codes = list(areas)
    kinds = list(Kind.values)
    rows = []
    for n in range(subscribers):
        rows.append(
            Subscriber(
                email=f"subskrybent{n + 1}@example.org",
                kinds=kinds if rng.random() < 0.4 else rng.sample(kinds, rng.randint(1, 3)),
                language="en" if rng.random() < 0.1 else "pl",
                created_at=now - timedelta(days=rng.randint(10, 300)),
                confirmed_at=now - timedelta(days=rng.randint(1, 9)),
            )
        )
    # One waiting for confirmation, one unsubscribed, one bounced too often: the back
    # office shows each state.
    rows[-1].confirmed_at = None
    rows[-2].unsubscribed_at = now - timedelta(days=3)
    rows[-3].bounce_count = 3
    rows[-3].bounced_at = now - timedelta(days=5)
    Subscriber.objects.bulk_create(rows)
    through = Subscriber.areas.through
    links = []
    for subscriber in Subscriber.objects.filter(email__startswith="subskrybent"):
        if rng.random() < 0.3:
            continue  # all areas
        for code in rng.sample(codes, rng.randint(1, 4)):
            links.append(through(subscriber_id=subscriber.pk, publicbenefitarea_id=areas[code].pk))
    through.objects.bulk_create(links)

    member = User.objects.filter(email="czlonek@example.org").first()
    if member is not None:
        services.save_own_subscription(
            member, [areas[c] for c in ("7", "33") if c in areas], kinds, "pl"
        )

    # Last week's digest, as the weekly job would have sent it (nobody is e-mailed).
    last_week = timezone.localdate() - timedelta(days=7)
    with mail.muted():
        digest = services.build_digest(last_week)
        services.send_digests(digest)
    return digest
