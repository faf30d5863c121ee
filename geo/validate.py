"""Validation of the catalogue and the targets table; every problem names its record."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

from geo.errors import GeometryError, InputError, Problem
from geo.schema import (
    BANKS,
    CITIES,
    CITY_BBOX_LON_LAT,
    KINDS,
    MAX_NAME_CHARS,
    MAX_VERTICES,
    NAME_COLUMNS,
    PLACE_COLUMNS,
    REQUIRED_PLACE_VALUES,
    REQUIRED_TARGET_VALUES,
    SOURCES_SEPARATOR,
    STATUSES,
    TARGET_COLUMNS,
    TARGET_MEASURES,
    TARGET_UNITS,
)
from geo.targets import link_filters
from geo.weburl import WebUrlError, web_url_problem

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_]{1,63}$")
ALLOWED_GEOMETRIES = frozenset(
    {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}
)
_ALLOWED_TYPE_IDS = [int(shapely.GeometryType[name.upper()]) for name in ALLOWED_GEOMETRIES]
MAX_PROBLEMS_SHOWN = 20
MAX_VALUE_SHOWN = 200
MIN_YEAR = 1990
MAX_YEAR = 2100
MAX_SHOWN_CHARS = 80  # of a value quoted in a message
_PLAIN_COORDINATE_LIMIT = 1e6  # beyond this a coordinate is shown as 1.234e+300, not 300 digits


def _shown(value: object) -> str:
    """Return a value's repr for a message, cut to ``MAX_SHOWN_CHARS`` characters."""
    text = repr(value)
    if len(text) <= MAX_SHOWN_CHARS:
        return text
    return f"{text[: MAX_SHOWN_CHARS - 1]}… ({len(str(value)):,} characters)"


