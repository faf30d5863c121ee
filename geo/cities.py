"""The two cities: one record each with every fact the code needs about a city."""

from __future__ import annotations

from dataclasses import dataclass

from geo.errors import InputError


@dataclass(frozen=True)
class City:
    """One city the product covers.

    Attributes
    ----------
    id
        Stable snake_case id, used in data, URLs and cache keys (also its 2GIS project name).
    names
        (language, name) pairs for ``kk``, ``ru`` and ``en``.
    bbox_lon_lat
        A generous envelope around the administrative area, (minx, miny, maxx, maxy) in
        WGS 84 degrees: west, south, east, north. It catches swapped coordinates and typos,
        not district-level mistakes, and decides which city a position is in.
    metric_crs
        The projected CRS (metres) for distances, lengths and areas: the city's UTM zone.
    view_center_lat_lon
        Where a map of the city is centred, (latitude, longitude) in degrees.
    view_zoom
        The zoom level that frames the city.
    has_banks
        Whether the city lies on both banks of the Esil, so that a bank filter applies.
    """

    id: str
    names: tuple[tuple[str, str], ...]
    bbox_lon_lat: tuple[float, float, float, float]
    metric_crs: str
    view_center_lat_lon: tuple[float, float]
    view_zoom: int
    has_banks: bool = False

    def name_in(self, lang: str) -> str:
        """Return the city's name in a language (``kk``, ``ru`` or ``en``), else English."""
        names = dict(self.names)
        return names.get(lang) or names["en"]

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether a position (WGS 84 degrees) lies in the city's envelope."""
        minx, miny, maxx, maxy = self.bbox_lon_lat
        return minx <= lon <= maxx and miny <= lat <= maxy


CITIES: tuple[City, ...] = (
    City(
        id="astana",
        names=(("kk", "Астана"), ("ru", "Астана"), ("en", "Astana")),
        bbox_lon_lat=(71.15, 50.80, 71.85, 51.40),
        metric_crs="EPSG:32642",  # UTM zone 42N
        view_center_lat_lon=(51.118, 71.425),
        view_zoom=12,
        has_banks=True,
    ),
    City(
        id="almaty",
        names=(("kk", "Алматы"), ("ru", "Алматы"), ("en", "Almaty")),
        bbox_lon_lat=(76.60, 42.95, 77.25, 43.45),
        metric_crs="EPSG:32643",  # UTM zone 43N
        view_center_lat_lon=(43.252, 76.928),
        view_zoom=13,
    ),
)
CITY_IDS: tuple[str, ...] = tuple(c.id for c in CITIES)
# The view that frames both cities together (they are 1,000 km apart).
BOTH_VIEW_CENTER_LAT_LON: tuple[float, float] = (47.3, 74.2)
BOTH_VIEW_ZOOM = 5


def city_by_id(city_id: str) -> City:
    """Return the city with this id.

    Parameters
    ----------
    city_id
        ``"astana"`` or ``"almaty"``.

    Returns
    -------
    City
        Its record.

    Raises
    ------
    InputError
        If no city has this id.
    """
    for city in CITIES:
        if city.id == city_id:
            return city
    msg = f"city must be one of {sorted(CITY_IDS)}, got {city_id!r}; use a known city id"
    raise InputError(msg)


def view_of(choice: str) -> tuple[tuple[float, float], int]:
    """Return the (centre (lat, lon), zoom) that frames a city choice.

    Parameters
    ----------
    choice
        A city id, or ``"both"`` for the two cities together.

    Returns
    -------
    tuple
        ((latitude, longitude) in degrees, zoom level).

    Raises
    ------
    InputError
        If the choice is neither ``"both"`` nor a city id.
    """
    if choice == "both":
        return BOTH_VIEW_CENTER_LAT_LON, BOTH_VIEW_ZOOM
    city = city_by_id(choice)
    return city.view_center_lat_lon, city.view_zoom
