"""Migration 0006: the infrastructure plane links what now works, and the cooperation guide
and the starter pack link the support places."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from wspolpraca.pages.models import Page

pytestmark = pytest.mark.django_db

update = importlib.import_module("wspolpraca.pages.migrations.0006_infrastructure_plane")


def test_the_infrastructure_plane_links_rooms_calendar_newsletter_exchange_and_support():
    body = Page.objects.get(slug="infrastruktura").body_pl
    for address in ("/sale/", "/kalendarz/", "/newsletter/", "/gielda/", "/punkty-wsparcia/"):
        assert address in body


@pytest.mark.parametrize("slug", ["przewodnik", "pakiet-na-start"])
def test_the_guide_and_the_starter_pack_link_the_support_places(client, slug):
    page = client.get(reverse("pages:detail", args=[slug])).content.decode()
    assert 'href="/punkty-wsparcia/"' in page


def test_a_plane_body_edited_by_an_official_is_left_alone():
    page = Page.objects.get(slug="infrastruktura")
    page.body_pl = "Tekst zmieniony w panelu."
    page.save()
    update.backward(apps, None)
    update.forward(apps, None)
    assert Page.objects.get(slug="infrastruktura").body_pl == "Tekst zmieniony w panelu."


def test_the_support_section_is_appended_once():
    update.forward(apps, None)
    assert Page.objects.get(slug="przewodnik").body_pl.count("/punkty-wsparcia/") == 1


def test_the_infrastructure_plane_links_its_guides(client):
    from wspolpraca.pages import views

    html = client.get(reverse("pages:plane", args=["infrastruktura"])).content.decode()
    for slug in (
        "sale",
        "zarzadzanie-salami",
        "gielda",
        "wydarzenia",
        "moderacja-wydarzen",
        "newsletter",
    ):
        assert slug in views.GUIDES
        assert f'href="{reverse("pages:guide", args=[slug])}"' in html
