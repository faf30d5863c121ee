"""Geocoding catalogue addresses: the query sent, and an answer checked into a placement.

Pure: a query is built from a record's address (or name) and city; a Nominatim answer (one
result of its JSON format, as a mapping) is checked and turned into a ``Placement`` with its
answer type (OSM class, type and address type), a precision word and an accuracy in metres.
``validate_geocoded`` checks the layer of such rows (one per record without a position) before
it is written and whenever it is loaded.

The accuracy comes from the answer's type and its bounding box: a house or a point of interest
is close (its box is a building), a street or a district is as coarse as its extent. It is the
box's half-diagonal in the city's metric CRS (its UTM zone), but never less than a floor per
precision: a street's point is somewhere on the street, not at its middle.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Transformer

from geo.cities import CITY_IDS, city_by_id
from geo.crs import WORKING_CRS, metric_crs_for_city
from geo.errors import InputError
from geo.search import MAX_QUERY_CHARS

# Precision words, from Nominatim's search rank (place_rank): 30 is a house or a point of
# interest, 26-27 a street, 17-25 a neighbourhood, suburb or district, 16 and below a city
# or anything larger (https://nominatim.org/release-docs/latest/customize/Ranking/).
BUILDING = "building"
STREET = "street"
AREA = "area"
PRECISIONS: tuple[str, ...] = (BUILDING, STREET, AREA)
MIN_RANK: dict[str, int] = {BUILDING: 28, STREET: 26, AREA: 17}
MAX_RANK = 30
# The least a position of each precision can be off by, in metres.
MIN_ACCURACY_M: dict[str, float] = {BUILDING: 15.0, STREET: 50.0, AREA: 250.0}
# An answer coarser than this says little more than "somewhere in the city": refused.
MAX_ACCURACY_M = 5_000.0

# Why an answer was refused (``RejectedAnswerError.reason``).
OUTSIDE = "outside_city"
TOO_COARSE = "too_coarse"
MALFORMED = "malformed"

# A row's status in the geocoded layer: placed by an answer; Nominatim found nothing; its
# answers were all refused (outside the city, too coarse, malformed); the request failed; or
# not asked (the record has no address).
PLACED = "placed"
NOT_FOUND = "not_found"
REJECTED = "rejected"
FAILED = "failed"
NOT_ASKED = "not_asked"
STATUSES: tuple[str, ...] = (PLACED, NOT_FOUND, REJECTED, FAILED, NOT_ASKED)

# The geocoded layer's columns (data/geocoded_venues.gpkg, layer "geocoded"), and a geometry.
COLUMNS: tuple[str, ...] = (
    "id",
    "city",
    "name_kk",
    "name_ru",
    "name_en",
    "address",
    "query",
    "query_basis",
    "status",
    "reason",
    "display_name",
    "osm_class",
    "osm_type",
    "addresstype",
    "answer_type",
    "osm_ref",
    "place_rank",
    "precision",
    "location_accuracy_m",
    "geocoded_date",
    "source",
    "licence",
)

MAX_TEXT_CHARS = 300  # of a display name or an address kept in the layer
MAX_TAG_CHARS = 64  # of an OSM class, type or address type
MAX_ID_DIGITS = 19  # an OSM id is a 64-bit integer
OSM_ELEMENTS = ("node", "way", "relation")
_BOX_TOLERANCE_DEG = 1e-6  # the answer's point may sit on its box's edge (rounding)

_PARENTHESES = re.compile(r"\([^()]*\)")
# Quotation marks, but not an apostrophe inside a word ("Children's").
_QUOTES = re.compile(r"[\"«»“”]|(?<!\w)['‘’]|['‘’](?!\w)")
_ABBREVIATIONS = (
    (re.compile(r"\bstr?\b\.?", re.IGNORECASE), "street"),
    (re.compile(r"\bave?\b\.?", re.IGNORECASE), "avenue"),
    (re.compile(r"\bblvd\b\.?", re.IGNORECASE), "boulevard"),
)


class RejectedAnswerError(InputError):
    """A geocoder answer that cannot place a record; ``reason`` is a code, the text says why."""

    def __init__(self, reason: str, text: str) -> None:
        """Keep the reason code (``OUTSIDE``, ``TOO_COARSE`` or ``MALFORMED``)."""
        super().__init__(text)
        self.reason = reason


@dataclass(frozen=True)
class Placement:
    """Where an accepted answer puts a record, and how sure that is.

    Attributes
    ----------
    lon_lat
        The answer's position, WGS 84 degrees (longitude, latitude).
    display_name
        The answer's full name as the geocoder gave it (cut to ``MAX_TEXT_CHARS``).
    osm_class, osm_type, addresstype
        The answer type: its OSM key and value (``amenity``, ``theatre``) and what it is as
        part of an address (``amenity``, ``road``, ``suburb``, ...).
    osm_ref
        ``"node/123"``, ``"way/123"`` or ``"relation/123"``; empty when not given.
    place_rank
        Nominatim's search rank, 17-30.
    precision
        ``BUILDING``, ``STREET`` or ``AREA``.
    accuracy_m
        How far the real place may be from ``lon_lat``, in metres.
    """

    lon_lat: tuple[float, float]
    display_name: str
    osm_class: str
    osm_type: str
    addresstype: str
    osm_ref: str
    place_rank: int
    precision: str
    accuracy_m: float

    @property
    def answer_type(self) -> str:
        """Return the answer type as one phrase: ``"amenity=theatre (amenity)"``."""
        kind = f"{self.osm_class}={self.osm_type}"
        return f"{kind} ({self.addresstype})" if self.addresstype else kind


def clean_address(address: str) -> str:
    """Return the part of a free-text address a geocoder can match.

    Keeps the first comma-separated part (the street and number: what follows is a landmark,
    an entrance or a floor), drops remarks in parentheses and quotation marks, and writes out
    ``st``/``str``, ``ave`` and ``blvd``.

    Parameters
    ----------
    address
        An address as the catalogue holds it (``"Abai Avenue 43 (corner of Baiseitova st.)"``).

    Returns
    -------
    str
        The cleaned address (``"Abai Avenue 43"``); empty when nothing is left.
    """
    text = address
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub(" ", text)
    text = _QUOTES.sub(" ", text.replace("(", " ").replace(")", " "))
    first = next((p for p in (part.strip() for part in text.split(",")) if p), "")
    for pattern, word in _ABBREVIATIONS:
        first = pattern.sub(word, first)
    return " ".join(first.split())


def address_query(address: str, city: str) -> str:
    """Return the free-form query for a record's address: ``"<address>, <City>"``.

    Parameters
    ----------
    address
        The record's address (cleaned with ``clean_address``).
    city
        City id, ``"astana"`` or ``"almaty"``; its English name ends the query.

    Returns
    -------
    str
        The query, at most ``MAX_QUERY_CHARS`` characters; empty when the address is.

    Raises
    ------
    InputError
        If the city is unknown.
    """
    return _query(clean_address(address), city)


def name_query(name: str, city: str) -> str:
    """Return the query for a record's name, asked when its address finds nothing.

    Parameters
    ----------
    name
        The record's name; remarks in parentheses are dropped.
    city
        City id; its English name ends the query.

    Returns
    -------
    str
        ``"<name>, <City>"``, at most ``MAX_QUERY_CHARS`` characters; empty when the name is.

    Raises
    ------
    InputError
        If the city is unknown.
    """
    text = name
    while _PARENTHESES.search(text):
        text = _PARENTHESES.sub(" ", text)
    return _query(" ".join(_QUOTES.sub(" ", text).split()), city)


def _query(text: str, city: str) -> str:
    city_name = city_by_id(city).name_in("en")
    if not text:
        return ""
    suffix = f", {city_name}"
    return text[: MAX_QUERY_CHARS - len(suffix)].rstrip(" ,") + suffix


def half_diagonal_m(bbox_lon_lat: tuple[float, float, float, float], *, city: str) -> float:
    """Return half the diagonal of a WGS 84 box, measured in the city's metric CRS.

    Parameters
    ----------
    bbox_lon_lat
        ``(minx, miny, maxx, maxy)`` in degrees: west, south, east, north.
    city
        City id whose UTM zone to measure in.

    Returns
    -------
    float
        Metres.

    Raises
    ------
    InputError
        If the city is unknown.
    """
    to_metric = Transformer.from_crs(WORKING_CRS, metric_crs_for_city(city), always_xy=True)
    minx, miny, maxx, maxy = bbox_lon_lat
    (x0, x1), (y0, y1) = to_metric.transform((minx, maxx), (miny, maxy))
    return float(math.hypot(x1 - x0, y1 - y0) / 2.0)


def precision_for_rank(place_rank: int) -> str | None:
    """Return the precision word of a Nominatim search rank; ``None`` for a city or larger."""
    for word in PRECISIONS:
        if place_rank >= MIN_RANK[word]:
            return word
    return None


def _finite(value: object, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        msg = f"geocoder answer: {what} must be a number, got {type(value).__name__}"
        raise RejectedAnswerError(MALFORMED, msg)
    try:
        number = float(value)
    except (ValueError, OverflowError) as err:
        msg = f"geocoder answer: {what} must be a number, got {str(value)[:40]!r}"
        raise RejectedAnswerError(MALFORMED, msg) from err
    if not math.isfinite(number):
        msg = f"geocoder answer: {what} is not finite"
        raise RejectedAnswerError(MALFORMED, msg)
    return number


def _text(answer: Mapping[str, object], key: str, *, limit: int, required: bool) -> str:
    value = answer.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        msg = f"geocoder answer: {key!r} must be text, got {type(value).__name__}"
        raise RejectedAnswerError(MALFORMED, msg)
    return " ".join(value.split())[:limit]


def _rank(value: object) -> int:
    number = _finite(value, "place_rank")
    if number != int(number) or not 0 <= number <= MAX_RANK:
        msg = f"geocoder answer: place_rank must be a whole number 0-{MAX_RANK}, got {number:g}"
        raise RejectedAnswerError(MALFORMED, msg)
    return int(number)


def _box(value: object) -> tuple[float, float, float, float]:
    """Return Nominatim's ``boundingbox`` ([south, north, west, east]) as (minx, miny, ...)."""
    if not isinstance(value, list | tuple) or len(value) != 4:  # noqa: PLR2004 - four edges
        msg = "geocoder answer: boundingbox must be four numbers [south, north, west, east]"
        raise RejectedAnswerError(MALFORMED, msg)
    south, north, west, east = (_finite(v, "boundingbox") for v in value)
    if south > north or west > east:
        msg = "geocoder answer: boundingbox edges are out of order"
        raise RejectedAnswerError(MALFORMED, msg)
    return west, south, east, north


