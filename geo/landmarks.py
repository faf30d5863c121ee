"""The offline search gazetteer from OpenStreetMap: landmarks and named streets of each city."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.ops import nearest_points

from geo.crs import metric_crs_for_city, require_crs
from geo.errors import InputError
from geo.schema import CITY_BBOX_LON_LAT
from geo.venues import names_from_tags, osm_record_id, osm_url

# Places people give as "where I am": (tag key, value, kind). The first match decides the kind.
LANDMARK_TAGS: tuple[tuple[str, str, str], ...] = (
    ("tourism", "attraction", "landmark"),
    ("historic", "monument", "landmark"),
    ("historic", "memorial", "landmark"),
    ("railway", "station", "station"),
    ("amenity", "bus_station", "station"),
    ("shop", "mall", "mall"),
    ("amenity", "university", "university"),
    ("amenity", "townhall", "landmark"),
    ("amenity", "marketplace", "market"),
    ("leisure", "park", "park"),
    ("place", "square", "square"),
)
# Streets people type as an address fragment ("Омарова", "Abay avenue").
STREET_HIGHWAYS: tuple[str, ...] = (
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "unclassified",
    "residential",
    "living_street",
    "pedestrian",
)
GAZETTEER_TAGS: dict[str, bool | str | list[str]] = {
    key: [value for k, value, _ in LANDMARK_TAGS if k == key]
    for key in dict.fromkeys(k for k, _, _ in LANDMARK_TAGS)
}
STREET_TAGS: dict[str, bool | str | list[str]] = {"highway": list(STREET_HIGHWAYS)}
COLUMNS: tuple[str, ...] = (
    "id",
    "name_kk",
    "name_ru",
    "name_en",
    "city",
    "kind",
    "accuracy_m",
    "source_url",
    "checked_date",
)


def _tags(features: gpd.GeoDataFrame, key: tuple[str, int]) -> dict[str, object]:
    tags = features.loc[key].drop(labels="geometry").to_dict()
    return {k: v for k, v in tags.items() if not (isinstance(v, float) and math.isnan(v))}


def _landmark_kind(tags: Mapping[str, object]) -> str | None:
    for key, value, kind in LANDMARK_TAGS:
        if tags.get(key) == value:
            return kind
    return None


def _frame(
    records: list[dict[str, Any]], points: list[Any], metric: str, city: str
) -> gpd.GeoDataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    out = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=metric), crs=metric)
    out = out.to_crs("EPSG:4326")
    # osmnx returns whole features that cross the city's box: keep the points inside it.
    inside = out.geometry.covered_by(shapely.box(*CITY_BBOX_LON_LAT[city]))
    return out[inside].reset_index(drop=True)


def normalise_landmarks(features: gpd.GeoDataFrame, *, city: str, fetched: str) -> gpd.GeoDataFrame:
    """Return named landmarks as search entries: a point each, with how far off it may be.

    Parameters
    ----------
    features
        osmnx features (index ``element``, ``id``; one column per tag) with a CRS.
    city
        The city they were fetched for.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``COLUMNS`` and a point geometry in EPSG:4326; unnamed elements are left out.

    Raises
    ------
    CRSError
        If ``features`` has no CRS.
    """
    require_crs(features, what="OpenStreetMap features")
    metric = metric_crs_for_city(city)
    geoms = features.geometry.to_crs(metric)
    records, points = [], []
    for (element, osm_id), geom in zip(features.index, geoms, strict=True):
        tags = _tags(features, (element, osm_id))
        kind, names = _landmark_kind(tags), names_from_tags(tags)
        if kind is None or names is None or geom is None or geom.is_empty:
            continue
        point = geom if geom.geom_type == "Point" else geom.point_on_surface()
        # How far the farthest part of the landmark is from its point.
        reach = 10.0 if geom.geom_type == "Point" else shapely.hausdorff_distance(geom, point)
        records.append(
            {
                "id": osm_record_id("osm", element, osm_id),
                **{f"name_{lang}": names[lang] for lang in ("kk", "ru", "en")},
                "city": city,
                "kind": kind,
                "accuracy_m": float(math.ceil(max(reach, 10.0))),
                "source_url": osm_url(element, osm_id),
                "checked_date": fetched,
            }
        )
        points.append(point)
    return _frame(records, points, metric, city)


def normalise_streets(features: gpd.GeoDataFrame, *, city: str, fetched: str) -> gpd.GeoDataFrame:
    """Return one search entry per named street: the point on it nearest its middle.

    OSM splits a street into many ways; ways with the same ``name`` are merged. The point stands
    for the whole street, so its accuracy is the distance from it to the street's farthest part.

    Parameters
    ----------
    features
        osmnx features with ``highway`` and ``name`` columns and a CRS.
    city
        The city they were fetched for.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``COLUMNS`` (kind ``"street"``) and a point geometry in EPSG:4326.

    Raises
    ------
    CRSError
        If ``features`` has no CRS.
    """
    require_crs(features, what="OpenStreetMap streets")
    metric = metric_crs_for_city(city)
    if "name" not in features.columns or "highway" not in features.columns:
        return _frame([], [], metric, city)
    named = features[features["name"].notna() & features["highway"].isin(STREET_HIGHWAYS)]
    lines = named[named.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    metric_lines = lines.geometry.to_crs(metric)
    records, points = [], []
    for name, group in metric_lines.groupby(lines["name"].astype(str), sort=True):
        merged = shapely.line_merge(shapely.union_all(group.to_numpy()))
        point = nearest_points(merged, merged.centroid)[0]
        # Each language's name from whichever part of the street has it.
        tags: dict[str, object] = {"name": name}
        for _, part in lines.loc[group.index].drop(columns="geometry").iterrows():
            for key, value in part.items():
                if isinstance(value, str) and str(key).startswith("name:"):
                    tags.setdefault(str(key), value)
        names = names_from_tags(tags) or {"kk": name, "ru": name, "en": name}
        element, osm_id = min(group.index, key=lambda ix: abs(int(ix[1])))
        records.append(
            {
                "id": osm_record_id("street", element, osm_id),
                **{f"name_{lang}": names[lang] for lang in ("kk", "ru", "en")},
                "city": city,
                "kind": "street",
                "accuracy_m": float(
                    math.ceil(max(shapely.hausdorff_distance(merged, point), 10.0))
                ),
                "source_url": osm_url(element, osm_id),
                "checked_date": fetched,
            }
        )
        points.append(point)
    return _frame(records, points, metric, city)


def validate_gazetteer(entries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check the gazetteer: its columns, unique ids, names, points inside their city.

    Parameters
    ----------
    entries
        Landmarks and streets in EPSG:4326 (``normalise_landmarks``, ``normalise_streets``).

    Returns
    -------
    geopandas.GeoDataFrame
        The same frame.

    Raises
    ------
    InputError
        Naming the first records with each problem.
    """
    missing = [c for c in COLUMNS if c not in entries.columns]
    if missing:
        msg = f"gazetteer: missing columns {missing!r}"
        raise InputError(msg)
    require_crs(entries, what="gazetteer")
    problems = []
    dupes = entries["id"][entries["id"].duplicated()].tolist()
    if dupes:
        problems.append(f"duplicate ids {dupes[:5]!r}")
    for lang in ("kk", "ru", "en"):
        empty = entries["id"][entries[f"name_{lang}"].fillna("").str.strip() == ""].tolist()
        if empty:
            problems.append(f"records {empty[:5]!r} have no name_{lang}")
    for city, (minx, miny, maxx, maxy) in CITY_BBOX_LON_LAT.items():
        part = entries[entries["city"] == city]
        bad = part["id"][~part.geometry.covered_by(shapely.box(minx, miny, maxx, maxy))].tolist()
        if bad:
            problems.append(f"records {bad[:5]!r} lie outside {city}")
    not_points = entries["id"][entries.geometry.geom_type != "Point"].tolist()
    if not_points:
        problems.append(f"records {not_points[:5]!r} are not points")
    unknown = sorted(set(entries["city"]) - set(CITY_BBOX_LON_LAT))
    if unknown:
        problems.append(f"unknown cities {unknown!r}")
    if problems:
        msg = "gazetteer failed validation: " + "; ".join(problems)
        raise InputError(msg)
    return entries
