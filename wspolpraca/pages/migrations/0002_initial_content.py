"""The first content of the site: the cooperation guide, the starter pack, the three plane
pages and the accessibility declaration. Officials edit all of it later in the back office;
this migration never overwrites a page or a declaration that already exists."""

from datetime import date

from django.conf import settings
from django.db import migrations

GUIDE_PL = """
Miasto i organizacje pozarządowe mogą współpracować na wiele sposobów. Nie wszystkie wiążą się
z pieniędzmi: czasem najbardziej przydaje się sala na spotkanie, patronat albo informacja
w miejskim kanale. Poniżej zebraliśmy wszystkie formy w jednym miejscu.

Jeśli nie wiesz, od czego zacząć, napisz do
[koordynatora ds. współpracy z NGO](/miasto/koordynatorzy/) w wydziale, który zajmuje się
Twoim tematem.

## Współpraca finansowa

### Otwarte konkursy ofert

To główna droga do miejskich pieniędzy na zadania publiczne. Wydział ogłasza konkurs:
opisuje zadanie, kwotę, kryteria oceny i termin. Na złożenie oferty jest co najmniej 21 dni.
Komisja ocenia oferty, a miasto publikuje wyniki.

Miasto może zadanie **wesprzeć** (dofinansować część kosztów) albo **powierzyć** (sfinansować
je w całości).

### Małe granty (art. 19a ustawy o pożytku)

Szybka ścieżka dla małych, krótkich przedsięwzięć: do 10 000 zł na zadanie trwające
nie dłużej niż 90 dni. Organizacja składa ofertę bez konkursu, miasto publikuje ją na 7 dni,
żeby każdy mógł zgłosić uwagi, a potem podejmuje decyzję.

### Oferta z własnej inicjatywy (art. 12)

Masz pomysł, którego nie ma w żadnym konkursie? Możesz sam zaproponować zadanie. Miasto
ma miesiąc, żeby ocenić, czy warto je zrealizować, i poinformować Cię o decyzji. Jeśli tak,
ogłosi konkurs albo – przy małym zadaniu – skorzysta z trybu małych grantów.

### Partnerstwo

Miasto i organizacje mogą razem przygotowywać i prowadzić projekty, na przykład ubiegać się
wspólnie o środki zewnętrzne (krajowe lub unijne). Zasady takiej współpracy opisuje umowa
partnerska.

## Współpraca pozafinansowa

### Patronat

Organizacja może poprosić o patronat Prezydenta Miasta albo wydziału nad swoim wydarzeniem
lub projektem. Patronat to znak, że miasto popiera inicjatywę; zwykle nie wiąże się
z pieniędzmi.

### Użyczenie sal i sprzętu

W budynkach miasta, jednostkach miejskich, instytucjach kultury i szkołach są sale, z których
organizacje mogą korzystać bezpłatnie lub za niewielką opłatą – na spotkania, szkolenia
i wydarzenia niekomercyjne. Zapytaj koordynatora w wydziale albo w miejskim centrum
wsparcia organizacji.

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

Harmonogram konkursów, składanie ofert, rezerwacja sal, kalendarz i newsletter pojawią się
na platformie w kolejnych etapach. Do tego czasu informacje o nich znajdziesz w Biuletynie
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

The main way to city funding for public tasks. A department announces a competition: it
describes the task, the amount, the scoring criteria and the deadline. You have at least
21 days to submit an offer. A commission scores the offers and the city publishes the results.

The city can **support** a task (co-fund part of the costs) or **entrust** it (fund it fully).

### Small grants (art. 19a of the public benefit act)

A quick path for small, short projects: up to PLN 10,000 for a task lasting no more than
90 days. The organization submits an offer outside a competition, the city publishes it for
7 days so anyone can comment, and then decides.

### Own-initiative offers (art. 12)

Have an idea that no competition covers? You can propose a task yourself. The city has a month
to decide whether it is worth doing and to tell you. If it is, the city announces a competition
or, for a small task, uses the small grant path.

### Partnership

The city and organizations can prepare and run projects together, for example apply jointly
for national or EU funding. A partnership agreement sets out the rules.

## Non-financial cooperation

### Patronage

An organization can ask the Mayor or a department to give patronage to its event or project.
Patronage shows that the city supports the initiative; it usually comes without money.

### Lending rooms and equipment

City buildings, city units, cultural institutions and schools have rooms that organizations
can use free of charge or cheaply for meetings, trainings and non-commercial events. Ask the
coordinator in a department or in a city NGO support centre.

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

The schedule of competitions, online offers, room booking, the calendar and the newsletter
will come to the platform in later stages. Until then, find them in the city's Public
Information Bulletin (BIP) and ask the coordinators.
"""

