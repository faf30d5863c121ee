"""The guided tour's stops: their columns and the check of a tour table (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd

from geo.cities import CITY_IDS, city_by_id
from geo.errors import InputError

TOUR_COLUMNS: tuple[str, ...] = (
    "stop",
    "place_id",
    "target_id",
    "zoom",
    "area",
    "view_lat",
    "view_lon",
    "caption_kk",
    "caption_ru",
    "caption_en",
)
# What the map shows for a stop whose place has no confirmed position.
TOUR_AREAS: tuple[str, ...] = ("bank", "district", "city")
MIN_ZOOM, MAX_ZOOM = 4, 19
MAX_CAPTION_CHARS = 400  # a card read from the back of a hall: a few lines at 24 px


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value == ""


def _whole(value: object) -> int | None:
    """Return a whole number, or ``None`` if the value is not one."""
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _check_stop_view(row: pd.Series, label: str) -> list[str]:
    """Return the problems of a stop's fallback view (area and camera centre)."""
    problems: list[str] = []
    area, lat, lon = row["area"], row["view_lat"], row["view_lon"]
    if not _missing(area) and area not in TOUR_AREAS:
        problems.append(f"{label}: area must be one of {TOUR_AREAS!r}, got {area!r}")
    if _missing(lat) != _missing(lon):
        problems.append(f"{label}: give view_lat and view_lon together, or neither")
    elif not _missing(lat):
        if _missing(area):
            problems.append(f"{label}: a fallback view (view_lat, view_lon) needs its area")
        try:
            lat_f, lon_f = float(str(lat)), float(str(lon))
        except ValueError:
            problems.append(f"{label}: view_lat and view_lon must be numbers, got {lat!r}, {lon!r}")
        else:
            if not any(city_by_id(c).contains(lat_f, lon_f) for c in CITY_IDS):
                problems.append(f"{label}: view ({lat_f}, {lon_f}) is in neither city")
    return problems


def _check_stop_row(
    row: pd.Series,
    label: str,
    *,
    place_ids: Collection[str] | None,
    target_ids: Collection[str] | None,
) -> list[str]:
    """Return the problems of a stop's zoom, ids and captions."""
    problems: list[str] = []
    zoom = _whole(row["zoom"])
    if zoom is None or not MIN_ZOOM <= zoom <= MAX_ZOOM:
        problems.append(f"{label}: zoom must be {MIN_ZOOM}-{MAX_ZOOM}, got {row['zoom']!r}")
    if _missing(row["place_id"]):
        problems.append(f"{label}: place_id is required (the stop's place on the map)")
    elif place_ids is not None and row["place_id"] not in place_ids:
        problems.append(f"{label}: unknown place_id {row['place_id']!r}")
    target = row["target_id"]
    if not _missing(target) and target_ids is not None and target not in target_ids:
        problems.append(f"{label}: unknown target_id {target!r}")
    for lang in ("kk", "ru", "en"):
        text = row[f"caption_{lang}"]
        if _missing(text) or not str(text).strip():
            problems.append(f"{label}: caption_{lang} is empty")
        elif len(str(text)) > MAX_CAPTION_CHARS:
            problems.append(f"{label}: caption_{lang} is over {MAX_CAPTION_CHARS} characters")
    return problems


def validate_tour(
    tour: pd.DataFrame,
    *,
    place_ids: Collection[str] | None = None,
    target_ids: Collection[str] | None = None,
) -> pd.DataFrame:
    """Check the tour table and return it sorted by stop.

    Parameters
    ----------
    tour
        The tour table (no geometry), with ``TOUR_COLUMNS``.
    place_ids, target_ids
        The catalogue's place and target ids; ``None`` skips that cross-check.

    Returns
    -------
    pandas.DataFrame
        The same rows, sorted by ``stop``, with ``stop`` and ``zoom`` as ``int``.

    Raises
    ------
    InputError
        If a column is missing, stops are not numbered 1..N, a zoom is out of range, a
        caption is missing or too long, an id is unknown, or a fallback view is malformed.
    """
    missing = [c for c in TOUR_COLUMNS if c not in tour.columns]
    if missing:
        msg = f"tour table: missing columns {missing!r}; expected {list(TOUR_COLUMNS)!r}"
        raise InputError(msg)
    problems: list[str] = []
    stops: list[int] = []
    for pos, (_, row) in enumerate(tour.iterrows()):
        label = f"tour stop {row['stop']!r} (row {pos + 1})"
        stop = _whole(row["stop"])
        if stop is None:
            problems.append(f"{label}: stop must be a whole number, got {row['stop']!r}")
        else:
            stops.append(stop)
        problems += _check_stop_row(row, label, place_ids=place_ids, target_ids=target_ids)
        problems += _check_stop_view(row, label)
    if sorted(stops) != list(range(1, len(stops) + 1)):
        problems.append(f"tour table: stops must be numbered 1..N once each, got {sorted(stops)}")
    if problems:
        msg = "tour table is invalid:\n" + "\n".join(f"- {p}" for p in problems)
        raise InputError(msg)
    out = tour[list(TOUR_COLUMNS)].copy()
    out["stop"] = [int(str(_whole(v))) for v in out["stop"]]
    out["zoom"] = [int(str(_whole(v))) for v in out["zoom"]]
    for col in ("view_lat", "view_lon"):
        out[col] = pd.to_numeric(out[col].replace({"": None})).astype("float64")
    return out.sort_values("stop").reset_index(drop=True)
