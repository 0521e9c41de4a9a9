"""The guides of the evaluation and settlement (for commission members, officials and
organizations), the links inside every guide, and migration 0005 that links them from the
"public tasks" plane page."""

import importlib
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from wspolpraca.core.models import Freshness
from wspolpraca.pages import views
from wspolpraca.pages.models import Page

pytestmark = pytest.mark.django_db

NEW_GUIDES = {
    "komisja": "Jak pracować w komisji konkursowej",
    "ocena-i-rozliczenie": "Od oceny ofert do rozliczenia dotacji",
    "umowa-i-sprawozdania": "Od wyników konkursu do rozliczenia dotacji",
}
# A Markdown link to an address on the site: [text](/path/?query#anchor).
SITE_LINK = re.compile(r"\]\((/[^)\s]*)\)")

plane = importlib.import_module("wspolpraca.pages.migrations.0004_public_tasks_plane")
update = importlib.import_module("wspolpraca.pages.migrations.0005_guides_evaluation")

PREVIOUS_PL, PREVIOUS_EN = plane.TASKS_PL.strip(), plane.TASKS_EN.strip()
NEW_PL, NEW_EN = update.TASKS_PL.strip(), update.TASKS_EN.strip()

# The guides of making policy together, linked from that plane instead.
POLICY_GUIDES = {
    "konsultacje",
    "udzial-w-konsultacjach",
    "biblioteka",
    "strategie",
    "ankiety",
    "ciala-dialogu",
}
# The guides of the infrastructure plane, linked from its own page (test_infrastructure_plane.py).
INFRASTRUCTURE_GUIDES = {
    "sale",
    "zarzadzanie-salami",
    "gielda",
    "wydarzenia",
    "moderacja-wydarzen",
    "newsletter",
    "szkolenia",  # linked from the policy plane too
}


def guide_text(slug):
    return (Path(settings.BASE_DIR) / "docs" / "guides" / views.GUIDES[slug]).read_text(
        encoding="utf-8"
    )


def site_links(text):
    return SITE_LINK.findall(text)


def unresolved(links):
    """The links whose path no view of the site answers."""
    missing = []
    for link in links:
        try:
            resolve(urlsplit(link).path)
        except Resolver404:
            missing.append(link)
    return missing


# The guides.


@pytest.mark.parametrize("slug", sorted(NEW_GUIDES))
def test_new_guide_is_registered_under_its_slug(slug):
    assert slug in views.GUIDES


@pytest.mark.parametrize(("slug", "title"), sorted(NEW_GUIDES.items()))
def test_new_guide_answers_with_its_title(client, slug, title):
    response = client.get(f"/przewodniki/{slug}/")

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()


@pytest.mark.parametrize("slug", sorted(NEW_GUIDES))
def test_new_guide_has_plain_unique_section_anchors(client, slug):
    contents = client.get(reverse("pages:guide", args=[slug])).context["guide"].contents

    anchors = [anchor for anchor, _text in contents]
    assert len(anchors) > 5
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[a-z0-9-]+", anchor) for anchor in anchors)


@pytest.mark.parametrize("slug", sorted(views.GUIDES))
def test_every_link_in_a_guide_leads_to_a_page_of_the_site(slug):
    links = site_links(guide_text(slug))

    assert links
    assert unresolved(links) == []


@pytest.mark.parametrize("slug", sorted(views.GUIDES))
def test_links_between_guides_point_at_existing_sections(client, slug):
    prefix = "/przewodniki/"
    for link in site_links(guide_text(slug)):
        parts = urlsplit(link)
        if not parts.path.startswith(prefix):
            continue
        target = parts.path.removeprefix(prefix).strip("/")
        assert target in views.GUIDES, link
        if parts.fragment:
            contents = client.get(reverse("pages:guide", args=[target])).context["guide"].contents
            assert parts.fragment in [anchor for anchor, _text in contents], link


def test_guides_for_organizations_and_officials_link_to_each_other():
    for slug, others in [
        ("komisja", ["/przewodniki/ocena-i-rozliczenie/"]),
        ("ocena-i-rozliczenie", ["/przewodniki/komisja/", "/przewodniki/umowa-i-sprawozdania/"]),
        ("umowa-i-sprawozdania", ["/przewodniki/oferta/"]),
    ]:
        paths = [urlsplit(link).path for link in site_links(guide_text(slug))]
        for other in others:
            assert other in paths, (slug, other)


