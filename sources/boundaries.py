"""`make data`: both cities' administrative boundaries, their districts and the Esil, from OSM.

osmnx fetches, for each city, the administrative boundaries inside its envelope and, for
Astana, the rivers; the city's outline, its known districts and the Esil are picked from them
by name (``geo.district_ids``), given ``source`` and ``fetched`` columns, and checked: every
known district present once, valid polygons inside the city's envelope, plausible areas, and
the river crossing Astana. Only then are the files of the context folder replaced, each written
to a temporary file beside it first and renamed over it. Offline, or when a check fails, it
says so, changes nothing and exits with 1.

Files written (in ``Settings.context_dir``): ``astana_districts.gpkg``,
``almaty_districts.gpkg`` (layer ``districts``), ``city_outlines.gpkg`` (``outlines``) and
``esil_river.gpkg`` (``river``).
"""

from __future__ import annotations

# First, before anything imports pyogrio: GDAL reads only GeoPackage and GeoJSON, no network.
import layers.safe_files  # noqa: F401

# isort: split

import argparse
import logging
import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import box

from geo.cities import CITIES, CITY_IDS, city_by_id
from geo.crs import metric_crs_for_city
from geo.district_ids import (
    KNOWN_DISTRICTS,
    city_id_of,
    normalise_districts,
    normalise_outlines,
    normalise_river,
)
from geo.errors import InputError
from geo.fold import fold
from settings import load_settings
from sources.osm import FetchError, check_online, fetch_city
from store.datasets import dataset

log = logging.getLogger("sources.boundaries")

SOURCE = "© OpenStreetMap contributors, ODbL 1.0"
# What osmnx asks Overpass for: its tags are OR-ed, so every administrative level from a city
# (4) down to a district (5 to 8 in Kazakhstan's mapping) is fetched, then filtered here.
BOUNDARY_TAGS: dict[str, bool | str | list[str]] = {"admin_level": ["4", "5", "6", "7", "8"]}
RIVER_TAGS: dict[str, bool | str | list[str]] = {"waterway": "river"}
RIVER_CITY = "astana"
RIVER_NAMES = frozenset({"esil", "ishim"})  # folded: Есіл, Есиль, Yesil, Ишим, Ishim
_RIVER_WORDS = frozenset({"river", "reka", "r", "ozeni", "ozen"})
# Plausible areas (km2): a district of either city is 20 to 500 km2 in every known division,
# a city 300 to 2,500 km2; the districts together cover the outline within 15%.
DISTRICT_KM2 = (5.0, 600.0)
CITY_KM2 = (300.0, 2500.0)
COVER_SHARE = (0.85, 1.15)
MIN_RIVER_IN_CITY_KM = 5.0
DISTRICT_DATASETS: dict[str, str] = {"astana": "astana_districts", "almaty": "almaty_districts"}
OUTLINES_DATASET = "city_outlines"
RIVER_DATASET = "esil_river"


@dataclass(frozen=True)
class Boundaries:
    """What ``make data`` writes: each city's districts, both outlines and the Esil.

    Attributes
    ----------
    districts
        City id to its normalised districts (``geo.district_ids.normalise_districts``) with
        ``source`` and ``fetched``, EPSG:4326.
    outlines
        One row per city (``normalise_outlines``) with ``source`` and ``fetched``.
    river
        The Esil through Astana (``name``, lines) with ``source`` and ``fetched``.
    """

    districts: Mapping[str, gpd.GeoDataFrame]
    outlines: gpd.GeoDataFrame
    river: gpd.GeoDataFrame


def _tag(features: pd.DataFrame, key: str) -> pd.Series:
    if key in features.columns:
        return features[key].astype(object).where(features[key].notna(), None)
    return pd.Series(None, index=features.index, dtype=object)