STARTER_PL = """
Witaj! Jeśli Twoja organizacja dopiero zaczyna działać w mieście, ta strona podpowie, co miasto
może Ci dać i jak zrobić pierwsze kroki.

## Co oferuje miasto

- **Pieniądze na zadania publiczne** – przez otwarte konkursy ofert, małe granty i oferty
  z własnej inicjatywy. Szczegóły są w [przewodniku po współpracy](/strony/przewodnik/).
- **Ludzi do rozmowy** – w każdym wydziale jest koordynator ds. współpracy z organizacjami.
- **Miejsca** – sale na spotkania i szkolenia, często bezpłatnie.
- **Wiedzę** – szkolenia, doradztwo i pomoc w pisaniu projektów w miejskich centrach wsparcia
  organizacji.
- **Głos w decyzjach** – konsultacje i Komisje Dialogu Obywatelskiego.
- **Promocję** – informacje o Twoich wydarzeniach w miejskich kanałach.

## Koordynatorzy

Nie musisz wiedzieć, który wydział za co odpowiada.
[Lista koordynatorów](/miasto/koordynatorzy/) jest uporządkowana według sfer pożytku
publicznego: wybierz swoją i napisz do wskazanej osoby.

## Miejsca wsparcia

Miasto prowadzi centra wsparcia organizacji pozarządowych, w tym punkty w dzielnicach.
Możesz tam dostać poradę prawną i księgową, pomoc przy zakładaniu organizacji i przy
wniosku, skorzystać z sali albo sprzętu. Adresy i godziny otwarcia dodamy na platformie
w kolejnym etapie; do tego czasu zapytaj koordynatora.

## Pierwsze kroki na platformie

1. **Sprawdź, czy Twoja organizacja jest już w [katalogu](/organizacje/).** Wiele organizacji
   dodajemy automatycznie na podstawie KRS.
2. **Załóż konto i dodaj organizację** albo przejmij jej istniejący wpis. Numer KRS
   wystarczy – dane z rejestru pobierzemy sami, nie musisz przesyłać odpisu.
3. **Uzupełnij opis, sfery działania i dzielnicę.** Dzięki temu mieszkańcy znajdą Was
   w katalogu i na [mapie](/organizacje/mapa/).
4. **Zaproś współpracowników** do zarządzania wpisem.
5. **Napisz do koordynatora** w swojej sferze i przedstaw się.

Masz pytanie? Napisz do nas – dane kontaktowe są na dole każdej strony.
"""

STARTER_EN = """
Welcome! If your organization is just starting out in the city, this page tells you what the
city can offer and how to take the first steps.

## What the city offers

- **Funding for public tasks** – through open competitions, small grants and own-initiative
  offers. The [cooperation guide](/strony/przewodnik/) explains them.
- **People to talk to** – every department has a coordinator for cooperation with NGOs.
- **Places** – rooms for meetings and trainings, often free of charge.
- **Know-how** – trainings, advice and help with writing projects in the city's NGO support
  centres.
- **A say in decisions** – consultations and the Civic Dialogue Commissions.
- **Promotion** – news of your events on city channels.

## Coordinators

You do not need to know which department does what. The
[list of coordinators](/miasto/koordynatorzy/) is ordered by public benefit area: pick yours
and write to the person shown.

## Support places

The city runs NGO support centres, including local points in the districts. There you can get
legal and accounting advice, help with setting up an organization or writing an application,
and use a room or equipment. Addresses and opening hours will come to the platform in a later
stage; until then, ask a coordinator.

## First steps on the platform

1. **Check whether your organization is already in the [directory](/organizacje/).** Many
   organizations are added automatically from the KRS.
2. **Create an account and add your organization**, or claim its existing record. The KRS
   number is enough – we read the register ourselves, you do not upload an extract.
3. **Fill in the description, areas of activity and district**, so residents find you in
   the directory and on the [map](/organizacje/mapa/).
4. **Invite your colleagues** to manage the record.
5. **Write to the coordinator** for your area and introduce yourself.

Questions? Write to us – the contact details are at the bottom of every page.
"""

