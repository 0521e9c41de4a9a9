"""Migration 0007: the policy plane links what now works and its guides."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import Resolver404, resolve, reverse

from wspolpraca.pages import views
from wspolpraca.pages.models import Page

pytestmark = pytest.mark.django_db

update = importlib.import_module("wspolpraca.pages.migrations.0007_policy_plane")

ADDRESSES = (
    "/konsultacje/",
    "/postulaty/",
    "/biblioteka/",
    "/biblioteka/tematy/",
    "/strategie/",
    "/ankiety/",
    "/miasto/ciala-dialogu/",
    "/szkolenia/",
)
GUIDES = (
    "udzial-w-konsultacjach",
    "konsultacje",
    "biblioteka",
    "strategie",
    "ankiety",
    "ciala-dialogu",
    "szkolenia",
)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_policy_plane_links_what_works_on_the_platform(language):
    body = getattr(Page.objects.get(slug="polityki"), f"body_{language}")
    for address in ADDRESSES:
        assert f"]({address})" in body
    assert "później" not in body and "comes later" not in body


@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_link_of_the_policy_plane_leads_to_a_page_of_the_site(language):
    body = getattr(Page.objects.get(slug="polityki"), f"body_{language}")
    for address in re.findall(r"\]\((/[^)]*)\)", body):
        try:
            resolve(address)
        except Resolver404:
            pytest.fail(f"{address} leads nowhere")


def test_the_policy_plane_links_its_guides(client):
    html = client.get(reverse("pages:plane", args=["polityki"])).content.decode()
    for slug in GUIDES:
        assert slug in views.GUIDES
        assert f'href="{reverse("pages:guide", args=[slug])}"' in html


def test_a_policy_plane_edited_by_an_official_is_left_alone():
    page = Page.objects.get(slug="polityki")
    page.body_pl = "Tekst zmieniony w panelu."
    page.save()
    update.backward(apps, None)
    update.forward(apps, None)
    assert Page.objects.get(slug="polityki").body_pl == "Tekst zmieniony w panelu."


def test_going_back_restores_the_first_text_of_the_policy_plane():
    initial = importlib.import_module("wspolpraca.pages.migrations.0002_initial_content")
    update.backward(apps, None)
    assert Page.objects.get(slug="polityki").body_pl.strip() == initial.POLICY_PL.strip()
