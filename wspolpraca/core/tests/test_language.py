import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_are_polish_even_for_an_english_browser(client):
    response = client.get(reverse("organizations:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="pl">' in response.content.decode()


def test_the_language_switch_turns_the_site_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/organizacje/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("organizations:list")).content.decode()
    assert '<html lang="en">' in page


def test_an_unknown_language_cookie_falls_back_to_polish(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="pl">' in client.get("/").content.decode()
