"""The cooperation guide ("przewodnik") after the public tasks came to the platform: calls
and their schedule, offers made online, small grants and requests to the city each have
their pages now, which the first text (0002) said would come "in later stages".

Each language's body is replaced only while it is still the text 0002 wrote: a body an
administrator has edited is theirs and is left as it is. Going back restores the first
text on the same condition.
"""

import importlib

from django.db import migrations
from django.utils import timezone

initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")

GUIDE_PL = """
Miasto i organizacje pozarządowe mogą współpracować na wiele sposobów. Nie wszystkie wiążą się
z pieniędzmi: czasem najbardziej przydaje się sala na spotkanie, patronat albo informacja
w miejskim kanale. Poniżej zebraliśmy wszystkie formy w jednym miejscu.

Jeśli nie wiesz, od czego zacząć, napisz do
[koordynatora ds. współpracy z NGO](/miasto/koordynatorzy/) w wydziale, który zajmuje się
Twoim tematem.

## Współpraca finansowa

### Otwarte konkursy ofert

Najczęstsza droga do miejskich pieniędzy na zadania publiczne. Wydział ogłasza konkurs
i opisuje w nim zadanie, kwotę, zasady przyznawania dotacji, kryteria oceny i termin.
Termin składania ofert przypada co najmniej tyle dni po ostatniej publikacji ogłoszenia,
ile wymaga ustawa (obecnie 21 dni). Komisja opiniuje oferty, decyzję podejmuje Prezydent,
a wyniki są publikowane.

Miasto może zadanie **wesprzeć** (dofinansować część kosztów, zwykle z wkładem własnym
organizacji) albo **powierzyć** (sfinansować je w całości).

- Ogłoszone konkursy, z pytaniami i odpowiedziami, są na stronie
  [Konkursy ofert](/konkursy/).
- Co wydziały planują ogłosić w tym roku, pokazuje
  [harmonogram konkursów](/konkursy/harmonogram/).
- Ofertę przygotowujesz i składasz na platformie, w części [Twoje oferty](/oferty/).
  Po złożeniu dostajesz potwierdzenie z numerem i godziną złożenia.
- Krok po kroku opisuje to [przewodnik po składaniu ofert](/przewodniki/oferta/).

### Małe granty (art. 19a ustawy o pożytku)

Szybka ścieżka dla małych, lokalnych przedsięwzięć, bez konkursu. Dotacja i czas trwania
zadania mają górne limity z ustawy (obecnie 10 000 zł i 90 dni). Ofertę na uproszczonym
formularzu składasz w części [Twoje oferty](/oferty/). Po złożeniu trafia na stronę
[Małe granty](/male-granty/), gdzie przez kilka dni (obecnie 7) każdy może zgłosić do niej
uwagi. Potem miasto podejmuje decyzję.

### Oferta z własnej inicjatywy (art. 12)

Masz pomysł na zadanie, którego nie obejmuje żaden konkurs? Zaproponuj je miastu:
opisz cel i szacunkowy koszt w
[formularzu oferty z własnej inicjatywy](/wnioski/nowy/?rodzaj=own_initiative).
Miasto ocenia, czy zadanie warto zrealizować, i odpowiada w terminie z ustawy (obecnie
w ciągu miesiąca). Jeśli odpowiedź jest pozytywna, podaje, do kiedy ogłosi konkurs na to
zadanie.

### Partnerstwo

Miasto i organizacje mogą wspólnie przygotować i prowadzić projekt, na przykład razem
starać się o pieniądze krajowe albo unijne. Zasady takiej współpracy opisuje umowa
partnerska. Pomysł na projekt zgłosisz w
[formularzu projektu partnerskiego](/wnioski/nowy/?rodzaj=partnership).

## Współpraca pozafinansowa

### Patronat

Możesz poprosić Prezydenta Miasta albo wydział o patronat honorowy nad wydarzeniem lub
projektem. Patronat pokazuje, że miasto wspiera inicjatywę; nie wiąże się z pieniędzmi.
Wniosek złożysz w [formularzu patronatu](/wnioski/nowy/?rodzaj=patronage).

### Użyczenie sal i sprzętu

Miasto może bezpłatnie użyczyć sprzętu na wydarzenie niekomercyjne, na przykład sceny,
namiotów, nagłośnienia albo krzeseł. Poproś o to w
[formularzu użyczenia sprzętu](/wnioski/nowy/?rodzaj=equipment_loan).

W budynkach miasta, jednostkach miejskich, instytucjach kultury i szkołach są też sale, z
których organizacje mogą korzystać bezpłatnie lub za niewielką opłatą – na spotkania,
szkolenia i wydarzenia niekomercyjne. O salę zapytaj koordynatora w wydziale albo
w miejskim centrum wsparcia organizacji.

Na wnioski o patronat, partnerstwo i użyczenie sprzętu miasto odpowiada w terminie, który
samo przyjęło (obecnie 30 dni). Wszystkie wnioski swojej organizacji i odpowiedzi
miasta znajdziesz na stronie [Wnioski do miasta](/wnioski/).

### Kanały promocji

Miasto może bezpłatnie pomóc w dotarciu do mieszkańców: informacją w miejskich serwisach
internetowych i mediach społecznościowych, w kalendarzu wydarzeń czy w newsletterze.
O możliwości pytaj koordynatora wydziału, który zajmuje się Twoim tematem.

### Konsultacje

Miasto konsultuje z organizacjami projekty uchwał i dokumentów, które dotyczą ich działalności,
w tym roczny i wieloletni program współpracy. To okazja, żeby Twoje doświadczenie trafiło do
decyzji.

### Komisje Dialogu Obywatelskiego i Rada Działalności Pożytku Publicznego

Komisje Dialogu Obywatelskiego (KDO) to stałe zespoły organizacji i urzędników zajmujące się
jednym obszarem, na przykład kulturą, sportem albo polityką społeczną. Rada Działalności
Pożytku Publicznego doradza miastu w sprawach współpracy. Każda organizacja może dołączyć
do komisji w swoim obszarze.

## Co jest na tej platformie

- [Katalog organizacji](/organizacje/) i [mapa organizacji](/organizacje/mapa/)
- [Koordynatorzy ds. współpracy z NGO](/miasto/koordynatorzy/) i [lista wydziałów](/miasto/wydzialy/)
- [Pakiet na start dla nowych organizacji](/strony/pakiet-na-start/)
- [Konkursy ofert](/konkursy/) i [harmonogram konkursów](/konkursy/harmonogram/)
- [Twoje oferty](/oferty/) – przygotowanie i złożenie oferty przez internet, z potwierdzeniem
- [Małe granty](/male-granty/) – oferty otwarte na uwagi mieszkańców
- [Wnioski do miasta](/wnioski/) – oferty z własnej inicjatywy, patronaty, partnerstwa
  i użyczenie sprzętu
- [Przewodnik po składaniu ofert](/przewodniki/oferta/)

Rezerwacja sal, kalendarz wydarzeń, newsletter i konsultacje przez internet pojawią się na
platformie w kolejnych etapach. Do tego czasu informacje o nich znajdziesz w Biuletynie
Informacji Publicznej miasta i u koordynatorów.
"""

