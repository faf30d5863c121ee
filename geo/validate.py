"""Validation of the catalogue and the targets table; every problem names its record."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import geopandas as gpd
import pandas as pd
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.errors import GeometryError, InputError
from geo.schema import (
    BANKS,
    CITIES,
    CITY_BBOX_LON_LAT,
    KINDS,
    PLACE_COLUMNS,
    REQUIRED_PLACE_VALUES,
    REQUIRED_TARGET_VALUES,
    STATUSES,
    TARGET_COLUMNS,
    TARGET_UNITS,
)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{1,63}$")
ALLOWED_GEOMETRIES = frozenset(
    {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}
)
MAX_PROBLEMS_SHOWN = 20
MIN_YEAR = 1990
MAX_YEAR = 2100


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _check_date(value: object) -> bool:
    if _is_missing(value):
        return True
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _raise_if_any(problems: list[str], *, what: str, error: type[InputError]) -> None:
    if not problems:
        return
    shown = problems[:MAX_PROBLEMS_SHOWN]
    more = len(problems) - len(shown)
    tail = f"\n  ... and {more} more" if more else ""
    msg = f"{what} failed validation ({len(problems)} problems):\n  " + "\n  ".join(shown) + tail
    raise error(msg)


def _missing_columns(frame: pd.DataFrame, expected: Iterable[str], *, what: str) -> None:
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        msg = (
            f"{what} is missing columns {missing!r}; it has {list(frame.columns)!r}. "
            "Add them (see data/README.md for the schema)"
        )
        raise InputError(msg)


def _record_label(row: pd.Series, pos: int) -> str:
    rid = row.get("id")
    return f"record {rid!r}" if not _is_missing(rid) else f"record at row {pos}"


def _check_common(frame: pd.DataFrame, required: Iterable[str]) -> list[str]:
    problems: list[str] = []
    ids = frame["id"]
    for pos, (_, row) in enumerate(frame.iterrows()):
        label = _record_label(row, pos)
        rid = row["id"]
        if not _is_missing(rid) and not ID_PATTERN.match(str(rid)):
            problems.append(f"{label}: id must be lower-case snake_case (a-z, 0-9, _), got {rid!r}")
        problems.extend(
            f"{label}: {col!r} is required but empty" for col in required if _is_missing(row[col])
        )
        if not _is_missing(row["city"]) and row["city"] not in CITIES:
            problems.append(f"{label}: city must be one of {CITIES!r}, got {row['city']!r}")
        for col in ("source_date", "checked_date"):
            if not _check_date(row[col]):
                problems.append(f"{label}: {col} must be an ISO date YYYY-MM-DD, got {row[col]!r}")
        url = row.get("source_url")
        if not _is_missing(url) and not str(url).startswith(("https://", "http://")):
            problems.append(f"{label}: source_url must start with https:// or http://, got {url!r}")
    dupes = sorted(set(ids[ids.duplicated()].dropna().astype(str)))
    problems.extend(f"record {d!r}: id is used more than once" for d in dupes)
    return problems


def _check_place_row(row: pd.Series, label: str) -> list[str]:
    problems: list[str] = []
    for col, allowed in (("kind", KINDS), ("status", STATUSES)):
        if not _is_missing(row[col]) and row[col] not in allowed:
            problems.append(f"{label}: {col} must be one of {allowed!r}, got {row[col]!r}")
    bank = row["bank"]
    if not _is_missing(bank):
        if bank not in BANKS:
            problems.append(f"{label}: bank must be one of {BANKS!r} or empty, got {bank!r}")
        elif row["city"] != "astana":
            problems.append(
                f"{label}: bank applies to Astana only, got {bank!r} for {row['city']!r}"
            )
    for col in ("status_as_of", "announced_date"):
        if not _check_date(row[col]):
            problems.append(f"{label}: {col} must be an ISO date YYYY-MM-DD, got {row[col]!r}")
    year = row["target_year"]
    if not _is_missing(year) and not (
        MIN_YEAR <= float(year) <= MAX_YEAR and float(year).is_integer()
    ):
        problems.append(f"{label}: target_year must be a whole year 1990-2100, got {year!r}")
    area = row["area_m2"]
    if not _is_missing(area) and not float(area) > 0:
        problems.append(f"{label}: area_m2 must be a positive number of m2 or empty, got {area!r}")
    return problems


def _check_place_geometry(row: pd.Series, label: str) -> list[str]:
    geom = row.geometry
    accuracy = row["location_accuracy_m"]
    if not isinstance(geom, BaseGeometry) or geom.is_empty:
        if not _is_missing(accuracy):
            return [
                f"{label}: has no geometry, so location_accuracy_m must be empty (unknown), "
                f"got {accuracy!r}"
            ]
        return []
    problems: list[str] = []
    if geom.geom_type not in ALLOWED_GEOMETRIES:
        problems.append(f"{label}: geometry type {geom.geom_type!r} is not supported")
    if not geom.is_valid:
        problems.append(f"{label}: geometry is invalid; repair it (for example with make_valid)")
    if _is_missing(accuracy) or not float(accuracy) > 0:
        problems.append(
            f"{label}: has a geometry, so location_accuracy_m must be a positive number of "
            f"metres, got {accuracy!r}"
        )
    city_box = CITY_BBOX_LON_LAT.get(str(row["city"]))
    if city_box is not None and not box(*city_box).covers(geom):
        minx, miny, maxx, maxy = geom.bounds
        problems.append(
            f"{label}: geometry lies outside {row['city']}'s bounds {city_box!r} "
            f"(lon/lat); got bounds ({minx:.5f}, {miny:.5f}, {maxx:.5f}, {maxy:.5f}). "
            "Check for swapped latitude and longitude"
        )
    return problems


def validate_places(places: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Check the catalogue of places and return it unchanged if it is valid.

    Parameters
    ----------
    places
        The catalogue in the working CRS (EPSG:4326).

    Returns
    -------
    geopandas.GeoDataFrame
        The same frame, so calls can be chained.

    Raises
    ------
    InputError
        If a column is missing, or a record has a missing, unknown or malformed value.
    GeometryError
        If a record's geometry is invalid, of an unsupported type, outside its city, or
        its location accuracy does not match whether it has a position.
    """
    _missing_columns(places, PLACE_COLUMNS, what="places layer")
    problems = _check_common(places, REQUIRED_PLACE_VALUES)
    geometry_problems: list[str] = []
    for pos, (_, row) in enumerate(places.iterrows()):
        label = _record_label(row, pos)
        problems.extend(_check_place_row(row, label))
        geometry_problems.extend(_check_place_geometry(row, label))
    _raise_if_any(problems, what="places layer", error=InputError)
    _raise_if_any(geometry_problems, what="places layer", error=GeometryError)
    return places


