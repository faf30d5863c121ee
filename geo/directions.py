"""Links to walking directions in 2GIS and OpenStreetMap between two positions."""

from __future__ import annotations

from urllib.parse import quote


def _pair(a: float, b: float) -> str:
    return f"{a:.6f},{b:.6f}"


def directions_2gis(
    from_lat_lon: tuple[float, float], to_lat_lon: tuple[float, float], *, city: str
) -> str:
    """Return a 2GIS link with a route between two positions (longitude first, as 2GIS wants).

    Parameters
    ----------
    from_lat_lon, to_lat_lon
        Positions as (latitude, longitude) in WGS 84 degrees.
    city
        The city's id, which is also its 2GIS project name (``"astana"``, ``"almaty"``).

    Returns
    -------
    str
        For example ``https://2gis.kz/astana/directions/points/71.43%2C51.128%7C...``.
    """
    points = f"{_pair(from_lat_lon[1], from_lat_lon[0])}|{_pair(to_lat_lon[1], to_lat_lon[0])}"
    return f"https://2gis.kz/{quote(city)}/directions/points/{quote(points, safe='')}"


def directions_osm(from_lat_lon: tuple[float, float], to_lat_lon: tuple[float, float]) -> str:
    """Return an openstreetmap.org link with a walking route (OSRM foot) between two positions.

    Parameters
    ----------
    from_lat_lon, to_lat_lon
        Positions as (latitude, longitude) in WGS 84 degrees.

    Returns
    -------
    str
        The link.
    """
    route = f"{_pair(*from_lat_lon)};{_pair(*to_lat_lon)}"
    return "https://www.openstreetmap.org/directions?engine=fossgis_osrm_foot&route=" + quote(
        route, safe=""
    )