GUIDE_EN = """
The city and non-governmental organizations can work together in many ways. Not all of them
involve money: sometimes a room for a meeting, patronage or a post on a city channel helps
most. This page gathers all the forms in one place.

If you are not sure where to start, write to the
[NGO coordinator](/miasto/koordynatorzy/) in the department that deals with your topic.

## Financial cooperation

### Open competitions

The usual way to city funding for public tasks. A department announces a competition that
describes the task, the amount, the rules for grants, the scoring criteria and the deadline.
The deadline falls at least as many days after the last publication of the announcement as
the law requires (currently 21 days). A commission gives its opinion on the offers, the Mayor
decides, and the results are published.

The city can **support** a task (co-fund part of the costs, usually with the organization's
own contribution) or **entrust** it (fund it fully).

- Announced competitions, with their questions and answers, are on the
  [calls for offers](/konkursy/) page.
- What the departments plan to announce this year is in the
  [schedule of competitions](/konkursy/harmonogram/).
- You prepare and submit your offer on the platform, under [your offers](/oferty/), and get
  a receipt with its number and the time it was submitted.
- The [guide to submitting an offer](/przewodniki/oferta/) (in Polish) goes through it step
  by step.

### Small grants (art. 19a of the public benefit act)

A quick path for small, local projects, without a competition. The grant and the length of
the task have upper limits set by law (currently PLN 10,000 and 90 days). You submit the
offer on a simplified form under [your offers](/oferty/). It is then published on the
[small grants](/male-granty/) page, where anyone may comment on it for a few days
(currently 7). Then the city decides.

### Own-initiative offers (art. 12)

Have an idea for a task that no competition covers? Propose it to the city: describe its
purpose and estimated cost in the
[own-initiative offer form](/wnioski/nowy/?rodzaj=own_initiative). The city judges whether
the task is worth doing and answers within the term the law sets (currently one month). If
the answer is yes, it says by when it will announce a competition for the task.

### Partnership

The city and organizations can prepare and run a project together, for example apply jointly
for national or EU funding. A partnership agreement sets out the rules. Propose a project in
the [partnership project form](/wnioski/nowy/?rodzaj=partnership).

## Non-financial cooperation

### Patronage

You can ask the Mayor or a department for honorary patronage of your event or project.
Patronage shows that the city supports the initiative; it comes without money. Ask in the
[patronage form](/wnioski/nowy/?rodzaj=patronage).

### Lending rooms and equipment

The city can lend equipment free of charge for a non-commercial event, such as a stage,
tents, a sound system or chairs. Ask in the
[equipment loan form](/wnioski/nowy/?rodzaj=equipment_loan).

City buildings, city units, cultural institutions and schools also have rooms that
organizations can use free of charge or cheaply for meetings, trainings and non-commercial
events. For a room, ask the coordinator in a department or in a city NGO support centre.

The city answers requests for patronage, partnership and equipment within a term it set
itself (currently 30 days). All your organization's requests and the city's answers are on
the [requests to the city](/wnioski/) page.

### Promotion channels

The city can help you reach residents free of charge: with news on city websites and social
media, in the events calendar or in a newsletter. Ask the coordinator of the department that
deals with your topic.

### Consultations

The city consults organizations on draft resolutions and documents that concern their work,
including the yearly and multi-year cooperation programme. It is a chance to bring your
experience into decisions.

### Civic Dialogue Commissions and the Public Benefit Council

Civic Dialogue Commissions (KDO) are standing groups of organizations and officials working
on one area, such as culture, sport or social policy. The Public Benefit Council advises the
city on cooperation. Any organization can join the commission for its area.

## What is on this platform

- The [NGO directory](/organizacje/) and the [map of organizations](/organizacje/mapa/)
- [NGO coordinators](/miasto/koordynatorzy/) and the [list of departments](/miasto/wydzialy/)
- The [starter pack for new organizations](/strony/pakiet-na-start/)
- [Calls for offers](/konkursy/) and the [schedule of competitions](/konkursy/harmonogram/)
- [Your offers](/oferty/) – prepare and submit an offer online, with a receipt
- [Small grants](/male-granty/) – offers open to residents' comments
- [Requests to the city](/wnioski/) – own-initiative offers, patronage, partnership and
  equipment loans
- The [guide to submitting an offer](/przewodniki/oferta/) (in Polish)

Room booking, the events calendar, the newsletter and online consultations will come to the
platform in later stages. Until then, find them in the city's Public Information Bulletin
(BIP) and ask the coordinators.
"""