def validate_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """Check the table of programme targets and return it unchanged if it is valid.

    Parameters
    ----------
    targets
        The table of targets (no geometry).

    Returns
    -------
    pandas.DataFrame
        The same frame.

    Raises
    ------
    InputError
        If a column is missing or a record has a missing, unknown or malformed value.
    """
    _missing_columns(targets, TARGET_COLUMNS, what="targets table")
    problems = _check_common(targets, REQUIRED_TARGET_VALUES)
    for pos, (_, row) in enumerate(targets.iterrows()):
        label = _record_label(row, pos)
        if not _is_missing(row["unit"]) and row["unit"] not in TARGET_UNITS:
            problems.append(f"{label}: unit must be one of {TARGET_UNITS!r}, got {row['unit']!r}")
        year = row["deadline_year"]
        if not _is_missing(year) and not (MIN_YEAR <= float(year) <= MAX_YEAR):
            problems.append(f"{label}: deadline_year must be a year 1990-2100, got {year!r}")
        qty = row["quantity"]
        if not _is_missing(qty) and float(qty) < 0:
            problems.append(f"{label}: quantity must be >= 0 or empty, got {qty!r}")
        if not _check_date(row["progress_as_of"]):
            problems.append(
                f"{label}: progress_as_of must be an ISO date, got {row['progress_as_of']!r}"
            )
    _raise_if_any(problems, what="targets table", error=InputError)
    return targets
