"""The "making policy together" plane page once consultations, the postulate tracker, the
research library, strategies and programmes, surveys, the dialogue bodies and the training
offer came to the platform: the text of 0002 still listed them under "what comes later".

As in 0004 and 0006, the plane's body in each language is replaced only while it is still
the text 0002 wrote, and going back restores it on the same condition.
"""

import importlib

from django.db import migrations
from django.utils import timezone

initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")

POLICY_PL = """
Na tej płaszczyźnie organizacje i miasto razem tworzą politykę publiczną: programy,
strategie i uchwały, które potem wpływają na życie mieszkańców. Organizacje znają potrzeby
ludzi, z którymi pracują – miasto chce z tej wiedzy korzystać wcześnie, zanim dokument
będzie gotowy.

## Co działa na platformie

- [Konsultacje](/konsultacje/) projektów dokumentów: uwagi do poszczególnych części,
  spotkania i warsztaty, a potem publiczna odpowiedź miasta na każdy postulat, z
  uzasadnieniem, i raport z konsultacji.
- [Katalog postulatów](/postulaty/) – co miasto zrobiło z postulatami przekazanymi
  wydziałom, od katalogu z 2018 roku.
- [Biblioteka badań](/biblioteka/) – badania miasta, jego jednostek, uczelni
  i organizacji w jednym miejscu; organizacje dodają własne, a każdy zalogowany może
  [zaproponować temat badania](/biblioteka/tematy/).
- [Strategie i programy](/strategie/) miasta – z okresem obowiązywania, wskaźnikami,
  raportami z monitoringu i ewaluacji, w tym program współpracy z organizacjami.
- [Ankiety](/ankiety/) – m.in. coroczna diagnoza potrzeb szkoleniowych i ocena jakości
  współpracy.
- [Ciała dialogu](/miasto/ciala-dialogu/) – Rada Działalności Pożytku Publicznego i Komisje
  Dialogu Obywatelskiego: skład, posiedzenia, opinie i uchwały.
- [Szkolenia](/szkolenia/) dopasowane do potrzeb wskazanych w ankiecie oraz konsultacje
  z mentorem, np. pomoc w pisaniu projektu.

## Przewodniki

- [Jak wziąć udział w konsultacjach](/przewodniki/udzial-w-konsultacjach/) oraz, dla
  pracowników miasta, [jak prowadzić konsultacje](/przewodniki/konsultacje/).
- [Biblioteka badań i tematy badań](/przewodniki/biblioteka/).
- [Strategie, programy i ich monitoring](/przewodniki/strategie/).
- [Ankiety: tworzenie, wypełnianie i wyniki](/przewodniki/ankiety/).
- [Ciała dialogu: posiedzenia, opinie i uchwały](/przewodniki/ciala-dialogu/).
- [Szkolenia i konsultacje z mentorem](/przewodniki/szkolenia/).
"""

POLICY_EN = """
On this plane, organizations and the city make public policy together: the programmes,
strategies and resolutions that later shape residents' lives. Organizations know the needs of
the people they work with, and the city wants to use that knowledge early, before a document
is finished.

## What works on the platform

- [Consultations](/konsultacje/) on draft documents: comments on each part, meetings and
  workshops, then the city's public answer to every postulate, with its reasons, and the
  consultation's report.
- The [postulate tracker](/postulaty/) – what the city did with the postulates handed to its
  departments, from the 2018 catalogue on.
- The [research library](/biblioteka/) – studies by the city, its units, universities and
  organizations in one place; organizations add their own, and anyone signed in can
  [propose a research topic](/biblioteka/tematy/).
- The city's [strategies and programmes](/strategie/) – with their period, indicators and
  monitoring and evaluation reports, the cooperation programme with NGOs among them.
- [Surveys](/ankiety/) – among them the yearly training-needs survey and the survey of the
  quality of cooperation.
- [Dialogue bodies](/miasto/ciala-dialogu/) – the Public Benefit Council and the Civic Dialogue
  Commissions: members, meetings, opinions and resolutions.
- [Trainings](/szkolenia/) matched to the needs the survey found, and consultations with a
  mentor, such as help with writing a project.

## Guides (in Polish)

- [Taking part in a consultation](/przewodniki/udzial-w-konsultacjach/) and, for city staff,
  [running a consultation](/przewodniki/konsultacje/).
- [The research library and research topics](/przewodniki/biblioteka/).
- [Strategies, programmes and their monitoring](/przewodniki/strategie/).
- [Surveys: building, answering and results](/przewodniki/ankiety/).
- [Dialogue bodies: meetings, opinions and resolutions](/przewodniki/ciala-dialogu/).
- [Trainings and consultations with a mentor](/przewodniki/szkolenia/).
"""


def _swap(Page, old_pl, old_en, new_pl, new_en):
    page = Page.objects.filter(slug="polityki").first()
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
    _swap(
        apps.get_model("pages", "Page"), initial.POLICY_PL, initial.POLICY_EN, POLICY_PL, POLICY_EN
    )


def backward(apps, schema_editor):
    _swap(
        apps.get_model("pages", "Page"), POLICY_PL, POLICY_EN, initial.POLICY_PL, initial.POLICY_EN
    )


class Migration(migrations.Migration):
    dependencies = [("pages", "0006_infrastructure_plane")]

    operations = [migrations.RunPython(forward, backward)]
