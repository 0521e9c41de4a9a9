"""User guides: Markdown files in docs/guides/, rendered at /przewodniki/<slug>/."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from conftest import login
from wspolpraca.accounts.models import User
from wspolpraca.city.tests.factories import DepartmentFactory
from wspolpraca.competitions.models import Call
from wspolpraca.competitions.tests.factories import CallFactory
from wspolpraca.competitions.tests.test_schedule import staff
from wspolpraca.offers.tests.factories import complete_offer
from wspolpraca.organizations.tests.factories import MembershipFactory
from wspolpraca.pages import views

pytestmark = pytest.mark.django_db

GUIDE_SLUGS = sorted(views.GUIDES)


def guide_file(slug):
    return Path(settings.BASE_DIR) / "docs" / "guides" / views.GUIDES[slug]


def first_section_heading(slug):
    return re.search(r"^## (.+)$", guide_file(slug).read_text(encoding="utf-8"), re.M).group(1)


def test_each_guide_is_a_file_kept_in_the_repository():
    # BASE_DIR is the checkout (the project is installed in editable mode), so a clean
    # clone serves the guides from its own docs/ folder.
    for slug in GUIDE_SLUGS:
        assert guide_file(slug).is_file()


@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_guide_renders_its_title_as_the_only_h1(client, slug):
    title = guide_file(slug).read_text(encoding="utf-8").splitlines()[0].removeprefix("# ")

    html = client.get(reverse("pages:guide", args=[slug])).content.decode()

    assert f"<h1>{title}</h1>" in html
    assert html.count("<h1") == 1


@pytest.mark.parametrize("slug", GUIDE_SLUGS)
def test_guide_lists_its_sections_with_links_to_their_headings(client, slug):
    heading = first_section_heading(slug)

    response = client.get(reverse("pages:guide", args=[slug]))

    html = response.content.decode()
    anchor = response.context["guide"].contents[0][0]
    assert response.context["guide"].contents[0][1] == heading
    assert f'<a href="#{anchor}">{heading}</a>' in html
    assert f'<h2 id="{anchor}">{heading}</h2>' in html


def test_section_anchors_are_plain_ascii_and_unique(client):
    contents = client.get(reverse("pages:guide", args=["oferta"])).context["guide"].contents

    anchors = [anchor for anchor, _text in contents]
    assert len(anchors) == len(set(anchors))
    assert all(re.fullmatch(r"[a-z0-9-]+", anchor) for anchor in anchors)


def test_unknown_guide_is_not_found(client):
    assert client.get("/przewodniki/nieznany/").status_code == 404


def test_a_file_name_in_the_address_is_not_read(client):
    assert client.get("/przewodniki/oferta.md/").status_code == 404
    assert client.get("/przewodniki/..%2F..%2Fmanage.py/").status_code == 404


def test_guide_is_marked_polish_when_the_site_is_in_english(client):
    client.cookies["django_language"] = "en"

    html = client.get(reverse("pages:guide", args=["konkurs"])).content.decode()

    assert '<html lang="en">' in html
    assert '<div class="prose" lang="pl">' in html


def write_guide(folder, text, mtime):
    path = folder / "docs" / "guides" / "oferta.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime, mtime))


def test_guide_is_rendered_again_only_when_its_file_changes(client, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    url = reverse("pages:guide", args=["oferta"])
    write_guide(tmp_path, "# Przewodnik\n\n## Pierwsza wersja\n", 1_000_000_000_000_000_000)
    first = client.get(url).context["guide"]

    assert client.get(url).context["guide"] is first

    write_guide(tmp_path, "# Przewodnik\n\n## Druga wersja\n", 1_000_000_001_000_000_000)
    html = client.get(url).content.decode()

    assert "Druga wersja" in html
    assert "Pierwsza wersja" not in html


def test_missing_guide_file_is_not_found(client, settings, tmp_path):
    settings.BASE_DIR = tmp_path

    assert client.get(reverse("pages:guide", args=["konkurs"])).status_code == 404


def test_raw_html_in_a_guide_is_removed(client, settings, tmp_path):
    settings.BASE_DIR = tmp_path
    write_guide(tmp_path, "# Tytuł\n\n## Część <script>alert(1)</script>\n", 1_000_000_000)

    html = client.get(reverse("pages:guide", args=["oferta"])).content.decode()

    assert "<script>alert(1)" not in html


# Where the guides are linked from.


def guide_url(slug, section=""):
    return reverse("pages:guide", args=[slug]) + (f"#{section}" if section else "")


def section_anchors(client, slug):
    return [anchor for anchor, _text in client.get(guide_url(slug)).context["guide"].contents]


def test_public_tasks_plane_links_to_the_guides_and_the_pages_of_public_tasks(client):
    html = client.get(reverse("pages:plane", args=["zadania-publiczne"])).content.decode()

    for url in [
        guide_url("oferta"),
        guide_url("konkurs"),
        reverse("competitions:calls"),
        reverse("competitions:schedule_latest"),
        reverse("small_grants:list"),
        reverse("offers:list"),
        reverse("city_requests:list"),
    ]:
        assert f'href="{url}"' in html


def test_offer_start_and_check_pages_link_to_the_guide_for_organizations(client):
    offer = complete_offer()
    login(client, MembershipFactory(organization=offer.organization, role="admin").user)

    start = client.get(reverse("offers:start", args=[offer.call.pk])).content.decode()
    check = client.get(reverse("offers:check", args=[offer.pk])).content.decode()

    assert f'href="{guide_url("oferta")}"' in start
    assert f'href="{guide_url("oferta", "termin-co-do-sekundy")}"' in check
    assert "termin-co-do-sekundy" in section_anchors(client, "oferta")


def test_publish_page_of_a_call_links_to_the_guide_for_officials(client):
    department = DepartmentFactory()
    call = CallFactory(department=department, status=Call.Status.DRAFT, published_at=None)
    login(client, staff(User.Role.OFFICIAL, department))

    html = client.get(reverse("admin:competitions_call_publish", args=[call.pk])).content.decode()

    assert f'href="{guide_url("konkurs", "publikacja")}"' in html
    assert "publikacja" in section_anchors(client, "konkurs")
