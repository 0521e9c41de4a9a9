"""The map's GeoJSON: the whole filtered set when it is small, else per tile, with
clusters where a tile holds too many points (both databases)."""

import pytest
from django.urls import reverse

from wspolpraca.organizations import views
from wspolpraca.organizations.mapping import Tile
from wspolpraca.organizations.tests.factories import DistrictFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

# The zoom-12 tile over Kraków's old town, and a place inside it.
OLD_TOWN = {"z": 12, "x": 2274, "y": 1388}
INSIDE = ("50.0500", "19.9000")


def geojson(client, **params):
    response = client.get(reverse("organizations:map_points"), params)
    assert response.status_code == 200
    return response.json()


def place(n, latitude=INSIDE[0], longitude=INSIDE[1], **fields):
    return [
        OrganizationFactory(name=f"Punkt {i}", latitude=latitude, longitude=longitude, **fields)
        for i in range(n)
    ]


def test_tile_bounds_follow_the_web_mercator_grid():
    west, south, east, north = Tile(0, 0, 0).bounds()
    assert (west, east) == (-180, 180)
    assert north == pytest.approx(85.0511, abs=1e-4)
    assert south == pytest.approx(-85.0511, abs=1e-4)
    west, south, east, north = Tile(**OLD_TOWN).bounds()
    assert west < 19.9366 < east and south < 50.0614 < north


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"z": "19", "x": "0", "y": "0"}, "z"),
        ({"z": "2", "x": "4", "y": "0"}, "x"),
        ({"z": "2", "x": "0", "y": "-1"}, "y"),
        ({"z": "x", "x": "0", "y": "0"}, "z"),
        ({"z": "3"}, "x"),
    ],
)
def test_a_tile_that_does_not_exist_is_refused_naming_the_value(client, params, field):
    response = client.get(reverse("organizations:map_points"), params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_small_set_comes_whole(client):
    place(3)
    body = geojson(client)
    assert "tiled" not in body
    assert len(body["features"]) == 3


def test_a_large_set_asks_the_map_to_read_it_per_tile(client, monkeypatch):
    monkeypatch.setattr(views, "MAP_POINTS", 2)
    place(3)
    assert geojson(client) == {"type": "FeatureCollection", "tiled": True, "features": []}


def test_a_tile_sends_only_its_own_points(client):
    place(2)
    OrganizationFactory(name="Nowa Huta", latitude="50.0700", longitude="20.0500")
    features = geojson(client, **OLD_TOWN)["features"]
    assert sorted(f["properties"]["name"] for f in features) == ["Punkt 0", "Punkt 1"]


def test_a_point_on_the_edge_of_two_tiles_is_sent_once(client):
    west, _south, _east, _north = Tile(**OLD_TOWN).bounds()
    OrganizationFactory(name="Na granicy", latitude=INSIDE[0], longitude=f"{west:.6f}")
    # The decimal column rounds to 6 places: whichever side that lands on, one tile has it.
    left = geojson(client, z=12, x=OLD_TOWN["x"] - 1, y=OLD_TOWN["y"])["features"]
    right = geojson(client, **OLD_TOWN)["features"]
    assert len(left) + len(right) == 1


def test_a_crowded_tile_sends_clusters_that_count_every_point(client, monkeypatch):
    monkeypatch.setattr(views, "TILE_POINTS", 3)
    place(4)
    place(2, latitude="50.0200", longitude="19.8700")
    features = geojson(client, **OLD_TOWN)["features"]
    assert sorted(f["properties"]["count"] for f in features) == [2, 4]
    assert all("name" not in f["properties"] for f in features)
    big = next(f for f in features if f["properties"]["count"] == 4)
    assert big["geometry"]["coordinates"] == [19.9, 50.05]


def test_clusters_follow_the_filters(client, monkeypatch):
    monkeypatch.setattr(views, "TILE_POINTS", 1)
    podgorze = DistrictFactory(number=13, roman="XIII", name="Podgórze")
    place(3, district=podgorze)
    place(5)
    features = geojson(client, district=13, **OLD_TOWN)["features"]
    assert [f["properties"]["count"] for f in features] == [3]


def test_hidden_organizations_are_not_counted_in_clusters(client, monkeypatch):
    monkeypatch.setattr(views, "TILE_POINTS", 1)
    place(2)
    place(3, is_hidden=True)
    features = geojson(client, **OLD_TOWN)["features"]
    assert [f["properties"]["count"] for f in features] == [2]


@pytest.mark.parametrize("count", [3, 30])
def test_a_tile_makes_the_same_queries_whatever_it_holds(
    client, django_assert_num_queries, monkeypatch, count
):
    monkeypatch.setattr(views, "TILE_POINTS", 2)
    place(count)
    # when the data last changed, the capped count, the clusters
    with django_assert_num_queries(3):
        geojson(client, **OLD_TOWN)