POLICY_PL = """
Na tej płaszczyźnie organizacje i miasto razem tworzą politykę publiczną: programy,
strategie i uchwały, które potem wpływają na życie mieszkańców. Organizacje znają potrzeby
ludzi, z którymi pracują – miasto chce z tej wiedzy korzystać wcześnie, zanim dokument
będzie gotowy.

## Jak to działa

- **Konsultacje** projektów dokumentów, w tym programu współpracy z organizacjami.
- **Komisje Dialogu Obywatelskiego** i **Rada Działalności Pożytku Publicznego** –
  stałe miejsca rozmowy miasta z organizacjami.
- **Badania i strategie** – wiedza o mieście, na której opierają się decyzje.

Więcej o tych formach przeczytasz w [przewodniku po współpracy](/strony/przewodnik/).

## Co już działa na platformie

- [Katalog organizacji](/organizacje/) – żeby miasto mogło zapraszać do konsultacji
  organizacje z właściwych sfer.
- [Koordynatorzy](/miasto/koordynatorzy/) – do nich możesz zgłosić uwagę lub temat.

## Co pojawi się później

Konsultacje online z uwagami do poszczególnych części dokumentu, raporty z odpowiedziami
miasta na każdą uwagę, katalog postulatów, biblioteka badań i strategii oraz strony komisji
dialogu. Do tego czasu informacje o konsultacjach publikuje Biuletyn Informacji Publicznej.
"""

POLICY_EN = """
On this plane, organizations and the city make public policy together: the programmes,
strategies and resolutions that later shape residents' lives. Organizations know the needs of
the people they work with, and the city wants to use that knowledge early, before a document
is finished.

## How it works

- **Consultations** on draft documents, including the cooperation programme with NGOs.
- The **Civic Dialogue Commissions** and the **Public Benefit Council** – standing places
  where the city and organizations talk.
- **Studies and strategies** – the knowledge about the city that decisions rest on.

The [cooperation guide](/strony/przewodnik/) explains these forms.

## What already works on the platform

- The [NGO directory](/organizacje/) – so the city can invite organizations from the right
  areas to consultations.
- [Coordinators](/miasto/koordynatorzy/) – you can send them a comment or a topic.

## What comes later

Online consultations with comments on each part of a document, reports with the city's answer
to every comment, the catalogue of proposals, the library of studies and strategies, and pages
of the dialogue commissions. Until then, consultations are announced in the Public Information
Bulletin (BIP).
"""

TASKS_PL = """
Na tej płaszczyźnie organizacje realizują zadania publiczne – pomagają seniorom, prowadzą
zajęcia sportowe, organizują wydarzenia kulturalne – a miasto je finansuje lub
współfinansuje.

## Jak to działa

- **Otwarte konkursy ofert** – miasto ogłasza konkurs, organizacje składają oferty,
  komisja je ocenia.
- **Małe granty** – do 10 000 zł na krótkie zadanie, bez konkursu.
- **Oferty z własnej inicjatywy** – organizacja sama proponuje zadanie.

Wszystkie tryby opisuje [przewodnik po współpracy](/strony/przewodnik/).

## Co już działa na platformie

- [Katalog organizacji](/organizacje/) i [mapa](/organizacje/mapa/) – wpis w katalogu to
  pierwszy krok do udziału w konkursach.
- [Koordynatorzy](/miasto/koordynatorzy/) – powiedzą, jakie konkursy planuje ich wydział.

## Co pojawi się później

Harmonogram konkursów na cały rok, ogłoszenia konkursów, składanie ofert przez internet
z potwierdzeniem złożenia, ocena ofert, umowy i sprawozdania. Do tego czasu ogłoszenia
konkursów są publikowane w Biuletynie Informacji Publicznej miasta.
"""

TASKS_EN = """
On this plane, organizations carry out public tasks – they help seniors, run sports classes,
organize cultural events – and the city funds or co-funds them.

## How it works

- **Open competitions** – the city announces a competition, organizations submit offers,
  a commission scores them.
- **Small grants** – up to PLN 10,000 for a short task, without a competition.
- **Own-initiative offers** – an organization proposes a task itself.

The [cooperation guide](/strony/przewodnik/) describes every path.

## What already works on the platform

- The [NGO directory](/organizacje/) and the [map](/organizacje/mapa/) – a record in the
  directory is the first step to taking part in competitions.
- [Coordinators](/miasto/koordynatorzy/) – they know which competitions their department plans.

## What comes later

The yearly schedule of competitions, competition announcements, online offers with a
submission receipt, scoring, contracts and reports. Until then, competitions are announced in
the city's Public Information Bulletin (BIP).
"""

