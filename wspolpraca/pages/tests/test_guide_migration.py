"""Migration 0003: the cooperation guide's text brought up to date with the public tasks,
unless an administrator has already edited it."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from wspolpraca.core.models import Freshness
from wspolpraca.pages.models import Page

pytestmark = pytest.mark.django_db

initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")
update = importlib.import_module("wspolpraca.pages.migrations.0003_guide_public_tasks")

FIRST_PL, FIRST_EN = initial.GUIDE_PL.strip(), initial.GUIDE_EN.strip()
NEW_PL, NEW_EN = update.GUIDE_PL.strip(), update.GUIDE_EN.strip()


def guide_page():
    return Page.objects.get(slug="przewodnik")


def set_bodies(pl, en):
    Page.objects.filter(slug="przewodnik").update(body_pl=pl, body_en=en)


def test_after_migrations_the_guide_links_to_the_public_tasks_pages(client):
    html = client.get(reverse("pages:detail", args=["przewodnik"])).content.decode()

    for url in [
        "/konkursy/",
        "/konkursy/harmonogram/",
        "/male-granty/",
        "/oferty/",
        "/wnioski/",
        "/wnioski/nowy/?rodzaj=own_initiative",
        "/wnioski/nowy/?rodzaj=patronage",
        "/wnioski/nowy/?rodzaj=partnership",
        "/wnioski/nowy/?rodzaj=equipment_loan",
        "/przewodniki/oferta/",
    ]:
        assert f'href="{url}"' in html
    assert "kolejnych etapach" in guide_page().body_pl  # rooms, calendar, newsletter still are


def test_migration_replaces_the_untouched_first_text_in_both_languages():
    set_bodies(FIRST_PL, FIRST_EN)

    update.update_guide(apps, None)

    page = guide_page()
    assert (page.body_pl, page.body_en) == (NEW_PL, NEW_EN)


def test_migration_treats_a_body_saved_unchanged_with_crlf_as_untouched():
    set_bodies(FIRST_PL.replace("\n", "\r\n"), FIRST_EN)

    update.update_guide(apps, None)

    assert guide_page().body_pl == NEW_PL


def test_migration_leaves_a_body_an_administrator_edited():
    edited = FIRST_PL + "\n\nDopisek wydziału."
    set_bodies(edited, FIRST_EN)

    update.update_guide(apps, None)

    page = guide_page()
    assert page.body_pl == edited
    assert page.body_en == NEW_EN  # the untouched language is still brought up to date


def test_migration_marks_the_pages_as_changed_for_the_page_cache():
    set_bodies(FIRST_PL, FIRST_EN)
    Freshness.objects.filter(key="pages").delete()

    update.update_guide(apps, None)

    assert Freshness.objects.filter(key="pages").exists()


def test_migration_without_anything_to_replace_changes_nothing():
    set_bodies("Własny tekst.", "Own text.")
    before = guide_page().updated_at

    update.update_guide(apps, None)

    assert guide_page().updated_at == before


def test_reverse_restores_the_first_text_but_not_an_edited_one():
    edited = NEW_EN + "\n\nAn official's note."
    set_bodies(NEW_PL, edited)

    update.restore_guide(apps, None)

    page = guide_page()
    assert page.body_pl == FIRST_PL
    assert page.body_en == edited


def test_migration_does_nothing_without_the_guide_page():
    Page.objects.filter(slug="przewodnik").delete()

    update.update_guide(apps, None)

    assert not Page.objects.filter(slug="przewodnik").exists()


plane = importlib.import_module("wspolpraca.pages.migrations.0004_public_tasks_plane")
# The latest text of the plane page (0005 replaced the text of 0004).
latest_plane = importlib.import_module("wspolpraca.pages.migrations.0005_guides_evaluation")


def test_the_public_tasks_plane_links_to_calls_offers_and_requests_after_migrations(client):
    page = Page.objects.get(slug="zadania-publiczne")
    assert page.body_pl.strip() == latest_plane.TASKS_PL.strip()
    html = client.get(reverse("pages:plane", args=["zadania-publiczne"])).content.decode()
    for address in ["/konkursy/", "/konkursy/harmonogram/", "/male-granty/", "/wnioski/"]:
        assert f'href="{address}"' in html


def test_an_edited_plane_text_is_left_as_it_is():
    Page.objects.filter(slug="zadania-publiczne").update(body_pl="Nasz własny tekst.")
    Page.objects.filter(slug="zadania-publiczne").update(body_en=initial.TASKS_EN.strip())
    plane.update_page(apps, None)
    page = Page.objects.get(slug="zadania-publiczne")
    assert page.body_pl == "Nasz własny tekst."
    assert page.body_en.strip() == plane.TASKS_EN.strip()
