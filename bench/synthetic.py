"""Synthetic catalogues of N places for the benchmark, valid under geo.validate."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
from shapely.geometry import Point

from geo.schema import KINDS, PLACE_COLUMNS, STATUSES
from geo.validate import validate_places

SEED = 20_260_101
FILTER_STATUS = "existing"
# Every FILTER_EVERY-th place has the status the bench filters to, so the count is known.
FILTER_EVERY = len(STATUSES)
APPROX_EVERY = 10  # every 10th place is an approximate position (drawn as a circle in metres)
APPROX_ACCURACY_M = 250.0
EXACT_ACCURACY_M = 10.0
ASTANA_SHARE = 0.6
# (minx, miny, maxx, maxy) in WGS 84 lon/lat, well inside geo.schema.CITY_BBOX_LON_LAT.
SPREAD_BBOX_LON_LAT: dict[str, tuple[float, float, float, float]] = {
    "astana": (71.35, 51.08, 71.55, 51.20),
    "almaty": (76.85, 43.20, 77.00, 43.30),
}
REAL_CATALOGUE = Path(__file__).resolve().parent.parent / "data" / "catalogue.gpkg"


def expected_filtered_count(n_places: int) -> int:
    """Return how many of ``n_places`` synthetic places have status ``FILTER_STATUS``."""
    return len(range(0, n_places, FILTER_EVERY))


def _record(i: int, rng: np.random.Generator) -> dict[str, object]:
    city = "astana" if rng.random() < ASTANA_SHARE else "almaty"
    minx, miny, maxx, maxy = SPREAD_BBOX_LON_LAT[city]
    lon_lat = (rng.uniform(minx, maxx), rng.uniform(miny, maxy))
    status = STATUSES[i % FILTER_EVERY]
    approximate = i % APPROX_EVERY == APPROX_EVERY - 1
    return {
        "id": f"synthetic_{i:06d}",
        "name_kk": f"Синтетикалық орын {i}",
        "name_ru": f"Синтетическое место {i}",
        "name_en": f"Synthetic place {i}",
        "city": city,
        "bank": str(rng.choice(["left", "right"])) if city == "astana" else None,
        "district": None,
        "kind": str(rng.choice(KINDS)),
        "status": status,
        "status_as_of": "2025-06-01",
        "announced_date": None if status == "existing" else "2024-03-15",
        "target_year": None if status == "existing" else int(rng.integers(2025, 2031)),
        "area_m2": None,
        "summary_kk": None,
        "summary_ru": None,
        "summary_en": "Synthetic benchmark place.",
        "location_accuracy_m": APPROX_ACCURACY_M if approximate else EXACT_ACCURACY_M,
        "address": None,
        **{f"location_note_{lang}": "synthetic benchmark place" for lang in ("kk", "ru", "en")},
        **{f"source_outlet_{lang}": "synthetic benchmark place" for lang in ("kk", "ru", "en")},
        "source_title": "Synthetic benchmark data",
        "source_date": "2025-06-01",
        "source_url": None,
        "other_sources": None,
        "checked_date": "2025-06-01",
        "geometry": Point(*lon_lat),
    }


def synthetic_places(n_places: int, *, seed: int = SEED) -> gpd.GeoDataFrame:
    """Return ``n_places`` valid synthetic places in EPSG:4326, the same for the same seed.

    Parameters
    ----------
    n_places
        How many places to make.
    seed
        Seed of the random positions, kinds, banks and years.

    Returns
    -------
    geopandas.GeoDataFrame
        Places with every column of ``geo.schema.PLACE_COLUMNS``.

    Raises
    ------
    geo.errors.InputError
        If the generator produced an invalid record (a bug in this module).
    """
    rng = np.random.default_rng(seed)
    records = [_record(i, rng) for i in range(n_places)]
    places = gpd.GeoDataFrame(records, columns=[*PLACE_COLUMNS, "geometry"], crs="EPSG:4326")
    return validate_places(places)


def write_catalogue(n_places: int, folder: Path, *, seed: int = SEED) -> Path:
    """Write a catalogue of synthetic places plus the real targets table into ``folder``.

    Parameters
    ----------
    n_places
        How many places.
    folder
        An existing folder; ``catalogue.gpkg`` is written in it.
    seed
        See ``synthetic_places``.

    Returns
    -------
    pathlib.Path
        The GeoPackage written.
    """
    path = folder / "catalogue.gpkg"
    places = synthetic_places(n_places, seed=seed)
    places.to_file(path, layer="places", driver="GPKG", engine="pyogrio")
    targets = pyogrio.read_dataframe(REAL_CATALOGUE, layer="targets", read_geometry=False)
    pyogrio.write_dataframe(targets, path, layer="targets", driver="GPKG")
    return path