def _number(value: object) -> float | None:
    """Return a value as a finite number, or ``None`` for text, NaN, infinity or anything else."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _coordinate(value: float) -> str:
    """Return a coordinate for a message: 5 decimals, or 4 significant digits when huge."""
    return f"{value:.5f}" if abs(value) < _PLAIN_COORDINATE_LIMIT else f"{value:.3e}"


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
    err = error(msg)
    err.problems = tuple(problems)
    raise err


def _url_problem(label: str, record: str, column: str, value: object, err: WebUrlError) -> Problem:
    """Return a problem with a link, in English and with what translating it needs."""
    value_text = str(value)
    if len(value_text) > MAX_VALUE_SHOWN:
        value_text = value_text[:MAX_VALUE_SHOWN] + "…"
    text = f"{label}: {column} {err.explanation}, got {value_text!r}"
    values = {"record": record, "column": column, "value": repr(value_text), "char": err.char}
    return Problem(text, key=f"url.{err.reason}", **values)


def _further_sources(value: object) -> list[str]:
    """Return the web addresses of an ``other_sources`` value (none when it is empty)."""
    if _is_missing(value):
        return []
    return [p.strip() for p in str(value).split(SOURCES_SEPARATOR) if p.strip()]


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
    return f"record {_shown(rid)}" if not _is_missing(rid) else f"record at row {pos}"


def _check_common(
    frame: pd.DataFrame, required: Iterable[str], positions: Sequence[int] | None = None
) -> list[str]:
    problems: list[str] = []
    ids = frame["id"]
    rows = frame if positions is None else frame.iloc[list(positions)]
    numbered = range(len(frame)) if positions is None else positions
    for pos, (_, row) in zip(numbered, rows.iterrows(), strict=True):
        label = _record_label(row, pos)
        rid = row["id"]
        if not _is_missing(rid) and not ID_PATTERN.match(str(rid)):
            problems.append(
                f"{label}: id must be lower-case snake_case (a-z, 0-9, _), got {_shown(rid)}"
            )
        problems.extend(
            f"{label}: {col!r} is required but empty" for col in required if _is_missing(row[col])
        )
        if not _is_missing(row["city"]) and row["city"] not in CITIES:
            problems.append(f"{label}: city must be one of {CITIES!r}, got {_shown(row['city'])}")
        for col in ("source_date", "checked_date"):
            if not _check_date(row[col]):
                problems.append(
                    f"{label}: {col} must be an ISO date YYYY-MM-DD, got {_shown(row[col])}"
                )
        url = row.get("source_url")
        url_error = None if _is_missing(url) else web_url_problem(url)
        if url_error is not None:
            record = repr(rid) if not _is_missing(rid) else f"#{pos}"
            problems.append(_url_problem(label, record, "source_url", url, url_error))
        for part in _further_sources(row.get("other_sources")):
            part_error = web_url_problem(part)
            if part_error is not None:
                record = repr(rid) if not _is_missing(rid) else f"#{pos}"
                problems.append(_url_problem(label, record, "other_sources", part, part_error))
    dupes = sorted(set(ids[ids.duplicated()].dropna().astype(str)))
    problems.extend(f"record {d!r}: id is used more than once" for d in dupes)
    return problems


def _fails(values: pd.Series, is_bad: Callable[[Any], bool]) -> npt.NDArray[np.bool_]:
    """Return ``is_bad`` of each value, asked once per distinct value; an error counts as bad.

    Catalogue columns repeat a few values (cities, kinds, dates), so this costs one call per
    distinct value instead of one per row.
    """

    def one(value: object) -> bool:
        try:
            return bool(is_bad(value))
        except (TypeError, ValueError, OverflowError):
            return True

    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
    except TypeError:  # unhashable values: ask each one
        return np.fromiter((one(v) for v in values.tolist()), bool, len(values))
    answers = np.fromiter((one(v) for v in uniques.tolist()), bool, len(uniques))
    return answers[codes] if len(values) else np.zeros(0, dtype=bool)


def _missing(values: pd.Series) -> npt.NDArray[np.bool_]:
    """Return ``_is_missing`` of each value; for a column of distinct strings without a loop.

    Names are distinct, so asking once per distinct value still asks 100,000 times. A string
    that strips to nothing is empty or starts with whitespace: only those values (and missing
    ones) are asked.
    """
    if not (pd.api.types.is_string_dtype(values.dtype) and values.dtype != object):
        return _fails(values, _is_missing)
    first = values.str.slice(0, 1)
    maybe = values.isna().to_numpy(dtype=bool) | _fails(
        first, lambda c: _is_missing(c) or str(c).isspace()
    )
    out = np.zeros(len(values), dtype=bool)
    where = np.flatnonzero(maybe)
    out[where] = _fails(values.iloc[where], _is_missing)
    return out


def _column(frame: pd.DataFrame, col: str) -> pd.Series:
    return frame[col] if col in frame.columns else pd.Series(None, index=frame.index, dtype=object)


def _bad_date(value: object) -> bool:
    return not _check_date(value)


def _is_positive(value: Any) -> bool:
    number = _number(value)
    return number is not None and number > 0


def _bad_year(value: Any) -> bool:
    if _is_missing(value):
        return False
    year = _number(value)
    return year is None or not (MIN_YEAR <= year <= MAX_YEAR and year.is_integer())


def _too_long(values: pd.Series) -> npt.NDArray[np.bool_]:
    """Return which values are strings longer than ``MAX_NAME_CHARS``."""
    try:
        lengths = values.str.len()
    except AttributeError:  # no strings at all
        return np.zeros(len(values), dtype=bool)
    return np.asarray(lengths.fillna(0).to_numpy(dtype=float) > MAX_NAME_CHARS, dtype=bool)


def _common_suspects(frame: pd.DataFrame, required: Iterable[str]) -> npt.NDArray[np.bool_]:
    """Return which rows may break a rule of ``_check_common`` (the duplicate ids aside).

    Each rule is evaluated column by column with the same predicates as the row-by-row check,
    so every row with a problem is flagged; only flagged rows are then checked one by one,
    which keeps the messages (and their order) exactly those of a full row-by-row pass.
    """
    bad = _fails(frame["id"], lambda v: not _is_missing(v) and not ID_PATTERN.match(str(v)))
    for col in required:
        bad |= _missing(frame[col])
    bad |= _fails(frame["city"], lambda v: not _is_missing(v) and v not in CITIES)
    for col in ("source_date", "checked_date"):
        bad |= _fails(frame[col], _bad_date)
    bad |= _fails(
        _column(frame, "source_url"),
        lambda v: not _is_missing(v) and web_url_problem(v) is not None,
    )
    bad |= _fails(
        _column(frame, "other_sources"),
        lambda v: any(web_url_problem(p) is not None for p in _further_sources(v)),
    )
    return bad


def _place_suspects(places: pd.DataFrame) -> npt.NDArray[np.bool_]:
    """Return which rows may break a rule of ``_check_place_row`` (see ``_common_suspects``)."""
    bad = _fails(places["kind"], lambda v: not _is_missing(v) and v not in KINDS)
    bad |= _fails(places["status"], lambda v: not _is_missing(v) and v not in STATUSES)
    bank_set = ~_fails(places["bank"], _is_missing)
    bad |= bank_set & _fails(places["bank"], lambda v: v not in BANKS)
    bad |= bank_set & _fails(places["city"], lambda v: v != "astana")
    for col in ("status_as_of", "announced_date"):
        bad |= _fails(places[col], _bad_date)
    bad |= _fails(places["target_year"], _bad_year)
    bad |= _fails(places["area_m2"], lambda v: not _is_missing(v) and not _is_positive(v))
    for col in NAME_COLUMNS:
        bad |= _too_long(places[col])
    return bad


def _geometry_suspects(places: gpd.GeoDataFrame) -> npt.NDArray[np.bool_]:
    """Return which rows may break a rule of ``_check_place_geometry``, with shapely's arrays."""
    geoms = np.asarray(places.geometry.values, dtype=object)
    is_geom = np.fromiter((isinstance(g, BaseGeometry) for g in geoms), bool, len(geoms))
    empty = np.zeros(len(geoms), dtype=bool)
    empty[is_geom] = shapely.is_empty(geoms[is_geom])
    accuracy = places["location_accuracy_m"]
    accuracy_missing = _fails(accuracy, _is_missing)
    bad = (~is_geom & ~accuracy_missing) | empty
    placed = is_geom & ~empty
    if not placed.any():
        return bad
    # Huge geometries are flagged before any costly check; the rest are checked in full.
    vertices = np.zeros(len(geoms), dtype=np.int64)
    vertices[placed] = shapely.get_num_coordinates(geoms[placed])
    bad |= vertices > MAX_VERTICES
    placed &= vertices <= MAX_VERTICES
    if not placed.any():
        return bad
    bad[placed] |= shapely.has_z(geoms[placed])
    coords, owner = shapely.get_coordinates(geoms[placed], return_index=True)
    not_finite = owner[~np.isfinite(coords).all(axis=1)]
    bad[np.flatnonzero(placed)[np.unique(not_finite)]] = True
    types = np.full(len(geoms), None, dtype=object)
    types[placed] = shapely.get_type_id(geoms[placed])
    bad |= placed & ~np.isin(types, _ALLOWED_TYPE_IDS)
    valid = np.zeros(len(geoms), dtype=bool)
    valid[placed] = shapely.is_valid(geoms[placed])
    bad |= placed & ~valid
    bad |= placed & (accuracy_missing | _fails(accuracy, lambda v: not _is_positive(v)))
    cities = places["city"].astype(object).to_numpy()
    for city, city_box in CITY_BBOX_LON_LAT.items():
        here = placed & (cities == city)
        if here.any():
            bad[here] |= ~shapely.covers(box(*city_box), geoms[here])
    return bad