INFRA_PL = """
Na tej płaszczyźnie miasto wspiera codzienną pracę organizacji: ludźmi, miejscami, wiedzą
i informacją.

## Co już działa na platformie

- [Koordynatorzy ds. współpracy z NGO](/miasto/koordynatorzy/) według sfer pożytku
  publicznego i [lista wydziałów](/miasto/wydzialy/).
- [Katalog organizacji](/organizacje/) i [mapa organizacji](/organizacje/mapa/) – żeby
  organizacje mogły się znaleźć nawzajem, a mieszkańcy mogli znaleźć je.
- [Przewodnik po współpracy](/strony/przewodnik/) – wszystkie formy współpracy w jednym
  miejscu, także kanały promocji.
- [Pakiet na start](/strony/pakiet-na-start/) dla nowych organizacji.

## Co pojawi się później

Lista sal w budynkach miejskich z rezerwacją, kalendarz spotkań i szkoleń, newsletter
według sfer, oferta szkoleń, giełda wymiany usług między organizacjami oraz mapa miejsc
wsparcia z godzinami otwarcia. Do tego czasu w tych sprawach pomogą koordynatorzy.
"""

INFRA_EN = """
On this plane, the city supports organizations' everyday work: with people, places,
know-how and information.

## What already works on the platform

- [NGO coordinators](/miasto/koordynatorzy/) by public benefit area, and the
  [list of departments](/miasto/wydzialy/).
- The [NGO directory](/organizacje/) and the [map of organizations](/organizacje/mapa/) – so
  organizations can find each other and residents can find them.
- The [cooperation guide](/strony/przewodnik/) – every form of cooperation in one place,
  including promotion channels.
- The [starter pack](/strony/pakiet-na-start/) for new organizations.

## What comes later

Rooms in city buildings with booking, a calendar of meetings and trainings, a newsletter by
area, trainings, an exchange of services between organizations, and a map of support places
with opening hours. Until then, the coordinators will help.
"""

PAGES = [
    {
        "slug": "przewodnik",
        "title_pl": "Przewodnik po współpracy",
        "title_en": "Cooperation guide",
        "summary_pl": "Wszystkie formy współpracy miasta z organizacjami – finansowe i pozafinansowe – w jednym miejscu.",
        "summary_en": "Every form of cooperation between the city and organizations – financial and non-financial – in one place.",
        "body_pl": GUIDE_PL,
        "body_en": GUIDE_EN,
        "plane": "none",
        "position": 10,
    },
    {
        "slug": "pakiet-na-start",
        "title_pl": "Pakiet na start dla nowych organizacji",
        "title_en": "Starter pack for new NGOs",
        "summary_pl": "Co miasto oferuje nowym organizacjom, do kogo się zwrócić i jak zacząć korzystać z platformy.",
        "summary_en": "What the city offers new organizations, whom to contact and how to start using the platform.",
        "body_pl": STARTER_PL,
        "body_en": STARTER_EN,
        "plane": "infrastructure",
        "show_in_plane": True,
        "position": 20,
    },
    {
        "slug": "polityki",
        "title_pl": "Wspólne tworzenie polityk",
        "title_en": "Making policy together",
        "summary_pl": "Konsultacje, komisje dialogu i strategie: jak organizacje współtworzą decyzje miasta.",
        "summary_en": "Consultations, dialogue commissions and strategies: how organizations help shape the city's decisions.",
        "body_pl": POLICY_PL,
        "body_en": POLICY_EN,
        "plane": "policy",
        "position": 1,
    },
    {
        "slug": "zadania-publiczne",
        "title_pl": "Realizacja zadań publicznych",
        "title_en": "Carrying out public tasks",
        "summary_pl": "Konkursy, małe granty i oferty z własnej inicjatywy: jak organizacje realizują zadania za miejskie pieniądze.",
        "summary_en": "Competitions, small grants and own-initiative offers: how organizations carry out tasks with city funding.",
        "body_pl": TASKS_PL,
        "body_en": TASKS_EN,
        "plane": "public_tasks",
        "position": 2,
    },
    {
        "slug": "infrastruktura",
        "title_pl": "Infrastruktura współpracy",
        "title_en": "Infrastructure of cooperation",
        "summary_pl": "Koordynatorzy, sale, szkolenia i promocja: codzienne wsparcie miasta dla organizacji.",
        "summary_en": "Coordinators, rooms, trainings and promotion: the city's everyday support for organizations.",
        "body_pl": INFRA_PL,
        "body_en": INFRA_EN,
        "plane": "infrastructure",
        "position": 3,
    },
]

