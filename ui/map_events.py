"""What a map reported back: one check of the raw ``st_folium`` value into a typed record.

The value comes from the map's iframe, and anything that can post a message to the page can
forge it: bounds as strings, a zoom of ``"abc"``, NaN, numbers with hundreds of digits,
nested garbage. ``parse_map_event`` is the one place that reads it. Every value is checked by
type and range; what does not fit is left out of the record (``None``) and logged with
``logging.warning``, and the page goes on as if the map had not reported it.
"""

from __future__ import annotations

import logging
import math
import reprlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from layers.render import feature_id_from_drawing
from ui.url_state import MAX_ZOOM, MIN_ZOOM

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_LOGGED_CHARS = 80  # a forged value is logged as a short repr, never whole
MAX_LAT = 90.0
MAX_LON = 180.0
# Leaflet's bounds are not wrapped: a map panned across the antimeridian reports longitudes
# past 180. Two turns either way is more than a map of two cities ever shows.
MAX_BOUNDS_LON = 540.0


@dataclass(frozen=True)
class MapEvent:
    """What a map reported, each value checked; ``None`` where it reported nothing usable.

    Attributes
    ----------
    bbox
        The view as ``(minx, miny, maxx, maxy)`` = (west lon, south lat, east lon, north lat),
        EPSG:4326 degrees.
    center_lat_lon
        The view's centre, (lat, lon) degrees, longitude wrapped into [-180, 180].
    zoom
        The map's zoom level, an integer in [``MIN_ZOOM``, ``MAX_ZOOM``].
    clicked_feature
        (layer id, feature id) of the feature last clicked (see
        ``layers.render.feature_id_from_drawing``).
    object_clicked_lat_lon
        Where the last clicked feature is, (lat, lon) degrees; it tells one click from the next.
    clicked_lat_lon
        Where the map itself was last clicked, (lat, lon) degrees.
    """

    bbox: tuple[float, float, float, float] | None = None
    center_lat_lon: tuple[float, float] | None = None
    zoom: int | None = None
    clicked_feature: tuple[str, str] | None = None
    object_clicked_lat_lon: tuple[float, float] | None = None
    clicked_lat_lon: tuple[float, float] | None = None


# reprlib stops at a depth and a length, so logging a huge or deeply nested value is cheap.
_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother = 3, MAX_LOGGED_CHARS, MAX_LOGGED_CHARS


def _short(value: object) -> str:
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):  # repr of an int past 4,300 digits refuses
        text = f"<{type(value).__name__}>"
    return text if len(text) <= MAX_LOGGED_CHARS else text[: MAX_LOGGED_CHARS - 1] + "…"


def _ignored(field: str, value: object, why: str) -> None:
    log.warning("map message: ignored %s=%s (%s)", field, _short(value), why)


def _number(value: object, *, limit: float) -> float | None:
    """Return a finite number within ±limit, or ``None`` (``bool`` is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and abs(value) > limit:  # before float(): a huge int overflows
        return None
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        return None
    return number


def _lat_lon(value: object, *, lon_limit: float) -> tuple[float, float] | None:
    """Return ``{"lat": ..., "lng": ...}`` as (lat, lon), or ``None`` if it is not one."""
    if not isinstance(value, Mapping):
        return None
    lat = _number(value.get("lat"), limit=MAX_LAT)
    lon = _number(value.get("lng"), limit=lon_limit)
    if lat is None or lon is None:
        return None
    return lat, lon


def _wrapped(lon: float) -> float:
    return lon if -MAX_LON <= lon <= MAX_LON else (lon + MAX_LON) % 360.0 - MAX_LON


def _bbox(value: object) -> tuple[float, float, float, float] | None:
    if not isinstance(value, Mapping):
        return None
    sw = _lat_lon(value.get("_southWest"), lon_limit=MAX_BOUNDS_LON)
    ne = _lat_lon(value.get("_northEast"), lon_limit=MAX_BOUNDS_LON)
    if sw is None or ne is None or sw[0] > ne[0] or sw[1] > ne[1]:
        return None
    return sw[1], sw[0], ne[1], ne[0]


def _zoom(value: object) -> int | None:
    number = _number(value, limit=MAX_ZOOM)
    if number is None or not number.is_integer() or number < MIN_ZOOM:
        return None
    return int(number)


def _center(value: object) -> tuple[float, float] | None:
    lat_lon = _lat_lon(value, lon_limit=MAX_BOUNDS_LON)
    return None if lat_lon is None else (lat_lon[0], _wrapped(lat_lon[1]))


def _drawing_is_feature(value: object) -> bool:
    """Tell a drawing or a feature without our properties (``None`` quietly) from garbage."""
    if not isinstance(value, Mapping):
        return False
    props = value.get("properties")
    return isinstance(props, Mapping) and "layer" not in props and "id" not in props


def _any_lat_lon(value: object) -> tuple[float, float] | None:
    return _lat_lon(value, lon_limit=MAX_BOUNDS_LON)


def _clicked_lat_lon(value: object) -> tuple[float, float] | None:
    return _lat_lon(value, lon_limit=MAX_LON)


def _is_empty(value: object, depth: int = 2) -> bool:
    """Return whether a value reports nothing: ``None``, or objects of nothing but ``None``.

    streamlit-folium's own default for a map without bounds is
    ``{"_southWest": {"lat": None, "lng": None}, ...}``: two levels, and no deeper look is
    needed (a deeper value is not empty, and a forged deep nest costs nothing here).
    """
    if isinstance(value, Mapping):
        return depth > 0 and all(_is_empty(v, depth - 1) for v in value.values())
    return value is None


def _checked(
    raw: Mapping[object, object], field: str, check: Callable[[object], T | None]
) -> T | None:
    """Return ``check(raw[field])``; log a value that is there but does not pass."""
    value = raw.get(field)
    if _is_empty(value):
        return None
    checked = check(value)
    if checked is None and not (field == "last_active_drawing" and _drawing_is_feature(value)):
        _ignored(field, value, "wrong type or out of range")
    return checked


def parse_map_event(raw: object) -> MapEvent:
    """Return what a map reported, keeping only values of the right type and range.

    Never raises. A value that is there but does not fit is logged (``logging.warning``, a
    short repr) and left out; a value that is not there at all is simply ``None``.

    Parameters
    ----------
    raw
        What ``st_folium`` returned: normally a dict with ``bounds``
        (``{"_southWest": {"lat", "lng"}, "_northEast": {...}}``), ``center``
        (``{"lat", "lng"}``), ``zoom``, ``last_active_drawing``, ``last_object_clicked`` and
        ``last_clicked``; in fact any JSON value a message could carry.

    Returns
    -------
    MapEvent
        The checked values.
    """
    if raw is None:
        return MapEvent()
    if not isinstance(raw, Mapping):
        _ignored("message", raw, "not an object")
        return MapEvent()
    return MapEvent(
        bbox=_checked(raw, "bounds", _bbox),
        center_lat_lon=_checked(raw, "center", _center),
        zoom=_checked(raw, "zoom", _zoom),
        clicked_feature=_checked(raw, "last_active_drawing", feature_id_from_drawing),
        object_clicked_lat_lon=_checked(raw, "last_object_clicked", _any_lat_lon),
        clicked_lat_lon=_checked(raw, "last_clicked", _clicked_lat_lon),
    )
