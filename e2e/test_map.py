"""The map shows the same organizations as the filtered list."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from e2e.helpers import check_a11y, visit

TILES = re.compile(r"^https?://([a-z0-9-]+\.)*tile\.openstreetmap\.org/")


def test_map_loads_the_filtered_organizations(page, directory_data):
    # No network here: tiles are answered with an empty image at once.
    page.route(TILES, lambda route: route.fulfill(status=200, body=b"", content_type="image/png"))
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
    # Leaflet drew one marker for it.
    expect(page.locator("#map .leaflet-marker-icon")).to_have_count(1)
    check_a11y(page)
