"""Existing venues from OpenStreetMap: which tags make a venue, and their catalogue records."""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import Point

from geo.crs import metric_crs_for_city, require_crs
from geo.schema import CITY_BBOX_LON_LAT, PLACE_COLUMNS
from geo.weburl import WebUrlError, parse_web_url

# What to ask OpenStreetMap for, in osmnx's ``tags`` form, and which kind each tag becomes.
# Order matters: an element with several of these tags takes the first kind listed.
TAG_KINDS: tuple[tuple[str, str, str], ...] = (
    ("amenity", "arts_centre", "arts_centre"),
    ("amenity", "theatre", "theatre"),
    ("tourism", "museum", "museum"),
    ("tourism", "gallery", "gallery"),
    ("amenity", "library", "library"),
    ("amenity", "cinema", "cinema"),
    ("amenity", "music_venue", "music_venue"),
    ("amenity", "concert_hall", "concert_hall"),
    ("amenity", "coworking_space", "coworking"),
    ("office", "coworking", "coworking"),
    ("amenity", "community_centre", "community_centre"),
)
OSM_TAGS: dict[str, bool | str | list[str]] = {
    key: [value for k, value, _ in TAG_KINDS if k == key]
    for key in dict.fromkeys(k for k, _, _ in TAG_KINDS)
}

NODE_ACCURACY_M = 10.0  # OSM stores no accuracy; a mapped point is usually this close
OSM_OUTLET = "OpenStreetMap"
OSM_LICENCE = "© OpenStreetMap contributors, ODbL 1.0"
_LANGS = ("kk", "ru", "en")
# A venue's location note in each language (data text, written once at import).
_POINT_NOTE = (
    ("kk", "OpenStreetMap {ref}: картадағы нүкте."),
    ("ru", "OpenStreetMap {ref}: отмеченная на карте точка."),
    ("en", "OpenStreetMap {ref}: the mapped point."),
)
_OUTLINE_NOTE = (
    ("kk", "OpenStreetMap контурының ортасы ({ref}); орын одан шамамен {m} м шегінде."),
    ("ru", "Центр контура OpenStreetMap ({ref}); площадка в пределах около {m} м от него."),
    ("en", "Centre of the OpenStreetMap outline ({ref}); the venue lies within about {m} m of it."),
)
# What a resident needs beside the catalogue's columns, where OpenStreetMap has it.
VENUE_EXTRA_COLUMNS = ("website", "opening_hours")


def _tag(tags: Mapping[str, object], key: str) -> str | None:
    value = tags.get(key)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def osm_record_id(prefix: str, element: str, osm_id: int | str) -> str:
    """Return a record id for an OSM element: ``<prefix>_<element>_<id>``.

    Negative ids (OSM's convention for objects never uploaded) become ``new<id>``, since record
    ids are lower-case snake_case.
    """
    number = int(osm_id)
    return f"{prefix}_{element}_{number}" if number > 0 else f"{prefix}_{element}_new{-number}"


def osm_url(element: str, osm_id: int | str) -> str | None:
    """Return the element's page on openstreetmap.org, or ``None`` for a never-uploaded one."""
    return f"https://www.openstreetmap.org/{element}/{osm_id}" if int(osm_id) > 0 else None


def kind_from_tags(tags: Mapping[str, object]) -> str | None:
    """Return the venue kind an element's tags describe, or ``None`` if it is not a venue.

    Parameters
    ----------
    tags
        OSM tags (key to value); missing keys and NaN mean absent.

    Returns
    -------
    str or None
        A kind from ``geo.schema.VENUE_KINDS``.
    """
    for key, value, kind in TAG_KINDS:
        if _tag(tags, key) == value:
            return kind
    return None


def names_from_tags(tags: Mapping[str, object]) -> dict[str, str] | None:
    """Return the names in Kazakh, Russian and English, or ``None`` if the element has none.

    A language OSM has no name for takes the plain ``name`` tag (the name as signed), or
    another language's name when ``name`` is absent; no name is translated or made up.

    Parameters
    ----------
    tags
        OSM tags.

    Returns
    -------
    dict or None
        ``{"kk": ..., "ru": ..., "en": ...}``.
    """
    own = {lang: _tag(tags, f"name:{lang}") for lang in _LANGS}
    fallback = _tag(tags, "name") or next((v for v in own.values() if v), None)
    if fallback is None:
        return None
    return {lang: own[lang] or fallback for lang in _LANGS}


def address_from_tags(tags: Mapping[str, object]) -> str | None:
    """Return "street number" from the ``addr:*`` tags, or ``None``."""
    parts = [_tag(tags, "addr:street"), _tag(tags, "addr:housenumber")]
    text = " ".join(p for p in parts if p)
    return text or None


MAX_HOURS_CHARS = 200  # opening_hours values are short; a longer one is cut, not trusted whole


def website_from_tags(tags: Mapping[str, object]) -> str | None:
    """Return the venue's web address from ``website`` or ``contact:website``, or ``None``.

    Only a plain http(s) address passes (``geo.weburl.parse_web_url``); anything else is left
    out rather than shown.
    """
    for key in ("website", "contact:website"):
        value = _tag(tags, key)
        if value:
            try:
                return parse_web_url(value).href
            except WebUrlError:
                return None
    return None