def placement_from_answer(answer: Mapping[str, object], *, city: str) -> Placement:
    """Check one Nominatim result and return where it places a record in the city.

    Parameters
    ----------
    answer
        One result of Nominatim's ``format=json`` answer: ``lat``, ``lon``, ``boundingbox``,
        ``place_rank``, ``class``, ``type``, ``addresstype``, ``display_name``, ``osm_type``,
        ``osm_id``.
    city
        City id the query was limited to.

    Returns
    -------
    Placement
        The position, the answer type, the precision and the accuracy.

    Raises
    ------
    RejectedAnswerError
        ``MALFORMED`` if a field is missing or of the wrong form (or the point lies outside
        its own box), ``OUTSIDE`` if the position is outside the city's envelope,
        ``TOO_COARSE`` if the answer is a city or larger or its accuracy would be coarser
        than ``MAX_ACCURACY_M``.
    InputError
        If the city is unknown.
    """
    place = city_by_id(city)
    if not isinstance(answer, Mapping):
        msg = f"geocoder answer: a result must be an object, got {type(answer).__name__}"
        raise RejectedAnswerError(MALFORMED, msg)
    lat = _finite(answer.get("lat"), "lat")
    lon = _finite(answer.get("lon"), "lon")
    if not place.contains(lat, lon):
        msg = f"geocoder answer at {lat:.5f}, {lon:.5f} is outside {place.name_in('en')}"
        raise RejectedAnswerError(OUTSIDE, msg)
    minx, miny, maxx, maxy = _box(answer.get("boundingbox"))
    tol = _BOX_TOLERANCE_DEG
    if not (minx - tol <= lon <= maxx + tol and miny - tol <= lat <= maxy + tol):
        msg = "geocoder answer: its position lies outside its own bounding box"
        raise RejectedAnswerError(MALFORMED, msg)
    rank = _rank(answer.get("place_rank"))
    osm_class = _text(answer, "class", limit=MAX_TAG_CHARS, required=True)
    osm_type = _text(answer, "type", limit=MAX_TAG_CHARS, required=True)
    addresstype = _text(answer, "addresstype", limit=MAX_TAG_CHARS, required=False)
    precision = precision_for_rank(rank)
    if precision is None:
        msg = (
            f"geocoder answer is {osm_class}={osm_type} (rank {rank}): a city or larger, "
            "not a place in it"
        )
        raise RejectedAnswerError(TOO_COARSE, msg)
    accuracy_m = max(
        MIN_ACCURACY_M[precision], half_diagonal_m((minx, miny, maxx, maxy), city=city)
    )
    if accuracy_m > MAX_ACCURACY_M:
        msg = (
            f"geocoder answer {osm_class}={osm_type} spans ±{accuracy_m:,.0f} m, coarser than "
            f"{MAX_ACCURACY_M:,.0f} m"
        )
        raise RejectedAnswerError(TOO_COARSE, msg)
    element, osm_id = answer.get("osm_type"), answer.get("osm_id")
    id_text = (
        "" if isinstance(osm_id, bool) else str(osm_id) if isinstance(osm_id, int | str) else ""
    )
    is_ref = element in OSM_ELEMENTS and id_text.isascii() and id_text.isdigit()
    osm_ref = f"{element}/{id_text}" if is_ref and len(id_text) <= MAX_ID_DIGITS else ""
    return Placement(
        lon_lat=(lon, lat),
        display_name=_text(answer, "display_name", limit=MAX_TEXT_CHARS, required=False),
        osm_class=osm_class,
        osm_type=osm_type,
        addresstype=addresstype,
        osm_ref=osm_ref,
        place_rank=rank,
        precision=precision,
        accuracy_m=round(accuracy_m, 1),
    )