def _check_place_row(row: pd.Series, label: str) -> list[str]:
    problems: list[str] = []
    for col, allowed in (("kind", KINDS), ("status", STATUSES)):
        if not _is_missing(row[col]) and row[col] not in allowed:
            problems.append(f"{label}: {col} must be one of {allowed!r}, got {_shown(row[col])}")
    bank = row["bank"]
    if not _is_missing(bank):
        if bank not in BANKS:
            problems.append(f"{label}: bank must be one of {BANKS!r} or empty, got {_shown(bank)}")
        elif row["city"] != "astana":
            problems.append(
                f"{label}: bank applies to Astana only, got {bank!r} for {_shown(row['city'])}"
            )
    for col in ("status_as_of", "announced_date"):
        if not _check_date(row[col]):
            problems.append(
                f"{label}: {col} must be an ISO date YYYY-MM-DD, got {_shown(row[col])}"
            )
    year = row["target_year"]
    if _bad_year(year):
        problems.append(
            f"{label}: target_year must be a whole year 1990-2100 or empty, got {_shown(year)}"
        )
    area = row["area_m2"]
    if not _is_missing(area) and not _is_positive(area):
        problems.append(
            f"{label}: area_m2 must be a positive number of m2 or empty, got {_shown(area)}"
        )
    for col in NAME_COLUMNS:
        name = row[col]
        if isinstance(name, str) and len(name) > MAX_NAME_CHARS:
            problems.append(
                f"{label}: {col} is {len(name):,} characters long, more than the limit of "
                f"{MAX_NAME_CHARS}; shorten it"
            )
    return problems


