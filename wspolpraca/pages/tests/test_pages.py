"""Content pages (III5): initial content, Markdown, languages, publication, admin."""

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import login
from wspolpraca.core.models import AuditEntry
from wspolpraca.pages.models import Page
from wspolpraca.pages.tests.factories import PageFactory

pytestmark = pytest.mark.django_db

INITIAL_SLUGS = ["przewodnik", "pakiet-na-start", "polityki", "zadania-publiczne", "infrastruktura"]


@pytest.mark.parametrize("slug", INITIAL_SLUGS)
def test_initial_page_exists_after_migrations_in_both_languages(slug):
    page = Page.objects.get(slug=slug)

    assert page.is_published
    assert page.title_pl and page.title_en and page.body_pl and page.body_en


@pytest.mark.parametrize("slug", ["przewodnik", "pakiet-na-start"])
def test_content_page_linked_from_the_footer_opens(client, slug):
    response = client.get(reverse("pages:detail", args=[slug]))

    assert response.status_code == 200


@pytest.mark.parametrize("slug", ["polityki", "zadania-publiczne", "infrastruktura"])
def test_plane_page_linked_from_the_navigation_opens(client, slug):
    response = client.get(reverse("pages:plane", args=[slug]))

    assert response.status_code == 200


def test_plane_page_links_to_what_exists_now(client):
    html = client.get(reverse("pages:plane", args=["infrastruktura"])).content.decode()

    for url in [
        "/organizacje/",
        "/organizacje/mapa/",
        "/miasto/koordynatorzy/",
        "/strony/przewodnik/",
    ]:
        assert f'href="{url}"' in html


def test_plane_page_lists_pages_marked_to_show_in_that_plane(client):
    PageFactory(
        title_pl="Sale dla organizacji", plane=Page.Plane.INFRASTRUCTURE, show_in_plane=True
    )
    PageFactory(title_pl="Strona gdzie indziej", plane=Page.Plane.POLICY, show_in_plane=True)

    html = client.get(reverse("pages:plane", args=["infrastruktura"])).content.decode()

    assert "Sale dla organizacji" in html
    assert "Strona gdzie indziej" not in html


def test_unknown_plane_slug_gives_404(client):
    PageFactory(slug="inna-strona")

    response = client.get(reverse("pages:plane", args=["inna-strona"]))

    assert response.status_code == 404


def test_markdown_body_is_rendered_as_html(client):
    page = PageFactory(body_pl="## Formy współpracy\n\n- konkursy\n- małe granty")

    html = client.get(reverse("pages:detail", args=[page.slug])).content.decode()

    assert "<h2>Formy współpracy</h2>" in html
    assert "<li>małe granty</li>" in html


def test_script_in_a_page_body_is_not_rendered(client):
    page = PageFactory(
        body_pl='Tekst <script>alert("x")</script> <a href="javascript:alert(1)">link</a>'
    )

    html = client.get(reverse("pages:detail", args=[page.slug])).content.decode()

    assert 'alert("x")' not in html
    assert "javascript:" not in html


def test_unpublished_page_gives_404_to_the_public(client):
    page = PageFactory(is_published=False)

    response = client.get(reverse("pages:detail", args=[page.slug]))

    assert response.status_code == 404


def test_unpublished_page_gives_404_to_a_signed_in_non_staff_user(client, outsider):
    page = PageFactory(is_published=False)
    login(client, outsider)

    response = client.get(reverse("pages:detail", args=[page.slug]))

    assert response.status_code == 404


def test_staff_can_preview_an_unpublished_page(client, platform_admin):
    page = PageFactory(is_published=False, title_pl="Szkic strony")
    login(client, platform_admin)

    response = client.get(reverse("pages:detail", args=[page.slug]))

    assert response.status_code == 200
    assert "Szkic strony" in response.content.decode()


def test_english_reader_sees_the_english_title(client):
    page = PageFactory(title_pl="Przewodnik testowy", title_en="Test guide")
    client.cookies["django_language"] = "en"

    html = client.get(reverse("pages:detail", args=[page.slug])).content.decode()

    assert "Test guide" in html
    assert "Przewodnik testowy" not in html


def test_title_property_follows_the_active_language():
    page = PageFactory.build(title_pl="Po polsku", title_en="In English")

    with translation.override("en"):
        assert page.title == "In English"
    with translation.override("pl"):
        assert page.title == "Po polsku"


def test_untranslated_page_falls_back_to_polish_marked_with_lang(client):
    page = PageFactory(title_pl="Tylko po polsku", title_en="", body_pl="Treść polska.", body_en="")
    client.cookies["django_language"] = "en"

    html = client.get(reverse("pages:detail", args=[page.slug])).content.decode()

    assert '<h1 lang="pl">Tylko po polsku</h1>' in html
    assert 'lang="pl">\n  <p>Treść polska.</p>' in html


def test_page_has_exactly_one_h1(client):
    html = client.get(reverse("pages:detail", args=["przewodnik"])).content.decode()

    assert html.count("<h1") == 1


def test_anonymous_visitor_cannot_open_the_page_admin(client):
    response = client.get(reverse("admin:pages_page_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_outsider_cannot_open_the_page_admin(client, outsider):
    login(client, outsider)

    response = client.get(reverse("admin:pages_page_changelist"))

    assert response.status_code == 302


def test_page_admin_change_form_has_a_preview_link(client, platform_admin):
    page = PageFactory(is_published=False)
    login(client, platform_admin)

    html = client.get(reverse("admin:pages_page_change", args=[page.pk])).content.decode()

    assert f'href="{reverse("pages:detail", args=[page.slug])}"' in html


def test_editing_a_page_in_the_admin_records_an_audit_entry(client, platform_admin):
    page = PageFactory(title_pl="Stary tytuł")
    login(client, platform_admin)

    client.post(
        reverse("admin:pages_page_change", args=[page.pk]),
        {
            "slug": page.slug,
            "is_published": "on",
            "plane": "none",
            "position": 0,
            "title_pl": "Nowy tytuł",
            "summary_pl": page.summary_pl,
            "body_pl": page.body_pl,
            "title_en": page.title_en,
            "summary_en": page.summary_en,
            "body_en": page.body_en,
        },
    )

    entry = AuditEntry.objects.get(action="page.updated")
    assert entry.changes == {"title_pl": ["Stary tytuł", "Nowy tytuł"]}
