"""The directory's map, read per map tile: the points of a tile, or clusters of them.

The map asks for the whole filtered set first. A small set comes back as points (and the
map fits itself to them); a large one is read per tile of the Web Mercator grid (`z/x/y`,
the grid of the map's own background tiles), so a request reads only its square of the
city, and tiles are the same URLs for everyone, cached like any public page. A tile with
more points than a map can show legibly sends clusters instead: the points grouped in SQL
on a grid of CLUSTER_GRID × CLUSTER_GRID cells, each cell with its count and mean place.
"""

import math
from typing import NamedTuple

from django.db.models import Avg, Count, F, FloatField, Func, IntegerField
from django.db.models.functions import Cast
from django.utils.translation import gettext as _

MAX_ZOOM = 18
CLUSTER_GRID = 4  # cells per side of a 256-pixel tile: a cluster covers up to 64 pixels


class Tile(NamedTuple):
    z: int
    x: int
    y: int

    @classmethod
    def from_query(cls, query):
        """The tile named by `z`, `x` and `y` in `query`, None when none is named.

        Raises ValueError with {parameter: [message]} when a value is not a tile.
        """
        given = {name: query.get(name) for name in ("z", "x", "y")}
        if all(value in (None, "") for value in given.values()):
            return None
        errors = {}
        z = _whole(given["z"], 0, MAX_ZOOM)
        if z is None:
            errors["z"] = [_("Give a whole number from 0 to %(max)d.") % {"max": MAX_ZOOM}]
        else:
            for name in ("x", "y"):
                if _whole(given[name], 0, 2**z - 1) is None:
                    errors[name] = [_("Give a whole number from 0 to %(max)d.") % {"max": 2**z - 1}]
        if errors:
            raise ValueError(errors)
        return cls(z, int(given["x"]), int(given["y"]))

    def bounds(self):
        """(west, south, east, north) in degrees."""
        n = 2**self.z

        def latitude(y):
            return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / n))))

        west = self.x / n * 360 - 180
        east = (self.x + 1) / n * 360 - 180
        return west, latitude(self.y + 1), east, latitude(self.y)


def _whole(value, low, high):
    if value is None or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if low <= number <= high else None


def in_tile(queryset, tile):
    """The rows placed in `tile`: west and south edges in, east and north out, so a point on
    an edge belongs to one tile only."""
    west, south, east, north = tile.bounds()
    return queryset.filter(
        latitude__gte=south, latitude__lt=north, longitude__gte=west, longitude__lt=east
    )


class _Cell(Func):
    """The whole part of a non-negative number: CAST truncates on SQLite, FLOOR on
    PostgreSQL (whose CAST rounds)."""

    template = "CAST(%(expressions)s AS INTEGER)"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="FLOOR(%(expressions)s)::integer", **extra_context
        )


def cluster_features(queryset, tile):
    """The rows of `queryset` in `tile` grouped in the database on the tile's grid: one
    GeoJSON feature per cell that holds any, at the mean place of its points, with their
    number (`count`)."""
    west, south, east, north = tile.bounds()
    # Within a tile latitude is near enough linear for grouping: cells are rows of the grid.
    cells = (
        in_tile(queryset, tile)
        .order_by()
        .annotate(
            cell_x=_Cell((F("longitude") - west) * (CLUSTER_GRID / (east - west))),
            cell_y=_Cell((north - F("latitude")) * (CLUSTER_GRID / (north - south))),
        )
        .values("cell_x", "cell_y")
        .annotate(
            points=Count("*"),
            mean_latitude=Avg(Cast("latitude", FloatField())),
            mean_longitude=Avg(Cast("longitude", FloatField())),
        )
        .order_by("cell_y", "cell_x")
    )
    return [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [round(cell["mean_longitude"], 6), round(cell["mean_latitude"], 6)],
            },
            "properties": {"count": cell["points"]},
        }
        for cell in cells
    ]