NON_ACCESSIBLE = """
- **Mapa organizacji.** Podkład mapy pochodzi z OpenStreetMap i jest obrazem, którego nie da się
  w pełni odczytać czytnikiem ekranu. Te same informacje (adres i dzielnica każdej organizacji)
  są dostępne w [katalogu organizacji](/organizacje/) w formie tekstu.
- **Treści dodawane przez organizacje.** Opisy, logotypy i odnośniki wpisują same organizacje;
  nie sprawdzamy ich przed publikacją, więc mogą nie spełniać wszystkich wymagań (np. logotypy
  bez opisu alternatywnego).
- **Wersja angielska.** Nie wszystkie strony są już przetłumaczone; strony bez tłumaczenia
  wyświetlają się po polsku i są tak oznaczone.
- **Dokumenty z innych serwisów.** Odnośniki do Biuletynu Informacji Publicznej i innych
  serwisów prowadzą do treści, za których dostępność odpowiadają ich wydawcy.
"""

COMPLAINTS = """
Każdy ma prawo poprosić o zapewnienie dostępności cyfrowej tej strony lub jej elementu,
a także o udostępnienie treści w innej, dostępnej formie.

- W żądaniu podaj swoje dane kontaktowe, wskaż stronę lub element, o który chodzi,
  i opisz, jakiej formy potrzebujesz.
- Odpowiemy bez zbędnej zwłoki, nie później niż w ciągu 7 dni. Jeśli w tym czasie nie
  będzie to możliwe, poinformujemy Cię, kiedy to zrobimy – najpóźniej w ciągu 2 miesięcy
  od zgłoszenia.
- Jeśli odmówimy albo zaproponujemy inny sposób dostępu do informacji, możesz złożyć skargę
  na tę decyzję.
- Po wyczerpaniu tej procedury możesz zwrócić się do Rzecznika Praw Obywatelskich.
"""

ARCHITECTURE = """
Z platformy korzysta się przez internet – do załatwienia spraw opisanych na stronie nie trzeba
przychodzić do urzędu.

Informacje o dostępności architektonicznej budynków Urzędu Miasta (wejścia, windy, toalety,
miejsca parkingowe, pętle indukcyjne, tłumacz języka migowego) zamieszcza urząd; ta część
deklaracji zostanie uzupełniona przez administratora platformy.
"""

MOBILE = """
Platforma nie ma aplikacji mobilnej. Strona działa w przeglądarce na telefonach i tabletach.
"""


def create_content(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Declaration = apps.get_model("pages", "AccessibilityDeclaration")
    for data in PAGES:
        values = {**data}
        slug = values.pop("slug")
        values["body_pl"] = values["body_pl"].strip()
        values["body_en"] = values["body_en"].strip()
        Page.objects.get_or_create(slug=slug, defaults=values)

    if not Declaration.objects.exists():
        today = date.today()
        Declaration.objects.create(
            pk=1,
            entity_name=f"Gmina Miejska {settings.MUNICIPALITY_NAME}",
            site_url=getattr(settings, "SITE_URL", "") or "https://wspolpraca.example.org/",
            published_on=today,
            updated_on=today,
            reviewed_on=today,
            prepared_on=today,
            status="partial",
            non_accessible_content=NON_ACCESSIBLE.strip(),
            assessment=(
                "samoocena przeprowadzona przez zespół platformy: automatyczne testy narzędziem "
                "axe-core na każdej stronie oraz ręczne sprawdzenie obsługi klawiaturą"
            ),
            auditor="",
            contact_person="Zespół ds. współpracy z organizacjami pozarządowymi",
            email=settings.CONTACT_EMAIL,
            phone=settings.CONTACT_PHONE,
            complaint_procedure=COMPLAINTS.strip(),
            architectural_accessibility=ARCHITECTURE.strip(),
            mobile_apps=MOBILE.strip(),
        )


class Migration(migrations.Migration):
    dependencies = [("pages", "0001_initial")]

    operations = [migrations.RunPython(create_content, migrations.RunPython.noop)]
