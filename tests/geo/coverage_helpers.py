"""Small partitions and places for the coverage tests, built in code around Astana.

Geometries are given in local metres (x east, y north) from ``ORIGIN``, a point in Astana in
UTM zone 42N, so areas can be checked against pyproj's geodesic area in WGS 84 too.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Geod
from shapely import affinity
from shapely.geometry.base import BaseGeometry

from geo.districts import Partition

CRS = "EPSG:32642"
ORIGIN = (670_000.0, 5_666_000.0)  # about 71.43 E, 51.12 N: central Astana
GEOD = Geod(ellps="WGS84")


def at(geom: BaseGeometry) -> BaseGeometry:
    """Return a geometry given in local metres moved to Astana (UTM 42N)."""
    return affinity.translate(geom, ORIGIN[0], ORIGIN[1])


def local(geom: BaseGeometry) -> BaseGeometry:
    """Return a UTM 42N geometry in local metres (the inverse of ``at``)."""
    return affinity.translate(geom, -ORIGIN[0], -ORIGIN[1])


def partition(
    districts: list[tuple[str, BaseGeometry, float]], *, city: str = "astana"
) -> Partition:
    """Return a Partition of non-overlapping districts (id, local polygon, population)."""
    geoms = [at(g) for _, g, _ in districts]
    frame = gpd.GeoDataFrame(
        {
            "district": [d for d, _, _ in districts],
            "population": [float(p) for _, _, p in districts],
            "reference_date": "2026-07-01",
            "source": "built in the test",
        },
        geometry=geoms,
        crs=CRS,
    )
    frame["area_m2"] = frame.geometry.area
    frame = frame[["district", "geometry", "area_m2", "population", "reference_date", "source"]]
    return Partition(
        city=city,
        crs=CRS,
        frame=frame,
        outline=frame.geometry.union_all(),
        issues=(),
        missing_population=0,
    )


def places_wgs84(geoms: list[BaseGeometry], ids: list[str] | None = None) -> gpd.GeoDataFrame:
    """Return places given in local metres as a WGS 84 frame with an ``id`` column."""
    ids = ids if ids is not None else [f"p{i}" for i in range(len(geoms))]
    frame = gpd.GeoDataFrame({"id": ids}, geometry=[at(g) for g in geoms], crs=CRS)
    return frame.to_crs("EPSG:4326")


def geodesic_area_m2(geom_utm: BaseGeometry) -> float:
    """Return the geodesic area (pyproj.Geod on WGS 84) of a UTM 42N polygon."""
    wgs = gpd.GeoSeries([geom_utm], crs=CRS).to_crs("EPSG:4326").iloc[0]
    area, _ = GEOD.geometry_area_perimeter(wgs)
    return abs(float(area))


def astana_2024_partition(folder) -> Partition:
    """Return a Partition of the real 2024 districts in ../shared/geodata, built directly.

    The layer's six districts overlap only in slivers (the largest 0.001 km2, README there);
    each sliver is given to the smaller district, as ``build_partition`` does, so the effective
    polygons do not overlap. Population from its district_population.csv.
    """
    ids = {
        "esil": "Yesil",
        "almaty": "Almaty",
        "saryarka": "Saryarka",
        "baikonur": "Baikonur",
        "nura": "Nura",
        "saraishyk": "Saraishyk",
    }
    layer = gpd.read_file(folder / "astana_districts_2024.geojson").to_crs(CRS)
    table = pd.read_csv(folder / "district_population.csv")
    table = table[table["city"] == "Astana"]
    population = {
        str(row.district_en).split(" ")[0]: float(row.population) for row in table.itertuples()
    }
    districts = [ids[str(i)] for i in layer["id"]]
    raw = list(layer.geometry.make_valid())
    effective = []
    for geom in raw:
        smaller = [other for other in raw if other.area < geom.area]
        effective.append(geom.difference(shapely.union_all(smaller)) if smaller else geom)
    frame = gpd.GeoDataFrame(
        {
            "district": districts,
            "population": [population.get(d, np.nan) for d in districts],
            "reference_date": "2026-07-01",
            "source": "district_population.csv",
        },
        geometry=effective,
        crs=CRS,
    )
    frame["area_m2"] = frame.geometry.area
    return Partition(
        city="astana",
        crs=CRS,
        frame=frame,
        outline=frame.geometry.union_all(),
        issues=(),
        missing_population=0,
    )
