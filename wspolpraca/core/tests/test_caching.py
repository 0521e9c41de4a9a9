"""Public pages from the cache until their data changes (core.caching)."""

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils.http import http_date

from conftest import login
from wspolpraca.organizations.models import Organization
from wspolpraca.organizations.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    from django.core.cache import caches

    caches["pages"].clear()


def test_an_anonymous_page_may_be_kept_by_browsers_and_proxies(client):
    response = client.get(reverse("organizations:list"))

    assert response["Cache-Control"] == "public, max-age=60"
    assert response.has_header("Last-Modified")
    assert response.has_header("ETag")
    assert "Cookie" in response["Vary"]
    assert not response.cookies


def test_an_anonymous_page_is_served_from_the_cache_with_one_query(
    client, django_assert_num_queries
):
    OrganizationFactory.create_batch(3)
    url = reverse("organizations:list")
    first = client.get(url)

    with django_assert_num_queries(1):  # when the directory last changed
        second = client.get(url)

    assert second.content == first.content


def test_a_change_to_an_organization_shows_at_once(client):
    organization = OrganizationFactory(name="Fundacja Przed Zmianą")
    url = reverse("organizations:detail", args=[organization.slug])
    assert "Fundacja Przed Zmianą" in client.get(url).content.decode()

    organization.name = "Fundacja Po Zmianie"
    organization.save()

    assert "Fundacja Po Zmianie" in client.get(url).content.decode()


def test_hiding_an_organization_removes_it_from_the_cached_list(client):
    organization = OrganizationFactory(name="Fundacja Do Ukrycia")
    url = reverse("organizations:list")
    assert "Fundacja Do Ukrycia" in client.get(url).content.decode()

    organization.is_hidden = True
    organization.save()

    assert "Fundacja Do Ukrycia" not in client.get(url).content.decode()


def test_if_modified_since_gets_304_without_rendering(client, django_assert_num_queries):
    url = reverse("home")
    last_modified = client.get(url)["Last-Modified"]

    with django_assert_num_queries(1):
        response = client.get(url, headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_an_older_copy_is_sent_again_after_a_change(client):
    url = reverse("home")
    client.get(url)
    OrganizationFactory()

    response = client.get(url, headers={"If-Modified-Since": http_date(0)})

    assert response.status_code == 200


def test_a_matching_etag_gets_304(client):
    url = reverse("organizations:map_points")
    etag = client.get(url)["ETag"]

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 304


def test_the_api_is_cached_and_keeps_its_licence_link(client, django_assert_num_queries):
    OrganizationFactory()
    url = reverse("api:organization-list")
    first = client.get(url)

    with django_assert_num_queries(1):
        second = client.get(url)

    assert second.content == first.content
    assert second["Link"] == first["Link"]
    assert second["Content-Type"] == "application/json"


def test_a_signed_in_person_never_gets_the_anonymous_copy(client, org_admin, organization):
    url = reverse("organizations:detail", args=[organization.slug])
    anonymous = client.get(url).content.decode()
    edit_url = reverse("organizations:edit", args=[organization.slug])
    assert edit_url not in anonymous

    login(client, org_admin)
    response = client.get(url)

    assert edit_url in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_an_anonymous_page_sets_no_cookie(client):
    organization = OrganizationFactory()
    for url in (
        reverse("home"),
        reverse("organizations:list"),
        reverse("organizations:detail", args=[organization.slug]),
        reverse("city:coordinators"),
    ):
        assert not client.get(url).cookies, url


def test_a_waiting_message_is_shown_not_a_cached_page(client, rf):
    url = reverse("home")
    client.get(url)
    # A message waits in the cookie storage, as after signing out.
    from django.contrib.messages.storage.cookie import CookieStorage

    request = rf.get("/")
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Wylogowano")
    response = client.get("/")
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value

    assert "Wylogowano" in client.get(url).content.decode()


def test_different_languages_are_cached_apart(client):
    url = reverse("home")
    polish = client.get(url).content.decode()
    client.cookies["django_language"] = "en"

    english = client.get(url).content.decode()

    assert polish != english
    assert 'lang="en"' in english


def test_verifying_an_organization_updates_the_cached_home_counts(client, platform_admin):
    from wspolpraca.organizations import services

    pending = OrganizationFactory(verification=Organization.Verification.PENDING)
    assert client.get(reverse("home")).context["verified_count"] == 0

    services.verify(pending, by=platform_admin)

    assert client.get(reverse("home")).context["verified_count"] == 1


def test_an_edited_page_shows_at_once(client):
    from wspolpraca.pages.tests.factories import PageFactory

    page = PageFactory(title_pl="Stary tytuł")
    url = reverse("pages:detail", args=[page.slug])
    assert "Stary tytuł" in client.get(url).content.decode()

    page.title_pl = "Nowy tytuł"
    page.save()

    assert "Nowy tytuł" in client.get(url).content.decode()


def test_a_stored_page_keeps_its_etag(client):
    url = reverse("organizations:list")
    first = client.get(url)

    second = client.get(url)

    assert second["ETag"] == first["ETag"]
