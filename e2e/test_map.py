"""The map shows the same organizations as the filtered list."""

import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, visit

TILES = re.compile(r"^https?://([a-z0-9-]+\.)*tile\.openstreetmap\.org/")
MARKER_IMAGE = re.compile(r"marker-(icon|shadow)")
# Production's static storage (whitenoise's, a ManifestStaticFilesStorage) hashes the names.
HASHED_STORAGE = "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"


def watch_marker_images(page):
    """Every request for a marker image that fails: a 4xx/5xx answer or no answer at all."""
    failed = []
    page.on(
        "response",
        lambda r: MARKER_IMAGE.search(r.url) and r.status >= 400 and failed.append(r.url),
    )
    page.on("requestfailed", lambda r: MARKER_IMAGE.search(r.url) and failed.append(r.url))
    return failed


def assert_markers_are_drawn_and_named(page, name):
    icons = page.locator("#map img.leaflet-marker-icon")
    expect(icons).to_have_count(1)
    expect(icons).to_have_attribute("alt", name)
    page.wait_for_load_state("networkidle")
    images = page.locator("#map img.leaflet-marker-icon, #map img.leaflet-marker-shadow")
    broken = images.evaluate_all(
        "images => images.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    assert broken == []


@pytest.fixture(scope="session")
def hashed_static_root(tmp_path_factory):
    """The static files collected as production collects them, with hashed names."""
    root = tmp_path_factory.mktemp("static")
    storages = {"staticfiles": {"BACKEND": HASHED_STORAGE}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def test_map_loads_the_filtered_organizations(page, directory_data):
    # No network here: tiles are answered with an empty image at once.
    page.route(TILES, lambda route: route.fulfill(status=200, body=b"", content_type="image/png"))
    failed_marker_images = watch_marker_images(page)
    visit(page, reverse("organizations:list") + "?district=13&area=16")
    with page.expect_response(re.compile(r"/mapa\.geojson")) as geojson:
        with page.expect_navigation():
            page.locator("a[href*='/organizacje/mapa/']").first.click()
    assert "district=13" in page.url and "area=16" in page.url
    response = geojson.value
    assert response.ok
    assert "district=13" in response.url and "area=16" in response.url
    names = [feature["properties"]["name"] for feature in response.json()["features"]]
    assert names == [directory_data.lodz.name]
    # Leaflet drew one marker for it, named after it, and its image loaded.
    assert_markers_are_drawn_and_named(page, directory_data.lodz.name)
    assert failed_marker_images == []
    check_a11y(page)


def test_markers_load_when_the_static_files_have_hashed_names(
    page, directory_data, settings, hashed_static_root
):
    # As in production (DEBUG=0): {% static %} gives hashed names, where Leaflet's own
    # guess of its image folder (from leaflet.css's name) used to fail with a 404.
    settings.STATIC_ROOT = hashed_static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": HASHED_STORAGE}}

    def serve_collected(route):
        name = re.sub(r"^https?://[^/]+/static/", "", route.request.url.split("?")[0])
        path = hashed_static_root / name
        if path.is_file():
            route.fulfill(path=path)
        else:
            route.fulfill(status=404, body=b"")

    page.route(re.compile(r"^http://(127\.0\.0\.1|localhost):\d+/static/"), serve_collected)
    failed_marker_images = watch_marker_images(page)
    visit(page, reverse("organizations:map") + "?district=13&area=16", a11y=False)
    assert re.search(r"/leaflet\.[0-9a-f]{12}\.js", page.content())
    assert_markers_are_drawn_and_named(page, directory_data.lodz.name)
    assert failed_marker_images == []


def test_a_large_set_is_drawn_as_clusters_that_zoom_in_when_chosen(page, monkeypatch):
    from wspolpraca.organizations import views
    from wspolpraca.organizations.tests.factories import OrganizationFactory

    # As with tens of thousands of organizations: too many for one answer, and too many
    # for one tile, so the map reads tiles and draws clusters.
    monkeypatch.setattr(views, "MAP_POINTS", 2)
    monkeypatch.setattr(views, "TILE_POINTS", 2)
    for n in range(4):
        OrganizationFactory(name=f"Rynek {n}", latitude="50.061700", longitude="19.937300")
    OrganizationFactory(name="Daleko", latitude="50.020000", longitude="20.010000")
    page.route(TILES, lambda route: route.fulfill(status=200, body=b"", content_type="image/png"))
    visit(page, reverse("organizations:map"), a11y=False)
    cluster = page.locator("#map .map-cluster", has_text="4")
    expect(cluster).to_have_attribute("aria-label", re.compile(r"\b4\b"))
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    expect(page.locator("#map img.leaflet-marker-icon[alt='Daleko']")).to_have_count(1)
    # Chosen from the keyboard, the cluster zooms in by two levels (the background asks
    # for zoom-14 tiles); there its tile still holds the same four.
    cluster.focus()
    with page.expect_request(re.compile(r"tile\.openstreetmap\.org/14/")):
        page.keyboard.press("Enter")
    expect(page.locator("#map .map-cluster", has_text="4")).to_have_count(1)
