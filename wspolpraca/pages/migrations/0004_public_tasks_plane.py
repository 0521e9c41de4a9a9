"""The "public tasks" plane page after calls, offers, small grants and requests came to the
platform: the first text (0002) listed them under "what comes later".

As in 0003, each language's body is replaced only while it is still the text 0002 wrote;
an edited body is left alone, and going back restores the first text on the same
condition.
"""

import importlib

from django.db import migrations
from django.utils import timezone

initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")

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

Jak przygotować i złożyć ofertę, krok po kroku, opisuje
[przewodnik dla organizacji](/przewodniki/oferta/); wszystkie formy współpracy zebraliśmy
w [przewodniku po współpracy](/strony/przewodnik/).

## Co pojawi się później

Ocena ofert przez komisje, umowy, sprawozdania i kontrola realizacji zadań.
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

How to prepare and submit an offer, step by step, is in the
[guide for organizations](/przewodniki/oferta/) (in Polish); all the forms of cooperation
are in the [cooperation guide](/strony/przewodnik/).

## What comes later

Scoring by commissions, contracts, reports and the control of tasks.
"""

BODIES = [
    ("body_pl", initial.TASKS_PL.strip(), TASKS_PL.strip()),
    ("body_en", initial.TASKS_EN.strip(), TASKS_EN.strip()),
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
    dependencies = [("pages", "0003_guide_public_tasks")]

    operations = [migrations.RunPython(update_page, restore_page)]