def opening_hours_from_tags(tags: Mapping[str, object]) -> str | None:
    """Return the ``opening_hours`` tag as mapped (OSM's own syntax), cut to a sane length."""
    value = _tag(tags, "opening_hours")
    return value[:MAX_HOURS_CHARS] if value else None


def normalise_venues(
    features: gpd.GeoDataFrame, *, city: str, fetched: str
) -> tuple[gpd.GeoDataFrame, dict[str, int]]:
    """Turn OSM features (as osmnx returns them) into records of the catalogue's schema.

    Points stay where they are; an outline becomes its centroid, with its accuracy set to the
    distance from the centre to the outline's farthest part (the venue lies within it).

    Parameters
    ----------
    features
        osmnx features: index levels ``element`` (node/way/relation) and ``id``, one column
        per tag, geometry with a CRS.
    city
        ``"astana"`` or ``"almaty"``: the area the features were fetched for.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    tuple
        The venues (EPSG:4326, columns ``PLACE_COLUMNS`` plus ``website`` and
        ``opening_hours``, each ``None`` when OpenStreetMap has no such tag) and counts of
        skipped elements by reason (``"not_a_venue"``, ``"no_name"``, ``"no_geometry"``,
        ``"outside"``: the point falls outside the city's envelope).

    Raises
    ------
    CRSError
        If ``features`` has no CRS.
    InputError
        If the city is unknown.
    """
    require_crs(features, what="OpenStreetMap features")
    metric = metric_crs_for_city(city)
    skipped = {"not_a_venue": 0, "no_name": 0, "no_geometry": 0, "outside": 0}
    envelope = shapely.box(*CITY_BBOX_LON_LAT[city])
    wgs84 = features.geometry.to_crs("EPSG:4326")
    metric_geoms = features.geometry.to_crs(metric)
    to_wgs84 = Transformer.from_crs(metric, "EPSG:4326", always_xy=True)
    records, points = [], []
    for (element, osm_id), geom, metric_geom in zip(
        features.index, wgs84, metric_geoms, strict=True
    ):
        tags = features.loc[(element, osm_id)].drop(labels="geometry").to_dict()
        kind = kind_from_tags(tags)
        names = names_from_tags(tags)
        if kind is None:
            skipped["not_a_venue"] += 1
            continue
        if names is None:
            skipped["no_name"] += 1
            continue
        if geom is None or geom.is_empty:
            skipped["no_geometry"] += 1
            continue
        if geom.geom_type == "Point":  # kept exactly as mapped
            point, accuracy = geom, NODE_ACCURACY_M
            notes = {lang: text.format(ref=f"{element} {osm_id}") for lang, text in _POINT_NOTE}
        else:  # the centre and its reach measured in metres, in the city's UTM zone
            centre = metric_geom.centroid
            point = Point(*to_wgs84.transform(centre.x, centre.y))
            # The farthest part of the outline from the point: the venue is within this.
            reach = float(shapely.hausdorff_distance(metric_geom, centre))
            accuracy = max(NODE_ACCURACY_M, math.ceil(reach))
            notes = {
                lang: text.format(ref=f"{element} {osm_id}", m=f"{accuracy:.0f}")
                for lang, text in _OUTLINE_NOTE
            }
        if not envelope.covers(point):  # osmnx returns whole features that cross the box
            skipped["outside"] += 1
            continue
        points.append(point)
        # Negative ids are OSM's convention for objects never uploaded (edits in progress,
        # test files): they get an id of their own and no link, which would point elsewhere.
        records.append(
            {
                "id": osm_record_id("osm", element, osm_id),
                **{f"name_{lang}": names[lang] for lang in _LANGS},
                "city": city,
                "bank": None,
                "district": None,
                "kind": kind,
                "status": "existing",
                "status_as_of": fetched,
                "announced_date": None,
                "target_year": None,
                "area_m2": None,
                "summary_kk": None,
                "summary_ru": None,
                "summary_en": None,
                "location_accuracy_m": float(accuracy),
                **{f"location_note_{lang}": notes[lang] for lang in _LANGS},
                **{f"source_outlet_{lang}": OSM_OUTLET for lang in _LANGS},
                "source_title": f"{element}/{osm_id} ({OSM_LICENCE})",
                "source_date": fetched,
                "source_url": osm_url(element, osm_id),
                "other_sources": None,
                "checked_date": fetched,
                "address": address_from_tags(tags),
                "website": website_from_tags(tags),
                "opening_hours": opening_hours_from_tags(tags),
            }
        )
    columns = [*PLACE_COLUMNS, *VENUE_EXTRA_COLUMNS]
    frame = pd.DataFrame.from_records(records, columns=columns)
    venues = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs="EPSG:4326"))
    venues["target_year"] = venues["target_year"].astype("Int64")
    venues["area_m2"] = venues["area_m2"].astype("float64")
    return venues, skipped