# (field, text 0002 wrote, text of this migration)
BODIES = [
    ("body_pl", initial.GUIDE_PL.strip(), GUIDE_PL.strip()),
    ("body_en", initial.GUIDE_EN.strip(), GUIDE_EN.strip()),
]


def _normalized(text):
    # A body saved unchanged through the back office comes back with the browser's CRLF.
    return (text or "").replace("\r\n", "\n").strip()


def _replace(apps, direction):
    """Put the `direction` texts ("new" or "old") in place of the other ones, in each
    field that still holds the other text exactly; return whether anything changed."""
    Page = apps.get_model("pages", "Page")
    page = Page.objects.filter(slug="przewodnik").first()
    if page is None:
        return False
    changed = []
    for field, old, new in BODIES:
        source, target = (old, new) if direction == "new" else (new, old)
        if _normalized(getattr(page, field)) == source:
            setattr(page, field, target)
            changed.append(field)
    if not changed:
        return False
    page.updated_at = timezone.now()
    page.save(update_fields=[*changed, "updated_at"])
    # Cached public pages are keyed by when the pages last changed (core.caching); the
    # migration runs without the signal that records it, so it records it here.
    Freshness = apps.get_model("core", "Freshness")
    Freshness.objects.update_or_create(key="pages", defaults={"changed_at": timezone.now()})
    return True


def update_guide(apps, schema_editor):
    _replace(apps, "new")


def restore_guide(apps, schema_editor):
    _replace(apps, "old")


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_initial_content"), ("core", "0003_freshness")]

    operations = [migrations.RunPython(update_guide, restore_guide)]