def test_guide_for_organizations_links_to_its_to_do_list_and_agreements():
    links = site_links(guide_text("umowa-i-sprawozdania"))

    assert reverse("agreements:obligations") in links
    assert reverse("agreements:list") in links


def test_guide_for_officials_links_to_the_statistics_and_open_data():
    links = site_links(guide_text("ocena-i-rozliczenie"))

    for url in [
        reverse("evaluations:index"),
        reverse("agreements:statistics"),
        reverse("api-docs"),
        reverse("api:grants-360giving-json"),
        reverse("api:grants-360giving-csv"),
    ]:
        assert url in links, url


# Migration 0005: the "public tasks" plane page links the guides and the open data.


def plane_page():
    return Page.objects.get(slug="zadania-publiczne")


def set_bodies(pl, en):
    Page.objects.filter(slug="zadania-publiczne").update(body_pl=pl, body_en=en)


def test_after_migrations_the_plane_links_to_the_guides_statistics_and_open_data(client):
    html = client.get(reverse("pages:plane", args=["zadania-publiczne"])).content.decode()

    for url in [
        *(
            reverse("pages:guide", args=[slug])
            for slug in views.GUIDES
            if slug not in POLICY_GUIDES | INFRASTRUCTURE_GUIDES
        ),
        reverse("agreements:statistics"),
        reverse("agreements:obligations"),
        reverse("agreements:list"),
        reverse("api-docs"),
        reverse("api:grants-360giving-json"),
        reverse("api:grants-360giving-csv"),
    ]:
        assert f'href="{url}"' in html, url
    assert "Co pojawi się później" not in plane_page().body_pl


def test_the_policy_plane_links_to_consultations_the_tracker_and_their_guides(client):
    html = client.get(reverse("pages:plane", args=["polityki"])).content.decode()

    for url in [
        *(reverse("pages:guide", args=[slug]) for slug in POLICY_GUIDES),
        reverse("consultations:list"),
        reverse("consultations:tracker"),
    ]:
        assert f'href="{url}"' in html, url


def test_every_link_of_the_new_plane_text_leads_to_a_page_of_the_site():
    links = site_links(NEW_PL) + site_links(NEW_EN)

    assert unresolved(links) == []
    assert sorted(set(site_links(NEW_PL))) == sorted(set(site_links(NEW_EN)))


def test_migration_replaces_the_untouched_text_of_0004_in_both_languages():
    set_bodies(PREVIOUS_PL, PREVIOUS_EN)

    update.update_page(apps, None)

    page = plane_page()
    assert (page.body_pl, page.body_en) == (NEW_PL, NEW_EN)


def test_migration_treats_a_body_saved_unchanged_with_crlf_as_untouched():
    set_bodies(PREVIOUS_PL.replace("\n", "\r\n"), PREVIOUS_EN)

    update.update_page(apps, None)

    assert plane_page().body_pl == NEW_PL


def test_migration_leaves_a_body_an_administrator_edited():
    edited = PREVIOUS_PL + "\n\nDopisek wydziału."
    set_bodies(edited, PREVIOUS_EN)

    update.update_page(apps, None)

    page = plane_page()
    assert page.body_pl == edited
    assert page.body_en == NEW_EN


def test_migration_marks_the_pages_as_changed_for_the_page_cache():
    set_bodies(PREVIOUS_PL, PREVIOUS_EN)
    Freshness.objects.filter(key="pages").delete()

    update.update_page(apps, None)

    assert Freshness.objects.filter(key="pages").exists()


def test_migration_without_anything_to_replace_changes_nothing():
    set_bodies("Własny tekst.", "Own text.")
    before = plane_page().updated_at

    update.update_page(apps, None)

    assert plane_page().updated_at == before


def test_reverse_restores_the_text_of_0004_but_not_an_edited_one():
    edited = NEW_EN + "\n\nAn official's note."
    set_bodies(NEW_PL, edited)

    update.restore_page(apps, None)

    page = plane_page()
    assert page.body_pl == PREVIOUS_PL
    assert page.body_en == edited


def test_migration_does_nothing_without_the_plane_page():
    Page.objects.filter(slug="zadania-publiczne").delete()

    update.update_page(apps, None)

    assert not Page.objects.filter(slug="zadania-publiczne").exists()