def _check_place_geometry(row: pd.Series, label: str) -> list[str]:
    geom = row.geometry
    accuracy = row["location_accuracy_m"]
    if not isinstance(geom, BaseGeometry):
        if not _is_missing(accuracy):
            return [
                f"{label}: has no geometry, so location_accuracy_m must be empty (unknown), "
                f"got {_shown(accuracy)}"
            ]
        return []
    if geom.is_empty:  # GeoPackage stores a point of NaN coordinates as an empty point
        return [
            f"{label}: geometry has no valid coordinates (it is empty, or a point of NaN "
            "coordinates); give it real longitude and latitude, or no geometry at all (NULL, "
            "with an empty location_accuracy_m) for an unknown position"
        ]
    vertices = int(shapely.get_num_coordinates(geom))
    if vertices > MAX_VERTICES:
        return [
            f"{label}: geometry has {vertices:,} vertices, more than the limit of "
            f"{MAX_VERTICES:,}; simplify it (for example with shapely.simplify)"
        ]
    problems: list[str] = []
    if geom.has_z:
        problems.append(
            f"{label}: geometry has Z (height) coordinates; positions are 2D longitude and "
            "latitude only: drop the Z values (for example with shapely.force_2d)"
        )
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        problems.append(
            f"{label}: geometry has an invalid coordinate (NaN or infinite); give it real "
            "longitude and latitude"
        )
        return problems
    if geom.geom_type not in ALLOWED_GEOMETRIES:
        problems.append(f"{label}: geometry type {geom.geom_type!r} is not supported")
    if not geom.is_valid:
        problems.append(f"{label}: geometry is invalid; repair it (for example with make_valid)")
    if _is_missing(accuracy) or not _is_positive(accuracy):
        problems.append(
            f"{label}: has a geometry, so location_accuracy_m must be a positive number of "
            f"metres, got {_shown(accuracy)}"
        )
    city_box = CITY_BBOX_LON_LAT.get(str(row["city"]))
    if city_box is not None and not box(*city_box).covers(geom):
        bounds = ", ".join(_coordinate(v) for v in geom.bounds)
        problems.append(
            f"{label}: geometry lies outside {row['city']}'s bounds {city_box!r} "
            f"(lon/lat); got bounds ({bounds}). "
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
    # Rules are first evaluated column-wise (about a second for 100,000 places, against about
    # twenty row by row); only the rows they flag are then checked one by one for the messages.
    suspects = _common_suspects(places, REQUIRED_PLACE_VALUES)
    suspects |= _place_suspects(places) | _geometry_suspects(places)
    positions = np.flatnonzero(suspects).tolist()
    problems = _check_common(places, REQUIRED_PLACE_VALUES, positions)
    geometry_problems: list[str] = []
    rows = places.iloc[positions]
    for pos, (_, row) in zip(positions, rows.iterrows(), strict=True):
        label = _record_label(row, pos)
        problems.extend(_check_place_row(row, label))
        geometry_problems.extend(_check_place_geometry(row, label))
    _raise_if_any(problems, what="places layer", error=InputError)
    _raise_if_any(geometry_problems, what="places layer", error=GeometryError)
    return places


def _link_problems(row: pd.Series, label: str) -> list[str]:
    """Return what is wrong with a target's link to places (``places_filter``, measure)."""
    link, measure = row["places_filter"], row["progress_measure"]
    if _is_missing(link) and _is_missing(measure):
        return []
    if _is_missing(link) or _is_missing(measure):
        return [f"{label}: places_filter and progress_measure are given together or not at all"]
    problems = []
    if measure not in TARGET_MEASURES:
        problems.append(
            f"{label}: progress_measure must be one of {TARGET_MEASURES!r}, got {_shown(measure)}"
        )
    try:
        link_filters(str(link))
    except InputError as err:
        problems.append(f"{label}: {err}")
    return problems


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
            problems.append(
                f"{label}: unit must be one of {TARGET_UNITS!r}, got {_shown(row['unit'])}"
            )
        year, deadline = row["deadline_year"], _number(row["deadline_year"])
        if not _is_missing(year) and not (
            deadline is not None and MIN_YEAR <= deadline <= MAX_YEAR
        ):
            problems.append(f"{label}: deadline_year must be a year 1990-2100, got {_shown(year)}")
        qty, quantity = row["quantity"], _number(row["quantity"])
        if not _is_missing(qty) and (quantity is None or quantity < 0):
            problems.append(f"{label}: quantity must be >= 0 or empty, got {_shown(qty)}")
        if not _check_date(row["progress_as_of"]):
            problems.append(
                f"{label}: progress_as_of must be an ISO date, got {_shown(row['progress_as_of'])}"
            )
        problems.extend(_link_problems(row, label))
    _raise_if_any(problems, what="targets table", error=InputError)
    return targets