def validate_geocoded(layer: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check the geocoded layer: columns, ids, statuses, and placed rows' positions.

    Parameters
    ----------
    layer
        The layer as built or as read back (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        The same frame, unchanged.

    Raises
    ------
    InputError
        If a column is missing, an id repeats, a status is unknown, a placed row lacks a point
        inside its city, a positive accuracy or a precision, or an unplaced row has a point.
    """
    missing = [c for c in COLUMNS if c not in layer.columns]
    if missing:
        msg = f"geocoded layer: missing columns {missing!r}; it has {list(layer.columns)!r}"
        raise InputError(msg)
    problems = []
    repeated = layer["id"].duplicated()
    if repeated.any():
        problems.append(f"repeated ids {sorted(set(layer.loc[repeated, 'id']))!r}")
    for row in layer.itertuples(index=False):
        geom = row.geometry
        placed = geom is not None and not geom.is_empty
        if row.status not in STATUSES:
            problems.append(f"{row.id!r}: status must be one of {STATUSES!r}, got {row.status!r}")
        elif placed != (row.status == PLACED):
            problems.append(f"{row.id!r}: status {row.status!r} does not fit its geometry")
        elif placed and not (
            geom.geom_type == "Point"
            and row.city in CITY_IDS
            and city_by_id(row.city).contains(geom.y, geom.x)
            and pd.notna(row.location_accuracy_m)
            and 0 < row.location_accuracy_m <= MAX_ACCURACY_M
            and row.precision in PRECISIONS
        ):
            problems.append(
                f"{row.id!r}: a placed row needs a point inside its city, an accuracy "
                f"(0-{MAX_ACCURACY_M:,.0f} m) and a precision"
            )
    if problems:
        msg = "geocoded layer: " + "; ".join(problems[:20])
        raise InputError(msg)
    return layer
