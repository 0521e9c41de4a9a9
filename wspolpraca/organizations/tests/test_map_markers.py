"""The map markers' images are addressed through the static files storage.

In production the storage (whitenoise's CompressedManifestStaticFilesStorage) gives every
file a hashed name, so Leaflet's own guess of where its images lie fails (a 404 for
marker-icon.png under the page's path and a broken image on every point). Both maps take
the URLs from the page instead. HashedNamesStorage stands in for the production storage:
it changes every name the way the manifest does, so only a {% static %} URL can match.
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import StaticFilesStorage
from django.urls import reverse

from conftest import login
from wspolpraca.organizations.models import Membership
from wspolpraca.organizations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

IMAGES = {
    "data-icon-url": "leaflet/images/marker-icon.png",
    "data-icon-retina-url": "leaflet/images/marker-icon-2x.png",
    "data-shadow-url": "leaflet/images/marker-shadow.png",
}


class HashedNamesStorage(StaticFilesStorage):
    def url(self, name):
        return super().url(re.sub(r"\.(png|js|css)$", r".0123abcd.\1", name))


@pytest.fixture
def hashed_static_names(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": f"{__name__}.HashedNamesStorage"},
    }


def attribute(html, name):
    found = re.search(rf'\s{name}="([^"]*)"', html)
    assert found, f"no {name} in the page"
    return found.group(1)


@pytest.mark.parametrize("name, path", IMAGES.items())
def test_the_marker_images_exist_among_the_static_files(name, path):
    assert finders.find(path), path


@pytest.mark.usefixtures("hashed_static_names")
@pytest.mark.parametrize("name, path", IMAGES.items())
def test_the_public_map_gives_leaflet_the_static_urls_of_the_marker_images(client, name, path):
    html = client.get(reverse("organizations:map")).content.decode()
    assert attribute(html, name) == "/static/" + path.replace(".png", ".0123abcd.png")


@pytest.mark.usefixtures("hashed_static_names")
@pytest.mark.parametrize("name, path", IMAGES.items())
def test_the_map_picker_gives_leaflet_the_static_urls_of_the_marker_images(
    client, organization, name, path
):
    admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    login(client, admin)
    html = client.get(reverse("organizations:edit", args=[organization.slug])).content.decode()
    picker = re.search(r"<div class=\"map-picker\"[^>]*>", html).group(0)
    assert attribute(picker, name) == "/static/" + path.replace(".png", ".0123abcd.png")


def test_the_map_pickers_marker_is_named_in_polish(client, organization):
    admin = MembershipFactory(organization=organization, role=Membership.Role.ADMIN).user
    login(client, admin)
    html = client.get(reverse("organizations:edit", args=[organization.slug])).content.decode()
    picker = re.search(r"<div class=\"map-picker\"[^>]*>", html).group(0)
    # Leaflet gives it to the marker as its alt text and title (core/map_picker.js).
    label = attribute(picker, "data-marker-label")
    assert label == "Miejsce organizacji (przeciągnij, aby przesunąć)"
