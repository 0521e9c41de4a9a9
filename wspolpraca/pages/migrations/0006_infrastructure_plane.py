"""The "infrastructure" plane page once rooms, the calendar, the newsletter, the exchange and
the support places came to the platform: the text of 0002 still listed them under "what
comes later". The cooperation guide and the starter pack gain a section on the support
places (III11).

As in 0003–0005, the plane's body in each language is replaced only while it is still the
text 0002 wrote, and going back restores it on the same condition; the section on support
places is appended only to a body that does not already link them, and going back removes
exactly that section.
"""

import importlib

from django.db import migrations
from django.utils import timezone

initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")

INFRA_PL = """
Na tej płaszczyźnie miasto wspiera codzienną pracę organizacji: ludźmi, miejscami, wiedzą
i informacją.

## Co działa na platformie

- [Sale dla organizacji](/sale/) w budynkach miejskich, instytucjach kultury i szkołach –
  z pojemnością, wyposażeniem, dostępnością i wolnymi terminami; rezerwujesz je od razu
  przez internet.
- [Kalendarz](/kalendarz/) – konsultacje, spotkania, szkolenia, terminy konkursów
  i wydarzenia organizacji w jednym miejscu, także jako kalendarz iCal do subskrypcji.
- [Newsletter](/newsletter/) – raz w tygodniu tylko to, co dotyczy wybranych przez Ciebie
  sfer i rodzajów informacji; wypisujesz się jednym kliknięciem.
- [Giełda](/gielda/) – organizacje oferują sobie nawzajem usługi, wiedzę, sprzęt,
  wolontariuszy i miejsce, a firmy – pracę pro bono i wolontariat pracowniczy.
- [Punkty wsparcia organizacji](/punkty-wsparcia/) z usługami i godzinami otwarcia, także
  wieczornymi.
- [Dla Ciebie](/dla-ciebie/) – po zalogowaniu: konkursy, konsultacje, szkolenia i sale
  dopasowane do sfer i dzielnicy Twojej organizacji.
- [Koordynatorzy ds. współpracy z NGO](/miasto/koordynatorzy/) według sfer pożytku
  publicznego i [lista wydziałów](/miasto/wydzialy/).
- [Katalog organizacji](/organizacje/) i [mapa organizacji](/organizacje/mapa/).
- [Przewodnik po współpracy](/strony/przewodnik/) i [pakiet na start](/strony/pakiet-na-start/)
  dla nowych organizacji.

## Przewodniki

- [Jak znaleźć i zarezerwować salę](/przewodniki/sale/) oraz, dla opiekunów sal,
  [zarządzanie salami](/przewodniki/zarzadzanie-salami/).
- [Kalendarz i wydarzenia](/przewodniki/wydarzenia/) oraz, dla pracowników miasta,
  [moderacja wydarzeń](/przewodniki/moderacja-wydarzen/).
- [Newsletter: zapis, wybór sfer i wypisanie się](/przewodniki/newsletter/).
- [Giełda: oferty i potrzeby organizacji i firm](/przewodniki/gielda/).
"""

INFRA_EN = """
On this plane, the city supports organizations' everyday work: with people, places,
know-how and information.

## What works on the platform

- [Rooms for organizations](/sale/) in city buildings, cultural institutions and schools –
  with capacity, equipment, accessibility and free hours, booked online.
- The [calendar](/kalendarz/) – consultations, meetings, trainings, call deadlines and
  organizations' events in one place, also as an iCal calendar to subscribe to.
- The [newsletter](/newsletter/) – once a week, only the areas and kinds of news you choose;
  unsubscribe with one click.
- The [exchange](/gielda/) – organizations offer each other services, know-how, equipment,
  volunteers and space, and businesses offer pro bono work and employee volunteering.
- [Support places for organizations](/punkty-wsparcia/) with their services and opening
  hours, evenings included.
- [For you](/dla-ciebie/) – once signed in: calls, consultations, trainings and rooms that
  match your organization's areas and district.
- [NGO coordinators](/miasto/koordynatorzy/) by public benefit area, and the
  [list of departments](/miasto/wydzialy/).
- The [NGO directory](/organizacje/) and the [map of organizations](/organizacje/mapa/).
- The [cooperation guide](/strony/przewodnik/) and the [starter pack](/strony/pakiet-na-start/)
  for new organizations.

## Guides (in Polish)

- [Finding and booking a room](/przewodniki/sale/) and, for room managers,
  [managing rooms](/przewodniki/zarzadzanie-salami/).
- [The calendar and events](/przewodniki/wydarzenia/) and, for city staff,
  [moderating events](/przewodniki/moderacja-wydarzen/).
- [The newsletter: subscribing, choosing areas and unsubscribing](/przewodniki/newsletter/).
- [The exchange: offers and needs](/przewodniki/gielda/).
"""

SUPPORT_PL = """

## Punkty wsparcia organizacji

Miasto prowadzi punkty, w których organizacje dostają bezpłatną pomoc: doradztwo prawne
i księgowe, pomoc w pisaniu projektów, sale na spotkania. Adresy, usługi i godziny
otwarcia – także wieczorne, dla osób działających po pracy – są na stronie
[Punkty wsparcia organizacji](/punkty-wsparcia/).
"""

SUPPORT_EN = """

## Support places for organizations

The city runs places where organizations get free help: legal and accounting advice, help
with writing projects, rooms for meetings. Their addresses, services and opening hours –
evenings too, for people who volunteer after work – are on the page
[Support places for organizations](/punkty-wsparcia/).
"""

SUPPORT_PAGES = ("przewodnik", "pakiet-na-start")


def _swap(Page, old_pl, old_en, new_pl, new_en):
    page = Page.objects.filter(slug="infrastruktura").first()
    if page is None:
        return
    changed = False
    if page.body_pl.strip() == old_pl.strip():
        page.body_pl, changed = new_pl, True
    if page.body_en.strip() == old_en.strip():
        page.body_en, changed = new_en, True
    if changed:
        page.updated_at = timezone.now()
        page.save(update_fields=["body_pl", "body_en", "updated_at"])


def forward(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    _swap(Page, initial.INFRA_PL, initial.INFRA_EN, INFRA_PL, INFRA_EN)
    for page in Page.objects.filter(slug__in=SUPPORT_PAGES):
        if "/punkty-wsparcia/" in page.body_pl + page.body_en:
            continue
        page.body_pl = page.body_pl.rstrip("\n") + SUPPORT_PL
        if page.body_en:
            page.body_en = page.body_en.rstrip("\n") + SUPPORT_EN
        page.updated_at = timezone.now()
        page.save(update_fields=["body_pl", "body_en", "updated_at"])


def backward(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    _swap(Page, INFRA_PL, INFRA_EN, initial.INFRA_PL, initial.INFRA_EN)
    for page in Page.objects.filter(slug__in=SUPPORT_PAGES):
        page.body_pl = page.body_pl.replace(SUPPORT_PL, "\n")
        page.body_en = page.body_en.replace(SUPPORT_EN, "\n")
        page.save(update_fields=["body_pl", "body_en"])


class Migration(migrations.Migration):
    dependencies = [("pages", "0005_guides_evaluation")]

    operations = [migrations.RunPython(forward, backward)]
