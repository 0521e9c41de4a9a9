"""The site's own 400, 403, 404 and 500 pages, in Polish and in English, with DEBUG off.

This module is also the URL configuration of its tests: the site's URLs plus views that
fail on purpose.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import include, path, reverse
from django.utils.translation import gettext, override

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


def refuse(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("a forged request")


def crash(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/403/", refuse),
    path("test-errors/400/", suspicious),
    path("test-errors/500/", crash),
    path("", include("wspolpraca.urls")),
]


def polish(text):
    """The Polish of a message (the catalogue may not be compiled yet while it is written)."""
    with override("pl"):
        return gettext(text)


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_an_unknown_address_gets_the_sites_404_page_in_polish(client):
    response = client.get("/nie-ma-takiej-strony/")
    assert response.status_code == 404
    page = response.content.decode()
    assert polish("Page not found") in page
    assert 'lang="pl"' in page
    assert 'class="site-header"' in page
    assert 'href="/organizacje/"' in page


def test_the_404_page_speaks_english_when_chosen(english):
    response = english.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_refused_request_gets_the_sites_403_page(client):
    response = client.get("/test-errors/403/")
    assert response.status_code == 403
    page = response.content.decode()
    assert polish("Access denied") in page
    assert 'lang="pl"' in page
    assert 'class="site-header"' in page


def test_the_403_page_speaks_english_when_chosen(english):
    assert "Access denied" in english.get("/test-errors/403/").content.decode()


def test_a_bad_request_gets_the_sites_400_page(client):
    response = client.get("/test-errors/400/")
    assert response.status_code == 400
    page = response.content.decode()
    assert polish("Bad request") in page
    assert 'lang="pl"' in page
    assert 'class="site-header"' in page


def test_the_400_page_speaks_english_when_chosen(english):
    assert "Bad request" in english.get("/test-errors/400/").content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_sites_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@example.org"})
    assert response.status_code == 403
    page = response.content.decode()
    assert polish("The form has expired") in page
    assert 'lang="pl"' in page
    assert 'class="site-header"' in page


def test_a_crash_gets_the_sites_500_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/test-errors/500/")
    assert response.status_code == 500
    page = response.content.decode()
    assert polish("Server error") in page
    assert 'lang="pl"' in page
    assert 'class="site-header"' in page
    assert "a bug" not in page
    assert "RuntimeError" not in page


def test_the_500_page_speaks_english_when_chosen(settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Server error" in client.get("/test-errors/500/").content.decode()


def test_the_500_page_renders_without_a_request_or_the_database(django_assert_num_queries):
    from django.template import loader

    with django_assert_num_queries(0):
        page = loader.get_template("500.html").render()
    assert 'href="/"' in page


def test_a_crash_is_logged_with_its_traceback(caplog):
    client = Client(raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        client.get("/test-errors/500/")
    record = next(r for r in caplog.records if r.name == "django.request")
    assert record.exc_info is not None
    assert record.exc_info[0] is RuntimeError
