"""The "public tasks" plane page after the evaluation, agreements, reports and statistics
came to the platform: the text of 0004 still listed them under "what comes later". It now
links the guides for commission members, officials and organizations, the to-do list and
the agreements, the statistics and the open data.

As in 0003 and 0004, each language's body is replaced only while it is still the text
0004 wrote; an edited body is left alone, and going back restores the text of 0004 on the
same condition.
"""

import importlib

from django.db import migrations
from django.utils import timezone

previous = importlib.import_module("wspolpraca.pages.migrations.0004_public_tasks_plane")

TASKS_PL = """
Na tej płaszczyźnie organizacje realizują zadania publiczne – pomagają seniorom, prowadzą
zajęcia sportowe, organizują wydarzenia kulturalne – a miasto je finansuje lub
współfinansuje.

## Jak to działa

- **Otwarte konkursy ofert** – wydział ogłasza konkurs, organizacje składają oferty przez
  internet, komisja je opiniuje, a miasto publikuje wyniki. Plan konkursów na cały rok
  jest w [harmonogramie](/konkursy/harmonogram/), a ogłoszone konkursy – na stronie
  [Konkursy ofert](/konkursy/).
- **Małe granty** – niewielka dotacja na krótkie zadanie, bez konkursu. Oferta jest
  publikowana, żeby każdy mógł zgłosić uwagi: [Małe granty](/male-granty/).
- **Oferty z własnej inicjatywy** i inne wnioski do miasta – patronat, projekt partnerski,
  użyczenie sprzętu: [Wnioski do miasta](/wnioski/).

## Po wynikach konkursu

- **Umowy i sprawozdania** – miasto przygotowuje umowę, a organizacja przez internet
  przesyła zaktualizowany budżet, składa sprawozdania i odpowiada na ustalenia kontroli.
  Wszystko, o co miasto prosi Twoją organizację, jest na liście
  [Do zrobienia](/umowy/do-zrobienia/), a umowy – na stronie [Umowy](/umowy/).
- **Ocena współpracy** – po rozliczeniu dotacji organizacje anonimowo oceniają współpracę
  z wydziałami: [oceny współpracy](/umowy/ocena-wspolpracy/).
- **Statystyki i otwarte dane** – ile pieniędzy trafia do organizacji, w jakich
  dziedzinach i jak długo trwa ocena ofert, pokazują
  [statystyki konkursów i dotacji](/statystyki/). Przyznane dotacje są też otwartymi
  danymi: w [API](/api/docs/) i w formacie 360Giving ([JSON](/dane/360giving.json),
  [CSV](/dane/360giving.csv)).

## Przewodniki

- Dla organizacji: [jak przygotować i złożyć ofertę](/przewodniki/oferta/) oraz
  [od wyników konkursu do rozliczenia dotacji](/przewodniki/umowa-i-sprawozdania/).
- Dla członków komisji konkursowych:
  [jak pracować w komisji](/przewodniki/komisja/).
- Dla urzędników: [jak przygotować i ogłosić konkurs](/przewodniki/konkurs/) oraz
  [od oceny ofert do rozliczenia dotacji](/przewodniki/ocena-i-rozliczenie/).

Wszystkie formy współpracy zebraliśmy w [przewodniku po współpracy](/strony/przewodnik/).
"""

TASKS_EN = """
On this plane organizations carry out public tasks – they help older people, run sports
classes, organize cultural events – and the city funds or co-funds them.

## How it works

- **Open competitions** – a department announces a competition, organizations submit
  offers online, a commission gives its opinion and the city publishes the results. The
  plan for the whole year is in the [schedule](/konkursy/harmonogram/), and announced
  competitions are on the [calls for offers](/konkursy/) page.
- **Small grants** – a small grant for a short task, without a competition. The offer is
  published so that anyone can comment: [small grants](/male-granty/).
- **Own-initiative offers** and other requests to the city – patronage, a partnership
  project, a loan of equipment: [requests to the city](/wnioski/).

## After the results

- **Agreements and reports** – the city prepares the agreement, and the organization sends
  its updated budget, submits its reports and answers the findings of controls online.
  Everything the city asks of your organization is on the [to-do list](/umowy/do-zrobienia/),
  and the agreements are on the [agreements](/umowy/) page.
- **Rating the cooperation** – once a grant is settled, organizations rate their
  cooperation with the departments anonymously: [ratings of cooperation](/umowy/ocena-wspolpracy/).
- **Statistics and open data** – how much money goes to organizations, in which areas and
  how long the evaluation takes is in the [statistics of calls and grants](/statystyki/).
  The grants awarded are also open data: in the [API](/api/docs/) and as 360Giving files
  ([JSON](/dane/360giving.json), [CSV](/dane/360giving.csv)).

## Guides (in Polish)

- For organizations: [preparing and submitting an offer](/przewodniki/oferta/) and
  [from the results to the settlement of the grant](/przewodniki/umowa-i-sprawozdania/).
- For members of evaluation commissions: [working on a commission](/przewodniki/komisja/).
- For officials: [preparing and announcing a call](/przewodniki/konkurs/) and
  [from the evaluation to the settlement](/przewodniki/ocena-i-rozliczenie/).

All the forms of cooperation are in the [cooperation guide](/strony/przewodnik/).
"""

BODIES = [
    ("body_pl", previous.TASKS_PL.strip(), TASKS_PL.strip()),
    ("body_en", previous.TASKS_EN.strip(), TASKS_EN.strip()),
]


def _normalized(text):
    return (text or "").replace("\r\n", "\n").strip()


def _replace(apps, direction):
    Page = apps.get_model("pages", "Page")
    page = Page.objects.filter(slug="zadania-publiczne").first()
    if page is None:
        return
    changed = []
    for field, old, new in BODIES:
        source, target = (old, new) if direction == "new" else (new, old)
        if _normalized(getattr(page, field)) == source:
            setattr(page, field, target)
            changed.append(field)
    if changed:
        page.updated_at = timezone.now()
        page.save(update_fields=[*changed, "updated_at"])
        Freshness = apps.get_model("core", "Freshness")
        Freshness.objects.update_or_create(key="pages", defaults={"changed_at": timezone.now()})


def update_page(apps, schema_editor):
    _replace(apps, "new")


def restore_page(apps, schema_editor):
    _replace(apps, "old")


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_public_tasks_plane")]

    operations = [migrations.RunPython(update_page, restore_page)]