def _osm_ids(features: gpd.GeoDataFrame) -> pd.Series:
    """Return each feature's relation id (``None`` for a way or node)."""
    index = features.index
    if isinstance(index, pd.MultiIndex) and list(index.names) == ["element", "id"]:  # osmnx
        ids = [
            int(i) if str(e) == "relation" else None
            for e, i in zip(index.get_level_values(0), index.get_level_values(1), strict=True)
        ]
        return pd.Series(ids, index=index, dtype=object)
    return pd.Series(None, index=index, dtype=object)


def _boundaries(features: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the administrative boundary polygons among osmnx features, as named frames."""
    polygons = features.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    boundary = _tag(features, "boundary").eq("administrative")
    chosen = features[polygons & boundary]
    return gpd.GeoDataFrame(
        {
            "name": _tag(chosen, "name"),
            "name_kk": _tag(chosen, "name:kk"),
            "name_ru": _tag(chosen, "name:ru"),
            "name_en": _tag(chosen, "name:en"),
            "osm_relation": _osm_ids(chosen),
            "admin_level": _tag(chosen, "admin_level"),
            # Kept for the per-100,000 figures when no population table is present.
            "population": _tag(chosen, "population"),
            "population_date": _tag(chosen, "population:date"),
        },
        geometry=chosen.geometry,
        crs=features.crs,
    ).reset_index(drop=True)


def _area_km2(frame: gpd.GeoDataFrame, city: str) -> pd.Series:
    return frame.geometry.to_crs(metric_crs_for_city(city)).area / 1e6


def districts_from_features(
    features: gpd.GeoDataFrame, city: str, *, fetched: str
) -> gpd.GeoDataFrame:
    """Pick a city's known districts from osmnx features, one polygon each.

    A name may be shared (a village or a micro-district called like a district): of the
    boundaries matching one district, the largest is kept.

    Parameters
    ----------
    features
        osmnx features of the city's envelope (``BOUNDARY_TAGS``), EPSG:4326.
    city
        ``"astana"`` or ``"almaty"``.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    geopandas.GeoDataFrame
        Normalised districts (``normalise_districts``) with ``source`` and ``fetched``, in
        ``KNOWN_DISTRICTS`` order; a district absent from the features is absent here (the
        check ``check_boundaries`` names it).
    """
    candidates = _boundaries(features)
    named = candidates[
        candidates[["name", "name_kk", "name_ru", "name_en"]].notna().any(axis=1)
        | candidates["osm_relation"].notna()
    ]
    districts = normalise_districts(named.drop(columns="admin_level"), city)
    districts = districts[districts["district"].isin(KNOWN_DISTRICTS[city])].copy()
    districts["area_km2"] = _area_km2(districts, city).to_numpy()
    order = {d: i for i, d in enumerate(KNOWN_DISTRICTS[city])}
    largest = districts.sort_values("area_km2", ascending=False).drop_duplicates("district")
    largest = largest.sort_values("district", key=lambda s: s.map(order))
    out = largest.drop(columns="area_km2").reset_index(drop=True)
    return _with_source(out, fetched=fetched)


def outline_from_features(features: gpd.GeoDataFrame, city: str) -> gpd.GeoDataFrame:
    """Pick a city's own administrative boundary from osmnx features.

    Parameters
    ----------
    features
        osmnx features of the city's envelope (``BOUNDARY_TAGS``), EPSG:4326.
    city
        ``"astana"`` or ``"almaty"``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row (``name``, ``osm_relation``, geometry): the largest boundary named like the
        city whose representative point lies in the city's envelope; no row when none does.
    """
    candidates = _boundaries(features)
    names = candidates[["name_en", "name", "name_ru", "name_kk"]]
    is_city = names.apply(
        lambda row: city in {city_id_of(v) for v in row if isinstance(v, str) and v}, axis=1
    )
    inside = candidates.geometry.representative_point().within(box(*city_by_id(city).bbox_lon_lat))
    chosen = candidates[is_city.astype(bool) & inside]
    if chosen.empty:
        return chosen.assign(city=pd.Series(dtype=object))[["city", "geometry"]]
    area = _area_km2(chosen, city)
    best = chosen.loc[[area.idxmax()]]
    return gpd.GeoDataFrame(
        {"city": [city], "osm_relation": best["osm_relation"].to_list()},
        geometry=best.geometry.to_list(),
        crs=chosen.crs,
    )


def river_from_features(features: gpd.GeoDataFrame, *, fetched: str) -> gpd.GeoDataFrame:
    """Pick the Esil's lines from osmnx river features and clip them to Astana's envelope.

    Parameters
    ----------
    features
        osmnx features of Astana's envelope (``RIVER_TAGS``), EPSG:4326.
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    geopandas.GeoDataFrame
        One row, ``name`` "Esil", the merged lines; no row when no river is named so.
    """
    lines = features[features.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    names = pd.concat([_tag(lines, k) for k in ("name", "name:en", "name:ru", "name:kk")], axis=1)

    def is_esil(row: pd.Series) -> bool:
        keys = {
            " ".join(w for w in fold(v).split() if w not in _RIVER_WORDS)
            for v in row
            if isinstance(v, str) and v
        }
        return bool(keys & RIVER_NAMES)

    esil = lines[names.apply(is_esil, axis=1).astype(bool)] if len(lines) else lines
    envelope = box(*city_by_id(RIVER_CITY).bbox_lon_lat)
    merged = shapely.line_merge(shapely.union_all(esil.geometry.to_numpy()))
    clipped = shapely.intersection(merged, envelope) if not esil.empty else None
    if clipped is None or clipped.is_empty:
        return _with_source(
            gpd.GeoDataFrame({"name": pd.Series(dtype=object)}, geometry=[], crs="EPSG:4326"),
            fetched=fetched,
        )
    frame = gpd.GeoDataFrame({"name": ["Esil"]}, geometry=[clipped], crs=features.crs)
    return _with_source(normalise_river(frame), fetched=fetched)


def _with_source(frame: gpd.GeoDataFrame, *, fetched: str) -> gpd.GeoDataFrame:
    out = frame.copy()
    geometry = out.pop("geometry")
    out["source"] = pd.Series(SOURCE, index=out.index, dtype=object)
    out["fetched"] = pd.Series(fetched, index=out.index, dtype=object)
    return gpd.GeoDataFrame(out, geometry=geometry, crs=frame.crs)


def build(
    raw: Mapping[str, gpd.GeoDataFrame], river_features: gpd.GeoDataFrame, *, fetched: str
) -> Boundaries:
    """Turn each city's boundary features and Astana's river features into ``Boundaries``.

    Parameters
    ----------
    raw
        City id to its osmnx boundary features (``BOUNDARY_TAGS``).
    river_features
        osmnx river features of Astana's envelope (``RIVER_TAGS``).
    fetched
        The fetch date, ISO ``YYYY-MM-DD``.

    Returns
    -------
    Boundaries
        Not yet checked: ``check_boundaries`` does that.
    """
    districts = {c: districts_from_features(f, c, fetched=fetched) for c, f in raw.items()}
    parts = [outline_from_features(f, c) for c, f in raw.items()]
    outlines = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs="EPSG:4326")
    outlines = _with_source(normalise_outlines(outlines), fetched=fetched)
    river = river_from_features(river_features, fetched=fetched)
    return Boundaries(districts=districts, outlines=outlines, river=river)


def _polygon_problems(frame: gpd.GeoDataFrame, city: str, what: str) -> list[str]:
    problems = []
    geometry = frame.geometry
    bad = geometry.isna() | geometry.is_empty | ~geometry.is_valid
    bad |= ~geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if bad.any():
        problems.append(f"{what}: rows {list(frame.index[bad])[:10]!r} are not valid polygons")
        return problems
    minx, miny, maxx, maxy = city_by_id(city).bbox_lon_lat
    left, bottom, right, top = frame.total_bounds
    if not (minx <= left and right <= maxx and miny <= bottom and top <= maxy):
        problems.append(
            f"{what}: extent ({left:.3f}, {bottom:.3f}, {right:.3f}, {top:.3f}) is not inside "
            f"{city}'s envelope {city_by_id(city).bbox_lon_lat!r}"
        )
    return problems


def check_boundaries(b: Boundaries) -> None:
    """Check everything ``make data`` would write; raise with every problem found.

    Parameters
    ----------
    b
        The boundaries built from the fetch (or any frames of the same shape).

    Raises
    ------
    InputError
        If a city lacks its outline or a known district, has a district twice, has a
        geometry that is not a valid polygon or lies outside its envelope, has an implausible
        area (``DISTRICT_KM2``, ``CITY_KM2``, ``COVER_SHARE``), or the Esil does not cross
        Astana for at least ``MIN_RIVER_IN_CITY_KM``.
    """
    problems: list[str] = []
    outlines = b.outlines
    for city in CITY_IDS:
        what = f"{city} outline"
        own = outlines[outlines["city"] == city] if "city" in outlines.columns else outlines[:0]
        if len(own) != 1:
            problems.append(f"{what}: {len(own)} rows, expected exactly one")
            continue
        problems += _polygon_problems(own, city, what)
        outline_km2 = float(_area_km2(own, city).iloc[0])
        if not CITY_KM2[0] <= outline_km2 <= CITY_KM2[1]:
            problems.append(f"{what}: {outline_km2:,.0f} km2, outside {CITY_KM2!r} km2")
        districts = b.districts.get(city)
        if districts is None or districts.empty:
            problems.append(f"{city} districts: none found")
            continue
        what = f"{city} districts"
        counts = districts["district"].value_counts()
        missing = [d for d in KNOWN_DISTRICTS[city] if d not in counts.index]
        twice = sorted(str(d) for d, n in counts.items() if n > 1)
        if missing:
            problems.append(f"{what}: missing {missing!r}")
        if twice:
            problems.append(f"{what}: {twice!r} appear more than once")
        polygon_problems = _polygon_problems(districts, city, what)
        problems += polygon_problems
        if polygon_problems:
            continue
        areas = _area_km2(districts, city)
        odd = [
            f"{d} {a:,.1f} km2"
            for d, a in zip(districts["district"], areas, strict=True)
            if not DISTRICT_KM2[0] <= a <= DISTRICT_KM2[1]
        ]
        if odd:
            problems.append(f"{what}: implausible areas {odd!r}, expected {DISTRICT_KM2!r} km2")
        share = float(areas.sum()) / outline_km2 if outline_km2 else 0.0
        if not COVER_SHARE[0] <= share <= COVER_SHARE[1]:
            problems.append(
                f"{what}: together {float(areas.sum()):,.0f} km2, {share:.0%} of the outline's "
                f"{outline_km2:,.0f} km2 (expected {COVER_SHARE[0]:.0%} to {COVER_SHARE[1]:.0%})"
            )
    problems += _river_problems(b)
    if problems:
        msg = "the fetched boundaries failed their checks:\n" + "\n".join(
            f"- {p}" for p in problems
        )
        raise InputError(msg)


def _river_problems(b: Boundaries) -> list[str]:
    river = b.river
    if river.empty or river.geometry.isna().all():
        return ["esil river: no river named Esil (Есіл, Есиль, Ишим) found"]
    lines = river.geometry.dropna()
    if (
        not lines.geom_type.isin(["LineString", "MultiLineString"]).all()
        or not lines.is_valid.all()
    ):
        return ["esil river: its geometries are not valid lines"]
    outline = b.outlines[b.outlines.get("city", pd.Series(dtype=object)) == RIVER_CITY]
    if outline.empty:
        return []  # reported with the outline
    crs = metric_crs_for_city(RIVER_CITY)
    inside = lines.to_crs(crs).intersection(outline.to_crs(crs).geometry.iloc[0])
    km = float(inside.length.sum()) / 1000
    if km < MIN_RIVER_IN_CITY_KM:
        return [
            f"esil river: {km:,.1f} km inside Astana's outline, expected at least "
            f"{MIN_RIVER_IN_CITY_KM:,.0f} km (does it cross the city?)"
        ]
    return []


def targets(context_dir: Path) -> dict[str, tuple[Path, str | None]]:
    """Return each dataset ``make data`` writes with its file and layer in the context folder.

    Parameters
    ----------
    context_dir
        The context folder (``Settings.context_dir``).

    Returns
    -------
    dict
        Dataset name to (file, layer): the dataset's first-choice file (``store.datasets``).
    """
    names = [*DISTRICT_DATASETS.values(), OUTLINES_DATASET, RIVER_DATASET]
    return {n: (context_dir / dataset(n).file, dataset(n).layer_in(dataset(n).file)) for n in names}


def write_atomically(b: Boundaries, context_dir: Path) -> list[Path]:
    """Write every file to a temporary file beside its target, then rename each over it.

    Nothing is replaced until every temporary file is written; a failure leaves the old
    files as they were and removes the temporary ones.

    Parameters
    ----------
    b
        Checked boundaries (``check_boundaries``).
    context_dir
        The context folder.

    Returns
    -------
    list of pathlib.Path
        The files replaced.

    Raises
    ------
    OSError
        If a file cannot be written (nothing is replaced then).
    """
    frames: dict[str, gpd.GeoDataFrame] = {
        **{DISTRICT_DATASETS[c]: frame for c, frame in b.districts.items()},
        OUTLINES_DATASET: b.outlines,
        RIVER_DATASET: b.river,
    }
    context_dir.mkdir(parents=True, exist_ok=True)
    written: list[tuple[Path, Path]] = []
    try:
        for name, (path, layer) in targets(context_dir).items():
            handle, tmp_name = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=path.suffix, dir=path.parent
            )
            os.close(handle)
            tmp = Path(tmp_name)
            tmp.unlink()  # GDAL creates the file itself
            written.append((tmp, path))
            frames[name].to_file(tmp, layer=layer, driver="GPKG", engine="pyogrio")
        for tmp, path in written:
            os.replace(tmp, path)
    finally:
        for tmp, _ in written:
            tmp.unlink(missing_ok=True)
    return [path for _, path in written]


def main(argv: list[str] | None = None) -> int:
    """Run the fetch; return the process exit code (0 written, 1 nothing changed)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--out-dir",
        type=Path,
        default=None,
        help="the context folder to write (default: CREATIVE_MAP_CONTEXT_DIR or data/context)",
    )
    parser.add_argument(
        "--overpass-url", default=None, help="the Overpass API to ask (default: osmnx's)"
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    out_dir: Path = args.out_dir or load_settings().context_dir
    fetched = datetime.now(UTC).date().isoformat()
    files = ", ".join(p.name for p, _ in targets(out_dir).values())
    try:
        import osmnx as ox  # noqa: PLC0415 - only the importer needs it

        if args.overpass_url:
            ox.settings.overpass_url = args.overpass_url
        check_online(ox.settings.overpass_url)
        raw = {city.id: fetch_city(city.id, BOUNDARY_TAGS) for city in CITIES}
        river = fetch_city(RIVER_CITY, RIVER_TAGS)
        boundaries = build(raw, river, fetched=fetched)
        check_boundaries(boundaries)
    except (FetchError, InputError) as err:
        log.error("%s\nNothing was written: %s in %s are unchanged.", err, files, out_dir)
        return 1
    written = write_atomically(boundaries, out_dir)
    for city, frame in boundaries.districts.items():
        log.info("%s: %d districts %s", city, len(frame), list(frame["district"]))
    log.info("Wrote %s (%s, fetched %s).", ", ".join(str(p) for p in written), SOURCE, fetched)
    return 0


if __name__ == "__main__":
    sys.exit(main())
